/**
 * PostgreSQL restarted under load: while it is down, requests fail with 503 and a clear message and /healthz
 * says so; when it is back the same process recovers by itself, without a restart.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import type { Knex } from 'knex';
import { createApp, type App } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { systemClock } from '../../server/context.ts';
import { connect, migrateToLatest } from '../../server/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/db/embedded.ts';
import { freePort } from '../../server/db/ports.ts';

async function until<T>(attempt: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('a database outage', () => {
  let dataDir: string;
  let database: EmbeddedDatabase | undefined;
  let knex: Knex;
  let app: App;

  afterEach(async () => {
    await app?.close();
    await knex?.destroy();
    await database?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 while PostgreSQL is down and recovers by itself when it is back', async function () {
    this.timeout(120_000);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundingcalls-outage-'));
    fs.chmodSync(dataDir, 0o755);
    const port = await freePort();
    database = await startEmbeddedPostgres({ dataDir, port, persistent: true });
    knex = connect(database.url, { max: 5 });
    await migrateToLatest(knex);
    app = createApp({ knex, clock: systemClock, config: loadConfig({ NODE_ENV: 'test' }) }, database.url);
    const client = supertest(app.app);

    await client.get('/api/v1/calls').expect(200);
    await client.get('/healthz').expect(200);

    await database.stop();
    database = undefined;
    // Load during the outage: every request answered, none hangs, all with the same clear 503.
    const during = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.get(i % 2 ? '/api/v1/calls' : '/api/v1/indicators')),
    );
    expect(during.map((r) => r.status)).to.deep.equal(Array(20).fill(503));
    expect(during[0].body.error).to.deep.include({
      code: 'unavailable',
      message: 'The database is not answering; try again in a moment',
    });
    const health = await client.get('/healthz');
    expect(health.status).to.equal(503);
    expect(health.body).to.deep.equal({ status: 'unavailable', database: 'unreachable' });
    const page = await client.get('/calls');
    expect(page.status).to.equal(503);
    expect(page.text).to.contain('Sorry, the service is unavailable');

    database = await startEmbeddedPostgres({ dataDir, port, persistent: true });
    const recovered = await until(
      () => client.get('/healthz'),
      (r) => r.status === 200,
      30_000,
    );
    expect(recovered.body).to.deep.equal({ status: 'ok', database: 'ok' });
    await client.get('/api/v1/calls').expect(200);
    await client.get('/calls').expect(200);
  });
});
