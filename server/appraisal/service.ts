/**
 * The use cases of the appraisal: the officer sets the panel, appraisers declare interests and score, the
 * officer moderates, reads the ranking and funding plans, and decides. Every change is audited in its transaction.
 */
import type { Actor, AppContext } from '../context.ts';
import { recordAudit } from '../audit/repository.ts';
import * as access from '../access/index.ts';
import { setStage } from '../calls/repository.ts';
import { callStatus } from '../calls/status.ts';
import { findBid, listBids, setBidStatus } from '../bids/repository.ts';
import { Conflict, Validation } from '../errors.ts';
import type { BidVersionRow } from '../models/bids.ts';
import type { BidFields } from '../bids/types.ts';
import type { CallRow } from '../models/calls.ts';
import { User } from '../models/identity.ts';
import { validate } from '../validation.ts';
import { isAppraised, panelAtWork } from './appraised.ts';
import * as repository from './repository.ts';
import { appraiseBid, validateScoreSheet, type ScoreSheetEntry } from './scoring.ts';
import { appraiseCall, rankCall, rankOneBid, scoringCriteria, withGreedyRecommendations, type CallAppraisal, type RecommendedBid } from './summary.ts';
import type { PlanObjective } from './fundingPlan.ts';

/** The officer sets the panel of a closed call; the call moves to appraisal. Appraisers who scored stay. */
export async function setPanel(ctx: AppContext, actor: Actor, callId: string, body: unknown) {
  const { call } = await access.manageCall(ctx, actor, callId);
  const { appraiserIds } = validate<{ appraiserIds: string[] }>('panel.schema.json', body);
  const status = callStatus(call.stage, call.closesAt, ctx.clock.now());
  if (status !== 'closed' && status !== 'appraisal')
    throw new Conflict(`The panel is set once the call has closed; this call is ${status}`);
  const appraisers = await User.query(ctx.knex).whereIn('id', appraiserIds).where({ role: 'appraiser', funderId: call.funderId });
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

/** An appraiser declares a conflict of interest, or none, before reading a bid; a conflict is final. */
export async function declareConflict(ctx: AppContext, actor: Actor, bidId: string, body: unknown) {
  const { bid, call } = await access.declarableBid(ctx, actor, bidId);
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
  });
  return { bidId: bid.id, conflict: input.conflict, declaredAt: now.toISOString() };
}

/**
 * An appraiser's own sheet for a bid (a draft until submitted), as the access rule reached it: through the bid
 * (access.sheetOfReader) or through their list (access.sheetOfListed), neither of which is read again here.
 */
export async function mySheet(ctx: AppContext, { bid, call, appraiserId }: access.SheetOnBid) {
  const found = await repository.findSheet(ctx.knex, bid.id, appraiserId);
  return {
    bidId: bid.id,
    criteria: scoringCriteria(call),
    submittedAt: found?.sheet.submittedAt?.toISOString() ?? null,
    scores: (found?.scores ?? []).map(({ criterion, score, comment }) => ({ criterion, score, comment })),
  };
}

/** An appraiser saves their scores as a draft, or submits them once; submitted scores are final. */
export async function saveMyScores(ctx: AppContext, actor: Actor, bidId: string, body: unknown) {
  const sheet = access.sheetOfReader(actor, await access.readBid(ctx, actor, bidId), 'Only appraisers on the panel score bids');
  const { bid, call } = sheet;
  const input = validate<{ scores: ScoreSheetEntry[]; submit: boolean }>('scores.schema.json', body);
  if (call.stage !== 'appraisal') throw new Conflict('The appraisal of this call is over');
  const check = validateScoreSheet(scoringCriteria(call), input.scores, { submit: input.submit });
  if (check.problems.length > 0) throw new Validation('The scores have problems', check.problems);
  const now = ctx.clock.now();
  const scores = input.scores.map((entry) => ({
    criterion: entry.criterion as string,
    score: (entry.score ?? null) as number | null,
    comment: typeof entry.comment === 'string' && entry.comment.trim() !== '' ? entry.comment : null,
  }));
  await ctx.knex.transaction(async (trx) => {
    const existing = await repository.findSheet(trx, bid.id, actor.id, { forUpdate: true });
    if (existing?.sheet.submittedAt) throw new Conflict('Your scores for this bid are submitted and final');
    await repository.saveSheet(trx, bid.id, actor.id, scores, { updatedAt: now, submittedAt: input.submit ? now : null });
    if (input.submit)
      await recordAudit(trx, { actorId: actor.id, action: 'scores.submitted', callId: call.id, bidId: bid.id, before: null, after: { scores }, at: now });
  });
  return mySheet(ctx, sheet);
}

