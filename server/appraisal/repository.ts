/** Queries for panels, declarations of interest, score sheets, moderation and decisions. */
import type { Knex } from 'knex';
import type { BidStatus } from '../bids/types.ts';
import type { CallStatus } from '../calls/types.ts';

type Db = Knex | Knex.Transaction;

export interface Declaration {
  bidId: string;
  appraiserId: string;
  conflict: boolean;
  details: string | null;
  declaredAt: Date;
}

export interface ScoreSheet {
  bidId: string;
  appraiserId: string;
  submittedAt: Date | null;
  updatedAt: Date;
  /** The version of the bid the sheet was submitted on; null while a draft. */
  submittedVersion: number | null;
}

export interface StoredScore {
  bidId: string;
  appraiserId: string;
  criterion: string;
  score: number | null;
  comment: string | null;
}

export interface Moderation {
  bidId: string;
  criterion: string;
  score: number;
  rationale: string;
  moderatedBy: string;
  moderatedAt: Date;
}

export interface Decision {
  bidId: string;
  decision: 'approved' | 'approved_with_conditions' | 'rejected';
  conditions: string | null;
  reason: string | null;
  decidedBy: string;
  decidedAt: Date;
  /** Why a recorded decision was replaced by this one; null for a first decision. */
  correctionReason?: string | null;
  /** The officer's feedback for the applicant, released with the decision; null when none is written. */
  feedback?: string | null;
}

/** The officer's feedback for the applicant on a bid. */
export interface Feedback {
  bidId: string;
  feedback: string;
  writtenBy: string;
  writtenAt: Date;
}

/** The appraisers on a call's panel, with their names. */
export async function panelOf(db: Db, callId: string): Promise<{ appraiserId: string; name: string; email: string }[]> {
  return db('panelMembers as p')
    .join('users as u', 'u.id', 'p.appraiserId')
    .where('p.callId', callId)
    .select('p.appraiserId', 'u.name', 'u.email')
    .orderBy([{ column: 'u.name' }, { column: 'p.appraiserId' }]);
}

/** A call whose panel an appraiser sits on, as their list of panels shows it. */
export interface PanelCall {
  id: string;
  title: string;
  reference: string;
  stage: CallStatus;
  closesAt: Date;
}

/** The calls of the appraiser's own funder whose panel they sit on, newest deadline first. */
export async function panelCallsOf(db: Db, appraiserId: string, funderId: string | null): Promise<PanelCall[]> {
  return db('panelMembers as p')
    .join('calls as c', 'c.id', 'p.callId')
    .where({ 'p.appraiserId': appraiserId, 'c.funderId': funderId })
    .orderBy([{ column: 'c.closesAt', order: 'desc' }, { column: 'c.reference' }])
    .select('c.id', 'c.title', 'c.reference', 'c.stage', 'c.closesAt');
}

/** What an appraiser's list needs of a bid: see appraiserListEntry. */
export interface ListedBidFacts {
  bidId: string;
  callId: string;
  status: BidStatus;
  /** Whether the bid's newest version passed the gateway; null for a bid never submitted. */
  gatewayPassed: boolean | null;
  /** The appraiser's declaration on it: null when they have made none. */
  conflict: boolean | null;
  /** When the appraiser submitted their sheet for it: null for a draft sheet or none. */
  submittedAt: Date | null;
}

/** Every bid on the given calls with what one appraiser's list needs of it, in one query. */
export async function listedBidFactsOnCalls(db: Db, callIds: string[], appraiserId: string): Promise<ListedBidFacts[]> {
  if (callIds.length === 0) return [];
  return db('bids as b')
    .joinRaw(
      'left join lateral (select gateway_passed from bid_versions where bid_id = b.id order by version desc limit ' +
        '1) as v on true',
    )
    .leftJoin('conflictDeclarations as d', (join) => join.on('d.bidId', 'b.id').andOnVal('d.appraiserId', appraiserId))
    .leftJoin('scoreSheets as s', (join) => join.on('s.bidId', 'b.id').andOnVal('s.appraiserId', appraiserId))
    .whereIn('b.callId', callIds)
    .select('b.id as bidId', 'b.callId', 'b.status', 'v.gatewayPassed', 'd.conflict', 's.submittedAt');
}

