/**
 * The appraisal of a whole call, computed from what is stored: each submitted bid's final scores, weighted
 * score, thresholds and value for money; the ranking; and the greedy and optimal funding plans beside each other.
 */
import type { Knex } from 'knex';
import type { CallRow } from '../models/calls.ts';
import { BidRow, type BidVersionRow } from '../models/bids.ts';
import { latestVersionSummariesOf } from '../bids/repository.ts';
import type { BidFields } from '../bids/types.ts';
import { APPRAISED_STATUSES } from './access.ts';
import { canonicalJson, sha256Hex } from '../bids/receipt.ts';
import { decisionsFor, moderationsFor, submittedScoresFor, type Decision, type Moderation, type ScoreSheet, type StoredScore } from './repository.ts';
import { appraiseBid, type FinalScore, type ScoringCriterion, type ThresholdResult, type WeightedScore } from './scoring.ts';
import { valueForMoney, type ValueForMoney } from './valueForMoney.ts';
import { rankBids } from './ranking.ts';
import {
  greedyPlan,
  optimalPlan,
  planDifference,
  recommendations,
  type FundingPlan,
  type OptimalFundingPlan,
  type PlanDifference,
  type PlanObjective,
  type Recommendation,
} from './fundingPlan.ts';
import { groupBy } from '../lists.ts';

/** The criteria a call's bids are scored on: core criteria (with thresholds) then gap criteria. */
export function scoringCriteria(call: CallRow): ScoringCriterion[] {
  return [
    ...(call.appraisalCriteria ?? []).map((c) => ({ code: c.code, weight: c.weight, minimumScore: c.minimumScore })),
    ...(call.gapCriteria ?? []).map((c) => ({ code: c.code, weight: c.weight })),
  ];
}

export interface AppraisedBid {
  bid: BidRow;
  version: BidVersionRow;
  fields: BidFields;
  gatewayPassed: boolean;
  sheets: ScoreSheet[];
  scores: StoredScore[];
  moderations: Moderation[];
  final: FinalScore[];
  weighted: WeightedScore | null;
  thresholds: ThresholdResult;
  valueForMoney: ValueForMoney;
  rank: number | null;
  recommendation: Recommendation;
  decision: Decision | undefined;
}

export interface CallAppraisal {
  bids: AppraisedBid[];
  greedy: FundingPlan;
  optimal: OptimalFundingPlan;
  difference: PlanDifference;
}

/** Calls of up to this many ranked bids (real size, DESIGN.md) are solved to proven optimality. */
export const PROVEN_OPTIMAL_MAX_BIDS = 200;

/**
 * How hard the optimal plan is solved for, by the number of ranked bids: a call of real size to proven
 * optimality (gap 0); a larger one until HiGHS is within 0.01% of its proven bound. Both stop at 5 s; the plan
 * says whether it was proven and, if not, its proven gap.
 */
export function optimalPlanPolicy(rankedBids: number): { timeLimitSeconds: number; relativeGap: number } {
  return { timeLimitSeconds: 5, relativeGap: rankedBids <= PROVEN_OPTIMAL_MAX_BIDS ? 0 : 0.0001 };
}

/**
 * The optimal plan for exactly these ranked bids and allocations, solved once: a plan the solver finished (proven,
 * or within the policy's gap) is kept under the SHA-256 of its input, so later reads find it instead of re-solving.
 * A plan cut short by the time limit is not kept: a later solve may do better.
 */
async function cachedOptimalPlan(
  cache: Knex,
  callId: string,
  ranked: Parameters<typeof optimalPlan>[0],
  priorities: Parameters<typeof optimalPlan>[1],
  solverOptions: { objective: PlanObjective; timeLimitSeconds: number; relativeGap: number },
): Promise<OptimalFundingPlan> {
  const input = canonicalJson({
    solverOptions,
    priorities,
    bids: ranked
      .filter((b) => b.rank !== null && b.rank !== undefined)
      .map((b) => ({ bidId: b.bidId, weighted: b.weighted, participants: b.participants, priorities: b.priorities })),
  });
  const inputSha256 = sha256Hex(input);
  const found = await cache('fundingPlanCache').where({ callId, inputSha256 }).first();
  if (found) return found.plan as OptimalFundingPlan;
  const plan = await optimalPlan(ranked, priorities, solverOptions);
  const finished = plan.provenOptimal || (solverOptions.relativeGap > 0 && plan.gapPercent !== null && plan.gapPercent <= solverOptions.relativeGap * 100);
  if (finished)
    await cache('fundingPlanCache').insert({ callId, inputSha256, plan: JSON.stringify(plan) }).onConflict(['callId', 'inputSha256']).ignore();
  return plan;
}

