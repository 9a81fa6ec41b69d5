/**
 * Delivery: claims due messages from the outbox (FOR UPDATE SKIP LOCKED, so any number of processes share the
 * work) and sends them over SMTP with nodemailer. A claim is a lease: a process that dies mid-send leaves its
 * messages to be claimed again once the lease ends. Temporary failures (4xx, no connection) are retried with
 * exponential backoff; a permanent refusal (5xx) is recorded as failed with its reason.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { AppContext } from '../context.ts';

export interface DeliveryOptions {
  /** The most messages one pass claims. */
  batchSize: number;
  /** How long a claim holds a message before another process may take it, in milliseconds. */
  leaseMs: number;
  /** The first retry's delay; each later one doubles it, up to maxBackoffMs. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** Attempts after which a message that only ever failed for a while is recorded as failed. */
  maxAttempts: number;
  /** Messages one pass sends at once. */
  concurrency: number;
  /**
   * Sent messages are recorded sent this many at a time (and at the end of the pass), one statement each: a
   * commit per message was most of a message's cost. A process killed in between sends those again once their
   * claim lapses (at most this many and `concurrency` - 1 more): the trade the lease already makes.
   */
  markEvery: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = {
  batchSize: 50,
  leaseMs: 10 * 60_000,
  baseBackoffMs: 30_000,
  maxBackoffMs: 60 * 60_000,
  maxAttempts: 12,
  concurrency: 4,
  markEvery: 20,
};

export interface ClaimedMail {
  id: number;
  toAddress: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  messageId: string;
  attempts: number;
  claimId: string;
}

export interface PassResult {
  claimed: number;
  sent: number;
  /** Failed for now, to be tried again. */
  retrying: number;
  /** Refused for good, or out of attempts. */
  failed: number;
}

/** Claims up to `limit` due messages for `leaseMs`, counting the attempt now (a send that kills its process counts). */
export async function claimDue(ctx: AppContext, limit: number, leaseMs: number): Promise<ClaimedMail[]> {
  const now = ctx.clock.now();
  const claimId = crypto.randomUUID();
  const result = await ctx.knex.raw(
    `with due as (
       select id from mail_outbox
        where status = 'pending' and next_attempt_at <= :now and (claimed_until is null or claimed_until <= :now)
        order by next_attempt_at, id
        limit :limit
        for update skip locked
     )
     update mail_outbox m
        set claim_id = :claimId, claimed_until = :until, attempts = m.attempts + 1
       from due where m.id = due.id
     returning m.id, m.to_address as "toAddress", m.subject, m.text_body as "textBody", m.html_body as "htmlBody",
               m.message_id as "messageId", m.attempts, m.claim_id as "claimId"`,
    { now, limit, claimId, until: new Date(now.getTime() + leaseMs) },
  );
  return (result.rows as ClaimedMail[]).map((row) => ({ ...row, id: Number(row.id) })).sort((a, b) => a.id - b.id);
}

/** Whether an SMTP error is a refusal for good (5xx) rather than one to try again (4xx, or no answer at all). */
export function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** Whether the error says the server was not reached (so the rest of a batch need not try). */
function isConnectionFailure(error: unknown): boolean {
  return typeof (error as { responseCode?: unknown }).responseCode !== 'number';
}

function reasonOf(error: unknown): string {
  const { response, message } = error as { response?: unknown; message?: unknown };
  return String(typeof response === 'string' && response ? response : (message ?? error)).slice(0, 1000);
}

/** The delay before attempt `attempts + 1`, after `attempts` have failed. */
export function backoffMs(attempts: number, options: DeliveryOptions): number {
  return Math.min(options.baseBackoffMs * 2 ** Math.max(0, attempts - 1), options.maxBackoffMs);
}

/**
 * Templates whose link carries a secret (an invitation's or a reset's token, stored elsewhere only as a hash): once
 * the message is sent its bodies are dropped, so the outbox does not keep the token the hashing was for.
 */
