/**
 * The busiest requests' queries run as named prepared statements (server/db/prepared.ts): read back from
 * PostgreSQL's own list of a connection's prepared statements, on a pool of one connection.
 */
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import { knexSnakeCaseMappers } from 'objection';
import pg from 'pg';
import { createBid, submitBid } from '../../server/bids/service.ts';
import { findPublishedCallText } from '../../server/calls/repository.ts';
import { findActor } from '../../server/identity/repository.ts';
import { preparingPool } from '../../server/identity/session.ts';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anOfficer, aPublishedCall, buildTestApp, type TestApp } from '../support/app.ts';
import { testDatabase } from '../support/database.ts';

async function preparedOn(db: Knex | pg.Pool): Promise<Map<string, string>> {
  const sql = 'select name, statement from pg_prepared_statements';
  const rows = 'raw' in db ? (await db.raw(sql)).rows : (await db.query(sql)).rows;
  return new Map((rows as { name: string; statement: string }[]).map((row) => [row.name, row.statement]));
}

describe('named prepared statements', () => {
  let test: TestApp;
  let single: Knex;
  beforeEach(() => {
    test = buildTestApp();
    // Not connect(): that would bind Objection's models to this pool for every other test.
    single = knexFactory({
      client: 'pg',
      connection: testDatabase().url,
      pool: { min: 0, max: 1 },
      ...knexSnakeCaseMappers(),
    });
  });
  afterEach(async () => {
    await single.destroy();
    await test.close();
  });

  it('reads a published call and an actor through prepared statements', async () => {
    const officer = await anOfficer(test);
    const call = await aPublishedCall(officer);
    expect((await findPublishedCallText(single, call.id))?.id).to.equal(call.id);
    expect((await findActor(single, officer.actor.id))?.email).to.equal(officer.email);
    const prepared = await preparedOn(single);
    expect(prepared.get('calls.published-text')).to.match(/from calls where id = \$1/);
    expect(prepared.get('users.actor')).to.match(/from "users" where "id" = \$1/);
  });

  it('submits a bid through prepared statements, twice on the same connection', async () => {
    const officer = await anOfficer(test);
    const call = await aPublishedCall(officer);
    const applicant = await anApplicant(test);
    const ctx = { ...test.ctx, knex: single };
    for (const title of ['First', 'Second']) {
      const { bid } = await createBid(test.ctx, applicant.actor, call.id, aBidBody({ title }));
      expect((await submitBid(ctx, applicant.actor, bid.id)).version?.version).to.equal(1);
    }
    const prepared = await preparedOn(single);
    expect(prepared.get('bids.lock-with-call')).to.match(/for update of "b"/);
    expect(prepared.get('bids.record-submission')).to.match(/insert into "bid_versions"/);
  });

  it('keeps submitting on a connection that prepared its statements after a migration adds columns', async () => {
    const officer = await anOfficer(test);
    const call = await aPublishedCall(officer);
    const applicant = await anApplicant(test);
    const ctx = { ...test.ctx, knex: single };
    const submitOne = async (title: string) => {
      const { bid } = await createBid(test.ctx, applicant.actor, call.id, aBidBody({ title }));
      return (await submitBid(ctx, applicant.actor, bid.id)).version?.version;
    };
    expect(await submitOne('Before')).to.equal(1);
    const tables = ['calls', 'bids', 'attachments', 'bid_versions', 'users'];
    // A rolling deployment: another process migrates while this one keeps its prepared statements. PostgreSQL
    // refuses to run one whose result would change shape ("cached plan must not change result type").
    for (const table of tables) await test.knex.raw('alter table ?? add column added_by_migration integer', [table]);
    try {
      expect(await submitOne('After')).to.equal(1);
      expect((await findPublishedCallText(single, call.id))?.id).to.equal(call.id);
      expect((await findActor(single, applicant.actor.id))?.id).to.equal(applicant.actor.id);
    } finally {
      for (const table of tables) await test.knex.raw('alter table ?? drop column added_by_migration', [table]);
    }
  });

  it("names the session store's queries by their text", async () => {
    const pool = new pg.Pool({ connectionString: testDatabase().url, max: 1 });
    try {
      const store = preparingPool(pool);
      const read = 'select $1::text as sid';
      const other = 'select $1::int as n';
      expect((await store.query(read, ['a'])).rows[0].sid).to.equal('a');
      expect((await store.query(read, ['b'])).rows[0].sid).to.equal('b');
      expect((await store.query(other, [7])).rows[0].n).to.equal(7);
      const prepared = [...(await preparedOn(pool))].filter(([name]) => name.startsWith('sessions.'));
      expect(prepared.map(([, statement]) => statement).sort()).to.deep.equal([read, other].sort());
    } finally {
      await pool.end();
    }
  });
});
