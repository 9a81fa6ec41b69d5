/**
 * Funding plans for a call: the greedy plan (rank order, a bid is recommended if every priority it spans still has
 * room for it) and the optimal plan, an integer programme solved by HiGHS (WebAssembly, via the `highs` package).
 *
 * Why the solver's answer is not simply trusted: HiGHS works in floating point with tolerances. So the objective
 * is given to it in exact integers, each knapsack row is divided by the gcd of its coefficients (exact, and it
 * keeps numbers small), and afterwards the chosen set is re-checked against every allocation in integer
 * arithmetic and its objective recomputed exactly here. A plan is `provenOptimal` only when HiGHS reports
 * Optimal with a zero relative gap and its set survives that check; and if the solver's set (say, time-limited)
 * is worse than the greedy one, the greedy set is returned instead, unproven.
 */
import highsModule, { type Highs } from 'highs';
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
  /** True only when HiGHS proved optimality (status Optimal, mip_rel_gap 0) and its set checked out exactly. */
  provenOptimal: boolean;
  /**
   * How far the plan may be from the best possible, in %, from HiGHS's proven bound: 0 when proven, rounded
   * up to 2 dp otherwise (so a real gap never shows as 0.00); null when the solver gave no usable bound.
   */
  gapPercent: number | null;
  /** HiGHS's model status ('Optimal', 'Time limit reached' …), or why the solver was not needed or failed. */
  solverStatus: string;
  /** Where the returned set came from: the solver, or the greedy plan when the solver did no better. */
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
  /** Wall-clock limit for HiGHS; the solve blocks the thread meanwhile. Default 10 s. */
  timeLimitSeconds?: number;
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
// Optimal

// The package's types describe its CommonJS build, where the loader sits under `.default`; Node's ESM build
// makes the loader itself the default export. Accept either so the types and the runtime agree.
const highsLoader = ((highsModule as { default?: unknown }).default ?? highsModule) as typeof highsModule.default;

let highsPromise: Promise<Highs> | null = null;

/** The WebAssembly solver, compiled once per process on first use; a failed load may be retried. */
function loadSolver(): Promise<Highs> {
  const loading =
    highsPromise ??
    highsLoader().catch((error: unknown) => {
      highsPromise = null;
      throw error;
    });
  highsPromise = loading;
  return loading;
}

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

function lpTerms(terms: readonly string[]): string {
  // Short lines: CPLEX LP readers are not required to accept arbitrarily long ones.
  const lines: string[] = [];
  for (let i = 0; i < terms.length; i += 12) lines.push(terms.slice(i, i + 12).join(' + '));
  return lines.join('\n    + ');
}

/** HiGHS's own wording for its model status codes (as its legacy `solve()` reports them). */
const MODEL_STATUS_NAMES: Record<number, string> = {
  0: 'Not Set',
  1: 'Load error',
  2: 'Model error',
  3: 'Presolve error',
  4: 'Solve error',
  5: 'Postsolve error',
  6: 'Empty',
  7: 'Optimal',
  8: 'Infeasible',
  9: 'Primal infeasible or unbounded',
  10: 'Unbounded',
  11: 'Bound on objective reached',
  12: 'Target for objective reached',
  13: 'Time limit reached',
  14: 'Iteration limit reached',
  15: 'Unknown',
  16: 'Solution limit reached',
  17: 'Interrupted',
};

interface SolverOutcome {
  status: string;
  optimal: boolean;
  chosen: number[] | null;
  dualBound: number | null;
}

