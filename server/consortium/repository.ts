/** Queries for partnership offers. */
import type { Knex } from 'knex';
import { isUuid } from '../calls/repository.ts';
import { OfferRow } from '../models/offers.ts';

type Db = Knex | Knex.Transaction;

/** An offer with the name and type of the organisation that makes it. */
export type ListedOffer = OfferRow & { organisationName: string; organisationType: string };

/** One offer. */
export async function findOffer(db: Db, id: string): Promise<OfferRow | undefined> {
  if (!isUuid(id)) return undefined;
  return OfferRow.query(db).findById(id);
}

/** Stores a new offer. */
export async function insertOffer(
  trx: Knex.Transaction,
  offer: Pick<
    OfferRow,
    | 'callId'
    | 'organisationId'
    | 'summary'
    | 'activities'
    | 'geography'
    | 'priorities'
    | 'indicativeEsfPence'
    | 'contactEmail'
    | 'createdBy'
  >,
): Promise<OfferRow> {
  return OfferRow.query(trx).insert(offer);
}

/** Removes an offer. */
export async function deleteOffer(trx: Knex.Transaction, id: string): Promise<void> {
  await OfferRow.query(trx).findById(id).delete();
}

/** The offers on a call, oldest first, each with its organisation's name and type. */
export async function offersOnCall(db: Db, callId: string): Promise<ListedOffer[]> {
  const rows = await OfferRow.query(db)
    .select('partnershipOffers.*', 'o.name as organisationName', 'o.type as organisationType')
    .join('organisations as o', 'o.id', 'partnershipOffers.organisationId')
    .where('partnershipOffers.callId', callId)
    .orderBy([{ column: 'partnershipOffers.createdAt' }, { column: 'partnershipOffers.id' }]);
  return rows as ListedOffer[];
}
