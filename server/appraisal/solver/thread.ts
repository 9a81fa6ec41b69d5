/**
 * The solvers' thread: the solvers work synchronously, so they run in a worker thread (worker.ts), one per
 * process, started on first use and reused, with requests queued and sent one at a time, and ended once it has
 * been idle for a while (`idleMillis`). It holds the process open only while it has work; if it dies (a crash, an
 * abort inside the WebAssembly, `terminateSolverWorker`) the request it was working on fails, the plan falls back
 * to greedy (appraisal/plan/optimal.ts), and the next request starts a fresh worker.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { recordSolve } from '../../metrics.ts';
import { SOLVER_WORKER_ROLE, type SolveReply, type SolveRequest, type SolverOutcome } from './worker.ts';

interface QueuedSolve {
  request: Omit<SolveRequest, 'id'>;
  resolve: (outcome: SolverOutcome) => void;
  reject: (error: Error) => void;
}

interface SolverThread {
  worker: Worker;
  /** The request being solved, if any, with its watchdog. */
  current: (QueuedSolve & { id: number; watchdog: NodeJS.Timeout; startedAt: number }) | null;
  /** Why the thread failed, when it reported an error before exiting. */
  failure: Error | null;
  /** Ends the thread once it has been idle for `idleMillis`; null while it works. */
  idleTimer: NodeJS.Timeout | null;
}

let solverThread: SolverThread | null = null;
const solveQueue: QueuedSolve[] = [];
let nextSolveId = 1;

/**
 * How long an idle solver's thread is kept. HiGHS's WebAssembly memory only grows: a process that has solved a
 * national call's plan holds that memory for as long as the thread lives, and gives most of it back when it ends.
 * Plans are cached in Postgres under their input, so solves are rare; the next one after the thread has gone pays
 * about a second to start another.
 */
let idleMillis = 60_000;

/** Sets how long an idle solver's thread is kept (tests shorten it); answers the setting it replaced. */
export function setSolverIdleMillis(millis: number): number {
  const previous = idleMillis;
  idleMillis = millis;
  return previous;
}

/**
 * Past its time limit the solver is given this much longer (reading the model, compiling the WebAssembly on a fresh
 * thread, a loaded machine) before the thread is taken to be stuck and ended.
 */
function watchdogMillis(timeLimitSeconds: number): number {
  return Math.ceil((2 * timeLimitSeconds + 30) * 1000);
}

/**
 * Where tsx's ESM API is, as a file URL, from tsx's own exports map. Neither `import.meta.resolve` (missing when
 * tsx runs this module as CommonJS, as under mocha) nor `require.resolve` (which finds the CommonJS build, whose
 * `register` then looks for its hooks in the wrong folder) will do.
 */
function tsxEsmApiUrl(): string {
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  return new URL(manifest.exports['./esm/api'].import.default, pathToFileURL(manifestPath)).href;
}

/**
 * The worker's entry for the module at `moduleUrl` (this one): worker.ts beside it, with its own extension, so
 * that a build compiled to .js (dist/) starts the compiled worker; and whether it is TypeScript, run under tsx.
 */
export function workerEntry(moduleUrl: string): { url: URL; typescript: boolean } {
  const extension = path.extname(fileURLToPath(moduleUrl));
  return { url: new URL(`./worker${extension}`, moduleUrl), typescript: extension === '.ts' || extension === '.mts' };
}

/**
 * Starts the worker. Under tsx (development, tests, `npm start`) the worker must register tsx itself: tsx's
 * `--import` hook installs itself in the main thread only, so an inherited `--import tsx` (or one passed in
 * `execArgv`) leaves a worker unable to load a .ts file — checked on Node 20.
 */
