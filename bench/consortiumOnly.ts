/**
 * The consortium editing figure on its own (bench/consortium.ts): a small world (the figure needs only the open
 * call), the 10-partner bid, the server process as run.ts starts it, CONSORTIUM_SECONDS (8) of edits.
 */
import { loadConfig } from '../server/config.ts';
import { BenchClock, buildWorld } from './build.ts';
import { buildConsortium, consortiumFigure } from './consortium.ts';
import { startBenchDatabase } from './database.ts';
import { machine, printFigure } from './figures.ts';
import { startServer } from './serverProcess.ts';

const host = machine();
const db = await startBenchDatabase();
try {
  const clock = new BenchClock();
  const ctx = { knex: db.knex, clock, config: loadConfig({}) };
  const world = await buildWorld(ctx, clock, {
    bids: 30,
    httpDrafts: 0,
    baselineDrafts: 0,
    submitters: 1,
    concurrency: 8,
    log: () => {},
  });
  const consortium = await buildConsortium(ctx, world);
  const server = await startServer({ BENCH_MODE: 'app', BENCH_DATABASE_URL: db.url });
  try {
    const figure = await consortiumFigure(server.port, consortium, Number(process.env.CONSORTIUM_SECONDS ?? 8));
    console.log(`Load average at start ${host.loadAverageAtStart.join(' ')}`);
    printFigure(figure);
  } finally {
    await server.stop();
  }
} finally {
  await db.close();
}