export const SECRET_LINK_TEMPLATES = ['invitation', 'password-reset'];
const SENT_WITHOUT_SECRET = '[sent; not kept, as its link was a secret]';

/** The outbox rows of `mails` (one pass's, so one claim) that this pass's claim still holds. */
function stillClaimed(ctx: AppContext, mails: readonly ClaimedMail[]) {
  return ctx
    .knex('mail_outbox')
    .whereIn(
      'id',
      mails.map((mail) => mail.id),
    )
    .andWhere('claimId', mails[0].claimId);
}

/** Records `mails` (one pass's, so one claim) sent; answers the ids recorded, those whose claim still held. */
async function markSent(ctx: AppContext, mails: ClaimedMail[]): Promise<Set<number>> {
  if (mails.length === 0) return new Set();
  const forgotten = (column: string) =>
    ctx.knex.raw(`case when template = any(?) then ? else ?? end`, [
      SECRET_LINK_TEMPLATES,
      SENT_WITHOUT_SECRET,
      column,
    ]);
  const updated: { id: number | string }[] = await stillClaimed(ctx, mails)
    .update({
      status: 'sent',
      sentAt: ctx.clock.now(),
      claimId: null,
      claimedUntil: null,
      lastError: null,
      textBody: forgotten('text_body'),
      htmlBody: forgotten('html_body'),
    })
    .returning('id');
  return new Set(updated.map((row) => Number(row.id)));
}

async function markFailed(ctx: AppContext, mail: ClaimedMail, error: unknown, options: DeliveryOptions) {
  const reason = reasonOf(error);
  const now = ctx.clock.now();
  const permanent = isPermanent(error) || mail.attempts >= options.maxAttempts;
  await ctx
    .knex('mail_outbox')
    .where({ id: mail.id, claimId: mail.claimId })
    .update(
      permanent
        ? { status: 'failed', failedAt: now, claimId: null, claimedUntil: null, lastError: reason }
        : {
            nextAttemptAt: new Date(now.getTime() + backoffMs(mail.attempts, options)),
            claimId: null,
            claimedUntil: null,
            lastError: reason,
          },
    );
  return permanent;
}

/** Gives claimed messages (one pass's, so one claim) back untried, their attempt uncounted, due again at `at`. */
async function release(ctx: AppContext, mails: ClaimedMail[], at: Date, reason?: string): Promise<void> {
  if (mails.length === 0) return;
  await stillClaimed(ctx, mails).update({
    attempts: ctx.knex.raw('attempts - 1'),
    nextAttemptAt: at,
    claimId: null,
    claimedUntil: null,
    ...(reason === undefined ? {} : { lastError: reason }),
  });
}

/**
 * One delivery pass: claims what is due and sends it through `transport`. Once `stop` is aborted no worker takes
 * another message: the sends under way finish, what was sent is recorded, and the rest is given back, due at once.
 */
