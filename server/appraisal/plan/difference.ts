/** Where two funding plans differ (the optimal against the greedy), compared exactly. */
import { compareFractions, fractionToNumber, subtractFractions } from '../fractions.ts';
import type { FundingPlan, PlanDifference } from './types.ts';

/** Where the optimal plan differs from the greedy one: which bids, how much score and participants, money unspent. */
export function planDifference(greedy: FundingPlan, optimal: FundingPlan): PlanDifference {
  const inGreedy = new Set(greedy.bidIds);
  const inOptimal = new Set(optimal.bidIds);
  const gain = subtractFractions(optimal.totalWeightedScoreExact, greedy.totalWeightedScoreExact);
  const unspent = (plan: FundingPlan) => plan.priorities.reduce((sum, p) => sum + p.remainingPence, 0);
  return {
    onlyInGreedy: greedy.bidIds.filter((id) => !inOptimal.has(id)),
    onlyInOptimal: optimal.bidIds.filter((id) => !inGreedy.has(id)),
    scoreGain: fractionToNumber(gain, 2),
    scoreGainExact: gain,
    participantsGain: optimal.totalParticipants - greedy.totalParticipants,
    unspentPenceGreedy: unspent(greedy),
    unspentPenceOptimal: unspent(optimal),
  };
}

/** Exact comparison of two plans' total weighted scores, for callers that must not compare display numbers. */
export function compareTotalScores(a: FundingPlan, b: FundingPlan): -1 | 0 | 1 {
  return compareFractions(a.totalWeightedScoreExact, b.totalWeightedScoreExact);
}
