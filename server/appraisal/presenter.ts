/** The appraisal as the API shows it. Pure. */
import type { VfmFigure } from './valueForMoney.ts';
import type { AppraisedBid, CallAppraisal } from './summary.ts';

function figure({ pence, medianPence, versusMedian }: VfmFigure) {
  return { pence, medianPence, versusMedian };
}

/** The fields of each bid's version the API's appraisal shows (appraiseCall keeps no others). */
export const APPRAISAL_FIELDS = ['title', 'priorities'] as const;

/** One bid's line of the appraisal. */
export function presentAppraisedBid(b: AppraisedBid) {
  return {
    bidId: b.bid.id,
    reference: b.bid.reference,
    title: b.fields.title ?? null,
    status: b.bid.status,
    rank: b.rank,
    gatewayPassed: b.gatewayPassed,
    esfPence: b.version.esfPence,
    matchPence: b.version.matchPence,
    totalEligibleCostPence: b.version.totalEligibleCostPence,
    participants: b.version.participants,
    priorities: b.fields.priorities ?? [],
    submittedAt: b.version.submittedAt.toISOString(),
    appraisersSubmitted: b.sheets.length,
    finalScores: b.final.map(({ criterion, display, flagged, moderated }) => ({
      criterion,
      score: display,
      flagged,
      moderated,
    })),
    weightedScorePercent: b.weighted?.percent ?? null,
    meetsThresholds: b.thresholds.meets,
    thresholdFailures: b.thresholds.failed.map((f) => f.criterion),
    valueForMoney: {
      participants: b.valueForMoney.participants,
      esfPerParticipant: figure(b.valueForMoney.esfPerParticipant),
      totalCostPerParticipant: figure(b.valueForMoney.totalCostPerParticipant),
      esfPerResult: b.valueForMoney.esfPerResult.map((r) => ({
        indicator: r.indicator,
        target: r.target,
        ...figure(r),
      })),
    },
    recommendation: b.recommendation,
    decision: b.decision
      ? {
          decision: b.decision.decision,
          conditions: b.decision.conditions,
          reason: b.decision.reason,
          decidedAt: b.decision.decidedAt.toISOString(),
        }
      : null,
  };
}

/** The whole call's appraisal: bids in rank order, then the funding plans and where they differ. */
export function presentCallAppraisal(appraisal: CallAppraisal) {
  // How the solver ended is the cache's to know (plan/optimal.ts, solvedAsFarAsAsked), not the API's.
  const { stoppedWithinGap: _stoppedWithinGap, ...optimal } = appraisal.optimal;
  return {
    bids: appraisal.bids.map(presentAppraisedBid),
    fundingPlan: { greedy: appraisal.greedy, optimal, difference: appraisal.difference },
  };
}
