import type { Knex } from 'knex';

/**
 * After the deadline: an officer's clarification questions on named sections of a submitted bid, answered by a
 * new version of kind 'clarification'; which version each score sheet was submitted on.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('clarifications', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('bid_id').notNullable().references('bids.id').onDelete('RESTRICT');
    t.text('question').notNullable();
    t.jsonb('sections').notNullable();
    t.timestamp('respond_by', { useTz: true }).notNullable();
    // The version that was appraised when the question was asked: the answer replaces fields of this one.
    t.integer('asked_on_version').notNullable();
    t.uuid('raised_by').notNullable().references('users.id').onDelete('RESTRICT');
    t.timestamp('raised_at', { useTz: true }).notNullable();
    t.text('answer');
    t.uuid('answered_by').references('users.id').onDelete('RESTRICT');
    t.timestamp('answered_at', { useTz: true });
    t.integer('answered_version');
    t.index(['bid_id']);
    t.index(['answered_by']);
    t.index(['raised_by']);
  });
  await knex.raw(`alter table clarifications add constraint clarifications_answered check (
    (answered_at is null and answer is null and answered_by is null and answered_version is null) or
    (answered_at is not null and answer is not null and answered_by is not null and answered_version is not null))`);
  await knex.raw("alter table clarifications add constraint clarifications_question check (btrim(question) <> '')");

  await knex.schema.alterTable('attachments', (t) => {
    // A file uploaded after the deadline, for the clarification that asked for it: its answer's version takes it.
    t.uuid('clarification_id').references('clarifications.id').onDelete('RESTRICT');
    t.index(['clarification_id']);
  });

  await knex.schema.alterTable('bid_versions', (t) => {
    t.text('kind').notNullable().defaultTo('submission').checkIn(['submission', 'clarification']);
  });

  await knex.schema.alterTable('score_sheets', (t) => {
    // The version the sheet was submitted on; null while a draft.
    t.integer('submitted_version');
  });
  // Sheets submitted before clarifications existed were submitted on the bid's only appraised version.
  await knex.raw(`update score_sheets s set submitted_version = b.current_version
    from bids b where b.id = s.bid_id and s.submitted_at is not null`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('score_sheets', (t) => t.dropColumn('submitted_version'));
  await knex.schema.alterTable('bid_versions', (t) => t.dropColumn('kind'));
  await knex.schema.alterTable('attachments', (t) => t.dropColumn('clarification_id'));
  await knex.schema.dropTable('clarifications');
}
