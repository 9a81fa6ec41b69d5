/**
 * Reads for the exports. The workbook's sheets come from the call's appraisal, which holds its bids and versions
 * already; what it lacks is read here: the order of references, and the rows of the two long sheets, the scores
 * (with their comments) and the audit trail, streamed from a cursor as the sheets take them. The open data reads
 * a call's awarded bids with their newest versions, narratives left in the database because no export shows them.
 */
import type { Knex } from 'knex';
import { APPRAISED_STATUSES } from '../bids/status.ts';
import { whereSheetCounts } from '../appraisal/repository.ts';
import type { BidFields, BidStatus, GatewayCheck } from '../bids/types.ts';
import type { Finding } from '../calls/types.ts';

type Db = Knex | Knex.Transaction;

/**
 * A submitted bid as the exports read it: its newest version's figures and fields, without the narrative. The
 * newest version is the appraised one (server/appraisal/appraised.ts), a clarification's answer included.
 */
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
    .joinRaw(
      'join lateral (select * from bid_versions bv where bv.bid_id = b.id order by bv.version desc limit 1) as v ' +
        'on true',
    )
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

/** The bids of a call the appraisal covers (submitted by the deadline), as a subquery. */
function appraisedBidsOf(db: Db, callId: string) {
  return db('bids')
    .where({ callId })
    .whereIn('status', [...APPRAISED_STATUSES]);
}

/** The ids of a call's submitted bids (those the appraisal covers), in reference order. */
export async function appraisedBidIdsByReference(db: Db, callId: string): Promise<string[]> {
  const rows: { id: string }[] = await appraisedBidsOf(db, callId).orderBy('reference').select('id');
  return rows.map((row) => row.id);
}

/**
 * Rows a cursor fetches from PostgreSQL at a time, for the sheets that stream their rows. A batch waits in memory
 * while the sheet pauses for the zip and the client, long enough to outlive V8's young generation, and what
 * outlives it stays until a full collection, which a download does not reach: at 1,000 rows the Audit sheet (each
 * event's before and after parsed) moved 8–15 MB into the old generation per download, at 250 under 1 MB. Still
 * few enough round trips that the reading costs next to nothing beside the writing.
 */
const CURSOR_BATCH = 250;

/**
 * A query's rows one by one from a cursor (column names mapped as for any query), fetched a batch at a time as
 * they are taken: a sheet of 72,000 rows holds one batch, not all of them. The query starts when the loop does
 * (knex starts a stream's at once), and leaving the loop early closes the cursor.
 */
async function* rowsOf<T>(query: Knex.QueryBuilder, batchSize = CURSOR_BATCH): AsyncGenerator<T> {
  yield* query.stream({ batchSize, highWaterMark: batchSize }) as AsyncIterable<T>;
}

/** Rows whose query was started before the loop that takes them; `close` ends the query if that loop never came. */
export interface EarlyRows<T> extends AsyncIterable<T> {
  close(): Promise<void>;
}

/**
 * Starts a query's rows coming now, for a loop that comes later: the database plans, sorts and sends the first
 * batch meanwhile. `close` must follow (in a `finally`), as a cursor left open keeps its connection, and a
 * transaction's one connection, from anything else.
 */
export function startEarly<T>(rows: AsyncIterable<T>): EarlyRows<T> {
  const iterator = rows[Symbol.asyncIterator]();
  const first = iterator.next();
  // A failure is the loop's to report; until it comes, it must not count as unhandled.
  first.catch(() => {});
  let taken = false;
  return {
    async *[Symbol.asyncIterator]() {
      if (taken) throw new Error('Rows started early are read once');
      taken = true;
      try {
        for (let next = await first; !next.done; next = await iterator.next()) yield next.value;
      } finally {
        await iterator.return?.();
      }
    },
    async close() {
      if (taken) return;
      taken = true;
      await first.catch(() => {});
      await iterator.return?.();
    },
  };
}

/**
 * A row of the Scores sheet: an appraiser's submitted score with its comment, or a moderated score with its rationale.
 */
