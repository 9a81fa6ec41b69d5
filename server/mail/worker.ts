/**
 * The delivery loop each server process runs beside its HTTP server: a delivery pass every poll (at once again
 * while passes come back full), and every so often, beside it, the sweeps that queue mail nobody's request causes:
 * the deadline reminders, and those the caller hands in (main.ts: the decisions whose release instant has come).
 * Without SMTP_URL nothing is sent: messages stay in the outbox and each new one is printed to the log, links
 * included (in production only who it is for and its subject).
 */
import type { AppContext } from '../context.ts';
import { DEFAULT_DELIVERY, deliverPass, smtpTransport, type DeliveryOptions } from './delivery.ts';
import { sweepReminders } from './reminders.ts';

/**
 * A sweep that queues mail due by the clock (once each however many processes run it, by dedupe key or row lock);
 * answers how many messages it queued. Handed in by its feature so that this folder imports none.
 */
export interface MailSweep {
  /** What the log calls it. */
  name: string;
  run(ctx: AppContext): Promise<number>;
}

export interface MailWorkerOptions extends Partial<DeliveryOptions> {
  /** The wait between passes that found less than a full batch, in milliseconds. */
  pollMs?: number;
  /** The wait between sweeps, in milliseconds. */
  sweepMs?: number;
  /**
   * Sweeps run beside the deadline reminders and delivery, each on its own (one failing or slow holds up neither
   * the others nor delivery) and one at a time (a sweep still running is not started again).
   */
  sweeps?: MailSweep[];
}

export interface MailWorker {
  /**
   * Takes no more work (a pass under way takes no more messages and gives back those it has not tried), waits for
   * at most `graceMs` for the sends under way and the recording of what was sent; what is cut off is sent later.
   */
  stop(graceMs?: number): Promise<void>;
}

const LINK = /https?:\/\/[^\s<>"]+/g;

/** Prints the messages queued since the last call (since the start on the first), for when nothing is sent. */
function consolePrinter(ctx: AppContext): () => Promise<void> {
  let printedUpTo: number | undefined;
  const print = (message: string, fields: Record<string, unknown> = {}) =>
    ctx.logger ? ctx.logger.info(fields, message) : console.log(message);
  return async () => {
    if (printedUpTo === undefined) {
      const [waiting] = await ctx
        .knex('mail_outbox')
        .where('status', 'pending')
        .select(ctx.knex.raw('count(*)::int as count'));
      printedUpTo = Number((await ctx.knex('mail_outbox').max('id as last').first())?.last ?? 0);
      if (waiting.count > 0)
        print(`No SMTP_URL: ${waiting.count} e-mails wait in the outbox, unsent (npm run mail:status lists them)`);
    }
    const rows: { id: number; toAddress: string; subject: string; textBody: string }[] = await ctx
      .knex('mail_outbox')
      .where('status', 'pending')
      .andWhere('id', '>', printedUpTo)
      .orderBy('id')
      .limit(100)
      .select('id', 'toAddress', 'subject', 'textBody');
    for (const row of rows) {
      printedUpTo = Number(row.id);
      // A production log is shipped and kept: the links in it (a password reset's, an invitation's) are as good as
      // the password they lead to, so there it says only who waits for what.
      if (ctx.config.production) {
        print(`E-mail kept in the outbox (set SMTP_URL to send it): to ${row.toAddress}, "${row.subject}"`, {
          outboxId: Number(row.id),
          to: row.toAddress,
        });
        continue;
      }
      print(
        `E-mail kept in the outbox (no SMTP_URL to send it to)\nTo: ${row.toAddress}\nSubject: ${row.subject}\n\n` +
          row.textBody,
        { outboxId: Number(row.id), to: row.toAddress, links: row.textBody.match(LINK) ?? [] },
      );
    }
  };
}

/** Starts delivering the outbox (or printing it, without SMTP_URL) until stopped. */
export function startMailWorker(ctx: AppContext, options: MailWorkerOptions = {}): MailWorker {
  const { pollMs = 1000, sweepMs = 60_000, sweeps = [], ...delivery } = options;
  const allSweeps: MailSweep[] = [{ name: 'deadline reminders', run: sweepReminders }, ...sweeps];
  const settings = { ...DEFAULT_DELIVERY, ...delivery };
  const transport = ctx.config.smtpUrl ? smtpTransport(ctx.config.smtpUrl, settings.concurrency) : undefined;
  const printPending = consolePrinter(ctx);
  let stopping = false;
  const stopped = new AbortController();
  let wake: (() => void) | undefined;
  let lastSweep = -Infinity;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  // Each sweep runs beside delivery, so a long one (a release of many decisions) holds no message up; one still
  // running when its time comes again is left to finish, never run twice at once.
  const sweeping = new Map<MailSweep, Promise<void>>();
  const startSweeps = () => {
    for (const sweep of allSweeps) {
      if (stopping || sweeping.has(sweep)) continue;
      const run = (async () => {
        try {
          const queued = await sweep.run(ctx);
          if (queued > 0) ctx.logger?.info({ sweep: sweep.name, queued }, `${sweep.name}: e-mails queued`);
        } catch (error) {
          if (!stopping) ctx.logger?.error({ err: error, sweep: sweep.name }, `${sweep.name}: sweep failed`);
        } finally {
          sweeping.delete(sweep);
        }
      })();
      sweeping.set(sweep, run);
    }
  };

  const loop = async () => {
    while (!stopping) {
      let full = false;
      if (Date.now() - lastSweep >= sweepMs) {
        lastSweep = Date.now();
        startSweeps();
      }
      try {
        if (transport)
          full = (await deliverPass(ctx, transport, settings, stopped.signal)).claimed >= settings.batchSize;
        else await printPending();
      } catch (error) {
        // The database gone for a moment, or going away at shutdown: the next pass tries again.
        if (!stopping) ctx.logger?.error({ err: error }, 'mail delivery pass failed');
      }
      if (!full && !stopping) await pause(pollMs);
    }
  };
  const running = loop();

  return {
    async stop(graceMs = 10_000) {
      stopping = true;
      stopped.abort();
      wake?.();
      // The pass under way and the sweeps running (each in its own transaction) finish before the database closes.
      const finished = Promise.all([running, ...sweeping.values()]);
      if (!(await within(finished, graceMs)) && transport) {
        // Closing the transport ends a send still under way (it is tried again later); the pass then records what
        // it sent, given a moment.
        transport.close();
        await within(finished, 1000);
      }
      transport?.close();
    },
  };
}

/** Whether `promise` settles within `ms` milliseconds. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  return settled;
}
