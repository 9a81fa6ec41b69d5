/**
 * Prometheus metrics (prom-client), served on METRICS_PORT by a small HTTP server of their own, never on PORT:
 * request durations by route and status, the database pool, the outbox, the solver's runs and seconds, and Node's
 * own.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppContext } from './context.ts';
import { routePattern } from './logger.ts';

export const registry = new Registry();

const requestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help:
    'Time to answer a request, by method, route (its Express pattern, "unmatched" when no route took it) and ' +
    'status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** Times every request into http_request_duration_seconds once its answer is over (or cut off). */
export const observeRequests: RequestHandler = (req, res, next) => {
  const started = process.hrtime.bigint();
  res.once('close', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // Unmatched paths are one series: by path, anyone could make as many series as they have URLs.
    requestDuration.observe(
      { method: req.method, route: routePattern(req) ?? 'unmatched', status: res.statusCode },
      seconds,
    );
  });
  next();
};

const solverDuration = new Histogram({
  name: 'solver_run_duration_seconds',
  help: "Funding-plan solves on the solver's thread (count: runs, sum: seconds), by outcome (answered or failed)",
  labelNames: ['outcome'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  registers: [registry],
});

/** Counts one solve on the solver's thread, begun at `startedAt` (performance.now()), and how it ended. */
export function recordSolve(startedAt: number, answered: boolean): void {
  solverDuration.observe({ outcome: answered ? 'answered' : 'failed' }, (performance.now() - startedAt) / 1000);
}

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  max: number;
}

let pool: (() => TarnPool | undefined) | undefined;

function poolGauge(name: string, help: string, read: (pool: TarnPool) => number): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      const current = pool?.();
      this.set(current ? read(current) : 0);
    },
  });
}

poolGauge('db_pool_connections_in_use', 'Connections to PostgreSQL lent to a query or transaction now', (p) =>
  p.numUsed(),
);
poolGauge('db_pool_connections_idle', 'Connections to PostgreSQL open and free now', (p) => p.numFree());
poolGauge('db_pool_acquires_waiting', 'Queries and transactions waiting for a connection now', (p) =>
  p.numPendingAcquires(),
);
poolGauge('db_pool_connections_max', 'The most connections this process opens (DATABASE_POOL_MAX)', (p) => p.max);

let outbox: AppContext | undefined;

// Read from the outbox table at each scrape, so every process reports the one shared outbox: pending and failed
// are the same figures whichever process is scraped.
const outboxGauges = {
  pending: new Gauge({
    name: 'mail_outbox_pending',
    help: 'E-mails in the outbox not yet sent (waiting, being sent, or to be retried)',
    registers: [registry],
    collect: () => readOutbox(),
  }),
  failed: new Gauge({
    name: 'mail_outbox_failed',
    help: 'E-mails refused for good or out of attempts (npm run mail:status gives the reasons)',
    registers: [registry],
    collect: () => readOutbox(),
  }),
  oldest: new Gauge({
    name: 'mail_outbox_oldest_pending_age_seconds',
    help: 'How long the oldest e-mail not yet sent has waited, in seconds (0 when none waits)',
    registers: [registry],
    collect: () => readOutbox(),
  }),
};

let outboxRead: Promise<void> | undefined;

/** Reads the three outbox figures once for all three gauges of one scrape. */
function readOutbox(): Promise<void> {
  outboxRead ??= (async () => {
    const ctx = outbox;
    if (!ctx) return;
    const [row] = await ctx
      .knex('mail_outbox')
      .select(
        ctx.knex.raw("count(*) filter (where status = 'pending')::int as pending"),
        ctx.knex.raw("count(*) filter (where status = 'failed')::int as failed"),
        ctx.knex.raw("min(queued_at) filter (where status = 'pending') as oldest"),
      );
    outboxGauges.pending.set(row.pending);
    outboxGauges.failed.set(row.failed);
    const oldest = row.oldest ? new Date(row.oldest).getTime() : undefined;
    outboxGauges.oldest.set(oldest === undefined ? 0 : Math.max(0, (ctx.clock.now().getTime() - oldest) / 1000));
  })().finally(() => {
    outboxRead = undefined;
  });
  return outboxRead;
}

/** Reports the outbox of `ctx`'s database in the mail_outbox_* gauges. */
export function watchOutbox(ctx: AppContext): void {
  outbox = ctx;
}

/** Reports `knex`'s connection pool (tarn's, which knex makes on first use) in the db_pool_* gauges. */
export function watchDatabasePool(knex: Knex): void {
  pool = () => (knex.client as { pool?: TarnPool }).pool;
}

let defaultsCollected = false;

/** Serves GET /metrics on `port` (0: any free one), and 404 for anything else; resolves once it listens. */
export async function startMetricsServer(port: number): Promise<http.Server> {
  if (!defaultsCollected) collectDefaultMetrics({ register: registry });
  defaultsCollected = true;
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: metrics are at /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      (error: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${(error as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  return server;
}

/** The port a started server listens on. */
export function portOf(server: http.Server): number {
  return (server.address() as AddressInfo).port;
}
