import type { Knex } from 'knex';

/**
 * Partnership offers: an organisation says, on an open call, what it would deliver, where, for whom and for about
 * how much ESF, so that applicants looking for partners can find it and invite it into their bid.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('partnership_offers', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('call_id').notNullable().references('calls.id').onDelete('RESTRICT');
    t.uuid('organisation_id').notNullable().references('organisations.id').onDelete('RESTRICT');
    t.text('summary').notNullable();
    t.text('activities').notNullable();
    t.jsonb('geography').notNullable().defaultTo('[]');
    t.jsonb('priorities').notNullable().defaultTo('[]');
    t.bigInteger('indicative_esf_pence').notNullable();
    t.text('contact_email').notNullable();
    t.uuid('created_by').notNullable().references('users.id').onDelete('RESTRICT');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['call_id', 'created_at']);
    t.index(['organisation_id']);
    t.index(['created_by']);
  });
  await knex.raw(
    'alter table partnership_offers add constraint partnership_offers_esf check (indicative_esf_pence >= 0)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('partnership_offers');
}
