/**
 * The appraisal summary figure on its own, for working on `GET /api/v1/calls/:id/appraisal` without the whole
 * benchmark: builds the synthetic call (BENCH_BIDS, 2,000) and solves and keeps its funding plan (as the summary
 * figure's first read does in the benchmark); then starts a fresh server process, reads the summary SUMMARY_RUNS
 * times (5) after one read to warm it, and prints each time, their median, the baseline (bench/summaryBaseline.ts)
 * and the ratio. SUMMARY_SAVE=file writes the last answer there, so answers before and after a change can be
 * compared byte for byte. SUMMARY_NODE_OPTIONS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") go to the server
 * process. With SUMMARY_WATCH=1, after each round it waits for a line on stdin and runs another round with a fresh
 * server, so edits to the code are picked up (a line "save FILE" saves that round's answer there); end stdin
 * to stop.
 */
import os from 'node:os';
import readline from 'node:readline';
import { loadConfig } from '../server/config.ts';
import { findCall } from '../server/calls/repository.ts';
import { appraiseCall } from '../server/appraisal/summary.ts';
import { BENCH_PASSWORD, BenchClock, buildWorld, type World } from './build.ts';
import { startBenchDatabase, type BenchDatabase } from './database.ts';
import { signIn, timedGet } from './load.ts';
import { cpuTicks, postgresTicks, postmasterOf } from './cpu.ts';
import { startServer } from './serverProcess.ts';
import { summaryBaseline } from './summaryBaseline.ts';

const BIDS = Number(process.env.BENCH_BIDS ?? 2000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

// Signed in once: sessions live in the database, so every round's server knows it, and sign-ins are rate limited.
let cookie: string | undefined;

async function round(db: BenchDatabase, world: World): Promise<void> {
  const nodeOptions = (process.env.SUMMARY_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const server = await startServer({ BENCH_MODE: 'app', BENCH_DATABASE_URL: db.url }, 'server.ts', nodeOptions);
  const seconds: number[] = [];
  try {
    cookie ??= await signIn(server.port, world.officer.email, BENCH_PASSWORD);
    const url = `/api/v1/calls/${world.appraisalCall.id}/appraisal`;
    const runs = Number(process.env.SUMMARY_RUNS ?? 5);
    for (let i = 0; i <= runs; i++) {
      const last = i === runs;
      const [server0, postgres0] = [cpuTicks(server.pid), postgresTicks(postmasterOf(db.dataDir))];
      const run = await timedGet(server.port, url, cookie, last ? process.env.SUMMARY_SAVE : undefined);
      const serverCpu = (cpuTicks(server.pid) - server0) / 100;
      const postgresCpu = (postgresTicks(postmasterOf(db.dataDir)) - postgres0) / 100;
      if (run.status !== 200) throw new Error(`The summary answered ${run.status}`);
      if (i > 0) seconds.push(run.seconds);
      const which = i === 0 ? 'to warm' : String(i);
      const took =
        `${run.seconds.toFixed(3)} s (headers ${run.headersSeconds.toFixed(3)} s; CPU: server ` +
        `${serverCpu.toFixed(2)} s, PostgreSQL ${postgresCpu.toFixed(2)} s)`;
      console.log(`  read ${which}: ${took}, ${(run.bytes / 1e6).toFixed(2)} MB`);
    }
  } finally {
    await server.stop();
  }
  const baseline = await summaryBaseline(db.url, world.appraisalCall.id);
  const m = median(seconds);
  const baselineRuns = baseline.runs.map((s) => s.toFixed(3)).join(', ');
  const rows = JSON.stringify(baseline.rows);
  console.log(`median ${m.toFixed(3)} s; baseline ${baseline.seconds.toFixed(3)} s (${baselineRuns}; rows ${rows})`);
  console.log(`ratio ${(m / baseline.seconds).toFixed(2)}×; load average ${os.loadavg()[0].toFixed(1)}`);
}

const db = await startBenchDatabase();
try {
  const clock = new BenchClock();
  const ctx = { knex: db.knex, clock, config: loadConfig({}) };
  const b0 = performance.now();
  const world = await buildWorld(ctx, clock, {
    bids: BIDS,
    httpDrafts: 20,
    baselineDrafts: 0,
    submitters: 2,
    concurrency: 8,
    log: () => {},
  });
  // A solve cut short by the time limit (on a busy machine) is not kept, so it is tried again.
  const call = (await findCall(db.knex, world.appraisalCall.id))!;
  for (let tries = 0; tries < 3 && !(await db.knex('fundingPlanCache').where({ callId: call.id }).first()); tries++) {
    await appraiseCall(db.knex, call, { planCache: db.knex });
  }
  console.log(`Built ${BIDS} bids in ${((performance.now() - b0) / 1000).toFixed(1)} s; database ${db.url}`);
  await round(db, world);
  if (process.env.SUMMARY_WATCH === '1') {
    for await (const line of readline.createInterface({ input: process.stdin })) {
      if (line.trim().startsWith('save ')) process.env.SUMMARY_SAVE = line.trim().slice(5);
      // A failed round (say, the code being edited did not compile) leaves the database for the next one.
      await round(db, world).catch((error: unknown) => console.error(error));
    }
  }
} finally {
  await db.close();
}
