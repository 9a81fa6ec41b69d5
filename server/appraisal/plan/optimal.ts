/**
 * The optimal funding plan: the integer programme (integerProgramme.ts) solved on the solver's thread
 * (solver/thread.ts). Asked for proven optimality it is solved by an exact search built for it
 * (solver/knapsackSearch.ts), with HiGHS (WebAssembly, via the `highs` package) taking over should the search run
 * out of its share of the time; asked for a gap above 0 (the largest calls) the search stops within that gap of
 * its bound, with HiGHS again taking over if it cannot.
 *
 * Why the solvers' answers are not simply trusted: HiGHS works in floating point with tolerances, and the search
 * prices its rows in floating point. So the objective is given to them in exact integers, and afterwards the
 * chosen set is re-checked against every allocation in integer arithmetic and its objective recomputed exactly
 * here. A plan is `provenOptimal` only when a solver proved it and its set survives that check: the solver reports
 * Optimal having been asked for a zero relative gap, or its proven bound (rounded down to a whole number, as the
 * coefficients are whole) is reached by the plan's exact objective. If the solver's set (say, time-limited) is
 * worse than the greedy one, the greedy set is returned instead, proven only if the bound says so.
 *
 * The solvers run in a worker thread so that a long solve never stalls the process; everything exact above stays
 * on this side of it.
 */
import { solveOnWorker } from '../solver/thread.ts';
import type { SolverOutcome } from '../solver/worker.ts';
import { allocationsOf, buildPlan, candidatesOf, fits, type Candidate } from './candidates.ts';
import { greedySet } from './greedy.ts';
import { knapsackProblem, objectiveCoefficients } from './integerProgramme.ts';
import type { FundingPlan, OptimalFundingPlan, OptimalPlanOptions, PlanBid, PriorityAllocation } from './types.ts';

const DEFAULT_TIME_LIMIT_SECONDS = 10;

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
 * With `relativeGap` 0 (the default) the exact search, then if need be HiGHS, runs until optimality is proven or the
 * time limit is reached. Above 0 HiGHS may stop at a plan within that fraction of its bound; such a plan is
 * `provenOptimal` only if the bound itself proves it (the plan's exact objective reaches the bound's whole-number
 * ceiling), and its `gapPercent` is measured here against the bound, not taken from the option.
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
    return plan([], {
      provenOptimal: true,
      gapPercent: 0,
      solverStatus: 'No bid adds value',
      stoppedWithinGap: false,
      source: 'trivial',
    });
  }
  if (fits(model, allocations)) {
    // Every bid worth something fits at once: no set is worth more than all of them, so no solver is needed.
    return plan(model, {
      provenOptimal: true,
      gapPercent: 0,
      solverStatus: 'Every bid fits',
      stoppedWithinGap: false,
      source: 'trivial',
    });
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
      stoppedWithinGap: false,
      source: 'greedy',
    });
  }

  const ceiling = provenCeiling(outcome.dualBound);
  // The bound proves a plan optimal when the plan reaches its whole-number ceiling.
  const reachesBound = (value: bigint) => ceiling !== null && value >= ceiling;

  const solverSet =
    outcome.chosen === null
      ? null
      : orderByRank(
          outcome.chosen.map((j) => model[j]),
          candidates,
        );
  const solverValue = solverSet === null ? null : total(solverSet);
  if (solverSet !== null && solverValue !== null && fits(solverSet, allocations) && solverValue >= greedyValue) {
    // The solver's 'Optimal' is a proof only when it was asked for a zero gap; with a gap above 0 it means "within
    // the gap", and only the bound can prove more.
    const proven = (relativeGap === 0 && outcome.optimal) || reachesBound(solverValue);
    const withinGap = outcome.optimal && !proven;
    return plan(solverSet, {
      provenOptimal: proven,
      gapPercent: proven ? 0 : gapPercentOf(ceiling, solverValue),
      solverStatus: withinGap ? withinGapStatus(relativeGap) : outcome.status,
      stoppedWithinGap: withinGap,
      source: 'solver',
    });
  }
  // The solver's set failed the exact check or did no better than greedy: only the bound can prove anything.
  const proven = reachesBound(greedyValue);
  const withinGap = outcome.optimal && !proven && relativeGap > 0;
  return plan(greedy, {
    provenOptimal: proven,
    gapPercent: proven ? 0 : gapPercentOf(ceiling, greedyValue),
    solverStatus: withinGap
      ? withinGapStatus(relativeGap)
      : outcome.optimal && !proven
        ? `${outcome.status} to the solver, but its plan failed the exact re-check`
        : outcome.status,
    stoppedWithinGap: withinGap,
    source: 'greedy',
  });
}

/** The status of a plan the solver ended within the relative gap it was given, unproven. */
function withinGapStatus(relativeGap: number): string {
  return `Stopped within the relative gap of ${percent(relativeGap)}`;
}

/**
 * Whether solving the same bids again with the same options could not do better, so the plan may be kept: it
 * is proven; or the solver ended within the relative gap it was given, by its own measure (the plan's
 * `gapPercent` is measured against the objective and rounded up, so it can show 0.02% for a solve HiGHS ended
 * within 0.01%); or, cut short by the time limit, it is already within that gap. Not after a failure, or a time
 * limit further from the bound.
 */
export function solvedAsFarAsAsked(plan: OptimalFundingPlan, relativeGap: number): boolean {
  if (plan.provenOptimal || plan.stoppedWithinGap) return true;
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