/** Whether an appraiser sits on a call's panel. */
export async function isOnPanel(db: Db, callId: string, appraiserId: string): Promise<boolean> {
  return (await db('panelMembers').where({ callId, appraiserId }).first()) !== undefined;
}

/** Replaces a call's panel. */
export async function replacePanel(
  trx: Knex.Transaction,
  callId: string,
  appraiserIds: string[],
  assignedBy: string,
): Promise<void> {
  await trx('panelMembers').where({ callId }).whereNotIn('appraiserId', appraiserIds).delete();
  await trx('panelMembers')
    .insert(appraiserIds.map((appraiserId) => ({ callId, appraiserId, assignedBy })))
    .onConflict(['callId', 'appraiserId'])
    .ignore();
}

/** Appraisers who have submitted any score sheet on the call's bids. */
export async function appraisersWithSubmittedScores(db: Db, callId: string): Promise<string[]> {
  const rows = await db('scoreSheets as s')
    .join('bids as b', 'b.id', 's.bidId')
    .where('b.callId', callId)
    .whereNotNull('s.submittedAt')
    .distinct('s.appraiserId');
  return rows.map((row: { appraiserId: string }) => row.appraiserId);
}

/** An appraiser's declaration for a bid. */
export async function findDeclaration(db: Db, bidId: string, appraiserId: string): Promise<Declaration | undefined> {
  return db('conflictDeclarations').where({ bidId, appraiserId }).first();
}

/** Declarations on a call's bids, for one appraiser or all. */
export async function declarationsOnCall(db: Db, callId: string, appraiserId?: string): Promise<Declaration[]> {
  const query = db('conflictDeclarations as d')
    .join('bids as b', 'b.id', 'd.bidId')
    .where('b.callId', callId)
    .select('d.*');
  if (appraiserId) query.where('d.appraiserId', appraiserId);
  return query;
}

/** Records or updates an appraiser's declaration. */
export async function saveDeclaration(trx: Knex.Transaction, declaration: Declaration): Promise<void> {
  await trx('conflictDeclarations').insert(declaration).onConflict(['bidId', 'appraiserId']).merge();
}

/** An appraiser's sheet for a bid, without its scores. */
export async function findSheetRow(
  db: Db,
  bidId: string,
  appraiserId: string,
  options: { forUpdate?: boolean } = {},
): Promise<ScoreSheet | undefined> {
  const query = db('scoreSheets').where({ bidId, appraiserId }).first();
  if (options.forUpdate) query.forUpdate();
  return query;
}

/** An appraiser's sheet for a bid, with their scores. */
export async function findSheet(
  db: Db,
  bidId: string,
  appraiserId: string,
  options: { forUpdate?: boolean } = {},
): Promise<{ sheet: ScoreSheet; scores: StoredScore[] } | undefined> {
  const sheet = await findSheetRow(db, bidId, appraiserId, options);
  if (!sheet) return undefined;
  return { sheet, scores: await db('scores').where({ bidId, appraiserId }).orderBy('criterion') };
}

/** Saves an appraiser's sheet, replacing their scores; `submittedAt` makes it final. */
export async function saveSheet(
  trx: Knex.Transaction,
  bidId: string,
  appraiserId: string,
  scores: { criterion: string; score: number | null; comment: string | null }[],
  times: { updatedAt: Date; submittedAt: Date | null; submittedVersion?: number | null },
): Promise<void> {
  await trx('scoreSheets')
    .insert({ bidId, appraiserId, ...times })
    .onConflict(['bidId', 'appraiserId'])
    .merge(['updatedAt', 'submittedAt', 'submittedVersion']);
  await trx('scores').where({ bidId, appraiserId }).delete();
  if (scores.length > 0) await trx('scores').insert(scores.map((s) => ({ bidId, appraiserId, ...s })));
}

/**
 * The one rule for which score sheets count (in final scores, flags, ranks, plans, the workbook, the officer's
 * pages): submitted, by an appraiser who has declared no conflict on the bid. A conflict declared after scoring
 * sets the sheet aside: it stays stored, and in the audit, but nothing that scores the bid uses it. Adds that
 * condition to `query`, whose score sheet goes by the alias `sheet`.
 */
