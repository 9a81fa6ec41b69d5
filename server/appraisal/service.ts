/**
 * The use cases of the appraisal: the officer sets the panel, appraisers declare interests and score, the
 * officer moderates, reads the ranking and funding plans, and decides. Every change is audited in its transaction.
 */
import type { Actor, AppContext } from '../context.ts';
import { recordAudit } from '../audit/repository.ts';
import { findOwnCall, findVisibleCall } from '../calls/service.ts';
import { findCall, setStage } from '../calls/repository.ts';
import { callStatus } from '../calls/status.ts';
import { findReadableBid } from '../bids/access.ts';
import { findBid, latestVersion, listBids, setBidStatus } from '../bids/repository.ts';
import { Conflict, Forbidden, NotFound, Validation } from '../errors.ts';
import type { BidRow, BidVersionRow } from '../models/bids.ts';
import type { BidFields } from '../bids/types.ts';
import type { BidViewer } from '../bids/access.ts';
import type { CallRow } from '../models/calls.ts';
import { User } from '../models/identity.ts';
import { validate } from '../validation.ts';
import { appraiserListEntry, appraiserStanding, isAppraised, panelAtWork } from './access.ts';
import * as repository from './repository.ts';
import { appraiseBid } from './scoring.ts';
import { checkScoreSheet, type ScoreSheetEntry } from './scoreSheet.ts';
import { appraiseCall, rankCall, rankOneBid, scoringCriteria, withGreedyRecommendations, type CallAppraisal, type RecommendedBid } from './summary.ts';
import type { PlanObjective } from './plan/types.ts';

/** The officer sets the panel of a closed call; the call moves to appraisal. Appraisers who scored stay. */
export async function setPanel(ctx: AppContext, actor: Actor, callId: string, body: unknown) {
  const call = await findOwnCall(ctx, actor, callId);
  const { appraiserIds } = validate<{ appraiserIds: string[] }>('panel.schema.json', body);
  const status = callStatus(call.stage, call.closesAt, ctx.clock.now());
  if (status !== 'closed' && status !== 'appraisal')
    throw new Conflict(`The panel is set once the call has closed; this call is ${status}`);
  const appraisers = await User.query(ctx.knex).whereIn('id', appraiserIds).where({ role: 'appraiser', funderId: actor.funderId });
  const known = new Set(appraisers.map((a) => a.id));
  const unknown = appraiserIds.map((id, i) => ({ id, i })).filter(({ id }) => !known.has(id));
  if (unknown.length > 0)
    throw new Validation(
      'The panel has problems',
      unknown.map(({ i }) => ({ path: `/appraiserIds/${i}`, message: 'Not an appraiser of your funder' })),
    );
  await ctx.knex.transaction(async (trx) => {
    const before = (await repository.panelOf(trx, call.id)).map((m) => m.appraiserId);
    const scored = await repository.appraisersWithSubmittedScores(trx, call.id);
    const dropped = scored.filter((id) => !appraiserIds.includes(id));
    if (dropped.length > 0) throw new Conflict('An appraiser who has submitted scores cannot leave the panel');
    await repository.replacePanel(trx, call.id, appraiserIds, actor.id);
    if (call.stage !== 'appraisal') await setStage(trx, call.id, 'appraisal');
    await recordAudit(trx, { actorId: actor.id, action: 'call.panel-set', callId: call.id, before: { appraiserIds: before }, after: { appraiserIds } });
  });
  return { callId: call.id, status: 'appraisal', panel: await repository.panelOf(ctx.knex, call.id) };
}

async function appraiserBid(ctx: AppContext, actor: Actor, bidId: string): Promise<{ bid: BidRow; call: CallRow }> {
  if (actor.role !== 'appraiser') throw new Forbidden('Only appraisers on the panel do that');
  const bid = await findBid(ctx.knex, bidId);
  const call = bid ? await findCall(ctx.knex, bid.callId) : undefined;
  if (!bid || !call || call.funderId !== actor.funderId) throw new NotFound('Bid');
  return { bid, call };
}

