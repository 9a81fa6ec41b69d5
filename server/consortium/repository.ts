/** Queries for partnership offers. */
import type { Knex } from 'knex';
import { isUuid } from '../calls/repository.ts';
import { OfferRow } from '../models/offers.ts';

type Db = Knex | Knex.Transaction;

/** An offer with the name, type and numbers of the organisation that makes it. */
export type ListedOffer = OfferRow & {
  organisationName: string;
  organisationType: string;
  organisationCharityNumber: string | null;
  organisationCompanyNumber: string | null;
};

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

function listed(db: Db) {
  return OfferRow.query(db)
    .select(
      'partnershipOffers.*',
      'o.name as organisationName',
      'o.type as organisationType',
      'o.charityNumber as organisationCharityNumber',
      'o.companyNumber as organisationCompanyNumber',
    )
    .join('organisations as o', 'o.id', 'partnershipOffers.organisationId');
}

/** The offers on a call, oldest first, each with its organisation's name, type and numbers. */
export async function offersOnCall(db: Db, callId: string): Promise<ListedOffer[]> {
  const rows = await listed(db)
    .where('partnershipOffers.callId', callId)
    .orderBy([{ column: 'partnershipOffers.createdAt' }, { column: 'partnershipOffers.id' }]);
  return rows as ListedOffer[];
}

/** One offer with its organisation's name, type and numbers. */
export async function findListedOffer(db: Db, id: string): Promise<ListedOffer | undefined> {
  if (!isUuid(id)) return undefined;
  return (await listed(db).where('partnershipOffers.id', id).first()) as ListedOffer | undefined;
}