export interface ExportScoreRow {
  bidId: string;
  criterion: string;
  moderated: boolean;
  /** The appraiser or the moderator. */
  personId: string;
  /** Their name. */
  name: string | null;
  score: number | null;
  /** The comment, or the moderation's rationale. */
  text: string | null;
  /**
   * When the score was moderated; null for an appraiser's score, whose time is their sheet's (which the caller
   * has: 72,000 dates parsed here cost more than the rest of the row).
   */
  moderatedAt: Date | null;
}

/**
 * The scores of the sheets that count (whereSheetCounts) and moderated scores of a call's submitted bids on the given
 * criteria, streamed in the Scores sheet's order: bids by reference, criteria in the order given, each criterion's
 * appraisers' scores in the order of their names (then ids) as the database sorts them, and its moderated score after
 * them.
 */
export function scoreRowsOf(
  db: Db,
  callId: string,
  criteria: string[],
  options: { batchSize?: number } = {},
): AsyncIterable<ExportScoreRow> {
  // Bids and people are put in order once, so the sort of the score rows compares numbers, not text in collation.
  const bids = appraisedBidsOf(db, callId).select('id', db.raw('row_number() over (order by reference) as place'));
  const people = db('users').select('id', 'name', db.raw('row_number() over (order by name, id) as place'));
  const scores = whereSheetCounts(
    db,
    db('scores as s').join('scoreSheets as h', function () {
      this.on('h.bidId', 's.bidId').andOn('h.appraiserId', 's.appraiserId');
    }),
    'h',
  ).select(
    's.bidId',
    's.criterion',
    db.raw('false as moderated'),
    's.appraiserId as personId',
    's.score',
    's.comment as text',
    db.raw('null::timestamptz as moderated_at'),
  );
  const moderations = db('moderations as m').select(
    'm.bidId',
    'm.criterion',
    db.raw('true as moderated'),
    'm.moderatedBy as personId',
    'm.score',
    'm.rationale as text',
    'm.moderatedAt',
  );
  return rowsOf(
    db
      .from(scores.unionAll(moderations).as('r'))
      .join(bids.as('b'), 'b.id', 'r.bidId')
      .leftJoin(people.as('u'), 'u.id', 'r.personId')
      .whereRaw('r.criterion = any(?)', [criteria])
      .select('r.bidId', 'r.criterion', 'r.moderated', 'r.personId', 'u.name', 'r.score', 'r.text', 'r.moderatedAt')
      .orderBy('b.place')
      .orderByRaw('array_position(?::text[], r.criterion)', [criteria])
      .orderBy([{ column: 'r.moderated' }, { column: 'u.place' }]),
    options.batchSize,
  );
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
    select coalesce(w.key, i.key) as key, case when w.key is null then 1 else 0 end as side,
      coalesce(w.ord, i.ord) as ord
    from jsonb_each(case when jsonb_typeof(e.before) = 'object' then e.before else '{}' end)
      with ordinality as w(key, value, ord)
    full join jsonb_each(case when jsonb_typeof(e.after) = 'object' then e.after else '{}' end)
      with ordinality as i(key, value, ord)
      on i.key = w.key
    where w.value is distinct from i.value
  ) as k
)`;

/**
 * The audit events of a call's submitted bids, streamed with who did each, as the Audit sheet shows them: each
 * bid's trail together, bids in reference order, each trail in the order it happened. A draft event comes with the
 * fields it changed instead of its two drafts, which can be large and many.
 */
export function auditEventsOf(
  db: Db,
  callId: string,
  options: { batchSize?: number } = {},
): AsyncIterable<ExportAuditEvent> {
  const drafts = DRAFT_EVENTS.map(() => '?').join(', ');
  const bids = appraisedBidsOf(db, callId).select('id', 'reference');
  const events = db('auditEvents as e')
    .join(bids.as('b'), 'b.id', 'e.bidId')
    .leftJoin('users as u', 'u.id', 'e.actorId')
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
    .orderBy([{ column: 'b.reference' }, { column: 'e.id' }]);
  return rowsOf(events, options.batchSize);
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
