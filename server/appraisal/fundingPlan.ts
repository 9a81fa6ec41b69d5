/**
 * Funding plans for a call: the greedy plan (rank order, a bid is recommended if every priority it spans still has
 * room for it) and the optimal plan, a 0/1 knapsack programme with one row per priority. Asked for proven
 * optimality it is solved by an exact search built for it (knapsackSearch.ts), with HiGHS (WebAssembly, via the
 * `highs` package) taking over should the search run out of its share of the time; asked for a gap above 0 (the
 * largest calls) HiGHS alone solves it.
 *
 * Why the solvers' answers are not simply trusted: HiGHS works in floating point with tolerances, and the search
 * prices its rows in floating point. So the objective is given to them in exact integers, each knapsack row is
 * divided by the gcd of its coefficients (exact, and it keeps numbers small), and afterwards the chosen set is
 * re-checked against every allocation in integer arithmetic and its objective recomputed exactly here. A plan is
 * `provenOptimal` only when a solver proved it and its set survives that check: the solver reports Optimal
 * having been asked for a zero relative gap, or its proven bound (rounded down to a whole number, as the
 * coefficients are whole) is reached by the plan's exact objective. If the solver's set (say, time-limited) is
 * worse than the greedy one, the greedy set is returned instead, proven only if the bound says so.
 *
 * The solvers run in a worker thread (solverThread.ts, entry solverWorker.ts) so that a long solve never stalls the
 * process; everything exact above stays on this side of it.
 */
import type { KnapsackProblem } from './knapsackSearch.ts';
import { solveOnWorker } from './solverThread.ts';
import type { SolverOutcome } from './solverWorker.ts';
import { addFractions, compareFractions, fractionToNumber, subtractFractions, type Fraction } from './scoring.ts';

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
   * why no solver was needed or the solver failed.
   */
  solverStatus: string;
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

const DEFAULT_TIME_LIMIT_SECONDS = 10;

// ---------------------------------------------------------------------------------------------------------------
// Shared bookkeeping

interface Candidate {
  bid: PlanBid;
  weighted: Fraction;
  /** ESF per priority code, duplicates merged. */
  esf: Map<string, bigint>;
}

function candidatesOf(bids: readonly PlanBid[]): Candidate[] {
  const eligible = bids.filter((b) => b.rank !== null && b.weighted !== null);
  const seen = new Set<string>();
  for (const b of eligible) {
    if (seen.has(b.bidId)) throw new RangeError(`Bid ${b.bidId} appears twice`);
    seen.add(b.bidId);
    if (!Number.isSafeInteger(b.participants) || b.participants < 0) {
      throw new RangeError(`Bid ${b.bidId}: participants must be a whole number`);
    }
  }
  // Numbered ranks are authoritative; otherwise the caller's order is taken as the rank order.
  const ordered = eligible.every((b) => typeof b.rank === 'number')
    ? [...eligible].sort((a, b) => (a.rank as number) - (b.rank as number))
    : eligible;
  return ordered.map((bid) => {
    const esf = new Map<string, bigint>();
    for (const p of bid.priorities) {
      if (!Number.isSafeInteger(p.esfPence) || p.esfPence < 0) {
        throw new RangeError(`Bid ${bid.bidId}: ESF in ${p.code} must be whole, non-negative pence`);
      }
      esf.set(p.code, (esf.get(p.code) ?? 0n) + BigInt(p.esfPence));
    }
    return { bid, weighted: bid.weighted!, esf };
  });
}

function allocationsOf(priorities: readonly PriorityAllocation[]): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const p of priorities) {
    if (out.has(p.code)) throw new RangeError(`Priority ${p.code} is listed twice`);
    if (!Number.isSafeInteger(p.allocationPence) || p.allocationPence < 0) {
      throw new RangeError(`Priority ${p.code}: allocation must be whole, non-negative pence`);
    }
    out.set(p.code, BigInt(p.allocationPence));
  }
  return out;
}

/** Whether the set fits every allocation, in integers; a priority the call lacks has no room at all. */
function fits(set: readonly Candidate[], allocations: Map<string, bigint>): boolean {
  const used = new Map<string, bigint>();
  for (const c of set) {
    for (const [code, pence] of c.esf) used.set(code, (used.get(code) ?? 0n) + pence);
  }
  for (const [code, pence] of used) {
    if (pence > (allocations.get(code) ?? 0n)) return false;
  }
  return true;
}

