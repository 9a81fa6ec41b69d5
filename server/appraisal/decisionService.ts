/**
 * Decisions: the officer reads the call's appraisal (ranking, value for money, both funding plans), the ranking
 * for decisions and one bid's standing in it, records a decision on each bid (the call is decided with the last),
 * and reads a bid's audit trail.
 */
import type { Actor, AppContext } from '../context.ts';
import { recordAudit } from '../audit/repository.ts';
import * as access from '../access/index.ts';
import { setStage } from '../calls/repository.ts';
import { callStatus } from '../calls/status.ts';
import { findBid, setBidStatus } from '../bids/repository.ts';
import { Conflict } from '../errors.ts';
import type { BidVersionRow } from '../models/bids.ts';
import type { BidFields } from '../bids/types.ts';
import type { CallRow } from '../models/calls.ts';
import { validate } from '../validation.ts';
import { isAppraised } from './appraised.ts';
import { queueDecisionMail } from './decisionMail.ts';
import * as repository from './repository.ts';
import { appraiseBid } from './scoring.ts';
import {
  appraiseCall,
  rankCall,
  rankOneBid,
  scoringCriteria,
  withGreedyRecommendations,
  type CallAppraisal,
  type RecommendedBid,
} from './summary.ts';
import type { PlanObjective } from './plan/types.ts';