/** An appraiser declares a conflict of interest, or none, before reading a bid; a conflict is final. */
export async function declareConflict(ctx: AppContext, actor: Actor, bidId: string, body: unknown) {
  const { bid, call } = await appraiserBid(ctx, actor, bidId);
  const standing = await appraiserStanding(ctx.knex, actor.id, bid, call);
  if (standing === 'out-of-reach' || standing === 'conflicted') throw new NotFound('Bid');
  const input = validate<{ conflict: boolean; details?: string }>('conflict.schema.json', body);
  if (call.stage !== 'appraisal') throw new Conflict('The appraisal of this call is over');
  const now = ctx.clock.now();
  await ctx.knex.transaction(async (trx) => {
    const before = await repository.findDeclaration(trx, bid.id, actor.id);
    await repository.saveDeclaration(trx, { bidId: bid.id, appraiserId: actor.id, conflict: input.conflict, details: input.details ?? null, declaredAt: now });
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'conflict.declared',
      callId: call.id,
      bidId: bid.id,
      before: before ? { conflict: before.conflict } : null,
      after: { conflict: input.conflict, details: input.details ?? null },
      at: now,
    });
    // A conflict declared after scoring sets the sheet aside (repository.ts, whereSheetCounts); the officer is told.
    const sheet = input.conflict ? await repository.findSheetRow(trx, bid.id, actor.id) : undefined;
    if (sheet?.submittedAt)
      await recordAudit(trx, {
        actorId: actor.id,
        action: 'scores.set-aside',
        callId: call.id,
        bidId: bid.id,
        before: { counted: true, submittedAt: sheet.submittedAt.toISOString() },
        after: { counted: false, reason: 'A conflict of interest was declared after the scores were submitted' },
        at: now,
      });
  });
  return { bidId: bid.id, conflict: input.conflict, declaredAt: now.toISOString() };
}

/** An appraiser's own sheet for a bid (a draft until submitted). */
export async function mySheet(ctx: AppContext, actor: Actor, bidId: string) {
  const { bid, call, viewer } = await findReadableBid(ctx, actor, bidId);
  if (viewer !== 'appraiser') throw new Forbidden('Only appraisers on the panel have score sheets');
  return sheetOf(ctx, actor, bid, call);
}

/**
 * The appraiser's sheet on a bid on their list that they have declared no conflict on (appraiserListedBid): the
 * list's rule has already said they may score it, so neither the bid nor its call is read again.
 */
export async function listedSheet(ctx: AppContext, actor: Actor, listed: Awaited<ReturnType<typeof appraiserListedBid>>) {
  if (!listed.appraisal.declared) throw new Forbidden('Declare whether you have a conflict of interest before scoring this bid');
  return sheetOf(ctx, actor, listed.bid, listed.call);
}

async function sheetOf(ctx: AppContext, actor: Actor, bid: Pick<BidRow, 'id'>, call: CallRow) {
  const found = await repository.findSheet(ctx.knex, bid.id, actor.id);
  return {
    bidId: bid.id,
    criteria: scoringCriteria(call),
    submittedAt: found?.sheet.submittedAt?.toISOString() ?? null,
    scores: (found?.scores ?? []).map(({ criterion, score, comment }) => ({ criterion, score, comment })),
  };
}

/** An appraiser saves their scores as a draft, or submits them once; submitted scores are final. */
export async function saveMyScores(ctx: AppContext, actor: Actor, bidId: string, body: unknown) {
  const { bid, call, viewer } = await findReadableBid(ctx, actor, bidId);
  if (viewer !== 'appraiser') throw new Forbidden('Only appraisers on the panel score bids');
  const input = validate<{ scores: ScoreSheetEntry[]; submit: boolean }>('scores.schema.json', body);
  if (call.stage !== 'appraisal') throw new Conflict('The appraisal of this call is over');
  const check = checkScoreSheet(scoringCriteria(call), input.scores, { submit: input.submit });
  if (check.problems.length > 0) throw new Validation('The scores have problems', check.problems);
  const now = ctx.clock.now();
  const scores = input.scores.map((entry) => ({
    criterion: entry.criterion,
    score: entry.score ?? null,
    comment: entry.comment !== undefined && entry.comment.trim() !== '' ? entry.comment : null,
  }));
  await ctx.knex.transaction(async (trx) => {
    const existing = await repository.findSheet(trx, bid.id, actor.id, { forUpdate: true });
    if (existing?.sheet.submittedAt) throw new Conflict('Your scores for this bid are submitted and final');
    await repository.saveSheet(trx, bid.id, actor.id, scores, { updatedAt: now, submittedAt: input.submit ? now : null });
    if (input.submit)
      await recordAudit(trx, { actorId: actor.id, action: 'scores.submitted', callId: call.id, bidId: bid.id, before: null, after: { scores }, at: now });
  });
  return mySheet(ctx, actor, bid.id);
}

/**
 * The scores on a bid: the officer always; an appraiser once their own are submitted; the bid's
 * organisation once its decision is made (without the appraisers' identities).
 */