export async function deliverPass(
  ctx: AppContext,
  transport: Transporter,
  options: DeliveryOptions = DEFAULT_DELIVERY,
  stop?: AbortSignal,
): Promise<PassResult> {
  const claimed = await claimDue(ctx, options.batchSize, options.leaseMs);
  const result: PassResult = { claimed: claimed.length, sent: 0, retrying: 0, failed: 0 };
  const queue = [...claimed];
  let unreachable: { error: unknown; at: Date } | undefined;
  let toMark: ClaimedMail[] = [];
  const record = async (mails: ClaimedMail[]) => {
    const marked = await markSent(ctx, mails);
    result.sent += marked.size;
    for (const mail of mails)
      if (!marked.has(mail.id)) ctx.logger?.warn({ outboxId: mail.id }, 'mail sent after its claim had lapsed');
  };
  // A statement that fails (the database lost mid-pass) stops the pass: no worker takes another message, and what
  // was sent is still recorded below if it can be, else sent again once its lease lapses, never lost.
  let halted: unknown;
  // While a batch is recorded no worker takes another message, so what was sent and is not yet recorded (the
  // messages a process killed now sends again) is never more than markEvery and concurrency - 1 more: the sends
  // under way as the batch filled. Recording is one short statement beside markEvery sends: the wait is short.
  let recording: Promise<void> | undefined;
  const worker = async () => {
    try {
      for (;;) {
        while (recording) await recording;
        if (unreachable || halted !== undefined || stop?.aborted) return;
        const mail = queue.shift();
        if (!mail) return;
        try {
          await transport.sendMail({
            from: ctx.config.mailFrom,
            to: mail.toAddress,
            subject: mail.subject,
            text: mail.textBody,
            html: mail.htmlBody,
            messageId: mail.messageId,
          });
          toMark.push(mail);
        } catch (error) {
          if (await markFailed(ctx, mail, error, options)) {
            result.failed += 1;
            ctx.logger?.warn({ outboxId: mail.id, reason: reasonOf(error) }, 'mail refused: recorded as failed');
          } else {
            result.retrying += 1;
            ctx.logger?.info({ outboxId: mail.id, reason: reasonOf(error) }, 'mail not sent: will retry');
            if (isConnectionFailure(error))
              unreachable = { error, at: new Date(ctx.clock.now().getTime() + backoffMs(mail.attempts, options)) };
          }
        }
        if (toMark.length >= options.markEvery && !recording) {
          const mails = toMark;
          toMark = [];
          recording = record(mails)
            .catch((error: unknown) => {
              toMark.push(...mails);
              throw error;
            })
            .finally(() => (recording = undefined));
          await recording;
        }
      }
    } catch (error) {
      halted ??= error;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  await record(toMark);
  if (halted !== undefined) throw halted;
  // The server was not reached: the rest of the batch waits as long as the message that found it down.
  if (unreachable) {
    await release(ctx, queue, unreachable.at, `not tried: ${reasonOf(unreachable.error)}`);
    result.retrying += queue.length;
  } else if (stop?.aborted) {
    // Stopped: the untried need not wait out the lease, another process may take them at once.
    await release(ctx, queue, ctx.clock.now());
  }
  return result;
}

/**
 * A socket to the SMTP server with Nagle's algorithm off. SMTP is a conversation of short lines, each waiting for
 * the answer to the last; with Nagle on, the end of a message's data waited for the server's delayed
 * acknowledgement (40 ms on Linux), so a connection sent some 20 messages a second whatever the machine. Measured
 * against smtp-server on loopback: 48 ms a message with it on, 4.3 ms with it off.
 */
function noDelaySocket(timeoutMs: number) {
  return (
    options: { host?: string; port?: number; secure?: boolean },
    callback: (error: Error | null, socket?: { connection: net.Socket }) => void,
  ) => {
    const port = Number(options.port) || (options.secure ? 465 : 587);
    const socket = net.connect({ host: options.host ?? 'localhost', port, noDelay: true });
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      callback(error);
    };
    const timer = setTimeout(() => {
      const error = new Error('Connection timeout') as Error & { code: string };
      error.code = 'ETIMEDOUT';
      fail(error);
    }, timeoutMs);
    socket.once('error', fail);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      socket.setKeepAlive(true);
      // nodemailer takes it from here, TLS included (smtps:// upgrades this socket, smtp:// may STARTTLS).
      callback(null, { connection: socket });
    });
  };
}

/**
 * A transport to `smtpUrl` that keeps `concurrency` connections open between passes. Built as an SMTPPool given
 * the URL: nodemailer's createTransport({ url, ...options }) keeps only what the URL says and drops every other
 * option, so the pool, its size and the timeouts were lost and each message opened a connection of its own.
 */
export function smtpTransport(smtpUrl: string, concurrency = DEFAULT_DELIVERY.concurrency): Transporter {
  const connectionTimeout = 30_000;
  const pool = new SMTPPool({
    url: smtpUrl,
    pool: true,
    maxConnections: concurrency,
    getSocket: noDelaySocket(connectionTimeout),
    // Well inside the lease, so a claim never lapses while a send still waits.
    connectionTimeout,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  } as SMTPPool.Options);
  return nodemailer.createTransport(pool);
}