/** Everything the panel and the officer need to see about a call's submitted bids, in rank order. */
export async function appraiseCall(
  knex: Knex,
  call: CallRow,
  /** `timeLimitSeconds` overrides the policy's 5 s (the benchmark gives the solver next to none). */
  options: {
    objective?: PlanObjective;
    timeLimitSeconds?: number;
    /** Where solved plans are kept and found again; a pool, not a read-only transaction. */
    planCache?: Knex;
  } = {},
): Promise<CallAppraisal> {
  const bids = await BidRow.query(knex)
    .where({ callId: call.id })
    .whereIn('status', [...APPRAISED_STATUSES])
    .orderBy('reference');
  const ids = bids.map((bid) => bid.id);
  // One after another: the workbook reads inside a transaction, and a transaction has one connection.
  const versions = await latestVersionSummariesOf(knex, ids);
  const scored = await submittedScoresFor(knex, ids);
  const moderations = await moderationsFor(knex, ids);
  const decisions = await decisionsFor(knex, ids);
  const sheetsBy = groupBy(scored.sheets, (s) => s.bidId);
  const scoresBy = groupBy(scored.scores, (s) => s.bidId);
  const moderationsBy = groupBy(moderations, (m) => m.bidId);
  const decisionBy = new Map(decisions.map((d) => [d.bidId, d]));
  const criteria = scoringCriteria(call);

  const base = bids.map((bid) => {
    const { version, fields } = versions.get(bid.id)!;
    const scores = scoresBy.get(bid.id) ?? [];
    const bidModerations = moderationsBy.get(bid.id) ?? [];
    const appraisal = appraiseBid(
      criteria,
      scores.filter((s) => s.score !== null).map((s) => ({ criterion: s.criterion, score: s.score! })),
      bidModerations.map((m) => ({ criterion: m.criterion, score: m.score })),
    );
    return { bid, version, fields, scores, moderations: bidModerations, ...appraisal };
  });

  const vfm = new Map(
    valueForMoney(
      base.map(({ bid, version, fields }) => ({
        bidId: bid.id,
        gatewayPassed: version.gatewayPassed,
        esfPence: version.esfPence,
        totalEligibleCostPence: version.totalEligibleCostPence,
        outputTargets: fields.outputTargets ?? [],
        resultTargets: fields.resultTargets ?? [],
      })),
    ).map((figures) => [figures.bidId, figures]),
  );

  const ranked = rankBids(
    base.map(({ bid, version, fields, weighted, thresholds }) => ({
      bidId: bid.id,
      reference: bid.reference,
      gatewayPassed: version.gatewayPassed,
      meetsThresholds: thresholds.meets,
      weighted,
      esfPence: version.esfPence,
      participants: version.participants,
      submittedAt: version.submittedAt,
      priorities: fields.priorities ?? [],
    })),
  );
  const priorities = (call.priorities ?? []).map((p) => ({ code: p.code, allocationPence: p.allocationPence }));
  const greedy = greedyPlan(ranked, priorities);
  const solverOptions = {
    ...optimalPlanPolicy(ranked.filter((b) => b.rank !== null).length),
    objective: options.objective ?? 'score',
    ...(options.timeLimitSeconds === undefined ? {} : { timeLimitSeconds: options.timeLimitSeconds }),
  };
  const optimal = options.planCache
    ? await cachedOptimalPlan(options.planCache, call.id, ranked, priorities, solverOptions)
    : await optimalPlan(ranked, priorities, solverOptions);
  const recommendationOf = recommendations(ranked, greedy);
  const baseBy = new Map(base.map((b) => [b.bid.id, b]));

  return {
    bids: ranked.map(({ bidId, rank }) => {
      const b = baseBy.get(bidId)!;
      return {
        ...b,
        gatewayPassed: b.version.gatewayPassed,
        sheets: sheetsBy.get(bidId) ?? [],
        valueForMoney: vfm.get(bidId)!,
        rank,
        recommendation: recommendationOf.get(bidId)!,
        decision: decisionBy.get(bidId),
      };
    }),
    greedy,
    optimal,
    difference: planDifference(greedy, optimal),
  };
}