export async function bidScores(ctx: AppContext, actor: Actor, bidId: string) {
  const reached = await findReadableBid(ctx, actor, bidId);
  const decision = reached.viewer === 'own' ? await repository.findDecision(ctx.knex, reached.bid.id) : undefined;
  return scoresOfBid(ctx, actor, { ...reached, decision });
}

/**
 * The scores on a bid by bidScores' rule, for a caller that has already read the bid as the actor reaches it and
 * its decision (getBid's BidView): neither is read again.
 */
export async function scoresOfBid(
  ctx: AppContext,
  actor: Actor,
  reached: { bid: BidRow; call: CallRow; viewer: BidViewer; decision: repository.Decision | undefined },
) {
  const { bid, call, viewer } = reached;
  if (viewer === 'appraiser') {
    const own = await repository.findSheet(ctx.knex, bid.id, actor.id);
    if (!own?.sheet.submittedAt) throw new Forbidden('Submit your own scores for this bid before seeing anyone else\'s');
  }
  if (viewer === 'own' && !reached.decision) throw new Forbidden('Scores are shared with the applicant once the decision is made');
  const { sheets, scores } = await repository.submittedScoresFor(ctx.knex, [bid.id]);
  const moderations = await repository.moderationsFor(ctx.knex, [bid.id]);
  const criteria = scoringCriteria(call);
  const appraisal = appraiseBid(
    criteria,
    scores.filter((s) => s.score !== null).map((s) => ({ criterion: s.criterion, score: s.score! })),
    moderations.map((m) => ({ criterion: m.criterion, score: m.score })),
  );
  return {
    appraisers: sheets.map((sheet, i) => ({
      appraiserId: viewer === 'own' ? null : sheet.appraiserId,
      label: `Appraiser ${i + 1}`,
      submittedAt: sheet.submittedAt!.toISOString(),
      scores: scores
        .filter((s) => s.appraiserId === sheet.appraiserId)
        .map(({ criterion, score, comment }) => ({ criterion, score, comment })),
    })),
    moderated: moderations.map(({ criterion, score, rationale, moderatedAt }) => ({ criterion, score, rationale, moderatedAt: moderatedAt.toISOString() })),
    final: appraisal.final.map(({ criterion, display, flagged, moderated }) => ({ criterion, score: display, flagged, moderated })),
    weightedScorePercent: appraisal.weighted?.percent ?? null,
    meetsThresholds: appraisal.thresholds.meets,
    thresholdFailures: appraisal.thresholds.failed.map((f) => f.criterion),
  };
}

/** The officer, as panel chair, sets moderated scores with a rationale for each. */
export async function moderate(ctx: AppContext, actor: Actor, bidId: string, body: unknown) {
  const { bid, call, viewer } = await findReadableBid(ctx, actor, bidId);
  if (viewer !== 'officer') throw new Forbidden('Only officers moderate scores');
  const input = validate<{ scores: { criterion: string; score: number; rationale: string }[] }>('moderation.schema.json', body);
  if (call.stage !== 'appraisal') throw new Conflict('Scores are moderated while the call is in appraisal');
  if (!(await isAppraised(ctx.knex, bid))) throw new Conflict('Only bids that passed the gateway are scored');
  const known = new Set(scoringCriteria(call).map((c) => c.code));
  const unknown = input.scores.map((s, i) => ({ s, i })).filter(({ s }) => !known.has(s.criterion));
  if (unknown.length > 0)
    throw new Validation('The moderation has problems', unknown.map(({ i, s }) => ({ path: `/scores/${i}/criterion`, message: `Unknown criterion ${s.criterion}` })));
  const now = ctx.clock.now();
  await ctx.knex.transaction(async (trx) => {
    const before = (await repository.moderationsFor(trx, [bid.id])).filter((m) => input.scores.some((s) => s.criterion === m.criterion));
    await repository.saveModerations(
      trx,
      input.scores.map((s) => ({ bidId: bid.id, criterion: s.criterion, score: s.score, rationale: s.rationale, moderatedBy: actor.id, moderatedAt: now })),
    );
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'scores.moderated',
      callId: call.id,
      bidId: bid.id,
      before: before.map(({ criterion, score, rationale }) => ({ criterion, score, rationale })),
      after: input.scores,
      at: now,
    });
  });
  return bidScores(ctx, actor, bid.id);
}

