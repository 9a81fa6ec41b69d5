/**
 * Root hooks for the whole run: one throwaway embedded PostgreSQL in a temporary folder on a free port
 * (or TEST_DATABASE_URL), migrated once; every test starts from empty tables.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, migrateToLatest } from '../server/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../server/db/embedded.ts';
import { freePort } from '../server/db/ports.ts';
import { setTestDatabase, truncateAll, testDatabase } from './support/database.ts';

let embedded: EmbeddedDatabase | undefined;
let dataDir: string | undefined;

before(async function () {
  this.timeout(120_000);
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundingcalls-test-'));
    fs.chmodSync(dataDir, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
    url = embedded.url;
  }
  const knex = connect(url, { max: 20 });
  await migrateToLatest(knex);
  setTestDatabase(url, knex);
});

beforeEach(async () => {
  await truncateAll();
});

after(async function () {
  this.timeout(60_000);
  await testDatabase().knex.destroy();
  await embedded?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});