/** The officer's view of a call's appraisal: ranking, value for money and both funding plans. */
export async function callAppraisal(
  ctx: AppContext,
  actor: Actor,
  callId: string,
  objective: PlanObjective,
  /** Only these of each bid's fields, for an answer that shows no more (appraiseCall's `fields`). */
  fields?: readonly (keyof BidFields)[],
): Promise<{ call: CallRow; appraisal: CallAppraisal }> {
  const { call } = await access.manageCall(ctx, actor, callId);
  return { call, appraisal: await appraiseCall(ctx.knex, call, { objective, planCache: ctx.knex, fields }) };
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
  const decisions = new Map(
    (
      await repository.decisionsFor(
        ctx.knex,
        ranking.map(({ bid }) => bid.id),
      )
    ).map((d) => [d.bidId, d]),
  );
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

const NEEDS_CORRECTION = 'The bid has its decision already; replacing it is a correction, with a correctionReason';

/**
 * The officer records a decision on a submitted bid of a closed call. Approval needs a bid that passed the
 * gateway and the quality thresholds. The call is decided once every submitted bid has its decision.
 * Gateway and thresholds are judged under the bid's row lock, which moderation takes too: a moderation saved
 * while the decision waited is one it sees, so no bid is approved on scores it no longer has. A recorded decision
 * is replaced only by a correction, which states its reason; the audit keeps both.
 */
export async function decide(ctx: AppContext, actor: Actor, bidId: string, body: unknown) {
  const { bid, call } = access.officerBid(await access.readBid(ctx, actor, bidId), 'Only officers record decisions');
  const input = validate<{
    decision: 'approved' | 'approved_with_conditions' | 'rejected';
    conditions?: string;
    reason?: string;
    correctionReason?: string;
  }>('decision.schema.json', body);
  const status = callStatus(call.stage, call.closesAt, ctx.clock.now());
  const correcting = input.correctionReason !== undefined;
  // A decided call's bids all have their decisions: another is a correction.
  if (status === 'decided' && !correcting) throw new Conflict(NEEDS_CORRECTION);
  if (status !== 'closed' && status !== 'appraisal' && !(correcting && status === 'decided'))
    throw new Conflict(`Decisions are made once the call has closed; this call is ${status}`);
  const now = ctx.clock.now();
  await ctx.knex.transaction(async (trx) => {
    const locked = (await findBid(trx, bid.id, { forUpdate: true }))!;
    const recorded = await repository.findDecision(trx, bid.id);
    if (recorded && !correcting) throw new Conflict(NEEDS_CORRECTION);
    if (!recorded && correcting)
      throw new Conflict('The bid has no decision to correct; record one without a correctionReason');
    if (input.decision !== 'rejected') {
      if (!(await isAppraised(trx, locked))) throw new Conflict('A bid that failed the gateway is never funded');
      const { sheets, scores } = await repository.submittedScoresFor(trx, [bid.id]);
      const moderations = await repository.moderationsFor(trx, [bid.id]);
      const appraisal = appraiseBid(
        scoringCriteria(call),
        scores.filter((s) => s.score !== null).map((s) => ({ criterion: s.criterion, score: s.score! })),
        moderations.map((m) => ({ criterion: m.criterion, score: m.score })),
      );
      if (sheets.length === 0 || appraisal.weighted === null) throw new Conflict('The bid has not been scored yet');
      if (!appraisal.thresholds.meets)
        throw new Conflict(
          `The bid is below the quality threshold on ${appraisal.thresholds.failed.map((f) => f.criterion).join(', ')}`,
        );
    }
    if (!recorded && locked.status !== 'submitted')
      throw new Conflict(`Only a submitted bid gets a decision; this one is ${locked.status}`);
    const decision = {
      bidId: bid.id,
      decision: input.decision,
      conditions: input.decision === 'approved_with_conditions' ? input.conditions! : null,
      reason: input.decision === 'rejected' ? input.reason! : null,
      decidedBy: actor.id,
      decidedAt: now,
      correctionReason: input.correctionReason ?? null,
    };
    await repository.saveDecision(trx, decision);
    await setBidStatus(trx, bid.id, input.decision);
    const outcome = { status: input.decision, conditions: decision.conditions, reason: decision.reason };
    await recordAudit(trx, {
      actorId: actor.id,
      action: recorded ? 'bid.decision-corrected' : 'bid.decided',
      callId: call.id,
      bidId: bid.id,
      before: recorded
        ? {
            status: recorded.decision,
            conditions: recorded.conditions,
            reason: recorded.reason,
            decidedBy: recorded.decidedBy,
            decidedAt: recorded.decidedAt,
          }
        : { status: 'submitted' },
      after: recorded ? { ...outcome, correctionReason: decision.correctionReason } : outcome,
      at: now,
    });
    // Once the call's release has come, a decision reaches the consortium as it is made, a correction included;
    // before it, the release sends whatever the decision is then. With no release instant set, nothing is sent.
    if (call.releaseDecisionsAt && access.decisionsReleased(call, now))
      await queueDecisionMail(
        ctx,
        trx,
        { bid, call, decision: (await repository.findDecision(trx, bid.id))! },
        recorded,
      );
    if (!recorded && (await repository.undecidedCount(trx, call.id)) === 0) {
      await setStage(trx, call.id, 'decided');
      await recordAudit(trx, {
        actorId: actor.id,
        action: 'call.decided',
        callId: call.id,
        before: { status },
        after: { status: 'decided' },
        at: now,
      });
    }
  });
  return repository.findDecision(ctx.knex, bid.id);
}

/**
 * The bid's audit trail, oldest first: all of it for officers; for the organisation, the events of the people who
 * acted for it (members when they acted, whether or not they still are) and the decision.
 */
export async function bidAudit(ctx: AppContext, actor: Actor, bidId: string) {
  const read = access.auditReader(await access.readBid(ctx, actor, bidId));
  const { bid, viewer } = read;
  const query = ctx
    .knex('auditEvents as e')
    .leftJoin('users as u', 'u.id', 'e.actorId')
    .where('e.bidId', bid.id)
    .orderBy('e.id');
  // The organisation sees its decision, and any correction of it, once the call's decisions are released.
  const decisionEvents = access.seesDecision(read, ctx.clock.now()) ? ['bid.decided', 'bid.decision-corrected'] : [];
  if (viewer === 'own')
    query.where((q) => q.where('e.actorOrganisationId', bid.organisationId).orWhereIn('e.action', decisionEvents));
  const rows = await query.select('e.*', 'u.name as actorName', 'u.role as actorRole');
  return rows.map((row: Record<string, unknown>) => ({
    id: Number(row.id),
    occurredAt: (row.occurredAt as Date).toISOString(),
    action: row.action,
    actor:
      viewer === 'own' && row.actorRole !== 'applicant'
        ? { role: row.actorRole }
        : { id: row.actorId, name: row.actorName, role: row.actorRole },
    before: row.before,
    after: row.after,
  }));
}
