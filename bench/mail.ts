/**
 * The outbox delivery figure: MESSAGES receipts written to the outbox, delivered to a local SMTP server
 * (bench/smtpSink.ts, its own process) by two real server processes (bench/server.ts with SMTP_URL, the mail
 * worker as main.ts starts it), against nodemailer sending the same messages straight to the same server from one
 * process, measured just before. Each message must arrive exactly once, counted by Message-ID at the server.
 */
import crypto from 'node:crypto';
import { DEFAULT_DELIVERY, smtpTransport } from '../server/mail/delivery.ts';
import { renderMail } from '../server/mail/render.ts';
import type { BenchDatabase } from './database.ts';
import { fmt, type Figure } from './figures.ts';
import { startServer, type ServerProcess } from './serverProcess.ts';

/** The outbox's rate over the baseline's, in per cent. */
export const MAIL_TARGET_PERCENT = 50;
const MAIL_FROM = 'Funding calls (benchmark) <no-reply@bench.example>';

interface Message {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

interface Tally {
  received: number;
  withoutId: number;
  spanSeconds: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The messages: receipts as a submission queues them, each to its own address, rendered beforehand. */
function messages(count: number): Message[] {
  const submittedAt = new Date();
  return Array.from({ length: count }, (_, i) => {
    const reference = `OC99S26P0003-${String(i + 1).padStart(5, '0')}`;
    const rendered = renderMail('bid-receipt', {
      recipientName: `Bid writer ${i + 1}`,
      organisationName: `Benchmark consortium ${(i % 200) + 1}`,
      callTitle: 'Skills for growth (benchmark)',
      title: `Working well together ${i + 1}`,
      reference,
      version: 1,
      submittedAt,
      sha256: crypto.createHash('sha256').update(reference).digest('hex'),
      link: `http://localhost/bids/${crypto.randomUUID()}/submitted`,
    });
    return {
      to: `writer-${i + 1}@bench.example`,
      ...rendered,
      messageId: `<${crypto.randomUUID()}@bench.example>`,
    };
  });
}

/** Checks the server's tally against the messages: each Message-ID once, nothing else. */
async function arrivals(sink: ServerProcess, sent: Message[]) {
  const { ids } = await sink.ask<{ ids: [string, number][] }>('ids');
  const counts = new Map(ids);
  let missing = 0;
  let repeated = 0;
  for (const message of sent) {
    const n = counts.get(message.messageId) ?? 0;
    if (n === 0) missing += 1;
    if (n > 1) repeated += n - 1;
    counts.delete(message.messageId);
  }
  const { withoutId } = await sink.ask<Tally>('counts');
  return { missing, repeated, unexpected: counts.size + withoutId, once: missing + repeated === 0 };
}

/**
 * Nodemailer alone: one pooled transport made as delivery makes it (smtpTransport: the same connections, Nagle
 * off), as many connections as the outbox's processes open in all, every message handed to it at once.
 */
async function baseline(port: number, sent: Message[], connections: number) {
  const transport = smtpTransport(`smtp://127.0.0.1:${port}`, connections);
  const started = performance.now();
  try {
    await Promise.all(
      sent.map((m) =>
        transport.sendMail({
          from: MAIL_FROM,
          to: m.to,
          subject: m.subject,
          text: m.text,
          html: m.html,
          messageId: m.messageId,
        }),
      ),
    );
  } finally {
    transport.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, perSecond: sent.length / seconds };
}

export interface MailFigureOptions {
  messages: number;
  /** Server processes delivering the outbox. */
  processes: number;
  log: (line: string) => void;
}

/**
 * Measures the baseline, then the outbox: the messages are queued not yet due, the server processes started, and
 * the clock starts when the messages are made due; it stops when the last is recorded sent. Mail already pending
 * in the database (the other figures' receipts) is held back meanwhile and put back after.
 */
export async function mailFigure(db: BenchDatabase, options: MailFigureOptions): Promise<Figure> {
  const { log } = options;
  const sent = messages(options.messages);
  const connections = options.processes * DEFAULT_DELIVERY.concurrency;
  const sink = await startServer({ BENCH_MODE: 'smtp' }, 'smtpSink.ts');
  const servers: ServerProcess[] = [];
  const held = 'mail_outbox_bench_held';
  try {
    // The baseline.
    const base = await baseline(sink.port, sent, connections);
    const baseCheck = await arrivals(sink, sent);
    log(
      `  baseline (nodemailer, ${connections} pooled connections): ${fmt.rate(base.perSecond)} ` +
        `(${fmt.s(base.seconds)}), each once: ${baseCheck.once}`,
    );
    await sink.ask('reset');

    // The outbox: the other figures' pending mail out of the way, ours queued for later.
    await db.knex.raw(`create table ${held} as select id, next_attempt_at from mail_outbox where status = 'pending'`);
    await db.knex.raw(`update mail_outbox set next_attempt_at = 'infinity' where status = 'pending'`);
    const later = new Date(Date.now() + 365 * 24 * 3600 * 1000);
    const ids: number[] = [];
    for (let start = 0; start < sent.length; start += 1000) {
      const rows: { id: number }[] = await db.knex('mail_outbox').insert(
        sent.slice(start, start + 1000).map((m) => ({
          toAddress: m.to,
          template: 'bid-receipt',
          subject: m.subject,
          textBody: m.text,
          htmlBody: m.html,
          messageId: m.messageId,
          queuedAt: new Date(),
          nextAttemptAt: later,
        })),
        ['id'],
      );
      ids.push(...rows.map((r) => Number(r.id)));
    }
    const [first, last] = [Math.min(...ids), Math.max(...ids)];
    const ours = () => db.knex('mail_outbox').whereBetween('id', [first, last]);
    for (let i = 0; i < options.processes; i++)
      servers.push(
        await startServer({
          BENCH_MODE: 'app',
          BENCH_DATABASE_URL: db.url,
          SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
          MAIL_FROM,
        }),
      );
    // Each process has run its first, empty, pass: from here it polls as it would at rest.
    await sleep(1500);
    const started = performance.now();
    await ours().update({ nextAttemptAt: db.knex.fn.now() });
    let firstAtServer: number | undefined;
    for (;;) {
      const [{ pending }] = await ours().where('status', 'pending').count({ pending: '*' });
      if (firstAtServer === undefined && (await sink.ask<Tally>('counts')).received > 0)
        firstAtServer = performance.now() - started;
      if (Number(pending) === 0) break;
      await sleep(50);
    }
    const seconds = (performance.now() - started) / 1000;
    const perSecond = sent.length / seconds;
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    const check = await arrivals(sink, sent);
    const statuses: { status: string; attempts: number; n: number }[] = await ours()
      .select('status', 'attempts')
      .count({ n: '*' })
      .groupBy('status', 'attempts');
    const allSentOnce = statuses.length === 1 && statuses[0].status === 'sent' && statuses[0].attempts === 1;
    log(
      `  outbox (${options.processes} server processes): ${fmt.rate(perSecond)} (${fmt.s(seconds)}), ` +
        `each once: ${check.once}`,
    );

    const share = (100 * perSecond) / base.perSecond;
    const correct = check.once && check.unexpected === 0 && allSentOnce && baseCheck.once;
    const count = sent.length.toLocaleString('en-GB');
    return {
      name: 'outbox delivery',
      measured:
        `${fmt.rate(perSecond)} (${count} by ${options.processes} processes in ${fmt.s(seconds)}; the first at the ` +
        `server after ${fmt.ms(firstAtServer ?? NaN)}): ${fmt.pct(share)} of baseline; each once: ` +
        `${correct ? 'yes' : 'NO'}`,
      target: `≥ ${MAIL_TARGET_PERCENT}% of baseline, every message once`,
      baseline:
        `nodemailer from one process, ${connections} pooled connections: ${fmt.rate(base.perSecond)} ` +
        `(${fmt.s(base.seconds)})`,
      verdict: share >= MAIL_TARGET_PERCENT && correct ? 'PASS' : 'MISS',
      values: {
        messages: sent.length,
        processes: options.processes,
        outbox: { seconds, perSecond, firstAtServerMs: firstAtServer, check, statuses },
        baseline: { ...base, connections, check: baseCheck },
        shareOfBaselinePercent: share,
      },
      notes: correct
        ? []
        : [
            `check: outbox ${check.missing} missing, ${check.repeated} repeated, ${check.unexpected} unexpected; ` +
              `rows ` +
              `${statuses.map((s) => `${s.n} ${s.status} after ${s.attempts}`).join(', ')}; baseline ` +
              `${baseCheck.missing} missing, ${baseCheck.repeated} repeated`,
          ],
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await sink.stop();
    // The other figures' mail as it was.
    const heldBack = await db.knex.raw(`select to_regclass(?) as t`, [held]);
    if (heldBack.rows[0].t) {
      await db.knex.raw(
        `update mail_outbox m set next_attempt_at = h.next_attempt_at from ${held} h where m.id = h.id`,
      );
      await db.knex.raw(`drop table ${held}`);
    }
  }
}
