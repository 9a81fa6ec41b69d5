/**
 * The appraisal workbook figure on its own, for working on the workbook without the whole benchmark: builds the
 * synthetic call (BENCH_BIDS, 2,000) and solves its funding plan (as the summary figure has by then in the
 * benchmark, so the download finds it kept); then, as `workbookFigure` in run.ts does, starts a fresh server
 * process, downloads the workbook WORKBOOK_RUNS times (2) and prints each download's time and the server's peak
 * RSS over them all. With WORKBOOK_BASELINE=1 it also runs bench/excelBaseline.ts on the workbook and prints the
 * ratio of the last download to it. WORKBOOK_NODE_OPTIONS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") go to the
 * server process; WORKBOOK_SERVER, the path of another checkout's bench/server.ts, runs that checkout's server
 * against the same database, for figures before and after a change. With WORKBOOK_WATCH=1, after each round it
 * waits for a line on stdin and runs another round with a fresh server, so edits to the code are picked up (a
 * line "env NAME=value …" sets variables first); end stdin to stop.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../server/config.ts';
import { findCall } from '../server/calls/repository.ts';
import { appraiseCall } from '../server/appraisal/summary.ts';
import { BENCH_PASSWORD, BenchClock, buildWorld, type World } from './build.ts';
import { startBenchDatabase, type BenchDatabase } from './database.ts';
import { signIn, timedGet } from './load.ts';
import { startServer } from './serverProcess.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIDS = Number(process.env.BENCH_BIDS ?? 2000);
const runs = () => Number(process.env.WORKBOOK_RUNS ?? 2);

function baseline(file: string): Promise<{ seconds: number; rows: number; maxRssKb: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(here, 'excelBaseline.ts'), [], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      env: { ...process.env, BENCH_XLSX_FILE: file },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: { seconds: number; rows: number; maxRssKb: number } | undefined;
    child.on('message', (message: { type: string; seconds: number; rows: number; maxRssKb: number }) => {
      if (message.type === 'result') result = message;
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      result ? resolve(result) : reject(new Error(`excelBaseline.ts exited with ${code}`)),
    );
  });
}

// Signed in once: sessions live in the database, so every round's server knows it, and sign-ins are rate limited.
let cookie: string | undefined;

async function round(db: BenchDatabase, world: World, tmp: string): Promise<void> {
  const nodeOptions = (process.env.WORKBOOK_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const script = process.env.WORKBOOK_SERVER ? path.relative(here, process.env.WORKBOOK_SERVER) : 'server.ts';
  const server = await startServer({ BENCH_MODE: 'app', BENCH_DATABASE_URL: db.url }, script, nodeOptions);
  const file = path.join(tmp, 'appraisal.xlsx');
  const seconds: number[] = [];
  try {
    cookie ??= await signIn(server.port, world.officer.email, BENCH_PASSWORD);
    const rssBeforeKb = await server.rssKb();
    const url = `/api/v1/calls/${world.appraisalCall.id}/appraisal.xlsx`;
    for (let i = 0; i < runs(); i++) {
      const run = await timedGet(server.port, url, cookie, i === 0 ? file : undefined);
      if (run.status !== 200) throw new Error(`The workbook answered ${run.status}`);
      seconds.push(run.seconds);
      const peakMb = Math.round((await server.peakRssKb()) / 1024);
      console.log(
        `  download ${i + 1}: ${run.seconds.toFixed(2)} s (headers ${run.headersSeconds.toFixed(2)} s), ${(run.bytes / 1e6).toFixed(2)} MB, peak RSS so far ${peakMb} MB`,
      );
    }
    console.log(
      `last ${seconds[seconds.length - 1].toFixed(2)} s, peak RSS ${Math.round((await server.peakRssKb()) / 1024)} MB (${Math.round(rssBeforeKb / 1024)} MB before); load average ${os.loadavg()[0].toFixed(1)}`,
    );
  } finally {
    await server.stop();
  }
  if (process.env.WORKBOOK_BASELINE === '1') {
    const b = await baseline(file);
    console.log(
      `baseline ${b.seconds.toFixed(2)} s for ${b.rows} rows: ratio ${(seconds[seconds.length - 1] / b.seconds).toFixed(2)}×`,
    );
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fundingcalls-workbook-'));
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
  // The plan is solved and kept here, as the summary figure has before the workbook figure in the benchmark; a
  // solve cut short by the time limit (on a busy machine) is not kept, so it is tried again.
  const call = (await findCall(db.knex, world.appraisalCall.id))!;
  for (let tries = 0; tries < 3 && !(await db.knex('fundingPlanCache').where({ callId: call.id }).first()); tries++) {
    await appraiseCall(db.knex, call, { planCache: db.knex });
  }
  console.log(`Built ${BIDS} bids in ${((performance.now() - b0) / 1000).toFixed(1)} s; database ${db.url}`);
  await round(db, world, tmp);
  if (process.env.WORKBOOK_WATCH === '1') {
    for await (const line of readline.createInterface({ input: process.stdin })) {
      if (line.trim().startsWith('env ')) {
        // "env NAME=value …" sets variables for the following rounds.
        for (const pair of line
          .trim()
          .slice(4)
          .split(/\s+(?=\w+=)/)) {
          const at = pair.indexOf('=');
          process.env[pair.slice(0, at)] = pair.slice(at + 1);
        }
      }
      // A failed round (say, the code being edited did not compile) leaves the database for the next one.
      await round(db, world, tmp).catch((error: unknown) => console.error(error));
    }
  }
} finally {
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
