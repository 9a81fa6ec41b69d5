/**
 * The server under test, in its own process (forked by bench/serverProcess.ts) so its memory is its own and
 * the load generator does not share its event loop. BENCH_MODE=app builds the real app around the bench
 * database, as main.ts does, in production mode; BENCH_MODE=bare is bare Express answering a fixed JSON body,
 * the baseline for reads. With SMTP_URL it delivers the outbox as main.ts does (the mail figure, bench/mail.ts);
 * without, no mail worker runs, so the receipts the submission load queues stay in the outbox, unprinted. It tells
 * its parent its port, and answers requests for its resource usage.
 */
import express from 'express';
import type { Knex } from 'knex';
import type { AddressInfo } from 'node:net';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { systemClock } from '../server/context.ts';
import { connect } from '../server/db/database.ts';
import { drain } from '../server/shutdown.ts';
import { sweepReleasedDecisions } from '../server/appraisal/decisionMail.ts';
import { startMailWorker } from '../server/mail/worker.ts';

type Message = { type: 'usage' } | { type: 'stop' };

const mode = process.env.BENCH_MODE ?? 'app';
const databaseUrl = process.env.BENCH_DATABASE_URL ?? '';

let app: express.Express;
let knex: Knex | undefined;
let close = async () => {};
/** Stops the mail worker, if one runs: it takes no more work and finishes the sends under way. */
let stopMail = async () => {};
if (mode === 'bare') {
  const body = process.env.BENCH_FIXED_BODY ?? '{"status":"ok"}';
  app = express();
  app.disable('x-powered-by');
  app.get('/fixed', (_req, res) => {
    res.type('application/json').send(body);
  });
} else {
  // Production settings, as a deployment would run: view cache on, no development defaults.
  const config = loadConfig({
    NODE_ENV: 'production',
    SESSION_SECRET: 'benchmark-session-secret',
    // Production needs secure cookies or a trusted proxy to say when they can be (secure: 'auto'): as behind a
    // proxy, and over plain HTTP the cookie is not marked Secure, so the load generator can send it.
    TRUST_PROXY: 'loopback',
    // Registrations are throttled per address, and every load client shares one.
    REGISTRATION_LIMIT_PER_HOUR: '0',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX,
    LOG_LEVEL: process.env.LOG_LEVEL,
    SMTP_URL: process.env.SMTP_URL,
    MAIL_FROM: process.env.MAIL_FROM,
  });
  const pool = connect(databaseUrl, { max: config.databasePoolMax });
  const ctx = { knex: pool, clock: systemClock, config };
  const built = createApp(ctx, databaseUrl);
  // As main.ts starts it, with the same settings: the figure measures what production runs.
  const mail = config.smtpUrl
    ? startMailWorker(ctx, { sweeps: [{ name: 'decision release', run: sweepReleasedDecisions }] })
    : undefined;
  app = built.app;
  knex = pool;
  stopMail = async () => mail?.stop(5000);
  close = async () => {
    await built.close();
    await pool.destroy();
  };
}

const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port });
});

process.on('message', (message: Message) => {
  if (message.type === 'usage') {
    // maxRSS is in kilobytes: the process's peak resident set since it started.
    process.send?.({ type: 'usage', maxRssKb: process.resourceUsage().maxRSS, rssBytes: process.memoryUsage().rss });
  } else if (message.type === 'stop') {
    // Let requests in flight finish (a load run's last few, some of them for clients already gone), then
    // release the pools. The mail worker stops beside the drain, as in main.ts (its passes use the pool too).
    const mailStopped = stopMail();
    void drain(server, knex, 5000)
      .then(() => mailStopped)
      .then(() => close())
      .finally(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