export function whereSheetCounts<Q extends Knex.QueryBuilder>(db: Db, query: Q, sheet: string): Q {
  return query.whereNotNull(`${sheet}.submittedAt`).whereNotExists(
    db('conflictDeclarations as setAside')
      .where('setAside.bidId', db.ref(`${sheet}.bidId`))
      .where('setAside.appraiserId', db.ref(`${sheet}.appraiserId`))
      .where('setAside.conflict', true)
      .select(db.raw('1')),
  ) as Q;
}

/** whereSheetCounts' rule for a sheet and the appraiser's declaration on its bid, both already read. */
export function sheetCounts(
  sheet: Pick<ScoreSheet, 'submittedAt'>,
  declaration: Pick<Declaration, 'conflict'> | undefined,
): boolean {
  return sheet.submittedAt !== null && declaration?.conflict !== true;
}

/**
 * The sheets that count (whereSheetCounts) of the given bids, without their scores, in the order they were submitted.
 */
export async function submittedSheetsFor(db: Db, bidIds: string[]): Promise<ScoreSheet[]> {
  if (bidIds.length === 0) return [];
  return whereSheetCounts(db, db('scoreSheets as h').whereIn('h.bidId', bidIds), 'h')
    .select('h.*')
    .orderBy([{ column: 'h.submittedAt' }, { column: 'h.bidId' }, { column: 'h.appraiserId' }]);
}

/** A submitted sheet set aside by a conflict its appraiser declared after scoring, for telling the officer. */
export interface SetAsideSheet {
  bidId: string;
  appraiserId: string;
  name: string;
  submittedAt: Date;
  declaredAt: Date;
}

/** The submitted sheets of the given bids that no longer count, their appraisers having declared a conflict. */
export async function setAsideSheetsFor(db: Db, bidIds: string[]): Promise<SetAsideSheet[]> {
  if (bidIds.length === 0) return [];
  return db('scoreSheets as h')
    .join('conflictDeclarations as d', (join) => join.on('d.bidId', 'h.bidId').andOn('d.appraiserId', 'h.appraiserId'))
    .join('users as u', 'u.id', 'h.appraiserId')
    .whereIn('h.bidId', bidIds)
    .whereNotNull('h.submittedAt')
    .where('d.conflict', true)
    .select('h.bidId', 'h.appraiserId', 'u.name', 'h.submittedAt', 'd.declaredAt')
    .orderBy([{ column: 'd.declaredAt' }, { column: 'h.appraiserId' }]);
}

/** The sheets that count (whereSheetCounts) with their scores for the given bids, in a single pass over each table. */
export async function submittedScoresFor(
  db: Db,
  bidIds: string[],
): Promise<{ sheets: ScoreSheet[]; scores: StoredScore[] }> {
  if (bidIds.length === 0) return { sheets: [], scores: [] };
  const sheets = await submittedSheetsFor(db, bidIds);
  const scores: StoredScore[] = await whereSheetCounts(
    db,
    db('scores as s')
      .join('scoreSheets as h', function () {
        this.on('h.bidId', 's.bidId').andOn('h.appraiserId', 's.appraiserId');
      })
      .whereIn('s.bidId', bidIds),
    'h',
  ).select('s.*');
  return { sheets, scores };
}

/** A bid's submitted scores as numbers, by criterion: what the arithmetic needs, without comments or appraisers. */
export interface ScoreFigures {
  bidId: string;
  byCriterion: Record<string, number[]>;
}

/**
 * The scores of the given bids' sheets that count (whereSheetCounts) as numbers, one row per bid (empty scores left
 * out). For a call's ranking: its 2,000 bids' 72,000 score rows, comments and all, were some 25 MB held while the
 * ranking (and the appraisal workbook written from it) lived; as one JSON object per bid they are 2,000 short rows,
 * parsed natively.
 */
export async function submittedScoreFiguresFor(db: Db, bidIds: string[]): Promise<ScoreFigures[]> {
  if (bidIds.length === 0) return [];
  const perCriterion = whereSheetCounts(
    db,
    db('scores as s')
      .join('scoreSheets as h', function () {
        this.on('h.bidId', 's.bidId').andOn('h.appraiserId', 's.appraiserId');
      })
      .whereIn('s.bidId', bidIds),
    'h',
  )
    .whereNotNull('s.score')
    .groupBy('s.bidId', 's.criterion')
    .select('s.bidId', 's.criterion', db.raw('json_agg(s.score) as scores'));
  return db
    .from(perCriterion.as('c'))
    .groupBy('c.bidId')
    .select('c.bidId', db.raw('json_object_agg(c.criterion, c.scores) as by_criterion'));
}

