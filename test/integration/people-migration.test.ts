/**
 * The organisation-roles migration on a database that already has people: every applicant becomes the admin of
 * the organisation they registered, and the audit events they wrote stay their organisation's.
 */
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import { knexSnakeCaseMappers } from 'objection';
import { migrateToLatest } from '../../server/db/database.ts';
import { testDatabase } from '../support/database.ts';

const MIGRATION = '20261202110000_add-organisation-roles.ts';

describe('migration: organisation roles', () => {
  const name = `people_migration_${process.pid}`;
  let knex: Knex | undefined;

  before(async () => {
    await testDatabase().knex.raw(`create database ${name}`);
    const url = new URL(testDatabase().url);
    url.pathname = `/${name}`;
    knex = knexFactory({ client: 'pg', connection: url.toString(), ...knexSnakeCaseMappers() });
  });

  after(async () => {
    await knex?.destroy();
    await testDatabase().knex.raw(`drop database if exists ${name}`);
  });

  it('makes each existing applicant the admin of their organisation, and keeps their events its own', async () => {
    const db = knex!;
    const source = { directory: 'migrations', loadExtensions: ['.ts'] };
    // Up to the migration before this one, as a database made before it would be.
    for (;;) {
      const [, pending] = (await db.migrate.list(source)) as [unknown[], { file: string }[]];
      if (pending.length === 0 || pending[0].file >= MIGRATION) break;
      await db.migrate.up(source);
    }
    const [organisation] = await db('organisations').insert({ name: 'Old Org', type: 'vcs' }).returning('id');
    const [funder] = await db('funders').insert({ name: 'Old Funder' }).returning('id');
    const [applicant] = await db('users')
      .insert({
        email: 'old@org.example',
        passwordHash: 'x',
        name: 'Old',
        role: 'applicant',
        organisationId: organisation.id,
      })
      .returning('id');
    const [officer] = await db('users')
      .insert({ email: 'off@lep.example', passwordHash: 'x', name: 'Off', role: 'officer', funderId: funder.id })
      .returning('id');
    await db('audit_events').insert([
      { actorId: applicant.id, action: 'bid.created' },
      { actorId: officer.id, action: 'call.created' },
      { actorId: null, action: 'system' },
    ]);

    await migrateToLatest(db);

    const users = await db('users').orderBy('email').select('email', 'organisationRole');
    expect(users).to.deep.equal([
      { email: 'off@lep.example', organisationRole: null },
      { email: 'old@org.example', organisationRole: 'admin' },
    ]);
    const events = await db('audit_events').orderBy('id').select('action', 'actorOrganisationId');
    expect(events).to.deep.equal([
      { action: 'bid.created', actorOrganisationId: organisation.id },
      { action: 'call.created', actorOrganisationId: null },
      { action: 'system', actorOrganisationId: null },
    ]);
    // The trail is append-only again once the migration is done.
    let refused: unknown;
    await db('audit_events')
      .update({ action: 'changed' })
      .catch((error: unknown) => (refused = error));
    expect(String(refused)).to.match(/append-only/);
  });
});
