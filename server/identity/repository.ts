/** Queries for funders, organisations and users. */
import type { Knex } from 'knex';
import type { Actor } from '../context.ts';
import { preparedAs } from '../db/prepared.ts';
import { Funder, Organisation, User } from '../models/identity.ts';

/** A user by e-mail, compared without regard to case. */
export async function findUserByEmail(knex: Knex, email: string): Promise<User | undefined> {
  return User.query(knex).whereRaw('lower(email) = lower(?)', [email]).first();
}

/** A user with their organisation. */
export async function findUserById(knex: Knex, id: string): Promise<User | undefined> {
  // Joined, not fetched: one round trip, as this runs on every signed-in request (loadActor).
  return User.query(knex).findById(id).withGraphJoined('organisation');
}

/**
 * Who a signed-in user is, and no more: on every signed-in request (loadActor), so a plain primary-key read of
 * the user's own columns, without the organisation or a model (found by `npm run bench`).
 */
export async function findActor(knex: Knex, id: string): Promise<Actor | undefined> {
  const row: Actor | undefined = await knex('users')
    .where({ id })
    .first('id', 'email', 'name', 'role', 'funderId', 'organisationId', 'organisationRole')
    // Every signed-in request reads its actor.
    .options(preparedAs('users.actor'));
  return row;
}

/** Adds an organisation. */
export async function insertOrganisation(
  trx: Knex.Transaction,
  organisation: Pick<Organisation, 'name' | 'type' | 'charityNumber' | 'companyNumber'>,
): Promise<Organisation> {
  return Organisation.query(trx).insert(organisation);
}

/** Adds a user; one who joins an organisation is its admin unless `organisationRole` says otherwise. */
export async function insertUser(
  trx: Knex | Knex.Transaction,
  user: Pick<User, 'email' | 'passwordHash' | 'name' | 'role' | 'funderId' | 'organisationId'> &
    Partial<Pick<User, 'organisationRole'>>,
): Promise<User> {
  // The registrant (and each seeded or scripted applicant) is the first person of their organisation.
  const organisationRole = user.organisationId ? (user.organisationRole ?? 'admin') : null;
  return User.query(trx).insert({ ...user, organisationRole });
}

/** Adds a funder. */
export async function insertFunder(trx: Knex | Knex.Transaction, name: string): Promise<Funder> {
  return Funder.query(trx).insert({ name });
}

/** A funder by its name. */
export async function findFunderByName(knex: Knex, name: string): Promise<Funder | undefined> {
  return Funder.query(knex).where('name', name).first();
}

/** Whether any officer exists at all (the bootstrap officer is made only when none does). */
export async function anyOfficerExists(knex: Knex): Promise<boolean> {
  const row = await User.query(knex).where('role', 'officer').first();
  return row !== undefined;
}

/** Users of a funder with a given role, for choosing a panel. */
export async function usersOfFunder(knex: Knex, funderId: string, role: 'officer' | 'appraiser'): Promise<User[]> {
  return User.query(knex)
    .where({ funderId, role })
    .orderBy([{ column: 'name' }, { column: 'id' }]);
}
