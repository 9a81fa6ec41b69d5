/**
 * The HiGHS solver in a worker thread. HiGHS (WebAssembly) solves synchronously: on the main thread a 5-second
 * solve would stall every request the process serves, /healthz included. Here it stalls only this thread.
 *
 * The worker knows nothing about bids: it is given a 0/1 programme as CPLEX LP text (columns x0 … x{n-1}) and
 * options, and answers with HiGHS's status, the chosen columns and its proven bound. Everything that must be
 * exact (feasibility, the objective, the comparison with greedy, what may be called optimal) stays with the
 * caller, `fundingPlan.ts`, which also starts, reuses, queues for and restarts this worker.
 *
 * It does its work only when loaded as the solver's worker (`workerData.role` says so). Imported elsewhere, for
 * its types and role name, it does nothing and does not even load HiGHS.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Highs } from 'highs';

export const SOLVER_WORKER_ROLE = 'funding-plan-solver';

export interface SolveRequest {
  id: number;
  /** The programme in CPLEX LP format, its binary columns named x0 … x{columns-1}. */
  lp: string;
  columns: number;
  timeLimitSeconds: number;
  /** HiGHS's mip_rel_gap: 0 to run until optimality is proven. */
  relativeGap: number;
}

export interface SolverOutcome {
  /** HiGHS's own wording for its model status ('Optimal', 'Time limit reached' …). */
  status: string;
  /** HiGHS stopped with status Optimal: within `relativeGap` of its bound, proven only when that was 0. */
  optimal: boolean;
  /** The columns at 1 in HiGHS's best feasible solution, or null when it has none. */
  chosen: number[] | null;
  /** HiGHS's proven bound on the objective (an upper bound: the programme maximises), null when it has none. */
  dualBound: number | null;
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

function solve(highs: Highs, request: SolveRequest): SolverOutcome {
  return highs.withModel({ format: 'lp', data: request.lp }, (model) => {
    model.options.set({
      output_flag: false,
      // With 0, 'Optimal' means proven, not "within 0.01%"; the caller decides what a gap above 0 proves.
      mip_rel_gap: request.relativeGap,
      time_limit: request.timeLimitSeconds,
      // Measured on random 200-bid, 3-priority calls: 20–30% faster to a proof; it cannot change the optimum.
      mip_allow_cut_separation_at_nodes: false,
      // Feasibility jump hunts for a first feasible point, and here the empty plan is always one: on the
      // benchmark's 200-bid samples it only ever found one-bid plans, the search and its node count were the
      // same without it, and each solve took 0.15–0.3 s less. A heuristic: it cannot change the optimum.
      mip_heuristic_run_feasibility_jump: false,
    });
    const run = model.run();
    const status = MODEL_STATUS_NAMES[run.modelStatus] ?? `Status ${run.modelStatus}`;
    const feasible = Number(model.info.get('primal_solution_status')) === highs.constants.solutionStatus.feasible;
    let chosen: number[] | null = null;
    if (feasible) {
      const values = model.getSolution().colValue;
      chosen = [];
      for (let j = 0; j < request.columns; j++) if (values[model.getColByName(`x${j}`)] > 0.5) chosen.push(j);
    }
    let dualBound: number | null = null;
    try {
      const bound = Number(model.info.get('mip_dual_bound'));
      if (Number.isFinite(bound)) dualBound = bound;
    } catch {
      dualBound = null;
    }
    return { status, optimal: run.modelStatus === highs.constants.modelStatus.optimal, chosen, dualBound };
  });
}

/** The WebAssembly solver, compiled once per worker. */
async function loadHighs(): Promise<Highs> {
  const highsModule = (await import('highs')).default;
  // The package's types describe its CommonJS build, where the loader sits under `.default`; Node's ESM build
  // makes the loader itself the default export. Accept either so the types and the runtime agree.
  const loader = ((highsModule as { default?: unknown }).default ?? highsModule) as typeof highsModule.default;
  return loader();
}

function serve(port: NonNullable<typeof parentPort>): void {
  // Compiled as the worker starts, while the caller still prepares its first request.
  const loading = loadHighs();
  // A failed load is reported on every request; the caller may then end this worker and start another.
  loading.catch(() => undefined);
  port.on('message', (request: SolveRequest) => {
    loading
      .then((highs) => solve(highs, request))
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
