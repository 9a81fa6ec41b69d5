/** Queries for an organisation's members, a funder's staff and invitations. */
import type { Knex } from 'knex';
import { Funder, Invitation, Organisation, User, type OrganisationRole } from '../models/identity.ts';

type Db = Knex | Knex.Transaction;

/** An organisation with the people who belong to it, admins first, then by name. */
export async function organisationWithMembers(
  db: Db,
  organisationId: string,
): Promise<{ organisation: Organisation; members: User[] } | undefined> {
  const organisation = await Organisation.query(db).findById(organisationId);
  if (!organisation) return undefined;
  const members = await User.query(db)
    .where({ organisationId })
    .orderByRaw(`organisation_role = 'admin' desc, name, id`);
  return { organisation, members };
}

/** Locks an organisation's row: whoever changes its members holds it, so two removals never both pass the check. */
export async function lockOrganisation(trx: Knex.Transaction, organisationId: string): Promise<void> {
  await trx('organisations').where({ id: organisationId }).forUpdate().first('id');
}

/** A member of the organisation by user id, if they belong to it. */
export async function findMember(db: Db, organisationId: string, userId: string): Promise<User | undefined> {
  return User.query(db).where({ id: userId, organisationId }).first();
}

/** How many admins the organisation has. */
export async function adminCount(db: Db, organisationId: string): Promise<number> {
  const row = await db('users').where({ organisationId, organisationRole: 'admin' }).count<{ count: string }>().first();
  return Number(row?.count ?? 0);
}

/** Takes a person out of their organisation; their account stays, belonging to none. */
export async function leaveOrganisation(trx: Knex.Transaction, userId: string): Promise<void> {
  await trx('users')
    .where({ id: userId })
    .update({ organisationId: null, organisationRole: null, updatedAt: new Date() });
}

/** Puts a person who belongs to no organisation into one, with a role. */
export async function joinOrganisation(
  trx: Knex.Transaction,
  userId: string,
  organisationId: string,
  organisationRole: OrganisationRole,
): Promise<void> {
  await trx('users')
    .where({ id: userId, organisationId: null })
    .update({ organisationId, organisationRole, updatedAt: new Date() });
}

/** A user by e-mail, compared without regard to case. */
export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  return User.query(db).whereRaw('lower(email) = lower(?)', [email]).first();
}

/** A user by id. */
export async function findUser(db: Db, id: string): Promise<User | undefined> {
  return User.query(db).findById(id);
}

/** An organisation by id. */
export async function findOrganisation(db: Db, id: string): Promise<Organisation | undefined> {
  return Organisation.query(db).findById(id);
}

/** A funder by id. */
export async function findFunder(db: Db, id: string): Promise<Funder | undefined> {
  return Funder.query(db).findById(id);
}

/** A funder's officers and appraisers, officers first, then by name. */
export async function staffOf(db: Db, funderId: string): Promise<User[]> {
  return User.query(db).where({ funderId }).orderByRaw(`role = 'officer' desc, name, id`);
}

export type NewInvitation = Pick<
  Invitation,
  | 'kind'
  | 'email'
  | 'role'
  | 'name'
  | 'organisationId'
  | 'funderId'
  | 'bidId'
  | 'partnerId'
  | 'invitedBy'
  | 'tokenHash'
  | 'expiresAt'
>;

/** Adds an invitation. */
export async function insertInvitation(trx: Knex.Transaction, invitation: NewInvitation): Promise<Invitation> {
  return Invitation.query(trx).insert(invitation);
}

/**
 * Marks as revoked the unaccepted invitations to the same thing as `invitation`: to the same address for an
 * organisation or a funder's staff; whatever the address for a bid's partner row (it has one invitation at a time).
 */
export async function revokeEarlier(
  trx: Knex.Transaction,
  invitation: Pick<NewInvitation, 'kind' | 'email' | 'organisationId' | 'funderId' | 'bidId' | 'partnerId'>,
  at: Date,
): Promise<void> {
  const query = trx('invitations')
    .where({ kind: invitation.kind, acceptedAt: null, revokedAt: null })
    .update({ revokedAt: at, updatedAt: at });
  if (invitation.kind === 'partner') query.where({ bidId: invitation.bidId, partnerId: invitation.partnerId });
  else {
    query.whereRaw('lower(email) = lower(?)', [invitation.email]);
    if (invitation.kind === 'organisation') query.where({ organisationId: invitation.organisationId });
    else query.where({ funderId: invitation.funderId });
  }
  await query;
}

/** The invitation whose token has this hash, locked for the transaction when `lock` is given. */
export async function findInvitationByHash(db: Db, tokenHash: string, lock = false): Promise<Invitation | undefined> {
  const query = Invitation.query(db).where({ tokenHash }).first();
  if (lock) query.forUpdate();
  return query;
}

/** Marks an invitation used by the person who accepted it. */
export async function markAccepted(trx: Knex.Transaction, id: string, userId: string, at: Date): Promise<void> {
  await trx('invitations').where({ id }).update({ acceptedAt: at, acceptedBy: userId, updatedAt: at });
}

/** The invitations still waiting to be accepted, to an organisation or a funder's staff, soonest to expire first. */
export async function pendingInvitations(
  db: Db,
  to: { organisationId: string } | { funderId: string },
  now: Date,
): Promise<Invitation[]> {
  const kind = 'organisationId' in to ? 'organisation' : 'staff';
  return Invitation.query(db)
    .where({ kind, ...to, acceptedAt: null, revokedAt: null })
    .where('expiresAt', '>', now)
    .orderBy([{ column: 'expiresAt' }, { column: 'id' }]);
}