function buildPlan(chosen: readonly Candidate[], priorities: readonly PriorityAllocation[]): FundingPlan {
  const total = addFractions(...chosen.map((c) => c.weighted));
  return {
    bidIds: chosen.map((c) => c.bid.bidId),
    totalWeightedScore: fractionToNumber(total, 2),
    totalWeightedScoreExact: total,
    totalParticipants: chosen.reduce((sum, c) => sum + c.bid.participants, 0),
    priorities: priorities.map((p) => {
      const funded = chosen.reduce((sum, c) => sum + (c.esf.get(p.code) ?? 0n), 0n);
      return {
        code: p.code,
        allocationPence: p.allocationPence,
        fundedPence: Number(funded),
        remainingPence: Number(BigInt(p.allocationPence) - funded),
      };
    }),
  };
}

function greedySet(candidates: readonly Candidate[], allocations: Map<string, bigint>): Candidate[] {
  const remaining = new Map(allocations);
  const chosen: Candidate[] = [];
  for (const c of candidates) {
    const room = [...c.esf].every(([code, pence]) => pence === 0n || pence <= (remaining.get(code) ?? 0n));
    if (!room) continue;
    for (const [code, pence] of c.esf) if (pence > 0n) remaining.set(code, remaining.get(code)! - pence);
    chosen.push(c);
  }
  return chosen;
}

// ---------------------------------------------------------------------------------------------------------------
// Greedy

/** The greedy plan: in rank order, a bid is recommended if every priority it spans still has room for its ESF. */
export function greedyPlan(rankedBids: readonly PlanBid[], priorities: readonly PriorityAllocation[]): FundingPlan {
  const allocations = allocationsOf(priorities);
  return buildPlan(greedySet(candidatesOf(rankedBids), allocations), priorities);
}

