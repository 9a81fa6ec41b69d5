/**
 * Deadline reminders: 7 days and 1 day before a call closes, each organisation with an unsubmitted draft on it is
 * e-mailed (each member). Found by a sweep that any number of processes run at any time: a unique dedupe key per
 * call, organisation, reminder and member makes it once, not a timer's luck.
 */
import type { AppContext } from '../context.ts';
import { mailLink, queueMail } from './outbox.ts';

const DAY_MS = 24 * 3600 * 1000;

export type ReminderKind = '7d' | '1d';

/** Which reminder is due at `now` for a call closing at `closesAt`: 7d from 7 days before, 1d from 1 day before. */
export function reminderDue(closesAt: Date, now: Date): ReminderKind | undefined {
  const left = closesAt.getTime() - now.getTime();
  // Open until closesAt itself (calls/status.ts): the last instant a reminder makes sense.
  if (left < 0) return undefined;
  if (left <= DAY_MS) return '1d';
  if (left <= 7 * DAY_MS) return '7d';
  return undefined;
}

interface DraftsOnCall {
  callId: string;
  callTitle: string;
  callReference: string;
  closesAt: Date;
  organisationId: string;
  organisationName: string;
  drafts: { id: string; reference: string; title: string | null }[];
}

/** Queues the reminders due at ctx.clock's now that are not queued yet; answers how many messages it queued. */
export async function sweepReminders(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const { rows } = (await ctx.knex.raw(
    `select c.id as "callId", c.title as "callTitle", c.reference as "callReference", c.closes_at as "closesAt",
            o.id as "organisationId", o.name as "organisationName",
            json_agg(json_build_object('id', b.id, 'reference', b.reference, 'title', b.draft->>'title')
                     order by b.created_at, b.id) as drafts
       from calls c
       join bids b on b.call_id = c.id and b.status = 'draft'
       join organisations o on o.id = b.organisation_id
      where c.stage = 'open' and c.closes_at >= :now and c.closes_at <= :horizon
      group by c.id, o.id
      order by c.closes_at, c.id, o.id`,
    { now, horizon: new Date(now.getTime() + 7 * DAY_MS) },
  )) as { rows: DraftsOnCall[] };
  let queued = 0;
  for (const found of rows) {
    const kind = reminderDue(new Date(found.closesAt), now);
    if (!kind) continue;
    queued += await remindOrganisation(ctx, found, kind);
  }
  return queued;
}

async function remindOrganisation(ctx: AppContext, found: DraftsOnCall, kind: ReminderKind): Promise<number> {
  const members: { id: string; email: string; name: string }[] = await ctx
    .knex('users')
    .where('organisationId', found.organisationId)
    .select('id', 'email', 'name')
    .orderBy('email');
  const keyOf = (memberId: string) => `reminder:${found.callId}:${found.organisationId}:${kind}:${memberId}`;
  const already = new Set(
    (
      await ctx
        .knex('mail_outbox')
        .whereIn(
          'dedupeKey',
          members.map((member) => keyOf(member.id)),
        )
        .select('dedupeKey')
    ).map((row: { dedupeKey: string }) => row.dedupeKey),
  );
  const due = members.filter((member) => !already.has(keyOf(member.id)));
  if (due.length === 0) return 0;
  const drafts = found.drafts.map((draft) => ({
    reference: draft.reference,
    title: draft.title || draft.reference,
    link: mailLink(ctx, `/bids/${draft.id}`),
  }));
  // One transaction per organisation: its members are reminded together or not at all. Another sweep queuing the
  // same keys at the same moment waits on them here and then queues nothing (queueMail's ON CONFLICT).
  await ctx.knex.transaction(async (trx) => {
    for (const member of due)
      await queueMail(ctx, trx, {
        to: member.email,
        template: 'deadline-reminder',
        data: {
          recipientName: member.name,
          organisationName: found.organisationName,
          callTitle: found.callTitle,
          callReference: found.callReference,
          closesAt: new Date(found.closesAt),
          remaining: kind === '1d' ? '1 day' : '7 days',
          drafts,
          dashboardLink: mailLink(ctx, '/dashboard'),
        },
        // The trail of the organisation's first draft on the call records it (the message lists them all).
        bidId: found.drafts[0].id,
        callId: found.callId,
        dedupeKey: keyOf(member.id),
      });
  });
  return due.length;
}
