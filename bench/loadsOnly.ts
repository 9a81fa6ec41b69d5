/**
 * The HTTP load figures on their own (submissions, the call's page and API, bare Express), for work on the
 * request path without the whole benchmark. Builds a small world (the loads do not depend on the appraisal
 * call's size), starts the server process as run.ts does and prints, for each load, its rate and p99 next to the
 * CPU each request cost the server process and PostgreSQL (all its processes), read from /proc: on a machine
 * shared with other work the rates move, the CPU per request much less.
 *
 * LOADS picks and orders the loads (default "submit,api,page,bare"); LOAD_SECONDS (5) is each read's length;
 * LOAD_SUBMISSIONS (2000) the measured submissions. LOAD_NODE_OPTIONS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof")
 * go to the server process; LOAD_SERVER, the path of another checkout's bench/server.ts, runs that checkout's
 * server against the same database, for figures before and after a change.
 */
import { loadConfig } from '../server/config.ts';
import { BENCH_PASSWORD, BenchClock, buildWorld } from './build.ts';
import { startBenchDatabase } from './database.ts';
import { readLoad, signIn, submissionLoad, type LoadResult } from './load.ts';
import { cpuTicks, postgresTicks, postmasterOf } from './cpu.ts';
import { startServer, type ServerProcess } from './serverProcess.ts';

const LOADS = (process.env.LOADS ?? 'submit,api,page,bare').split(',');
const SECONDS = Number(process.env.LOAD_SECONDS ?? 5);
const SUBMISSIONS = Number(process.env.LOAD_SUBMISSIONS ?? 2000);
const WARM_UP = 200;
const CLIENTS = 20;
const CONNECTIONS = 50;

/** Runs `load`, answering its result with the server's and PostgreSQL's CPU milliseconds per successful request. */
async function measured(server: ServerProcess, postmaster: number, load: () => Promise<LoadResult>) {
  const server0 = cpuTicks(server.pid);
  const postgres0 = postgresTicks(postmaster);
  const result = await load();
  const perRequest = (ticks: number) => (ticks * 10) / Math.max(1, result.ok);
  return {
    result,
    serverMs: perRequest(cpuTicks(server.pid) - server0),
    postgresMs: perRequest(postgresTicks(postmaster) - postgres0),
  };
}

function line(name: string, { result, serverMs, postgresMs }: Awaited<ReturnType<typeof measured>>): string {
  const failed = result.failed ? `, ${result.failed} failed` : '';
  return (
    `${name.padEnd(8)} ${result.perSecond.toFixed(0).padStart(6)}/s  p50 ${result.p50Ms} ms  p99 ` +
    `${result.p99Ms} ms${failed}  | CPU a request: server ${serverMs.toFixed(2)} ms, PostgreSQL ` +
    `${postgresMs.toFixed(2)} ms`
  );
}

const db = await startBenchDatabase();
try {
  const postmaster = postmasterOf(db.dataDir);
  const clock = new BenchClock();
  const ctx = { knex: db.knex, clock, config: loadConfig({}) };
  const world = await buildWorld(ctx, clock, {
    bids: 30,
    httpDrafts: WARM_UP + SUBMISSIONS + 6 * CLIENTS,
    baselineDrafts: 10,
    submitters: CLIENTS,
    concurrency: 8,
    log: () => {},
  });
  const nodeOptions = (process.env.LOAD_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const server = await startServer(
    { BENCH_MODE: 'app', BENCH_DATABASE_URL: db.url },
    process.env.LOAD_SERVER ?? 'server.ts',
    nodeOptions,
  );
  try {
    const callPath = `/calls/${world.submissionCall.id}`;
    const apiPath = `/api/v1/calls/${world.submissionCall.id}`;
    const apiBody = await (await fetch(`http://127.0.0.1:${server.port}${apiPath}`)).text();
    for (const load of LOADS) {
      if (load === 'submit') {
        const cookies = await Promise.all(world.submitters.map((s) => signIn(server.port, s.email, BENCH_PASSWORD)));
        const warm = world.httpDrafts.slice(0, WARM_UP + 3 * CLIENTS);
        await submissionLoad(server.port, cookies, warm, CLIENTS, WARM_UP);
        const drafts = world.httpDrafts.slice(warm.length);
        console.log(
          line(
            'submit',
            await measured(server, postmaster, () =>
              submissionLoad(server.port, cookies, drafts, CLIENTS, SUBMISSIONS),
            ),
          ),
        );
      } else if (load === 'api' || load === 'page') {
        const target = load === 'api' ? apiPath : callPath;
        await readLoad(server.port, [target], CONNECTIONS, 1);
        console.log(
          line(load, await measured(server, postmaster, () => readLoad(server.port, [target], CONNECTIONS, SECONDS))),
        );
      } else if (load === 'bare') {
        const bare = await startServer({ BENCH_MODE: 'bare', BENCH_FIXED_BODY: apiBody }, 'server.ts', nodeOptions);
        try {
          await readLoad(bare.port, ['/fixed'], CONNECTIONS, 1);
          console.log(
            line('bare', await measured(bare, postmaster, () => readLoad(bare.port, ['/fixed'], CONNECTIONS, SECONDS))),
          );
        } finally {
          await bare.stop();
        }
      } else {
        throw new Error(`LOADS: unknown load "${load}" (submit, api, page, bare)`);
      }
    }
  } finally {
    await server.stop();
  }
} finally {
  await db.close();
}
