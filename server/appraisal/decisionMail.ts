/**
 * Decisions by e-mail: at a call's release instant, each member of every consortium whose bid has a decision is
 * e-mailed its outcome, once; a decision recorded or corrected after the release is e-mailed as it is made. Found
 * by a sweep any number of processes may run at any time: a dedupe key per bid and member makes each message once.
 */
import type { Knex } from 'knex';
import type { AppContext } from '../context.ts';
import { latestVersionsOf } from '../bids/repository.ts';
import { versionContent } from '../bids/presenter.ts';
import { consortiumOf, membersOf } from '../bids/recipients.ts';
import { mailLink, queueMail } from '../mail/outbox.ts';
import type { Decision } from './repository.ts';
import * as repository from './repository.ts';

const OUTCOMES: Record<Decision['decision'], string> = {
  approved: 'Approved',
  approved_with_conditions: 'Approved with conditions',
  rejected: 'Not approved',
};

interface DecidedBid {
  bid: { id: string; reference: string; organisationId: string };
  call: { id: string; title: string };
  decision: Decision;
}

/**
 * Queues the decision on a bid to each member of its consortium (the organisations of its appraised version): as
 * released, once per bid and member; or, with `previous`, as a correction of that earlier decision.
 */
export async function queueDecisionMail(
  ctx: AppContext,
  trx: Knex.Transaction,
  { bid, call, decision }: DecidedBid,
  previous?: Decision,
): Promise<number> {
  const version = (await latestVersionsOf(trx, [bid.id])).get(bid.id);
  const fields = version ? versionContent(version).fields : {};
  const members = await membersOf(trx, consortiumOf(bid, fields));
  for (const member of members)
    await queueMail(ctx, trx, {
      to: member.email,
      template: previous ? 'decision-corrected' : 'decision-released',
      data: {
        recipientName: member.name,
        callTitle: call.title,
        title: fields.title ?? bid.reference,
        reference: bid.reference,
        outcome: OUTCOMES[decision.decision],
        conditions: decision.conditions,
        reason: decision.reason,
        feedback: decision.feedback ?? null,
        correctionReason: decision.correctionReason ?? null,
        previousOutcome: previous ? OUTCOMES[previous.decision] : null,
        link: mailLink(ctx, `/bids/${bid.id}`),
      },
      bidId: bid.id,
      callId: call.id,
      dedupeKey: previous
        ? `decision-corrected:${bid.id}:${decision.decidedAt.getTime()}:${member.id}`
        : `decision-released:${bid.id}:${member.id}`,
    });
  return members.length;
}

/** Queues the released decisions of one call, whose row the transaction holds, and marks its release mailed. */
export async function queueReleaseOf(
  ctx: AppContext,
  trx: Knex.Transaction,
  call: { id: string; title: string },
): Promise<number> {
  let queued = 0;
  for (const decided of await repository.decidedBidsOnCall(trx, call.id))
    queued += await queueDecisionMail(ctx, trx, { bid: decided.bid, call, decision: decided.decision });
  await trx('calls').where({ id: call.id }).update({ releaseMailedAt: ctx.clock.now() });
  return queued;
}

/**
 * Queues the e-mails of every call whose release instant has come by ctx.clock's now and whose release is not
 * mailed yet; answers how many messages it queued. Calls another process is mailing are skipped, not waited for.
 */
export async function sweepReleasedDecisions(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const due: { id: string; title: string }[] = await ctx
    .knex('calls')
    .where('releaseDecisionsAt', '<=', now)
    .whereNull('releaseMailedAt')
    .select('id', 'title');
  let queued = 0;
  for (const { id } of due)
    queued += await ctx.knex.transaction(async (trx) => {
      const call = await trx('calls')
        .where({ id })
        .whereNull('releaseMailedAt')
        .forUpdate()
        .skipLocked()
        .first('id', 'title');
      return call ? queueReleaseOf(ctx, trx, call) : 0;
    });
  return queued;
}