/**
 * The scores on a bid, for whoever access.readScores let read them (the officer always, an appraiser once their
 * own are submitted, the bid's organisation once its decision is made): without the appraisers' identities to
 * the organisation.
 */
export async function bidScores(ctx: AppContext, { bid, call, viewer }: access.ScoresOfBid) {
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
  const officer = access.officerBid(await access.readBid(ctx, actor, bidId), 'Only officers moderate scores');
  const { bid, call } = officer;
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
  return bidScores(ctx, await access.readScores(ctx, actor, officer));
}

/** The officer's view of a call's appraisal: ranking, value for money and both funding plans. */
export async function callAppraisal(ctx: AppContext, actor: Actor, callId: string, objective: PlanObjective): Promise<{ call: CallRow; appraisal: CallAppraisal }> {
  const { call } = await access.manageCall(ctx, actor, callId);
  return { call, appraisal: await appraiseCall(ctx.knex, call, { objective, planCache: ctx.knex }) };
}

/**
 * The officer's ranking of their call's submitted bids, each with its scores and its recommendation in the greedy
 * plan: no value for money, decisions or optimal plan, so no solver. `bids` are the call's bids with their newest
 * versions, when the caller has read them already.
 */
export async function callRanking(
  ctx: AppContext,
  { call }: access.ManagedCall,
  bids?: Parameters<typeof rankCall>[2],
): Promise<RecommendedBid[]> {
  return withGreedyRecommendations(call, await rankCall(ctx.knex, call, bids));
}

/** The officer's list for decisions: the ranking as callRanking has it, and each bid's decision if it has one. */
export async function callDecisions(ctx: AppContext, managed: access.ManagedCall) {
  const ranking = await callRanking(ctx, managed);
  const decisions = new Map((await repository.decisionsFor(ctx.knex, ranking.map(({ bid }) => bid.id))).map((d) => [d.bidId, d]));
  return ranking.map((b) => ({ ...b, decision: decisions.get(b.bid.id) }));
}

/**
 * One bid's scores, rank and greedy recommendation, for the officer deciding it; `reached` is the bid, its call
 * and its newest version as getBid answered them. Undefined for a bid not submitted by the deadline.
 */
export async function bidRanking(
  ctx: AppContext,
  reached: access.OfficerBid<access.ReadBid & { version: BidVersionRow | undefined }>,
  fields: BidFields,
): Promise<RecommendedBid | undefined> {
  if (!reached.version) return undefined;
  return rankOneBid(ctx.knex, reached.call, { bid: reached.bid, version: reached.version, fields });
}

/**
 * The officer records a decision on a submitted bid of a closed call. Approval needs a bid that passed the
 * gateway and the quality thresholds. The call is decided once every submitted bid has its decision.
 */
export async function decide(ctx: AppContext, actor: Actor, bidId: string, body: unknown) {
  const { bid, call } = access.officerBid(await access.readBid(ctx, actor, bidId), 'Only officers record decisions');
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

/** The bids an appraiser on the panel has to appraise, with their next step; conflicted bids leave the list. */
export async function appraiserBidList(ctx: AppContext, actor: Actor, callId: string) {
  return (await appraiserCall(ctx, actor, callId)).bids;
}

/** A call on the appraiser's panel, as read to check it is, with the bids on their list (appraiserBidList). */
export async function appraiserCall(ctx: AppContext, actor: Actor, callId: string) {
  const { call } = await access.panelCall(ctx, actor, callId);
  if (!panelAtWork(call)) return { call, bids: [] };
  const rows = await listBids(ctx.knex, call.id);
  const declarations = new Map((await repository.declarationsOnCall(ctx.knex, call.id, actor.id)).map((d) => [d.bidId, d]));
  const sheets = new Map((await repository.sheetsOnCall(ctx.knex, call.id, actor.id)).map((s) => [s.bidId, s]));
  return { call, bids: rows.flatMap(({ bid, version }) => access.appraiserListEntry(bid, version, declarations.get(bid.id), sheets.get(bid.id)) ?? []) };
}

/** One bid as it stands on the appraiser's list: access.listedBid, the list's rule, decides who reaches it. */
export async function appraiserListedBid(ctx: AppContext, actor: Actor, bidId: string): Promise<access.ListedBid> {
  return access.listedBid(ctx, actor, bidId);
}

/** The bid's audit trail, oldest first: all of it for officers, the organisation's own events and the decision for it. */
export async function bidAudit(ctx: AppContext, actor: Actor, bidId: string) {
  const { bid, viewer } = access.auditReader(await access.readBid(ctx, actor, bidId));
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
