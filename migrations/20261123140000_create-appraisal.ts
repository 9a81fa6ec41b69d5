import type { Knex } from 'knex';

/** The appraisal: panels, conflict-of-interest declarations, appraisers' scores, moderation and decisions. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('panel_members', (t) => {
    t.uuid('call_id').notNullable().references('calls.id').onDelete('RESTRICT');
    t.uuid('appraiser_id').notNullable().references('users.id').onDelete('RESTRICT');
    t.uuid('assigned_by').notNullable().references('users.id').onDelete('RESTRICT');
    t.timestamp('assigned_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['call_id', 'appraiser_id']);
    t.index(['appraiser_id']);
  });

  await knex.schema.createTable('conflict_declarations', (t) => {
    t.uuid('bid_id').notNullable().references('bids.id').onDelete('RESTRICT');
    t.uuid('appraiser_id').notNullable().references('users.id').onDelete('RESTRICT');
    t.boolean('conflict').notNullable();
    t.text('details');
    t.timestamp('declared_at', { useTz: true }).notNullable();
    t.primary(['bid_id', 'appraiser_id']);
    t.index(['appraiser_id']);
  });

  await knex.schema.createTable('score_sheets', (t) => {
    t.uuid('bid_id').notNullable().references('bids.id').onDelete('RESTRICT');
    t.uuid('appraiser_id').notNullable().references('users.id').onDelete('RESTRICT');
    // Null while a draft; once set the sheet is final for its appraiser.
    t.timestamp('submitted_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['bid_id', 'appraiser_id']);
    t.index(['appraiser_id']);
  });

  await knex.schema.createTable('scores', (t) => {
    t.uuid('bid_id').notNullable();
    t.uuid('appraiser_id').notNullable();
    t.text('criterion').notNullable();
    t.integer('score');
    t.text('comment');
    t.primary(['bid_id', 'appraiser_id', 'criterion']);
    t.foreign(['bid_id', 'appraiser_id'])
      .references(['bid_id', 'appraiser_id'])
      .inTable('score_sheets')
      .onDelete('CASCADE');
  });
  await knex.raw('alter table scores add constraint scores_range check (score is null or score between 0 and 5)');

  await knex.schema.createTable('moderations', (t) => {
    t.uuid('bid_id').notNullable().references('bids.id').onDelete('RESTRICT');
    t.text('criterion').notNullable();
    t.integer('score').notNullable();
    t.text('rationale').notNullable();
    t.uuid('moderated_by').notNullable().references('users.id').onDelete('RESTRICT');
    t.timestamp('moderated_at', { useTz: true }).notNullable();
    t.primary(['bid_id', 'criterion']);
  });
  await knex.raw('alter table moderations add constraint moderations_range check (score between 0 and 5)');

  await knex.schema.createTable('decisions', (t) => {
    t.uuid('bid_id').primary().references('bids.id').onDelete('RESTRICT');
    t.text('decision').notNullable().checkIn(['approved', 'approved_with_conditions', 'rejected']);
    t.text('conditions');
    t.text('reason');
    t.uuid('decided_by').notNullable().references('users.id').onDelete('RESTRICT');
    t.timestamp('decided_at', { useTz: true }).notNullable();
  });
  await knex.raw(`alter table decisions add constraint decisions_explained check (
    (decision <> 'approved_with_conditions' or coalesce(btrim(conditions), '') <> '') and
    (decision <> 'rejected' or coalesce(btrim(reason), '') <> ''))`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['decisions', 'moderations', 'scores', 'score_sheets', 'conflict_declarations', 'panel_members'])
    await knex.schema.dropTable(table);
}
