/**
 * Who a bid's lead is: the organisation that registered and owns the bid, as recorded in `organisations`, not
 * what its lead row types. A lead row can claim any name and number, so the recipient of a grant (open data,
 * officers' and appraisers' pages, the appraisal workbook) is always the registered organisation, and a partner
 * row that claims the charity or company number of another registered organisation is flagged on the bid.
 */
import type { Knex } from 'knex';
import type { Finding } from '../calls/types.ts';
import type { BidFields, Partner } from './types.ts';

type Db = Knex | Knex.Transaction;

/** An organisation as it registered. */
export interface RegisteredOrganisation {
  id: string;
  name: string;
  charityNumber: string | null;
  companyNumber: string | null;
}

/** A charity or company number as registered bodies compare it: spaces dropped, letters in capitals. */
export function normalisedNumber(number: string | null | undefined): string | undefined {
  const normal = number?.replace(/\s+/g, '').toUpperCase();
  return normal ? normal : undefined;
}

/** The registered organisations of these ids. */
export async function registeredOrganisations(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, RegisteredOrganisation>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows: RegisteredOrganisation[] = await db('organisations')
    .whereIn('id', unique)
    .select('id', 'name', 'charityNumber', 'companyNumber');
  return new Map(rows.map((row) => [row.id, row]));
}

/** The fields with the lead row's name and numbers those of the registered organisation, the rest as given. */
export function withRegisteredLead<F extends Pick<BidFields, 'partners'>>(
  fields: F,
  organisation: RegisteredOrganisation | undefined,
): F {
  if (!organisation || !fields.partners?.some((p) => p.role === 'lead')) return fields;
  const partners = fields.partners.map((partner): Partner => {
    if (partner.role !== 'lead') return partner;
    const { charityNumber: _charity, companyNumber: _company, ...rest } = partner;
    return {
      ...rest,
      name: organisation.name,
      ...(organisation.charityNumber ? { charityNumber: organisation.charityNumber } : {}),
      ...(organisation.companyNumber ? { companyNumber: organisation.companyNumber } : {}),
    };
  });
  return { ...fields, partners };
}

/** Each bid's fields with its registered lead (withRegisteredLead), read in one query for them all. */
export async function withRegisteredLeads<
  B extends { bid: { organisationId: string }; fields: Pick<BidFields, 'partners'> },
>(db: Db, bids: readonly B[]): Promise<B[]> {
  const organisations = await registeredOrganisations(
    db,
    bids.map((b) => b.bid.organisationId),
  );
  return bids.map((b) => ({ ...b, fields: withRegisteredLead(b.fields, organisations.get(b.bid.organisationId)) }));
}

const NUMBER_KINDS = ['charityNumber', 'companyNumber'] as const;
type NumberKind = (typeof NUMBER_KINDS)[number];

/** normalisedNumber in SQL, spelt as the indexes on organisations are. */
const NORMALISED: Record<NumberKind, string> = {
  charityNumber: "upper(regexp_replace(charity_number, '\\s', '', 'g'))",
  companyNumber: "upper(regexp_replace(company_number, '\\s', '', 'g'))",
};

/**
 * Flags for partner rows whose charity or company number is registered to an organisation other than the
 * bid's own: not a gateway failure (a partner may be registered here too), but the officer should know the row
 * names someone else's identity. The other organisation is not named, as the applicant reads the flags too.
 */
export async function partnerIdentityFlags(
  db: Db,
  organisationId: string,
  partners: readonly Partner[] | undefined,
): Promise<Finding[]> {
  const claims = (partners ?? []).flatMap((partner, i) =>
    NUMBER_KINDS.flatMap((kind) => {
      const number = normalisedNumber(partner[kind]);
      return number ? [{ row: i + 1, partner, kind, number }] : [];
    }),
  );
  if (claims.length === 0) return [];
  const numbersOf = (kind: NumberKind) => claims.filter((c) => c.kind === kind).map((c) => c.number);
  // One query for both kinds, each through its index (migrations/20261202090000_index-organisation-numbers.ts).
  const rows: { charity: string | null; company: string | null }[] = await db('organisations')
    .whereNot('id', organisationId)
    .where((q) => {
      for (const kind of NUMBER_KINDS) {
        const numbers = numbersOf(kind);
        if (numbers.length > 0) q.orWhereRaw(`${NORMALISED[kind]} = any(?)`, [numbers]);
      }
    })
    .select(db.raw(`${NORMALISED.charityNumber} as charity`), db.raw(`${NORMALISED.companyNumber} as company`));
  const taken = new Set<string>();
  for (const row of rows) {
    if (row.charity) taken.add(`charityNumber:${row.charity}`);
    if (row.company) taken.add(`companyNumber:${row.company}`);
  }
  return claims
    .filter((c) => taken.has(`${c.kind}:${c.number}`))
    .map((c) => ({
      code: 'GW-PARTNER-IDENTITY',
      message:
        `Partner ${c.row} (${c.partner.name}) gives ${c.kind === 'charityNumber' ? 'charity' : 'company'} number ` +
        `${c.number}, ` +
        "which another organisation registered here holds; the bid's lead is the organisation that made it",
    }));
}
