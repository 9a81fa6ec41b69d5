import type { Knex } from 'knex';

/**
 * Organisations have members: each applicant is its organisation's `admin` or `member`, and everyone who already
 * belongs to one (each registered their own) becomes its admin. A person belongs to at most one organisation,
 * so the role is a column beside `organisation_id`; an applicant removed from theirs keeps the account with
 * neither, and may join another by invitation.
 *
 * Each audit event keeps the organisation its actor acted for when it was written, so the organisation's own
 * events on a bid stay its own after the person who made them has left (read by bidAudit).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.text('organisation_role').checkIn(['admin', 'member']);
  });
  await knex.raw(`update users set organisation_role = 'admin' where organisation_id is not null`);
  await knex.raw('alter table users drop constraint users_role_membership');
  await knex.raw(`alter table users add constraint users_role_membership check (
    (role = 'applicant' and funder_id is null and (organisation_id is null) = (organisation_role is null)) or
    (role in ('officer', 'appraiser') and funder_id is not null and organisation_id is null
      and organisation_role is null))`);

  await knex.schema.alterTable('audit_events', (t) => {
    t.uuid('actor_organisation_id').references('organisations.id').onDelete('RESTRICT');
    t.index(['actor_organisation_id']);
  });
  // The trail is append-only (a trigger refuses updates), so the old events get their organisation with the
  // trigger set aside for this one statement, inside the migration's transaction.
  await knex.raw('alter table audit_events disable trigger audit_events_no_change');
  await knex.raw(`update audit_events e set actor_organisation_id = u.organisation_id
    from users u where u.id = e.actor_id and u.organisation_id is not null`);
  await knex.raw('alter table audit_events enable trigger audit_events_no_change');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_events', (t) => {
    t.dropColumn('actor_organisation_id');
  });
  await knex.raw('alter table users drop constraint users_role_membership');
  await knex.raw(`delete from users where role = 'applicant' and organisation_id is null`);
  await knex.raw(`alter table users add constraint users_role_membership check (
    (role = 'applicant' and organisation_id is not null and funder_id is null) or
    (role in ('officer', 'appraiser') and funder_id is not null and organisation_id is null))`);
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('organisation_role');
  });
}
