/**
 * The outbox: the one way to send e-mail. A message is rendered and written in the caller's transaction, so it
 * exists exactly when the event that causes it does; delivery (delivery.ts) sends it after that commits.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { AppContext } from '../context.ts';
import { auditInsert } from '../audit/repository.ts';
import { renderMail } from './render.ts';

export interface MailToQueue {
  /** One address; queue one row per recipient. */
  to: string;
  /** Names templates/mail/<template>.{subject,text,html}.hbs. */
  template: string;
  /** The template's variables; links made with mailLink(ctx, '/path'). */
  data: Record<string, unknown>;
  /** An e-mail about a bid is an event on its audit trail (written by queueMail). */
  bidId?: string;
  /** So the officer's view of their calls' mail can list it. */
  callId?: string;
  /** Unique: queuing the same key twice queues once (deadline reminders). */
  dedupeKey?: string;
}

// One address, nothing else: no display name, list, comment or line break that could add a recipient or a header.
const ADDRESS = /^[^\s@<>(),;:"\\[\]]+@[^\s@<>(),;:"\\[\]]+\.[^\s@<>(),;:"\\[\]]+$/;

/** The domain of the From address, for Message-IDs. */
function messageIdDomain(mailFrom: string): string {
  const address = /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom;
  return address.split('@')[1]?.trim() || 'localhost';
}

/** Queues e-mail in the caller's transaction: it is sent only if that transaction commits. */
export async function queueMail(ctx: AppContext, trx: Knex | Knex.Transaction, mail: MailToQueue): Promise<void> {
  const to = mail.to.trim();
  if (!ADDRESS.test(to)) throw new Error(`Cannot queue mail to "${mail.to}": not one e-mail address`);
  const rendered = renderMail(mail.template, mail.data);
  const now = ctx.clock.now();
  const row = {
    toAddress: to,
    template: mail.template,
    subject: rendered.subject,
    textBody: rendered.text,
    htmlBody: rendered.html,
    messageId: `<${crypto.randomUUID()}@${messageIdDomain(ctx.config.mailFrom)}>`,
    bidId: mail.bidId ?? null,
    callId: mail.callId ?? null,
    dedupeKey: mail.dedupeKey ?? null,
    queuedAt: now,
    nextAttemptAt: now,
  };
  // Queued already under this key: nothing more, not even a second event on the trail.
  const insert = trx('mail_outbox').insert(row).onConflict('dedupe_key').ignore().returning('id');
  if (!mail.bidId) {
    await insert;
    return;
  }
  // The row and its event in one statement (the event names the row's id): a submission writes one for each
  // member of the consortium, and each round trip was a share of the busiest request's CPU (found by `npm run bench`).
  await auditInsert(
    trx,
    {
      actorId: null,
      action: 'mail.queued',
      bidId: mail.bidId,
      callId: mail.callId ?? null,
      after: { to, template: mail.template, subject: rendered.subject },
      at: now,
    },
    { name: 'queued', afterColumns: { outboxId: 'id' } },
  ).with('queued', insert);
}

/** PUBLIC_BASE_URL + path. */
export function mailLink(ctx: AppContext, path: string): string {
  return ctx.config.publicBaseUrl + (path.startsWith('/') ? path : `/${path}`);
}
