/**
 * Decisions released on purpose: the officer sets the instant a call's decisions reach its applicants (or releases
 * them now), and writes each bid's feedback for the applicant, which is released with its decision.
 */
import type { Actor, AppContext } from '../context.ts';
import { recordAudit } from '../audit/repository.ts';
import * as access from '../access/index.ts';
import { findCall } from '../calls/repository.ts';
import { callStatus } from '../calls/status.ts';
import { Conflict } from '../errors.ts';
import { formatLondonDateTime } from '../shared/londonFormat.ts';
import { validate } from '../validation.ts';
import * as repository from './repository.ts';
import { queueReleaseOf } from './decisionMail.ts';

/** The release of a call's decisions as the API shows it at `at`. */
export function presentRelease(call: { id: string; releaseDecisionsAt: Date | null }, at: Date) {
  return {
    callId: call.id,
    releaseDecisionsAt: call.releaseDecisionsAt?.toISOString() ?? null,
    released: call.releaseDecisionsAt !== null && access.decisionsReleased(call, at),
  };
}

/**
 * The officer sets when the call's decisions are released: an instant now or past releases them at once. Refused
 * once they have reached applicants: after the instant set, or, with none set, once any decision is recorded
 * (each showed as it was made, and a release cannot take one back).
 */
export async function setRelease(ctx: AppContext, actor: Actor, callId: string, body: unknown) {
  const { call } = await access.manageCall(ctx, actor, callId);
  const input = validate<{ releaseDecisionsAt: string }>('release.schema.json', body);
  const now = ctx.clock.now();
  const releaseDecisionsAt = new Date(input.releaseDecisionsAt);
  await ctx.knex.transaction(async (trx) => {
    const locked = (await findCall(trx, call.id, { forUpdate: true }))!;
    if (locked.stage === 'draft') throw new Conflict('Publish the call before setting when its decisions are released');
    if (locked.releaseDecisionsAt && access.decisionsReleased(locked, now))
      throw new Conflict(
        `The decisions were released on ${formatLondonDateTime(locked.releaseDecisionsAt)} (UK time); ` +
          'a release cannot be taken back',
      );
    if (!locked.releaseDecisionsAt && (await repository.decisionCountOnCall(trx, call.id)) > 0)
      throw new Conflict('Decisions on this call have reached applicants as they were recorded; there is none to hold');
    await repository.setRelease(trx, call.id, releaseDecisionsAt);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'call.release-set',
      callId: call.id,
      before: { releaseDecisionsAt: locked.releaseDecisionsAt },
      after: { releaseDecisionsAt, status: callStatus(locked.stage, locked.closesAt, now) },
      at: now,
    });
    // Released now (or at an instant already past): the decisions recorded so far are e-mailed with it.
    if (access.decisionsReleased({ releaseDecisionsAt }, now)) await queueReleaseOf(ctx, trx, locked);
  });
  return presentRelease({ id: call.id, releaseDecisionsAt }, now);
}

/**
 * The officer writes the applicant's feedback on a bid of a closed call (again, to change it); the bid's
 * organisations read it with the decision, once that is released.
 */
export async function writeFeedback(ctx: AppContext, actor: Actor, bidId: string, body: unknown) {
  const { bid, call } = access.officerBid(
    await access.readBid(ctx, actor, bidId),
    'Only officers of the call write feedback',
  );
  const input = validate<{ feedback: string }>('feedback.schema.json', body);
  const now = ctx.clock.now();
  const status = callStatus(call.stage, call.closesAt, now);
  if (status === 'draft' || status === 'open')
    throw new Conflict(`Feedback is written once the call has closed; this call is ${status}`);
  await ctx.knex.transaction(async (trx) => {
    const before = await repository.findFeedback(trx, bid.id);
    await repository.saveFeedback(trx, {
      bidId: bid.id,
      feedback: input.feedback,
      writtenBy: actor.id,
      writtenAt: now,
    });
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'feedback.written',
      callId: call.id,
      bidId: bid.id,
      before: before ? { feedback: before.feedback } : null,
      after: { feedback: input.feedback },
      at: now,
    });
  });
  return { bidId: bid.id, feedback: input.feedback, writtenAt: now.toISOString() };
}

/** The applicant's feedback on a bid as saved, for the officer of its call, if any. */
export async function feedbackOf(
  ctx: AppContext,
  read: access.OfficerBid<access.ReadBid>,
): Promise<string | undefined> {
  return (await repository.findFeedback(ctx.knex, read.bid.id))?.feedback;
}
