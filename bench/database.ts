/**
 * The benchmark's own throwaway PostgreSQL: embedded, in a temporary folder, on a free port; never the
 * developer's .data/. It runs with fsync on, as a real server would, so commit rates are not flattered.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { connect, migrateToLatest } from '../server/db/database.ts';
import { startEmbeddedPostgres } from '../server/db/embedded.ts';
import { freePort } from '../server/db/ports.ts';

export interface BenchDatabase {
  url: string;
  knex: Knex;
  dataDir: string;
  /** Ends the pool, stops PostgreSQL and removes the folder. */
  close(): Promise<void>;
}

/** Starts, migrates and connects; `close` leaves nothing behind. */
export async function startBenchDatabase(): Promise<BenchDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundingcalls-bench-'));
  // Run as root, the package starts PostgreSQL as an unprivileged user, who must be able to reach the folder.
  fs.chmodSync(dataDir, 0o755);
  // `persistent: true` keeps fsync on; the folder is removed by close() instead.
  const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: true });
  const knex = connect(embedded.url, { max: 20 });
  try {
    await migrateToLatest(knex);
  } catch (error) {
    await knex.destroy();
    await embedded.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  let closed = false;
  return {
    url: embedded.url,
    knex,
    dataDir,
    close: async () => {
      if (closed) return;
      closed = true;
      await knex.destroy().catch(() => {});
      await embedded.stop().catch(() => {});
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