function solveKnapsack(
  highs: Highs,
  values: readonly bigint[],
  weights: ReadonlyMap<string, bigint>[],
  allocations: ReadonlyMap<string, bigint>,
  timeLimitSeconds: number,
): SolverOutcome {
  const n = values.length;
  const objective = lpTerms(values.map((v, j) => `${v} x${j}`));
  const rows: string[] = [];
  let r = 0;
  for (const [code, allocation] of allocations) {
    const entries = weights.map((w, j) => [j, w.get(code) ?? 0n] as const).filter(([, v]) => v > 0n);
    if (entries.length === 0) continue;
    // Dividing through by the gcd and flooring the right-hand side is exact for 0/1 variables.
    const g = entries.reduce((acc, [, v]) => gcd(acc, v), 0n);
    rows.push(` p${r++}: ${lpTerms(entries.map(([j, v]) => `${v / g} x${j}`))} <= ${allocation / g}`);
  }
  const names = Array.from({ length: n }, (_, j) => `x${j}`);
  const lp = [
    'Maximize',
    ` obj: ${objective}`,
    'Subject To',
    ...(rows.length > 0 ? rows : [' p0: x0 >= 0']),
    'Binary',
    ...Array.from({ length: Math.ceil(n / 20) }, (_, k) => ' ' + names.slice(k * 20, k * 20 + 20).join(' ')),
    'End',
    '',
  ].join('\n');

  return highs.withModel({ format: 'lp', data: lp }, (model) => {
    model.options.set({
      output_flag: false,
      // Zero relative gap: 'Optimal' must mean proven, not "within 0.01%".
      mip_rel_gap: 0,
      time_limit: timeLimitSeconds,
      // Measured on random 200-bid, 3-priority calls: 20–30% faster to a proof; it cannot change the optimum.
      mip_allow_cut_separation_at_nodes: false,
    });
    const run = model.run();
    const optimalCode = highs.constants.modelStatus.optimal;
    const status = MODEL_STATUS_NAMES[run.modelStatus] ?? `Status ${run.modelStatus}`;
    const feasible = Number(model.info.get('primal_solution_status')) === highs.constants.solutionStatus.feasible;
    let chosen: number[] | null = null;
    if (feasible) {
      const values = model.getSolution().colValue;
      chosen = [];
      for (let j = 0; j < n; j++) if (values[model.getColByName(`x${j}`)] > 0.5) chosen.push(j);
    }
    let dualBound: number | null = null;
    try {
      const bound = Number(model.info.get('mip_dual_bound'));
      if (Number.isFinite(bound)) dualBound = bound;
    } catch {
      dualBound = null;
    }
    return { status, optimal: run.modelStatus === optimalCode, chosen, dualBound };
  });
}

/** Gap in % between a proven upper bound and an exact objective, rounded up to 2 dp; null if unbounded. */
function gapPercentOf(dualBound: number | null, objective: bigint): number | null {
  if (dualBound === null) return null;
  // The optimum of an integer objective is a whole number no greater than the bound; the slack absorbs the
  // floating-point noise of a bound HiGHS computed in doubles, in the direction of a larger (safer) gap.
  const bound = BigInt(Math.floor(dualBound + Math.max(1e-6, Math.abs(dualBound) * 1e-9)));
  const gap = bound - objective;
  if (gap <= 0n) return 0;
  if (objective <= 0n) return null;
  const hundredths = (gap * 10_000n + objective - 1n) / objective;
  return Number(hundredths) / 100;
}

/**
 * The optimal plan: the set of bids maximising total weighted score (or participants) within every priority's
 * allocation, as a 0/1 integer programme solved by HiGHS; never worse than the greedy plan over the same bids.
 */
export async function optimalPlan(
  bids: readonly PlanBid[],
  priorities: readonly PriorityAllocation[],
  options: OptimalPlanOptions = {},
): Promise<OptimalFundingPlan> {
  const objective = options.objective ?? 'score';
  const timeLimit = options.timeLimitSeconds ?? DEFAULT_TIME_LIMIT_SECONDS;
  if (!(timeLimit > 0)) throw new RangeError('The time limit must be a positive number of seconds');
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

  let outcome: SolverOutcome;
  try {
    const highs = await loadSolver();
    outcome = solveKnapsack(
      highs,
      model.map((c) => valueOf.get(c)!),
      model.map((c) => c.esf),
      allocations,
      timeLimit,
    );
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

  const solverSet = outcome.chosen === null ? null : orderByRank(outcome.chosen.map((j) => model[j]), candidates);
  if (solverSet !== null && fits(solverSet, allocations) && total(solverSet) >= greedyValue) {
    const value = total(solverSet);
    const proven = outcome.optimal;
    return plan(solverSet, {
      provenOptimal: proven,
      gapPercent: proven ? 0 : gapPercentOf(outcome.dualBound, value),
      solverStatus: outcome.status,
      source: 'solver',
    });
  }
  return plan(greedy, {
    provenOptimal: false,
    gapPercent: gapPercentOf(outcome.dualBound, greedyValue),
    solverStatus: outcome.status,
    source: 'greedy',
  });
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