/** Each bid's recommendation per API.md: recommended in the greedy plan, reserve if ranked, else not fundable. */
export function recommendations(
  bids: readonly { bidId: string; rank: number | null }[],
  greedy: Pick<FundingPlan, 'bidIds'>,
): Map<string, Recommendation> {
  const funded = new Set(greedy.bidIds);
  return new Map(
    bids.map((b) => [b.bidId, funded.has(b.bidId) ? 'recommended' : b.rank !== null ? 'reserve' : 'not-fundable']),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The solver's thread

// ---------------------------------------------------------------------------------------------------------------
// The programme

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/**
 * Integer objective coefficients: weighted scores over their common denominator (or participants), divided by
 * their common factor. Proportional to the true objective, so the same sets are optimal.
 */
function objectiveCoefficients(candidates: readonly Candidate[], objective: PlanObjective): bigint[] {
  let coefficients: bigint[];
  if (objective === 'participants') {
    coefficients = candidates.map((c) => BigInt(c.bid.participants));
  } else {
    const lcm = candidates.reduce((l, c) => {
      const d = BigInt(c.weighted.denominator);
      return (l / gcd(l, d)) * d;
    }, 1n);
    coefficients = candidates.map((c) => BigInt(c.weighted.numerator) * (lcm / BigInt(c.weighted.denominator)));
  }
  const common = coefficients.reduce((g, v) => gcd(g, v), 0n) || 1n;
  const scaled = coefficients.map((v) => v / common);
  // HiGHS reads coefficients as doubles: beyond 2^53 they would no longer be the exact objective.
  if (scaled.reduce((sum, v) => sum + v, 0n) > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError('Objective too large to give the solver exactly');
  }
  return scaled;
}

/**
 * The 0/1 knapsack programme over the model's bids, one row per priority some bid spends in. Dividing a row
 * through by the gcd of its weights and flooring its capacity is exact for 0/1 choices, and keeps numbers small.
 */
function knapsackProblem(
  values: readonly bigint[],
  weights: readonly ReadonlyMap<string, bigint>[],
  allocations: ReadonlyMap<string, bigint>,
): KnapsackProblem {
  const rows: KnapsackProblem['rows'][number][] = [];
  for (const [code, allocation] of allocations) {
    const row = weights.map((w) => w.get(code) ?? 0n);
    const g = row.reduce((acc, v) => gcd(acc, v), 0n);
    if (g === 0n) continue;
    // Every bid in the model fits its allocations alone, so each weight, and the capacity, is a safe integer.
    rows.push({ weights: row.map((v) => Number(v / g)), capacity: Number(allocation / g) });
  }
  return { values: values.map(Number), rows };
}

/**
 * The programme `optimalPlan` gives its solver for these bids, or null when it needs none (no bid adds value, or
 * every bid fits): for measuring the solvers on their own, as bench/planReplay.ts does.
 */
export function fundingProgramme(
  bids: readonly PlanBid[],
  priorities: readonly PriorityAllocation[],
  objective: PlanObjective = 'score',
): KnapsackProblem | null {
  const allocations = allocationsOf(priorities);
  const candidates = candidatesOf(bids);
  const values = objectiveCoefficients(candidates, objective);
  const model = candidates.flatMap((c, i) => (values[i] > 0n && fits([c], allocations) ? [i] : []));
  if (model.length === 0 || fits(model.map((i) => candidates[i]), allocations)) return null;
  return knapsackProblem(
    model.map((i) => values[i]),
    model.map((i) => candidates[i].esf),
    allocations,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Optimal

/**
 * The best objective any plan could have, by the solver's proven bound: a whole number, since the coefficients
 * are, so the bound's floor. The slack absorbs the floating-point noise of a bound HiGHS computed in doubles, in
 * the safe direction (a larger bound: a larger gap, a harder proof). Null when no finite bound was proved.
 */
function provenCeiling(dualBound: number | null): bigint | null {
  if (dualBound === null || !Number.isFinite(dualBound)) return null;
  return BigInt(Math.floor(dualBound + Math.max(1e-6, Math.abs(dualBound) * 1e-9)));
}

/**
 * Gap in % between the proven ceiling and a plan's exact objective, (ceiling − objective) / objective, rounded
 * UP to 2 dp so that a real gap never shows smaller than it is (0.001% shows as 0.01); 0 only when the ceiling
 * is reached, which is a proof; null with no bound, or when a plan worth 0 faces a positive bound.
 */
function gapPercentOf(ceiling: bigint | null, objective: bigint): number | null {
  if (ceiling === null) return null;
  const gap = ceiling - objective;
  if (gap <= 0n) return 0;
  if (objective <= 0n) return null;
  const hundredths = (gap * 10_000n + objective - 1n) / objective;
  return Number(hundredths) / 100;
}

/**
 * The optimal plan: the set of bids maximising total weighted score (or participants) within every priority's
 * allocation, as a 0/1 integer programme solved on the solver's thread; never worse than the greedy plan over
 * the same bids.
 *
 * With `relativeGap` 0 (the default) the exact search, then if need be HiGHS, runs until optimality is proven or
 * the time limit is reached. Above 0 HiGHS may stop at a plan within that fraction of its bound; such a plan is `provenOptimal` only if the bound
 * itself proves it (the plan's exact objective reaches the bound's whole-number ceiling), and its
 * `gapPercent` is measured here against the bound, not taken from the option.
 */
export async function optimalPlan(
  bids: readonly PlanBid[],
  priorities: readonly PriorityAllocation[],
  options: OptimalPlanOptions = {},
): Promise<OptimalFundingPlan> {
  const objective = options.objective ?? 'score';
  const timeLimit = options.timeLimitSeconds ?? DEFAULT_TIME_LIMIT_SECONDS;
  const relativeGap = options.relativeGap ?? 0;
  if (!(timeLimit > 0)) throw new RangeError('The time limit must be a positive number of seconds');
  if (!(relativeGap >= 0 && relativeGap < 1)) throw new RangeError('The relative gap must be at least 0 and below 1');
  const allocations = allocationsOf(priorities);
  const candidates = candidatesOf(bids);
  const allValues = objectiveCoefficients(candidates, objective);
  const valueOf = new Map(candidates.map((c, i) => [c, allValues[i]]));
  const total = (set: readonly Candidate[]) => set.reduce((sum, c) => sum + valueOf.get(c)!, 0n);

  const greedy = greedySet(candidates, allocations);
  const greedyValue = total(greedy);
  const plan = (chosen: Candidate[], rest: Omit<OptimalFundingPlan, keyof FundingPlan | 'objective'>) => ({
    ...buildPlan(chosen, priorities),
    objective,
    ...rest,
  });

  // A bid worth nothing, or too big for some priority on its own, is in no optimal set worth solving for.
  const model = candidates.filter((c) => valueOf.get(c)! > 0n && fits([c], allocations));
  if (model.length === 0) {
    // Every affordable bid is worth 0, so any feasible set (the empty one included) is optimal.
    return plan([], { provenOptimal: true, gapPercent: 0, solverStatus: 'No bid adds value', source: 'trivial' });
  }
  if (fits(model, allocations)) {
    // Every bid worth something fits at once: no set is worth more than all of them, so no solver is needed.
    return plan(model, { provenOptimal: true, gapPercent: 0, solverStatus: 'Every bid fits', source: 'trivial' });
  }

  let outcome: SolverOutcome;
  try {
    outcome = await solveOnWorker({
      problem: knapsackProblem(
        model.map((c) => valueOf.get(c)!),
        model.map((c) => c.esf),
        allocations,
      ),
      timeLimitSeconds: timeLimit,
      relativeGap,
    });
  } catch (error) {
    // The greedy plan is still a sound plan; the status says why it stands in for the optimal one.
    const message = error instanceof Error ? error.message : String(error);
    return plan(greedy, {
      provenOptimal: false,
      gapPercent: null,
      solverStatus: `Solver failed: ${message}`,
      source: 'greedy',
    });
  }

  const ceiling = provenCeiling(outcome.dualBound);
  // The bound proves a plan optimal when the plan reaches its whole-number ceiling.
  const reachesBound = (value: bigint) => ceiling !== null && value >= ceiling;

  const solverSet = outcome.chosen === null ? null : orderByRank(outcome.chosen.map((j) => model[j]), candidates);
  const solverValue = solverSet === null ? null : total(solverSet);
  if (solverSet !== null && solverValue !== null && fits(solverSet, allocations) && solverValue >= greedyValue) {
    // The solver's 'Optimal' is a proof only when it was asked for a zero gap; with a gap above 0 it means "within
    // the gap", and only the bound can prove more.
    const proven = (relativeGap === 0 && outcome.optimal) || reachesBound(solverValue);
    return plan(solverSet, {
      provenOptimal: proven,
      gapPercent: proven ? 0 : gapPercentOf(ceiling, solverValue),
      solverStatus:
        outcome.optimal && !proven ? withinGapStatus(relativeGap) : outcome.status,
      source: 'solver',
    });
  }
  // The solver's set failed the exact check or did no better than greedy: only the bound can prove anything.
  const proven = reachesBound(greedyValue);
  return plan(greedy, {
    provenOptimal: proven,
    gapPercent: proven ? 0 : gapPercentOf(ceiling, greedyValue),
    solverStatus:
      outcome.optimal && !proven
        ? relativeGap > 0
          ? withinGapStatus(relativeGap)
          : `${outcome.status} to the solver, but its plan failed the exact re-check`
        : outcome.status,
    source: 'greedy',
  });
}

const WITHIN_GAP = 'Stopped within the relative gap of';

/** The status of a plan the solver ended within the relative gap it was given, unproven. */
function withinGapStatus(relativeGap: number): string {
  return `${WITHIN_GAP} ${percent(relativeGap)}`;
}

/**
 * Whether solving the same bids again with the same options could not do better, so the plan may be kept: it
 * is proven; or the solver ended within the relative gap it was given, by its own measure (the plan's
 * `gapPercent` is measured against the objective and rounded up, so it can show 0.02% for a solve HiGHS ended
 * within 0.01%); or, cut short by the time limit, it is already within that gap. Not after a failure, or a time
 * limit further from the bound.
 */
export function solvedAsFarAsAsked(plan: OptimalFundingPlan, relativeGap: number): boolean {
  if (plan.provenOptimal || plan.solverStatus.startsWith(WITHIN_GAP)) return true;
  return relativeGap > 0 && plan.gapPercent !== null && plan.gapPercent <= relativeGap * 100;
}

/** A fraction as a percentage for people: 0.0001 → "0.01%". */
function percent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(6))}%`;
}

function orderByRank(set: readonly Candidate[], candidates: readonly Candidate[]): Candidate[] {
  const chosen = new Set(set);
  return candidates.filter((c) => chosen.has(c));
}

// ---------------------------------------------------------------------------------------------------------------
// Difference

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
