import type { Knex } from 'knex';

/**
 * Optimal funding plans already solved, keyed by the SHA-256 of exactly what was solved (the ranked bids'
 * exact scores, participants and priority ESF, the allocations, the objective and the solver policy). The same
 * input always has the same answer, so a plan is solved once rather than on every read of the appraisal.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('funding_plan_cache', (t) => {
    t.uuid('call_id').notNullable().references('calls.id').onDelete('CASCADE');
    t.string('input_sha256', 64).notNullable();
    t.jsonb('plan').notNullable();
    t.timestamp('computed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['call_id', 'input_sha256']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('funding_plan_cache');
}
