import type { Knex } from 'knex';

/** Funders, applicant organisations, users and the Postgres-backed session store. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('funders', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('name').notNullable().unique();
    t.timestamps(true, true);
  });

  await knex.schema.createTable('organisations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('name').notNullable();
    t.text('type').notNullable().checkIn(['vcs', 'public', 'private', 'education', 'health']);
    t.text('charity_number');
    t.text('company_number');
    t.timestamps(true, true);
  });

  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('email').notNullable();
    t.text('password_hash').notNullable();
    t.text('name').notNullable();
    t.text('role').notNullable().checkIn(['officer', 'applicant', 'appraiser']);
    t.uuid('funder_id').references('funders.id').onDelete('RESTRICT');
    t.uuid('organisation_id').references('organisations.id').onDelete('RESTRICT');
    t.timestamps(true, true);
    t.index(['funder_id']);
    t.index(['organisation_id']);
  });
  // E-mail addresses are compared without regard to case.
  await knex.raw('create unique index users_email_unique on users (lower(email))');
  // Officers and appraisers belong to a funder; applicants to an organisation.
  await knex.raw(`alter table users add constraint users_role_membership check (
    (role = 'applicant' and organisation_id is not null and funder_id is null) or
    (role in ('officer', 'appraiser') and funder_id is not null and organisation_id is null))`);

  // The table connect-pg-simple expects.
  await knex.schema.createTable('sessions', (t) => {
    t.string('sid').primary();
    t.json('sess').notNullable();
    t.timestamp('expire', { precision: 6 }).notNullable();
    t.index(['expire']);
  });

  // The table rate-limiter-flexible's Postgres store expects (sign-in throttling, shared by every process).
  await knex.schema.createTable('rate_limits', (t) => {
    t.string('key', 255).primary();
    t.integer('points').notNullable().defaultTo(0);
    t.bigInteger('expire');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limits');
  await knex.schema.dropTable('sessions');
  await knex.schema.dropTable('users');
  await knex.schema.dropTable('organisations');
  await knex.schema.dropTable('funders');
}