/** Every sheet (draft or submitted) on a call's bids, or one appraiser's, for progress. */
export async function sheetsOnCall(db: Db, callId: string, appraiserId?: string): Promise<ScoreSheet[]> {
  const query = db('scoreSheets as s').join('bids as b', 'b.id', 's.bidId').where('b.callId', callId).select('s.*');
  if (appraiserId) query.where('s.appraiserId', appraiserId);
  return query;
}

/** Moderated scores for the given bids. */
export async function moderationsFor(db: Db, bidIds: string[]): Promise<Moderation[]> {
  if (bidIds.length === 0) return [];
  return db('moderations')
    .whereIn('bidId', bidIds)
    .orderBy([{ column: 'criterion' }, { column: 'bidId' }]);
}

/** Sets moderated scores for a bid, replacing those given. */
export async function saveModerations(trx: Knex.Transaction, rows: Moderation[]): Promise<void> {
  await trx('moderations').insert(rows).onConflict(['bidId', 'criterion']).merge();
}

/** Decisions with the feedback written for each. */
function decisionsWithFeedback(db: Db) {
  return db('decisions as d').leftJoin('bidFeedback as f', 'f.bidId', 'd.bidId').select('d.*', 'f.feedback');
}

/** The decision on a bid, with its feedback. */
export async function findDecision(db: Db, bidId: string): Promise<Decision | undefined> {
  return decisionsWithFeedback(db).where('d.bidId', bidId).first();
}

/** Decisions on the given bids, with their feedback. */
export async function decisionsFor(db: Db, bidIds: string[]): Promise<Decision[]> {
  if (bidIds.length === 0) return [];
  return decisionsWithFeedback(db).whereIn('d.bidId', bidIds);
}

/** Records a decision, or replaces one (a correction). */
export async function saveDecision(trx: Knex.Transaction, decision: Omit<Decision, 'feedback'>): Promise<void> {
  await trx('decisions').insert(decision).onConflict('bidId').merge();
}

/** The feedback written for a bid. */
export async function findFeedback(db: Db, bidId: string): Promise<Feedback | undefined> {
  return db('bidFeedback').where({ bidId }).first();
}

/** Writes (or rewrites) the feedback for a bid. */
export async function saveFeedback(trx: Knex.Transaction, feedback: Feedback): Promise<void> {
  await trx('bidFeedback').insert(feedback).onConflict('bidId').merge();
}

/** Sets the instant a call's decisions are released. */
export async function setRelease(trx: Knex.Transaction, callId: string, releaseDecisionsAt: Date): Promise<void> {
  await trx('calls').where({ id: callId }).update({ releaseDecisionsAt });
}

/** The bids of a call that have a decision, each with it (and its feedback), in reference order. */
export async function decidedBidsOnCall(
  db: Db,
  callId: string,
): Promise<{ bid: { id: string; reference: string; organisationId: string }; decision: Decision }[]> {
  const rows: (Decision & { reference: string; organisationId: string })[] = await decisionsWithFeedback(db)
    .join('bids as b', 'b.id', 'd.bidId')
    .where('b.callId', callId)
    .select('b.reference', 'b.organisationId')
    .orderBy('b.reference');
  return rows.map(({ reference, organisationId, ...decision }) => ({
    bid: { id: decision.bidId, reference, organisationId },
    decision,
  }));
}

/** How many decisions are recorded on a call's bids. */
export async function decisionCountOnCall(db: Db, callId: string): Promise<number> {
  const row = await db('decisions as d')
    .join('bids as b', 'b.id', 'd.bidId')
    .where('b.callId', callId)
    .count<{ count: string }[]>('* as count')
    .first();
  return Number(row?.count ?? 0);
}

/** How many of a call's submitted bids still await a decision. */
export async function undecidedCount(db: Db, callId: string): Promise<number> {
  const row = await db('bids').where({ callId, status: 'submitted' }).count<{ count: string }[]>('* as count').first();
  return Number(row?.count ?? 0);
}
