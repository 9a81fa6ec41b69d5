import type { Knex } from 'knex';

/**
 * Invitations of every kind in one table: to join an organisation (`organisation`), a funder's staff (`staff`), or
 * a bid as a delivery partner (`partner`: the bid and its partner row). Each is bound to one address, used once,
 * and expires; only the SHA-256 of its token is stored (the token itself is only in the e-mailed link).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('invitations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('kind').notNullable().checkIn(['organisation', 'staff', 'partner']);
    t.text('email').notNullable();
    t.text('role').checkIn(['admin', 'member', 'officer', 'appraiser']);
    // The name the inviter gave (staff invitations); the person may change it on acceptance.
    t.text('name');
    t.uuid('organisation_id').references('organisations.id').onDelete('RESTRICT');
    t.uuid('funder_id').references('funders.id').onDelete('RESTRICT');
    t.uuid('bid_id').references('bids.id').onDelete('RESTRICT');
    t.uuid('partner_id');
    t.uuid('invited_by').notNullable().references('users.id').onDelete('RESTRICT');
    t.text('token_hash').notNullable().unique();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('accepted_at', { useTz: true });
    t.uuid('accepted_by').references('users.id').onDelete('RESTRICT');
    // Set when a newer invitation replaces this one before it was accepted.
    t.timestamp('revoked_at', { useTz: true });
    t.timestamps(true, true);
    t.index(['organisation_id']);
    t.index(['funder_id']);
    t.index(['bid_id']);
    t.index(['invited_by']);
    t.index(['accepted_by']);
  });
  await knex.raw(`alter table invitations add constraint invitations_kind_fields check (
    (kind = 'organisation' and organisation_id is not null and role in ('admin', 'member')) or
    (kind = 'staff' and funder_id is not null and role in ('officer', 'appraiser')) or
    (kind = 'partner' and bid_id is not null and partner_id is not null))`);
  await knex.raw(`alter table invitations add constraint invitations_token_hash_sha256
    check (token_hash ~ '^[0-9a-f]{64}$')`);
  await knex.raw(`alter table invitations add constraint invitations_accepted
    check ((accepted_at is null) = (accepted_by is null))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('invitations');
}
