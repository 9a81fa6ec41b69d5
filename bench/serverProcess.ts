/** Starts bench/server.ts (or another bench script) in a child process and reads its memory from outside. */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(here, 'results');

export interface ServerProcess {
  port: number;
  pid: number;
  /** Peak resident set (kB) from /proc/<pid>/status VmHWM, or the child's own maxRSS where /proc has none. */
  peakRssKb(): Promise<number>;
  /** Resident set now (kB). */
  rssKb(): Promise<number>;
  /** Sends `{ type }` and resolves with the child's first answer of that type (bench/smtpSink.ts's counts). */
  ask<T>(type: string): Promise<T>;
  stop(): Promise<void>;
}

/** A /proc/<pid>/status field in kB, if this system has /proc. */
export function procStatusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const match = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function ask<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: { type: string }) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      resolve(message as T);
    };
    child.on('message', onMessage);
    child.send({ type });
  });
}

const compiled = new Map<string, string>();

/**
 * A checkout's bench/server.ts as production runs the server: compiled to JavaScript by `npm run build`'s settings
 * with bench/server.ts added (its bench/tsconfig.server.json, into its dist/), run by node with no TypeScript
 * loader; built once per run. Under tsx the same server held 163-166 MB at rest against 134-136 MB compiled
 * (2026-12-02). Undefined for a checkout from before the benchmark compiled its server: that one runs under tsx.
 */
function compiledServer(script: string): string | undefined {
  const checkout = path.resolve(path.dirname(script), '..');
  const config = path.join(checkout, 'bench', 'tsconfig.server.json');
  if (path.basename(script) !== 'server.ts' || !fs.existsSync(config)) return undefined;
  if (!compiled.has(checkout)) {
    execFileSync(path.join(here, '..', 'node_modules/.bin/tsc'), ['-p', config], { stdio: 'inherit' });
    compiled.set(checkout, path.join(checkout, 'dist', 'bench', 'server.js'));
  }
  return compiled.get(checkout);
}

/**
 * Forks a bench script with the given environment; resolves once it reports `listening`. A server.ts (this
 * checkout's or another's) runs compiled where it can be (compiledServer); any other script under tsx.
 */
export function startServer(
  env: Record<string, string>,
  script = 'server.ts',
  nodeOptions: string[] = [],
): Promise<ServerProcess> {
  // The server's log (a JSON line per request) goes to a file, as a deployment ships it, not through this
  // process to the terminal: a pipe read by the load generator's own process would tax both.
  fs.mkdirSync(RESULTS, { recursive: true });
  const log = fs.openSync(path.join(RESULTS, `server-${env.BENCH_MODE ?? 'app'}.log`), 'w');
  const js = compiledServer(path.resolve(here, script));
  const child = fork(js ?? path.resolve(here, script), [], {
    // --expose-gc as `npm start` runs the server (server/exports/releaseMemory.ts).
    execArgv: ['--expose-gc', ...(js ? [] : ['--import', 'tsx']), ...nodeOptions],
    env: { ...process.env, ...env },
    stdio: ['ignore', log, 'inherit', 'ipc'],
  });
  fs.closeSync(log);
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`bench ${script} exited with ${code} before listening`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.on('message', (message: { type: string; port?: number }) => {
      if (message.type !== 'listening') return;
      child.off('exit', onExit);
      const usage = () => ask<{ maxRssKb: number; rssBytes: number }>(child, 'usage');
      resolve({
        port: message.port!,
        pid: child.pid!,
        peakRssKb: async () => procStatusKb(child.pid!, 'VmHWM') ?? (await usage()).maxRssKb,
        rssKb: async () => procStatusKb(child.pid!, 'VmRSS') ?? Math.round((await usage()).rssBytes / 1024),
        ask: <T>(type: string) => ask<T>(child, type),
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(timer);
              done();
            });
            child.send({ type: 'stop' });
          }),
      });
    });
  });
}
