/** The decision on a bid as its applicant sees it: outcome, conditions or reason, final scores and comments. Pure. */
import type { Decision } from '../appraisal/repository.ts';
import type { CallRow } from '../models/calls.ts';
import { formatLondonDateTime } from '../shared/londonFormat.ts';

interface Scores {
  appraisers: { label: string; scores: { criterion: string; score: number | null; comment: string | null }[] }[];
  final: { criterion: string; score: number | null }[];
  weightedScorePercent: number | null;
  meetsThresholds: boolean;
}

const OUTCOMES: Record<Decision['decision'], { text: string; tagClass: string }> = {
  approved: { text: 'Approved', tagClass: 'govuk-tag--green' },
  approved_with_conditions: { text: 'Approved with conditions', tagClass: 'govuk-tag--turquoise' },
  rejected: { text: 'Not approved', tagClass: 'govuk-tag--red' },
};

/** What the bid page shows once a decision is made. */
export function decisionView(call: CallRow, decision: Decision, scores: Scores) {
  const criteria = [...(call.appraisalCriteria ?? []), ...(call.gapCriteria ?? [])];
  const titleOf = new Map(criteria.map((c) => [c.code, c.title]));
  return {
    outcome: OUTCOMES[decision.decision],
    approved: decision.decision !== 'rejected',
    conditions: decision.conditions,
    reason: decision.reason,
    feedback: decision.feedback ?? null,
    correctionReason: decision.correctionReason ?? null,
    decidedAt: formatLondonDateTime(decision.decidedAt),
    // A score of 0% is still a score: only a missing one is left out.
    weighted: scores.weightedScorePercent === null ? undefined : { percent: scores.weightedScorePercent },
    criteria: scores.final.map((final) => ({
      title: titleOf.get(final.criterion) ?? final.criterion,
      score: final.score,
      comments: scores.appraisers
        .map((a) => ({
          label: a.label,
          comment: a.scores.find((s) => s.criterion === final.criterion)?.comment ?? null,
        }))
        .filter((c) => c.comment),
    })),
  };
}
