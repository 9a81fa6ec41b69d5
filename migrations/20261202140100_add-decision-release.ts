import type { Knex } from 'knex';

/**
 * Decisions released on purpose: the instant a call's decisions reach applicants, the officer's feedback for each
 * bid, and the reason a recorded decision was corrected.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('calls', (t) => {
    // Null: each decision shows once recorded, as before release instants existed.
    t.timestamp('release_decisions_at', { useTz: true });
    // When the release's e-mails were queued, so the sweep that queues them looks at each call once.
    t.timestamp('release_mailed_at', { useTz: true });
  });
  await knex.schema.createTable('bid_feedback', (t) => {
    t.uuid('bid_id').primary().references('bids.id').onDelete('RESTRICT');
    t.text('feedback').notNullable();
    t.uuid('written_by').notNullable().references('users.id').onDelete('RESTRICT');
    t.timestamp('written_at', { useTz: true }).notNullable();
    t.index(['written_by']);
  });
  await knex.schema.alterTable('decisions', (t) => {
    t.text('correction_reason');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('decisions', (t) => t.dropColumn('correction_reason'));
  await knex.schema.dropTable('bid_feedback');
  await knex.schema.alterTable('calls', (t) => {
    t.dropColumn('release_mailed_at');
    t.dropColumn('release_decisions_at');
  });
}
