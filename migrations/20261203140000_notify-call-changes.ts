import type { Knex } from 'knex';

/**
 * Every change to a call's row is announced on the channel `call_changes` (its id; `*` when the table is emptied),
 * when the change commits, to every process listening: the public call page keeps what it rendered until it hears
 * of a change, instead of reading the row on every view (server/calls/publicPage.ts). A trigger, so that no writer
 * (a service, a script, psql) can change a call without saying so.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function notify_call_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'TRUNCATE' then
        perform pg_notify('call_changes', '*');
      else
        perform pg_notify('call_changes', old.id::text);
      end if;
      return null;
    end
    $$`);
  await knex.raw(`create trigger call_changed after update or delete on calls
    for each row execute function notify_call_change()`);
  await knex.raw(`create trigger calls_emptied after truncate on calls
    for each statement execute function notify_call_change()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger calls_emptied on calls');
  await knex.raw('drop trigger call_changed on calls');
  await knex.raw('drop function notify_call_change()');
}
