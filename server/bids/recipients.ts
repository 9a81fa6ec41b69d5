/** Who is e-mailed about a bid after its deadline: the members of its organisations, and its call's officers. */
import type { Knex } from 'knex';
import type { BidFields } from './types.ts';

type Db = Knex | Knex.Transaction;

/** A person an e-mail is addressed to. */
export interface Recipient {
  id: string;
  email: string;
  name: string;
  /** The organisation they are a member of; null for an officer. */
  organisationId: string | null;
  organisationName: string | null;
}

/**
 * The organisations of a bid's consortium: its lead's, and each partner's that has joined it (a partner row with
 * an organisation), as the bid's appraised fields have them.
 */
export function consortiumOf(bid: { organisationId: string }, fields: BidFields): string[] {
  const partners = (fields.partners ?? []) as { organisationId?: string | null }[];
  const joined = partners.map((p) => p.organisationId).filter((id): id is string => typeof id === 'string');
  return [...new Set([bid.organisationId, ...joined])];
}

/** The members of the given organisations, in e-mail order. */
export async function membersOf(db: Db, organisationIds: string[]): Promise<Recipient[]> {
  if (organisationIds.length === 0) return [];
  return db('users as u')
    .join('organisations as o', 'o.id', 'u.organisationId')
    .whereIn('u.organisationId', organisationIds)
    .select('u.id', 'u.email', 'u.name', 'u.organisationId', 'o.name as organisationName')
    .orderBy([{ column: 'u.email' }, { column: 'u.id' }]);
}

/** The officers of a funder, in e-mail order. */
export async function officersOf(db: Db, funderId: string): Promise<Recipient[]> {
  return db('users')
    .where({ funderId, role: 'officer' })
    .select('id', 'email', 'name', db.raw('null as "organisationId"'), db.raw('null as "organisationName"'))
    .orderBy([{ column: 'email' }, { column: 'id' }]);
}
