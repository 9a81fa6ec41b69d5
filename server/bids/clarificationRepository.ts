/** Queries for clarifications and the versions their answers make. */
import type { Knex } from 'knex';
import { isUuid } from '../calls/repository.ts';
import { AttachmentRow, BidVersionRow } from '../models/bids.ts';
import type { SectionKey } from './sections/index.ts';
import type { NewVersion } from './repository.ts';

type Db = Knex | Knex.Transaction;

/** A clarification as stored. */
export interface Clarification {
  id: string;
  bidId: string;
  question: string;
  sections: SectionKey[];
  respondBy: Date;
  askedOnVersion: number;
  raisedBy: string;
  raisedAt: Date;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: Date | null;
  answeredVersion: number | null;
}

/** A bid's clarifications, oldest first. */
export async function clarificationsOf(db: Db, bidId: string): Promise<Clarification[]> {
  return db('clarifications')
    .where({ bidId })
    .orderBy([{ column: 'raisedAt' }, { column: 'id' }]);
}

/** The clarifications of the given bids, oldest first. */
export async function clarificationsFor(db: Db, bidIds: string[]): Promise<Clarification[]> {
  if (bidIds.length === 0) return [];
  return db('clarifications')
    .whereIn('bidId', bidIds)
    .orderBy([{ column: 'raisedAt' }, { column: 'id' }]);
}

/** One clarification of a bid, optionally locked until the transaction ends (answers to it queue). */
export async function findClarification(
  db: Db,
  bidId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Clarification | undefined> {
  if (!isUuid(id)) return undefined;
  const query = db('clarifications').where({ bidId, id }).first();
  if (options.forUpdate) query.forUpdate();
  return query;
}

/** Stores a new clarification. */
export async function insertClarification(
  trx: Knex.Transaction,
  clarification: Pick<
    Clarification,
    'bidId' | 'question' | 'sections' | 'respondBy' | 'askedOnVersion' | 'raisedBy'
  > & { raisedAt: Date },
): Promise<Clarification> {
  const [row] = await trx('clarifications')
    .insert({ ...clarification, sections: JSON.stringify(clarification.sections) })
    .returning('*');
  return row;
}

/** Records a clarification's answer and the version it made. */
export async function recordAnswer(
  trx: Knex.Transaction,
  id: string,
  answer: Pick<Clarification, 'answer' | 'answeredBy' | 'answeredAt' | 'answeredVersion'>,
): Promise<void> {
  await trx('clarifications').where({ id }).update(answer);
}

/** The files uploaded for a clarification (after the deadline, while it was open), without their bytes. */
export async function filesForClarification(db: Db, clarificationId: string): Promise<AttachmentRow[]> {
  return AttachmentRow.query(db)
    .select('id', 'filename', 'contentType', 'purpose', 'sizeBytes', 'sha256')
    .where({ clarificationId })
    .orderBy([{ column: 'createdAt' }, { column: 'id' }]);
}

/** Every submitted version of a bid, oldest first, without their canonical text. */
export async function versionsOf(db: Db, bidId: string): Promise<BidVersionRow[]> {
  return BidVersionRow.query(db)
    .select('id', 'bidId', 'version', 'submittedAt', 'submittedBy', 'sha256', 'gatewayPassed', 'kind')
    .where({ bidId })
    .orderBy('version');
}

/** The bid's versions numbered `numbers` (those found, in full), in one query. */
export async function versionsNumbered(db: Db, bidId: string, numbers: readonly number[]): Promise<BidVersionRow[]> {
  if (numbers.length === 0) return [];
  return BidVersionRow.query(db)
    .where({ bidId })
    .whereIn('version', [...new Set(numbers)]);
}

/** Stores a version made by a clarification's answer (it can never change afterwards). */
export async function insertClarificationVersion(trx: Knex.Transaction, version: NewVersion): Promise<BidVersionRow> {
  const [row] = await trx('bid_versions')
    .insert({
      ...version,
      kind: 'clarification',
      gateway: JSON.stringify(version.gateway),
      flags: JSON.stringify(version.flags),
    })
    .returning('id');
  return BidVersionRow.fromJson({ ...version, kind: 'clarification', id: row.id }, { skipValidation: true });
}
