import type { Knex } from 'knex';

/** Calls for funding with their priorities, gap criteria and core appraisal criteria. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('calls', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('funder_id').notNullable().references('funders.id').onDelete('RESTRICT');
    t.text('reference').notNullable().unique();
    t.text('title').notNullable();
    t.text('lep_area').notNullable();
    t.text('description').notNullable();
    t.timestamp('opens_at', { useTz: true }).notNullable();
    t.timestamp('closes_at', { useTz: true }).notNullable();
    // The deadline as published, kept when an officer closes the call early.
    t.timestamp('scheduled_closes_at', { useTz: true });
    t.integer('intervention_rate_percent').notNullable();
    t.bigInteger('min_project_esf_pence').notNullable();
    t.jsonb('geography').notNullable().defaultTo('[]');
    t.jsonb('eligible_activities').notNullable().defaultTo('[]');
    // The stored stage; "closed" is also read from the clock once closes_at has passed.
    t.text('stage').notNullable().defaultTo('draft').checkIn(['draft', 'open', 'closed', 'appraisal', 'decided']);
    t.timestamp('published_at', { useTz: true });
    t.timestamps(true, true);
    t.index(['funder_id']);
    t.index(['stage', 'closes_at']);
  });
  await knex.raw(
    'alter table calls add constraint calls_rate_range check (intervention_rate_percent between 1 and 100)',
  );
  await knex.raw('alter table calls add constraint calls_floor_nonnegative check (min_project_esf_pence >= 0)');

  await knex.schema.createTable('call_priorities', (t) => {
    t.increments('id');
    t.uuid('call_id').notNullable().references('calls.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('code').notNullable();
    t.text('title').notNullable();
    t.bigInteger('allocation_pence').notNullable();
    t.jsonb('participant_indicators').notNullable().defaultTo('[]');
    t.jsonb('result_indicators').notNullable().defaultTo('[]');
    t.index(['call_id']);
  });

  await knex.schema.createTable('call_gap_criteria', (t) => {
    t.increments('id');
    t.uuid('call_id').notNullable().references('calls.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('code').notNullable();
    t.text('title').notNullable();
    t.text('guidance').notNullable();
    t.integer('weight').notNullable();
    t.index(['call_id']);
  });

  await knex.schema.createTable('call_appraisal_criteria', (t) => {
    t.increments('id');
    t.uuid('call_id').notNullable().references('calls.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('code').notNullable();
    t.text('title').notNullable();
    t.text('guidance').notNullable();
    t.integer('weight').notNullable();
    t.integer('minimum_score').notNullable().defaultTo(0);
    t.index(['call_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('call_appraisal_criteria');
  await knex.schema.dropTable('call_gap_criteria');
  await knex.schema.dropTable('call_priorities');
  await knex.schema.dropTable('calls');
}
