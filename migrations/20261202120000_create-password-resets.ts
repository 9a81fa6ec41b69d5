import type { Knex } from 'knex';

/**
 * Password-reset links: only the SHA-256 of each link's token is kept, so a copy of the database opens no account.
 * A link is used once (`used_at`) and lasts an hour (`expires_at`); a newer request for the same person deletes
 * their older unused links, so at most the newest one works.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('password_resets', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('token_hash').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.index(['user_id']);
  });
  await knex.raw(
    `alter table password_resets add constraint password_resets_token_hash_is_sha256
       check (token_hash ~ '^[0-9a-f]{64}$')`,
  );
  await knex.raw('alter table password_resets add constraint password_resets_expiry check (expires_at > created_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('password_resets');
}
