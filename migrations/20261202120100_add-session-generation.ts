import type { Knex } from 'knex';

/**
 * Ending every session of a person. `users.session_generation` goes up by one at each reset or change of password;
 * a session records the generation it was signed in under, and one from an older generation is refused even if its
 * row comes back (the store writes a session with an upsert, so a request that was running when the rows were
 * deleted can put its row back as it ends). The index finds a person's session rows by the `userId` the store
 * keeps in `sess`, so they can be deleted at once without the store's help.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.integer('session_generation').notNullable().defaultTo(0);
  });
  await knex.raw(`create index sessions_user_id on sessions ((sess ->> 'userId'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index sessions_user_id');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('session_generation');
  });
}
