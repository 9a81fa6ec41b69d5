import type { Knex } from 'knex';

/** The append-only audit trail: who did what to which call or bid, with before and after. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_events', (t) => {
    t.bigIncrements('id');
    t.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid('actor_id').references('users.id').onDelete('RESTRICT');
    t.text('action').notNullable();
    t.uuid('call_id').references('calls.id').onDelete('RESTRICT');
    t.uuid('bid_id');
    t.jsonb('before');
    t.jsonb('after');
    t.index(['call_id']);
    t.index(['bid_id']);
    t.index(['actor_id']);
  });
  // Append-only: the database itself refuses to change or remove an event.
  await knex.raw(`
    create function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit events are append-only';
    end $$;
    create trigger audit_events_no_change before update or delete on audit_events
      for each row execute function audit_events_append_only();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_events');
  await knex.raw('drop function audit_events_append_only()');
}