/** The officer's view of a call's appraisal: ranking, value for money and both funding plans. */
export async function callAppraisal(ctx: AppContext, actor: Actor, callId: string, objective: PlanObjective): Promise<{ call: CallRow; appraisal: CallAppraisal }> {
  const call = await findOwnCall(ctx, actor, callId);
  return { call, appraisal: await appraiseCall(ctx.knex, call, { objective, planCache: ctx.knex }) };
}

/** A call row the caller has read, if the actor is an officer of its funder: findOwnCall's rule, without a read. */
export function ownCallRow(actor: Actor, call: CallRow): CallRow {
  if (actor.role !== 'officer') throw new Forbidden();
  if (call.funderId !== actor.funderId) throw new NotFound('Call');
  return call;
}

/**
 * The officer's ranking of their call's submitted bids, each with its scores and its recommendation in the greedy
 * plan: no value for money, decisions or optimal plan, so no solver. `call` is the row findOwnCall answered;
 * `bids` the call's bids with their newest versions, when the caller has read them already.
 */
export async function callRanking(
  ctx: AppContext,
  actor: Actor,
  call: CallRow,
  bids?: Parameters<typeof rankCall>[2],
): Promise<RecommendedBid[]> {
  ownCallRow(actor, call);
  return withGreedyRecommendations(call, await rankCall(ctx.knex, call, bids));
}

/** The officer's list for decisions: the ranking as callRanking has it, and each bid's decision if it has one. */
export async function callDecisions(ctx: AppContext, actor: Actor, call: CallRow) {
  const ranking = await callRanking(ctx, actor, call);
  const decisions = new Map((await repository.decisionsFor(ctx.knex, ranking.map(({ bid }) => bid.id))).map((d) => [d.bidId, d]));
  return ranking.map((b) => ({ ...b, decision: decisions.get(b.bid.id) }));
}

/**
 * One bid's scores, rank and greedy recommendation, for the officer deciding it; `reached` is the bid, its call,
 * who is looking and its newest version as getBid answered them. Undefined for a bid not submitted by the deadline.
 */
export async function bidRanking(
  ctx: AppContext,
  reached: { bid: BidRow; call: CallRow; viewer: BidViewer; version: BidVersionRow | undefined },
  fields: BidFields,
): Promise<RecommendedBid | undefined> {
  if (reached.viewer !== 'officer') throw new Forbidden('Only officers see the ranking');
  if (!reached.version) return undefined;
  return rankOneBid(ctx.knex, reached.call, { bid: reached.bid, version: reached.version, fields });
}

/**
 * The officer records a decision on a submitted bid of a closed call. Approval needs a bid that passed the
 * gateway and the quality thresholds. The call is decided once every submitted bid has its decision.
 */
export async function decide(ctx: AppContext, actor: Actor, bidId: string, body: unknown) {
  const { bid, call, viewer } = await findReadableBid(ctx, actor, bidId);
  if (viewer !== 'officer') throw new Forbidden('Only officers record decisions');
  const input = validate<{ decision: 'approved' | 'approved_with_conditions' | 'rejected'; conditions?: string; reason?: string }>(
    'decision.schema.json',
    body,
  );
  const status = callStatus(call.stage, call.closesAt, ctx.clock.now());
  if (status !== 'closed' && status !== 'appraisal') throw new Conflict(`Decisions are made once the call has closed; this call is ${status}`);
  if (input.decision !== 'rejected') {
    if (!(await isAppraised(ctx.knex, bid))) throw new Conflict('A bid that failed the gateway is never funded');
    const { sheets, scores } = await repository.submittedScoresFor(ctx.knex, [bid.id]);
    const moderations = await repository.moderationsFor(ctx.knex, [bid.id]);
    const appraisal = appraiseBid(
      scoringCriteria(call),
      scores.filter((s) => s.score !== null).map((s) => ({ criterion: s.criterion, score: s.score! })),
      moderations.map((m) => ({ criterion: m.criterion, score: m.score })),
    );
    if (sheets.length === 0 || appraisal.weighted === null) throw new Conflict('The bid has not been scored yet');
    if (!appraisal.thresholds.meets)
      throw new Conflict(`The bid is below the quality threshold on ${appraisal.thresholds.failed.map((f) => f.criterion).join(', ')}`);
  }
  const now = ctx.clock.now();
  await ctx.knex.transaction(async (trx) => {
    const locked = (await findBid(trx, bid.id, { forUpdate: true }))!;
    if (locked.status !== 'submitted') throw new Conflict(`Only a submitted bid gets a decision; this one is ${locked.status}`);
    const decision = {
      bidId: bid.id,
      decision: input.decision,
      conditions: input.decision === 'approved_with_conditions' ? input.conditions! : null,
      reason: input.decision === 'rejected' ? input.reason! : null,
      decidedBy: actor.id,
      decidedAt: now,
    };
    await repository.insertDecision(trx, decision);
    await setBidStatus(trx, bid.id, input.decision);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'bid.decided',
      callId: call.id,
      bidId: bid.id,
      before: { status: 'submitted' },
      after: { status: input.decision, conditions: decision.conditions, reason: decision.reason },
      at: now,
    });
    if ((await repository.undecidedCount(trx, call.id)) === 0) {
      await setStage(trx, call.id, 'decided');
      await recordAudit(trx, { actorId: actor.id, action: 'call.decided', callId: call.id, before: { status }, after: { status: 'decided' }, at: now });
    }
  });
  return repository.findDecision(ctx.knex, bid.id);
}

