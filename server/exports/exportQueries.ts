/**
 * Reads for the exports. The workbook's detail sheets walk a call's bids in pages (keyset on the reference), each
 * page with its newest submitted version, so a call of any size is read in flat memory; narratives are left in
 * the database because no sheet shows them.
 */
import type { Knex } from 'knex';
import { APPRAISED_STATUSES } from '../appraisal/access.ts';
import type { BidFields, BidStatus, GatewayCheck } from '../bids/types.ts';
import type { Finding } from '../calls/types.ts';

type Db = Knex | Knex.Transaction;

/** Bids read per page. */
const PAGE_SIZE = 200;

/** A submitted bid as the exports read it: its newest version's figures and fields, without the narrative. */
export interface ExportBid {
  id: string;
  reference: string;
  organisationId: string;
  status: BidStatus;
  version: number;
  submittedAt: Date;
  gateway: GatewayCheck[];
  flags: Finding[];
  gatewayPassed: boolean;
  esfPence: number;
  matchPence: number;
  totalEligibleCostPence: number;
  participants: number;
  fields: Omit<BidFields, 'narrative'>;
}

export interface ExportScore {
  bidId: string;
  appraiserId: string;
  appraiserName: string;
  criterion: string;
  score: number | null;
  comment: string | null;
  submittedAt: Date;
}

export interface ExportModeration {
  bidId: string;
  criterion: string;
  score: number;
  rationale: string;
  moderatorName: string;
  moderatedAt: Date;
}

export interface AwardedBid extends ExportBid {
  decision: 'approved' | 'approved_with_conditions';
  decidedAt: Date;
  organisationName: string;
  organisationCharityNumber: string | null;
  organisationCompanyNumber: string | null;
}

function withNewestVersion(db: Db) {
  return db('bids as b')
    .joinRaw('join lateral (select * from bid_versions bv where bv.bid_id = b.id order by bv.version desc limit 1) as v on true')
    .select(
      'b.id',
      'b.reference',
      'b.organisationId',
      'b.status',
      'v.version',
      'v.submittedAt',
      'v.gateway',
      'v.flags',
      'v.gatewayPassed',
      'v.esfPence',
      'v.matchPence',
      'v.totalEligibleCostPence',
      'v.participants',
      db.raw(`(v.canonical_json::jsonb -> 'fields') - 'narrative' as fields`),
    );
}

/** A call's submitted bids (those the appraisal covers), a page at a time in reference order. */
export async function* appraisedBidPages(db: Db, callId: string, pageSize = PAGE_SIZE): AsyncGenerator<ExportBid[]> {
  let after = '';
  for (;;) {
    const page: ExportBid[] = await withNewestVersion(db)
      .where('b.callId', callId)
      .whereIn('b.status', [...APPRAISED_STATUSES])
      .where('b.reference', '>', after)
      .orderBy('b.reference')
      .limit(pageSize);
    if (page.length === 0) return;
    yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1].reference;
  }
}

/** Submitted appraisers' scores on the given bids, with the appraisers' names. */
export async function submittedScoresOf(db: Db, bidIds: string[]): Promise<ExportScore[]> {
  if (bidIds.length === 0) return [];
  return db('scores as s')
    .join('scoreSheets as h', function () {
      this.on('h.bidId', 's.bidId').andOn('h.appraiserId', 's.appraiserId');
    })
    .join('users as u', 'u.id', 's.appraiserId')
    .whereIn('s.bidId', bidIds)
    .whereNotNull('h.submittedAt')
    .select('s.bidId', 's.appraiserId', 'u.name as appraiserName', 's.criterion', 's.score', 's.comment', 'h.submittedAt')
    .orderBy([{ column: 'u.name' }, { column: 's.appraiserId' }]);
}

/** Moderated scores on the given bids, with the moderating officer's name. */
export async function moderationsOf(db: Db, bidIds: string[]): Promise<ExportModeration[]> {
  if (bidIds.length === 0) return [];
  return db('moderations as m')
    .join('users as u', 'u.id', 'm.moderatedBy')
    .whereIn('m.bidId', bidIds)
    .select('m.bidId', 'm.criterion', 'm.score', 'm.rationale', 'u.name as moderatorName', 'm.moderatedAt');
}

export interface ExportAuditEvent {
  bidId: string;
  occurredAt: Date;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  before: unknown;
  after: unknown;
}

/** The audit events of the given bids, oldest first within each bid, with who did each. */
export async function auditEventsOf(db: Db, bidIds: string[]): Promise<ExportAuditEvent[]> {
  if (bidIds.length === 0) return [];
  return db('auditEvents as e')
    .leftJoin('users as u', 'u.id', 'e.actorId')
    .whereIn('e.bidId', bidIds)
    .select('e.bidId', 'e.occurredAt', 'u.name as actorName', 'u.role as actorRole', 'e.action', 'e.before', 'e.after')
    .orderBy('e.id');
}

/** A call's approved bids (with or without conditions), with their decisions and organisations. */
export async function awardedBids(db: Db, callId: string): Promise<AwardedBid[]> {
  return withNewestVersion(db)
    .join('decisions as d', 'd.bidId', 'b.id')
    .join('organisations as o', 'o.id', 'b.organisationId')
    .where('b.callId', callId)
    .whereIn('b.status', ['approved', 'approved_with_conditions'])
    .select(
      'd.decision',
      'd.decidedAt',
      'o.name as organisationName',
      'o.charityNumber as organisationCharityNumber',
      'o.companyNumber as organisationCompanyNumber',
    )
    .orderBy('b.reference');
}

/** A funder's name. */
export async function funderName(db: Db, funderId: string): Promise<string> {
  const row: { name: string } | undefined = await db('funders').where({ id: funderId }).first('name');
  return row?.name ?? '';
}