function startSolverThread(): SolverThread {
  const { url: entry, typescript } = workerEntry(import.meta.url);
  const workerData = { role: SOLVER_WORKER_ROLE };
  const worker = typescript
    ? new Worker(
        `import(${JSON.stringify(tsxEsmApiUrl())})` +
          `.then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`,
        { eval: true, workerData },
      )
    : new Worker(entry, { workerData });
  const thread: SolverThread = { worker, current: null, failure: null, idleTimer: null };
  worker.unref();
  worker.on('message', (reply: SolveReply) => {
    const current = thread.current;
    if (current === null || current.id !== reply.id) return;
    finishCurrent(thread);
    recordSolve(current.startedAt, reply.ok);
    if (reply.ok) {
      current.resolve(reply.outcome);
    } else {
      // An error inside the WebAssembly may leave it unusable: the next request gets a fresh thread.
      void retireSolverThread(thread);
      current.reject(new Error(reply.message));
    }
    pumpSolveQueue();
  });
  worker.on('error', (error) => {
    thread.failure = error;
  });
  worker.on('exit', (code) => {
    if (solverThread === thread) solverThread = null;
    const current = thread.current;
    if (current !== null) {
      finishCurrent(thread);
      recordSolve(current.startedAt, false);
      const why = thread.failure?.message ?? `exit code ${code}`;
      current.reject(new Error(`The solver's thread stopped (${why})`));
    }
    pumpSolveQueue();
  });
  return thread;
}

function finishCurrent(thread: SolverThread): void {
  if (thread.current !== null) clearTimeout(thread.current.watchdog);
  thread.current = null;
  // Idle, it must not keep the process alive.
  thread.worker.unref();
}

/** Stops using a thread and ends it; its 'exit' fails whatever it was still working on. */
function retireSolverThread(thread: SolverThread): Promise<number> {
  if (solverThread === thread) solverThread = null;
  if (thread.idleTimer !== null) clearTimeout(thread.idleTimer);
  return thread.worker.terminate();
}

function pumpSolveQueue(): void {
  if (solverThread?.current != null) return;
  const next = solveQueue.shift();
  if (next === undefined) {
    if (solverThread !== null) retireWhenIdle(solverThread);
    return;
  }
  const thread = (solverThread ??= startSolverThread());
  if (thread.idleTimer !== null) clearTimeout(thread.idleTimer);
  thread.idleTimer = null;
  const id = nextSolveId++;
  const watchdog = setTimeout(() => {
    thread.failure = new Error(`no answer within ${watchdogMillis(next.request.timeLimitSeconds) / 1000} s`);
    void retireSolverThread(thread);
  }, watchdogMillis(next.request.timeLimitSeconds));
  watchdog.unref();
  thread.current = { ...next, id, watchdog, startedAt: performance.now() };
  // Busy, it keeps the process alive until it answers, as an await on a main-thread solve would.
  thread.worker.ref();
  thread.worker.postMessage({ id, ...next.request } satisfies SolveRequest);
}

function retireWhenIdle(thread: SolverThread): void {
  if (thread.idleTimer !== null) clearTimeout(thread.idleTimer);
  thread.idleTimer = setTimeout(() => {
    if (solverThread === thread && thread.current === null) void retireSolverThread(thread);
  }, idleMillis);
  thread.idleTimer.unref();
}

/** Solves on the solver's thread, after any solves queued before this one. */
export function solveOnWorker(request: Omit<SolveRequest, 'id'>): Promise<SolverOutcome> {
  return new Promise((resolve, reject) => {
    solveQueue.push({ request, resolve, reject });
    pumpSolveQueue();
  });
}

/**
 * Ends the solver's thread, as a crash would: a solve in progress fails (its plan falls back to greedy) and the
 * next one starts a new thread. For tests, and for a process that wants the thread's memory back.
 */
export async function terminateSolverWorker(): Promise<void> {
  if (solverThread !== null) await retireSolverThread(solverThread);
}

/** The solver thread's id, or null when none is running: lets tests see that a thread was replaced. */
export function solverWorkerThreadId(): number | null {
  return solverThread?.worker.threadId ?? null;
}