/** The call whose panel the appraiser sits on; another funder's call, or a panel they are not on, is not found. */
async function panelCall(ctx: AppContext, actor: Actor, callId: string): Promise<CallRow> {
  const call = await findVisibleCall(ctx, actor, callId);
  if (call.funderId !== actor.funderId || !(await repository.isOnPanel(ctx.knex, call.id, actor.id))) throw new NotFound('Call');
  return call;
}

/** The bids an appraiser on the panel has to appraise, with their next step; conflicted bids leave the list. */
export async function appraiserBidList(ctx: AppContext, actor: Actor, callId: string) {
  return (await appraiserCall(ctx, actor, callId)).bids;
}

/** A call on the appraiser's panel, as read to check it is, with the bids on their list (appraiserBidList). */
export async function appraiserCall(ctx: AppContext, actor: Actor, callId: string) {
  const call = await panelCall(ctx, actor, callId);
  if (!panelAtWork(call)) return { call, bids: [] };
  const rows = await listBids(ctx.knex, call.id);
  const declarations = new Map((await repository.declarationsOnCall(ctx.knex, call.id, actor.id)).map((d) => [d.bidId, d]));
  const sheets = new Map((await repository.sheetsOnCall(ctx.knex, call.id, actor.id)).map((s) => [s.bidId, s]));
  return { call, bids: rows.flatMap(({ bid, version }) => appraiserListEntry(bid, version, declarations.get(bid.id), sheets.get(bid.id)) ?? []) };
}

/**
 * One bid as it stands on the appraiser's list (appraiserListEntry, the list's rule), reading that bid alone: not on the
 * panel, not appraised or declared conflicted are all "not found", as they are off the list.
 */
export async function appraiserListedBid(ctx: AppContext, actor: Actor, bidId: string) {
  const bid = await findBid(ctx.knex, bidId);
  if (!bid) throw new NotFound('Bid');
  const call = await panelCall(ctx, actor, bid.callId);
  if (!panelAtWork(call)) throw new NotFound('Bid');
  const [version, declaration, sheet] = await Promise.all([
    latestVersion(ctx.knex, bid.id),
    repository.findDeclaration(ctx.knex, bid.id, actor.id),
    repository.findSheetRow(ctx.knex, bid.id, actor.id),
  ]);
  const entry = appraiserListEntry(bid, version, declaration, sheet);
  if (!entry) throw new NotFound('Bid');
  return { ...entry, call };
}

/** The bid's audit trail, oldest first: all of it for officers, the organisation's own events and the decision for it. */
export async function bidAudit(ctx: AppContext, actor: Actor, bidId: string) {
  const { bid, viewer } = await findReadableBid(ctx, actor, bidId);
  if (viewer === 'appraiser') throw new Forbidden('The audit trail is for officers and the bidding organisation');
  const query = ctx.knex('auditEvents as e').leftJoin('users as u', 'u.id', 'e.actorId').where('e.bidId', bid.id).orderBy('e.id');
  if (viewer === 'own')
    query.where((q) => q.where('u.organisationId', bid.organisationId).orWhere('e.action', 'bid.decided'));
  const rows = await query.select('e.*', 'u.name as actorName', 'u.role as actorRole');
  return rows.map((row: Record<string, unknown>) => ({
    id: Number(row.id),
    occurredAt: (row.occurredAt as Date).toISOString(),
    action: row.action,
    actor: viewer === 'own' && row.actorRole !== 'applicant' ? { role: row.actorRole } : { id: row.actorId, name: row.actorName, role: row.actorRole },
    before: row.before,
    after: row.after,
  }));
}
