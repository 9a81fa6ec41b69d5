/**
 * Reads for the exports. The workbook's sheets come from the call's appraisal, which holds its bids, versions and
 * scores already; what it lacks is read here: the order of references and of names as the database sorts them,
 * and the audit trail, a page of bids at a time. The open data reads a call's awarded bids with their newest
 * versions, narratives left in the database because no export shows them.
 */
import type { Knex } from 'knex';
import { APPRAISED_STATUSES } from '../appraisal/access.ts';
import type { BidFields, BidStatus, GatewayCheck } from '../bids/types.ts';
import type { Finding } from '../calls/types.ts';

type Db = Knex | Knex.Transaction;

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

/** The ids of a call's submitted bids (those the appraisal covers), in reference order. */
export async function appraisedBidIdsByReference(db: Db, callId: string): Promise<string[]> {
  const rows: { id: string }[] = await db('bids').where({ callId }).whereIn('status', [...APPRAISED_STATUSES]).orderBy('reference').select('id');
  return rows.map((row) => row.id);
}

/** The given users' names, in name order (then id). */
export async function userNamesInOrder(db: Db, userIds: string[]): Promise<{ id: string; name: string }[]> {
  if (userIds.length === 0) return [];
  return db('users').whereIn('id', userIds).orderBy([{ column: 'name' }, { column: 'id' }]).select('id', 'name');
}

export interface ExportAuditEvent {
  bidId: string;
  occurredAt: Date;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  /** Null for a draft event, whose whole drafts stay in the database. */
  before: unknown;
  after: unknown;
  /** For a draft event, "Changed: title, partners" (its top-level fields that differ) or "No change"; else null. */
  draftChange: string | null;
}

/** Events that hold a whole draft before and after: the Audit sheet names the fields changed (the API has the rest). */
const DRAFT_EVENTS = ['bid.created', 'bid.updated'];

/**
 * A draft event's top-level fields that differ between before and after (a missing side is an empty draft), in
 * the order the drafts list them (before's, then after's new ones) as JSON.parse would: jsonb's own key order.
 * Values compare as jsonb, as their JSON text would: every number in them came from JSON.stringify.
 */
const DRAFT_CHANGE = `(
  select case when count(*) = 0 then 'No change' else 'Changed: ' || string_agg(k.key, ', ' order by k.side, k.ord) end
  from (
    select coalesce(w.key, i.key) as key, case when w.key is null then 1 else 0 end as side, coalesce(w.ord, i.ord) as ord
    from jsonb_each(case when jsonb_typeof(e.before) = 'object' then e.before else '{}' end) with ordinality as w(key, value, ord)
    full join jsonb_each(case when jsonb_typeof(e.after) = 'object' then e.after else '{}' end) with ordinality as i(key, value, ord)
      on i.key = w.key
    where w.value is distinct from i.value
  ) as k
)`;

/**
 * The audit events of the given bids in the order they happened (across the bids), with who did each. A draft
 * event comes with the fields it changed instead of its two drafts, which can be large and many.
 */
export async function auditEventsOf(db: Db, bidIds: string[]): Promise<ExportAuditEvent[]> {
  if (bidIds.length === 0) return [];
  const drafts = DRAFT_EVENTS.map(() => '?').join(', ');
  return db('auditEvents as e')
    .leftJoin('users as u', 'u.id', 'e.actorId')
    .whereIn('e.bidId', bidIds)
    .select(
      'e.bidId',
      'e.occurredAt',
      'u.name as actorName',
      'u.role as actorRole',
      'e.action',
      db.raw(`case when e.action in (${drafts}) then null else e.before end as before`, DRAFT_EVENTS),
      db.raw(`case when e.action in (${drafts}) then null else e.after end as after`, DRAFT_EVENTS),
      db.raw(`case when e.action in (${drafts}) then ${DRAFT_CHANGE} end as draft_change`, DRAFT_EVENTS),
    )
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
