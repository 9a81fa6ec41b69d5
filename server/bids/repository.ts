/** Queries for bids, their submitted versions and their attachments. */
import type { Knex } from 'knex';
import { snakeCaseMappers } from 'objection';
import { auditInsert, type AuditEntry } from '../audit/repository.ts';
import { isUuid } from '../calls/repository.ts';
import { preparedAs } from '../db/prepared.ts';
import { CallRow } from '../models/calls.ts';
import { AttachmentRow, BidRow, BidVersionRow } from '../models/bids.ts';
import type { BidFields, Partner } from './types.ts';
import { APPRAISED_STATUSES } from './status.ts';

type Db = Knex | Knex.Transaction;

// Rows read as JSON keep the database's snake_case names; the models have camelCase properties.
const { parse: columnsToProperties } = snakeCaseMappers();

/** One bid, optionally locked until the transaction ends (submissions of one bid queue behind each other). */
export async function findBid(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<BidRow | undefined> {
  if (!isUuid(id)) return undefined;
  const query = BidRow.query(db).findById(id);
  if (options.forUpdate) query.forUpdate();
  return query;
}

/** A bid locked for a change, with its call's row (no children) and its attachments, as lockBidWithCall reads them. */
export interface LockedBid {
  bid: BidRow;
  call: CallRow;
  attachments: AttachmentRow[];
  /** The partner rows an invitation (not revoked) was sent for, as invitedPartnerIds answers them. */
  invitedPartnerIds: Set<string>;
}

/**
 * The call's columns a submission reads, named rather than `calls.*`: the query is a prepared statement, and
 * PostgreSQL refuses to run one whose result would change shape ("cached plan must not change result type"), as
 * it would when a deployment's migration adds a column to calls while this process runs.
 */
const LOCKED_CALL_COLUMNS = [
  'id',
  'funderId',
  'reference',
  'title',
  'lepArea',
  'description',
  'opensAt',
  'closesAt',
  'scheduledClosesAt',
  'interventionRatePercent',
  'minProjectEsfPence',
  'geography',
  'eligibleActivities',
  'stage',
  'publishedAt',
  'publishedFields',
];

/**
 * A bid locked until the transaction ends, with its call's row (its rules as published in publishedFields, not
 * its child tables) and its attachments' descriptions, in one round trip: a submission's reads on the busiest
 * request of a deadline were three queries and three child tables (found by `npm run bench`).
 */
export async function lockBidWithCall(trx: Knex.Transaction, id: string): Promise<LockedBid | undefined> {
  if (!isUuid(id)) return undefined;
  const attachments = trx('attachments as a')
    .select(ATTACHMENT_COLUMNS.map((column) => `a.${column}`))
    .whereRaw('a.bid_id = b.id')
    // As attachmentsOf orders them: uploads in the same instant in their id's order.
    .orderBy([{ column: 'a.createdAt' }, { column: 'a.id' }]);
  const query = CallRow.query(trx)
    .select(
      LOCKED_CALL_COLUMNS.map((column) => `calls.${column}`),
      trx.raw('row_to_json(b) as bid_json'),
      trx.raw(`coalesce((select json_agg(x) from (?) x), '[]') as attachments_json`, [attachments]),
      // With the lock rather than a statement of its own: a submission checks its partners' invitations.
      trx.raw(
        `coalesce((select json_agg(distinct i.partner_id) from invitations i where i.kind = 'partner' ` +
          `and i.bid_id = b.id and i.revoked_at is null), '[]') as invited_partner_ids`,
      ),
    )
    .join('bids as b', 'b.callId', 'calls.id')
    .where('b.id', id)
    .first()
    .onBuildKnex((knexQuery) => knexQuery.options(preparedAs('bids.lock-with-call')));
  // Only the bid is locked ("for update of b"): its call is read as it stands, as findCall reads it. Objection's
  // types leave out the table list that it passes on to knex.
  (query as unknown as { forUpdate(...tables: string[]): unknown }).forUpdate('b');
  const call = await query;
  if (!call) return undefined;
  const json = call as unknown as Partial<{
    bidJson: Record<string, unknown>;
    attachmentsJson: Record<string, unknown>[];
    invitedPartnerIds: string[];
  }>;
  const invitedPartnerIds = new Set(json.invitedPartnerIds ?? []);
  const bid = BidRow.fromDatabaseJson(withDates(columnsToProperties(json.bidJson!), 'createdAt', 'updatedAt'));
  const attachmentRows = json.attachmentsJson!.map((a) =>
    AttachmentRow.fromDatabaseJson(withDates(columnsToProperties(a), 'createdAt')),
  );
  delete json.bidJson;
  delete json.attachmentsJson;
  delete json.invitedPartnerIds;
  return { bid, call, attachments: attachmentRows, invitedPartnerIds };
}

/** Timestamps in a row read as JSON arrive as text; the models hold Dates. */
function withDates(row: Record<string, unknown>, ...properties: string[]): Record<string, unknown> {
  for (const property of properties)
    if (typeof row[property] === 'string') row[property] = new Date(row[property] as string);
  return row;
}

/** Takes the call's next bid number and answers the bid's reference ("OC08S17P0801-007"). */
export async function nextBidReference(trx: Knex.Transaction, callId: string): Promise<string> {
  const [row] = await trx('calls')
    .where({ id: callId })
    .increment('bidSequence', 1)
    .returning(['reference', 'bidSequence']);
  return `${row.reference}-${String(row.bidSequence).padStart(3, '0')}`;
}

/** Stores a new draft bid. */
export async function insertBid(
  trx: Knex.Transaction,
  bid: Pick<BidRow, 'callId' | 'organisationId' | 'reference' | 'draft' | 'createdBy'>,
): Promise<BidRow> {
  return BidRow.query(trx).insert({ ...bid, status: 'draft' });
}

/** Replaces a bid's working draft, with its new revision and the revision at which each of its fields changed. */
export async function saveDraft(
  trx: Knex.Transaction,
  id: string,
  draft: BidFields,
  revision: number,
  fieldRevisions: BidRow['fieldRevisions'],
): Promise<void> {
  await BidRow.query(trx).findById(id).patch({ draft, revision, fieldRevisions });
}

/** Sets a bid's status (and its current version when one was just submitted). */
export async function setBidStatus(
  trx: Knex.Transaction,
  id: string,
  status: BidRow['status'],
  currentVersion?: number,
): Promise<void> {
  await BidRow.query(trx)
    .findById(id)
    .patch({ status, ...(currentVersion === undefined ? {} : { currentVersion }) });
}

/** The newest submitted version of a bid. */
export async function latestVersion(db: Db, bidId: string): Promise<BidVersionRow | undefined> {
  return BidVersionRow.query(db).where({ bidId }).orderBy('version', 'desc').first();
}

/** One numbered version of a bid. */
export async function findVersion(db: Db, bidId: string, version: number): Promise<BidVersionRow | undefined> {
  return BidVersionRow.query(db).where({ bidId, version }).first();
}

/** A version's columns, as every kind of version (submission, clarification) stores them. */
export type NewVersion = Pick<
  BidVersionRow,
  | 'bidId'
  | 'version'
  | 'submittedAt'
  | 'submittedBy'
  | 'canonicalJson'
  | 'sha256'
  | 'gateway'
  | 'gatewayPassed'
  | 'flags'
  | 'esfPence'
  | 'matchPence'
  | 'totalEligibleCostPence'
  | 'participants'
>;

/**
 * Stores a submitted version (it can never change afterwards), makes it the bid's current one and appends the
 * audit event, in one statement: one round trip instead of three on a deadline's busiest request.
 */
export async function recordSubmission(
  trx: Knex.Transaction,
  version: NewVersion,
  audit: AuditEntry,
): Promise<BidVersionRow> {
  const [row] = await trx
    .with(
      'version',
      trx('bid_versions')
        // jsonb columns get JSON text: pg would send a JavaScript array as a Postgres array.
        .insert({ ...version, gateway: JSON.stringify(version.gateway), flags: JSON.stringify(version.flags) })
        // The rest is what was just sent: no need to have the canonical JSON sent back.
        .returning('id'),
    )
    .with(
      'bid',
      trx('bids')
        .where({ id: version.bidId })
        .update({ status: 'submitted', currentVersion: version.version, updatedAt: new Date() }),
    )
    .with('audit', auditInsert(trx, audit))
    .select('id')
    .from('version')
    .options(preparedAs('bids.record-submission'));
  return BidVersionRow.fromJson({ ...version, id: row.id }, { skipValidation: true });
}

/** Bids on a call, optionally only one organisation's, with their newest version. */
export async function listBids(
  db: Db,
  callId: string,
  options: { organisationId?: string } = {},
): Promise<{ bid: BidRow; version: BidVersionRow | undefined }[]> {
  const query = BidRow.query(db).where({ callId }).orderBy('reference');
  if (options.organisationId) query.where({ organisationId: options.organisationId });
  const bids = await query;
  const versions = await latestVersionsOf(
    db,
    bids.map((bid) => bid.id),
  );
  return bids.map((bid) => ({ bid, version: versions.get(bid.id) }));
}

/** The newest version of each of the given bids, in one query. */
export async function latestVersionsOf(db: Db, bidIds: string[]): Promise<Map<string, BidVersionRow>> {
  if (bidIds.length === 0) return new Map();
  const rows = await BidVersionRow.query(db)
    .distinctOn('bidId')
    .whereIn('bidId', bidIds)
    .orderBy([{ column: 'bidId' }, { column: 'version', order: 'desc' }]);
  return new Map(rows.map((row) => [row.bidId, row]));
}

const VERSION_BATCH = 250;

/**
 * The newest version of each of the given bids as the appraisal reads it: every column but the canonical text,
 * and the submitted fields without their narrative sections (the bulk of a bid, which no ranking or sheet needs);
 * with `keep`, only those fields (the API's appraisal keeps four of a bid's thirteen, and what it drops is garbage
 * at once instead of held to the end of the read). The rows come from a cursor, VERSION_BATCH at a time, each text
 * parsed and dropped as it comes: read whole, a national call's 13.6 MB of canonical text was alive at once, and the
 * garbage collector copied it out of the young generation before any of it could go.
 */
export async function latestVersionSummariesOf(
  db: Db,
  bidIds: string[],
  keep?: readonly (keyof BidFields)[],
): Promise<Map<string, { version: BidVersionRow; fields: BidFields }>> {
  if (bidIds.length === 0) return new Map();
  // The canonical text is parsed here rather than cast to jsonb in PostgreSQL: the cast builds the whole document,
  // narratives and all, and its answer is written out as text and parsed again, which made this the summary's
  // slowest read. Nothing reads the fields' key order, which is the one thing the two ways differ in.
  const query = db('bidVersions')
    .distinctOn('bidId')
    .select([
      ...['id', 'bidId', 'version', 'submittedAt', 'submittedBy', 'sha256', 'gateway', 'gatewayPassed', 'flags'],
      ...['esfPence', 'matchPence', 'totalEligibleCostPence', 'participants', 'canonicalJson'],
    ])
    .whereIn('bidId', bidIds)
    .orderBy([{ column: 'bidId' }, { column: 'version', order: 'desc' }]);
  const versions = new Map<string, { version: BidVersionRow; fields: BidFields }>();
  const rows = query.stream({ batchSize: VERSION_BATCH, highWaterMark: VERSION_BATCH });
  for await (const { canonicalJson, ...version } of rows as AsyncIterable<BidVersionRow>) {
    const { fields } = JSON.parse(canonicalJson) as { fields: BidFields };
    if (!keep) {
      delete fields.narrative;
      versions.set(version.bidId, { version: version as BidVersionRow, fields });
      continue;
    }
    const kept: Record<string, unknown> = {};
    for (const name of keep) if (fields[name] !== undefined) kept[name] = fields[name];
    versions.set(version.bidId, { version: version as BidVersionRow, fields: kept as BidFields });
  }
  return versions;
}

/** Bids of an organisation across calls, newest first, for its dashboard. */
export async function bidsOfOrganisation(db: Db, organisationId: string): Promise<BidRow[]> {
  return BidRow.query(db)
    .where({ organisationId })
    .orderBy([{ column: 'createdAt', order: 'desc' }, { column: 'reference' }]);
}

/** The bids an organisation joined as a delivery partner (a partner row of the draft names it), newest first. */
export async function bidsJoinedAsPartner(db: Db, organisationId: string): Promise<BidRow[]> {
  return (
    BidRow.query(db)
      // The expression of the index bids_joined_partners (migration 20261203100000), written the same to be used.
      .whereRaw(
        `jsonb_path_query_array(draft -> 'partners', ` +
          `'$[*] \\? (@.role == "delivery" && @.organisationId != null).organisationId') @> to_jsonb(?::text)`,
        [organisationId],
      )
      .whereNot({ organisationId })
      .orderBy([{ column: 'createdAt', order: 'desc' }, { column: 'reference' }])
  );
}

/** The release instant of each of the given calls that has one. */
export async function decisionReleasesOf(db: Db, callIds: string[]): Promise<Map<string, Date>> {
  if (callIds.length === 0) return new Map();
  const rows: { id: string; releaseDecisionsAt: Date }[] = await db('calls')
    .whereIn('id', callIds)
    .whereNotNull('releaseDecisionsAt')
    .select('id', 'releaseDecisionsAt');
  return new Map(rows.map((row) => [row.id, row.releaseDecisionsAt]));
}

/** The call a bid belongs to, optionally locked. */
export async function callOfBid(db: Db, bid: BidRow): Promise<CallRow> {
  return (await CallRow.query(db).findById(bid.callId))!;
}

const ATTACHMENT_COLUMNS = [
  'id',
  'bidId',
  'filename',
  'contentType',
  'purpose',
  'sizeBytes',
  'sha256',
  'uploadedBy',
  'createdAt',
  'partnerId',
];

/** A bid's attachments, without their bytes. */
export async function attachmentsOf(db: Db, bidId: string): Promise<AttachmentRow[]> {
  return AttachmentRow.query(db)
    .select(ATTACHMENT_COLUMNS)
    .where({ bidId })
    .orderBy([{ column: 'createdAt' }, { column: 'id' }]);
}

/** One attachment of a bid, with its bytes. */
export async function findAttachment(db: Db, bidId: string, id: string): Promise<AttachmentRow | undefined> {
  if (!isUuid(id)) return undefined;
  return AttachmentRow.query(db).where({ bidId, id }).first();
}

/** How many files a bid carries and their total size in bytes. */
export async function attachmentTotals(db: Db, bidId: string): Promise<{ count: number; bytes: number }> {
  const row = (await AttachmentRow.query(db)
    .where({ bidId })
    .select(AttachmentRow.raw('count(*)::int as count, coalesce(sum(size_bytes), 0)::bigint as bytes'))
    .first()) as unknown as { count: number; bytes: number | string };
  return { count: Number(row.count), bytes: Number(row.bytes) };
}

/** Stores an uploaded file's bytes with the row that describes it. */
export async function insertAttachment(
  trx: Knex.Transaction,
  attachment: Pick<
    AttachmentRow,
    'bidId' | 'filename' | 'contentType' | 'purpose' | 'sizeBytes' | 'sha256' | 'data' | 'uploadedBy'
  > &
    Pick<AttachmentRow, 'clarificationId' | 'partnerId'>,
): Promise<AttachmentRow> {
  const row = await AttachmentRow.query(trx).insert(attachment).returning(ATTACHMENT_COLUMNS);
  return row as unknown as AttachmentRow;
}

/** Removes an attachment. */
export async function deleteAttachment(trx: Knex.Transaction, bidId: string, id: string): Promise<void> {
  await AttachmentRow.query(trx).where({ bidId, id }).delete();
}

/** Whether any submitted version of the bid lists the attachment (then it is part of the record). */
export async function attachmentIsSubmitted(db: Db, bidId: string, attachmentId: string): Promise<boolean> {
  const row = await db('bidVersions')
    .where({ bidId })
    .whereRaw("canonical_json::jsonb -> 'attachments' @> ?::jsonb", [JSON.stringify([{ id: attachmentId }])])
    .first();
  return row !== undefined;
}

/** The partners of each bid of a call submitted by its deadline, as its newest version has them. */
export async function submittedPartnersOfCall(
  db: Db,
  callId: string,
): Promise<{ bidId: string; reference: string; partners: Partner[] }[]> {
  const bids = await BidRow.query(db)
    .select('id', 'reference')
    .where({ callId })
    .whereIn('status', [...APPRAISED_STATUSES])
    .orderBy('reference');
  const versions = await latestVersionSummariesOf(
    db,
    bids.map((bid) => bid.id),
  );
  return bids.map((bid) => ({
    bidId: bid.id,
    reference: bid.reference,
    partners: versions.get(bid.id)?.fields.partners ?? [],
  }));
}

/** The newest invitation of each partner row of a bid that is not replaced by a newer one: to whom, until when. */
export async function partnerInvitations(
  db: Db,
  bidId: string,
): Promise<
  {
    partnerId: string;
    email: string;
    expiresAt: Date;
    acceptedAt: Date | null;
    revokedAt: Date | null;
    createdAt: Date;
  }[]
> {
  // revokedAt is always null here; it is read so that people/invitations.ts's isLive can be asked of these rows.
  return db('invitations')
    .select('partnerId', 'email', 'expiresAt', 'acceptedAt', 'revokedAt', 'createdAt')
    .where({ kind: 'partner', bidId, revokedAt: null })
    .orderBy([{ column: 'createdAt', order: 'desc' }, { column: 'id' }]);
}
