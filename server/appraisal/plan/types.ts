/** The funding plans' shapes: the bids and allocations they are made from, and the plans they answer. */
import type { Fraction } from '../fractions.ts';

export interface PlanBid {
  bidId: string;
  /** Exact weighted score (a WeightedScore will do). Bids with null take no part in a plan. */
  weighted: Fraction | null;
  participants: number;
  priorities: readonly { code: string; esfPence: number }[];
  /** From rankBids: bids with rank null take no part in a plan; numbered bids are taken in rank order. */
  rank?: number | null;
}

export interface PriorityAllocation {
  code: string;
  allocationPence: number;
}

export interface PriorityFunding {
  code: string;
  allocationPence: number;
  fundedPence: number;
  remainingPence: number;
}

export interface FundingPlan {
  bidIds: string[];
  /** Σ weighted score % of the funded bids, rounded to 2 dp for people. */
  totalWeightedScore: number;
  totalWeightedScoreExact: Fraction;
  totalParticipants: number;
  priorities: PriorityFunding[];
}

export type PlanObjective = 'score' | 'participants';

export interface OptimalFundingPlan extends FundingPlan {
  objective: PlanObjective;
  /**
   * True only when a solver proved optimality and its set checked out exactly: status Optimal when asked for a
   * zero gap, or, whatever it was asked, a proven bound that the plan's exact objective reaches.
   */
  provenOptimal: boolean;
  /**
   * How far the plan may be from the best possible, in %, from the solver's proven bound: 0 when proven, rounded
   * up to 2 dp otherwise (so a real gap never shows as 0.00); null when the solver gave no usable bound.
   */
  gapPercent: number | null;
  /**
   * 'Optimal' when proven by the exact search, else HiGHS's model status ('Optimal', 'Time limit reached' …), or
   * why no solver was needed or the solver failed. Words for people: what code needs of it is carried below.
   */
  solverStatus: string;
  /**
   * The solver ended within the relative gap it was given, by its own measure, without proving optimality (so
   * solving again with the same options would stop at the same place). Not part of the API's answer.
   */
  stoppedWithinGap: boolean;
  /**
   * Where the returned set came from: the solver, the greedy plan when the solver did no better, or neither when
   * the answer needs no solver (no bid adds value, or every bid fits at once).
   */
  source: 'solver' | 'greedy' | 'trivial';
}

export interface PlanDifference {
  onlyInGreedy: string[];
  onlyInOptimal: string[];
  /** Optimal minus greedy total weighted score, rounded to 2 dp for people. */
  scoreGain: number;
  scoreGainExact: Fraction;
  participantsGain: number;
  unspentPenceGreedy: number;
  unspentPenceOptimal: number;
}

export type Recommendation = 'recommended' | 'reserve' | 'not-fundable';

export interface OptimalPlanOptions {
  objective?: PlanObjective;
  /** Wall-clock limit for the solvers (on the solver's thread; queued solves wait their turn first). Default 10 s. */
  timeLimitSeconds?: number;
  /**
   * HiGHS may stop once its plan is within this fraction of its proven bound (0.0001 = 0.01%). Default 0:
   * run until optimality is proven. Above 0 a plan is still `provenOptimal` only if the bound proves it.
   */
  relativeGap?: number;
}
