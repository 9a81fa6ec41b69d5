import { expect } from 'chai';
import { Model } from 'objection';
import { connect, migrateToLatest, migrationStatus } from '../../server/db/database.ts';
import { testDatabase } from '../support/database.ts';

/** A fresh, empty database on the test cluster, with its URL. */
async function freshDatabase(name: string): Promise<string> {
  const { url, knex } = testDatabase();
  await knex.raw('drop database if exists ?? with (force)', [name]);
  await knex.raw('create database ??', [name]);
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  return fresh.href;
}

describe('several processes starting at once on one database', function () {
  this.timeout(120_000);
  const name = 'concurrent_migrations';

  after(async () => {
    // connect() makes its pool the models' default: give the models back the test database's.
    Model.knex(testDatabase().knex);
    await testDatabase().knex.raw('drop database if exists ?? with (force)', [name]);
  });

  it('each migrate in turn: the first runs the migrations, the others wait for it and find nothing to do', async () => {
    const url = await freshDatabase(name);
    // As three server processes behind a load balancer, each with its own pool, started together.
    const pools = [connect(url), connect(url), connect(url)];
    try {
      const outcomes = await Promise.allSettled(pools.map((knex) => migrateToLatest(knex)));
      expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : o.status))).to.deep.equal([
        'fulfilled',
        'fulfilled',
        'fulfilled',
      ]);
      const status = await migrationStatus(pools[0]);
      expect(status.pending).to.deep.equal([]);
      // Each migration ran once.
      expect(new Set(status.completed).size).to.equal(status.completed.length);
    } finally {
      await Promise.all(pools.map((knex) => knex.destroy()));
    }
  });
});
