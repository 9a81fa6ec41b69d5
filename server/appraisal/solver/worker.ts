/**
 * The funding plan's solvers in a worker thread: they solve synchronously, and on the main thread a 5-second
 * solve would stall every request the process serves, /healthz included. Here it stalls only this thread.
 *
 * The worker knows nothing about bids: it is given a 0/1 knapsack programme (whole values, one row of whole weights and
 * a capacity per priority) and options, and answers with a status, the chosen items and a proven bound. Asked for
 * proven optimality (relative gap 0), it first runs the exact search (knapsackSearch.ts), which proves a call of real
 * size in a fraction of the time HiGHS takes; only if that search runs out of its share of the time does HiGHS
 * (WebAssembly, via the `highs` package) get the rest, and the better plan and tighter bound of the two are answered.
 * Asked for a gap above 0 (the largest calls), the search stops once its plan is within that gap of its proven bound,
 * which on 1,900 bids it reaches faster than HiGHS; HiGHS again gets the rest. Everything that must be exact for
 * the caller (feasibility, the objective, the comparison with greedy, what may be called optimal) is checked again
 * by the caller, `appraisal/plan/optimal.ts`; `thread.ts` starts, reuses, queues for and restarts this worker.
 *
 * It does its work only when loaded as the solver's worker (`workerData.role` says so). Imported elsewhere, for
 * its types and role name, it does nothing and does not even load HiGHS.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Highs } from 'highs';
import { exactlySearchable, solveKnapsack, type KnapsackProblem } from './knapsackSearch.ts';

export const SOLVER_WORKER_ROLE = 'funding-plan-solver';

export interface SolveRequest {
  id: number;
  /** The programme: maximise Σ values of the chosen items within every row's capacity. */
  problem: KnapsackProblem;
  timeLimitSeconds: number;
  /** HiGHS's mip_rel_gap: 0 to run until optimality is proven. */
  relativeGap: number;
}

export interface SolverOutcome {
  /**
   * 'Optimal' when the exact search finished; otherwise HiGHS's own wording for its model status ('Optimal',
   * 'Time limit reached' …).
   */
  status: string;
  /** Stopped as optimal: within `relativeGap` of the proven bound, proven only when that was 0. */
  optimal: boolean;
  /** The items of the best feasible plan found, or null when there is none. */
  chosen: number[] | null;
  /** A proven bound on the objective (an upper bound: the programme maximises), null when there is none. */
  dualBound: number | null;
  /** Which solver's plan is answered, and the exact search's node count when it ran, for measurement. */
  solvedBy: 'search' | 'highs';
  searchNodes: number | null;
}

export type SolveReply = { id: number; ok: true; outcome: SolverOutcome } | { id: number; ok: false; message: string };

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

/**
 * The share of the time limit the exact search may use before HiGHS is given the rest. It proves a call of real
 * size in well under a second; on a programme it cannot (a weak LP bound), HiGHS's cuts may do better.
 */
const SEARCH_SHARE = 0.5;

function lpTerms(terms: readonly string[]): string {
  // Short lines: CPLEX LP readers are not required to accept arbitrarily long ones.
  const lines: string[] = [];
  for (let i = 0; i < terms.length; i += 12) lines.push(terms.slice(i, i + 12).join(' + '));
  return lines.join('\n    + ');
}

/** The programme in CPLEX LP format, columns x0 … x{n-1}: the numbers are whole and safe, so printed exactly. */
export function knapsackLp(problem: KnapsackProblem): string {
  const n = problem.values.length;
  const rows = problem.rows.flatMap((row, r) => {
    const terms = row.weights.flatMap((w, j) => (w > 0 ? [`${w} x${j}`] : []));
    return terms.length > 0 ? [` p${r}: ${lpTerms(terms)} <= ${row.capacity}`] : [];
  });
  const names = Array.from({ length: n }, (_, j) => `x${j}`);
  return [
    'Maximize',
    ` obj: ${lpTerms(problem.values.map((v, j) => `${v} x${j}`))}`,
    'Subject To',
    ...(rows.length > 0 ? rows : [' p0: x0 >= 0']),
    'Binary',
    ...Array.from({ length: Math.ceil(n / 20) }, (_, k) => ' ' + names.slice(k * 20, k * 20 + 20).join(' ')),
    'End',
    '',
  ].join('\n');
}

/** HiGHS on the programme, as the worker runs it (exported for tests that hold the search to it). */
export function solveWithHighs(
  highs: Highs,
  problem: KnapsackProblem,
  timeLimitSeconds: number,
  relativeGap: number,
): SolverOutcome {
  const columns = problem.values.length;
  return highs.withModel({ format: 'lp', data: knapsackLp(problem) }, (model) => {
    model.options.set({
      output_flag: false,
      // With 0, 'Optimal' means proven, not "within 0.01%"; the caller decides what a gap above 0 proves.
      mip_rel_gap: relativeGap,
      time_limit: timeLimitSeconds,
      // Measured on random 200-bid, 3-priority calls: faster to a proof; it cannot change the optimum.
      mip_allow_cut_separation_at_nodes: false,
      // Feasibility jump hunts for a first feasible point, and here the empty plan is always one: on the
      // benchmark's 200-bid samples it only ever found one-bid plans, the search and its node count were the
      // same without it, and each solve was quicker. A heuristic: it cannot change the optimum.
      mip_heuristic_run_feasibility_jump: false,
    });
    const run = model.run();
    const status = MODEL_STATUS_NAMES[run.modelStatus] ?? `Status ${run.modelStatus}`;
    const feasible = Number(model.info.get('primal_solution_status')) === highs.constants.solutionStatus.feasible;
    let chosen: number[] | null = null;
    if (feasible) {
      const values = model.getSolution().colValue;
      chosen = [];
      for (let j = 0; j < columns; j++) if (values[model.getColByName(`x${j}`)] > 0.5) chosen.push(j);
    }
    let dualBound: number | null = null;
    try {
      const bound = Number(model.info.get('mip_dual_bound'));
      if (Number.isFinite(bound)) dualBound = bound;
    } catch {
      dualBound = null;
    }
    const optimal = run.modelStatus === highs.constants.modelStatus.optimal;
    return { status, optimal, chosen, dualBound, solvedBy: 'highs' as const, searchNodes: null };
  });
}

/**
 * The exact search first when the numbers allow it, until it proves the optimum or, with a gap above 0, its plan is
 * within that gap of its bound; HiGHS for what the search could not do in its share of the time.
 */
function solve(highs: () => Promise<Highs>, request: SolveRequest): Promise<SolverOutcome> | SolverOutcome {
  const { problem, timeLimitSeconds, relativeGap } = request;
  if (!exactlySearchable(problem)) {
    return highs().then((h) => solveWithHighs(h, problem, timeLimitSeconds, relativeGap));
  }
  const started = performance.now();
  const search = solveKnapsack(problem, {
    deadline: started + SEARCH_SHARE * timeLimitSeconds * 1000,
    relativeGap,
  });
  if (search.proven) {
    return {
      status: 'Optimal',
      optimal: true,
      chosen: search.chosen,
      dualBound: search.value,
      solvedBy: 'search',
      searchNodes: search.nodes,
    };
  }
  if (relativeGap > 0 && search.bound - search.value <= relativeGap * search.value) {
    // Within the gap asked for, by the search's own proven bound: as HiGHS's 'Optimal' under mip_rel_gap.
    return {
      status: 'Within the relative gap',
      optimal: true,
      chosen: search.chosen,
      dualBound: search.bound,
      solvedBy: 'search',
      searchNodes: search.nodes,
    };
  }
  return highs().then((h) => {
    const left = Math.max(0.001, timeLimitSeconds - (performance.now() - started) / 1000);
    const outcome = solveWithHighs(h, problem, left, relativeGap);
    const valueOf = (chosen: readonly number[]) => chosen.reduce((sum, j) => sum + problem.values[j], 0);
    const dualBound = outcome.dualBound === null ? search.bound : Math.min(outcome.dualBound, search.bound);
    const searchBetter = outcome.chosen === null || valueOf(search.chosen) > valueOf(outcome.chosen);
    return {
      ...outcome,
      dualBound,
      searchNodes: search.nodes,
      // HiGHS's 'Optimal' speaks for its own plan; a better one from the search is proven only by the bound.
      ...(searchBetter ? { chosen: search.chosen, solvedBy: 'search' as const, optimal: false } : {}),
    };
  });
}

/** The WebAssembly solver, compiled once per worker. */
export async function loadHighs(): Promise<Highs> {
  const highsModule = (await import('highs')).default;
  // The package's types describe its CommonJS build, where the loader sits under `.default`; Node's ESM build
  // makes the loader itself the default export. Accept either so the types and the runtime agree.
  const loader = ((highsModule as { default?: unknown }).default ?? highsModule) as typeof highsModule.default;
  return loader();
}

function serve(port: NonNullable<typeof parentPort>): void {
  // Compiled as the worker starts, while the caller still prepares its first request.
  const loading = loadHighs();
  // A failed load is reported on every request that needs HiGHS; the caller may then end this worker.
  loading.catch(() => undefined);
  port.on('message', (request: SolveRequest) => {
    Promise.resolve()
      .then(() => solve(() => loading, request))
      .then(
        (outcome): SolveReply => ({ id: request.id, ok: true, outcome }),
        (error: unknown): SolveReply => ({
          id: request.id,
          ok: false,
          message: error instanceof Error ? error.message : String(error),
        }),
      )
      .then((reply) => port.postMessage(reply));
  });
}

if (parentPort !== null && (workerData as { role?: unknown } | null)?.role === SOLVER_WORKER_ROLE) serve(parentPort);
