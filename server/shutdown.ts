/**
 * Stopping the HTTP server as a rolling deployment or Ctrl-C asks: new connections are refused at once, the
 * requests already taken are answered (a bid writer's submission in flight is kept and confirmed, not cut off
 * and left for them to wonder about), and only then are the database pools closed. A request still running when
 * the grace period ends is cut off; its transaction rolls back, as it would if the process were killed.
 */
import type { Server } from 'node:http';
import type { Knex } from 'knex';
import pg from 'pg';
import { APPLICATION_NAME } from './db/database.ts';

/** The parts of knex's connection pool (tarn) that say whether anything still uses it. */
interface PoolInUse {
  numUsed(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
}

function poolInUse(knex: Knex | undefined): number {
  const pool = (knex?.client as { pool?: PoolInUse } | undefined)?.pool;
  return pool ? pool.numUsed() + pool.numPendingAcquires() + pool.numPendingCreates() : 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Closes `server` and waits, for at most `graceMs`, until every connection has closed and no request is still
 * using `knex`'s pool, if given (a request whose client has gone away still runs to its end). Answers whether
 * everything finished in time; after the grace period, the connections still open are closed.
 */
export async function drain(server: Server, knex: Knex | undefined, graceMs: number): Promise<boolean> {
  const deadline = Date.now() + graceMs;
  let closed = false;
  const allClosed = new Promise<void>((resolve) => server.close(() => resolve())).then(() => {
    closed = true;
  });
  // Keep-alive connections waiting for their next request are closed, now and as each busy one's answer is sent.
  while (!closed && Date.now() < deadline) {
    server.closeIdleConnections();
    await Promise.race([allClosed, sleep(20)]);
  }
  while (poolInUse(knex) > 0 && Date.now() < deadline) await sleep(20);
  const finished = closed && poolInUse(knex) === 0;
  if (!closed) server.closeAllConnections();
  return finished;
}

/**
 * Ends, in PostgreSQL, every session this process opened on the database at `url` (by APPLICATION_NAME), for the
 * requests still running when the grace period is over: each one's transaction is rolled back at once and its
 * locks are let go, even while it waits for a lock, and its request fails, so the pools can then close. Answers
 * how many sessions were ended.
 */
export async function cutOff(url: string): Promise<number> {
  // Bounded, so a database that is down or out of reach cannot hold the stop up.
  const client = new pg.Client({
    connectionString: url,
    application_name: `${APPLICATION_NAME} stopping`.slice(0, 63),
    connectionTimeoutMillis: 5_000,
    query_timeout: 5_000,
  });
  await client.connect();
  try {
    const ended = await client.query(
      'select count(*)::int as count from (select pg_terminate_backend(pid) from pg_stat_activity where ' +
        'application_name = $1 and pid <> pg_backend_pid()) as ended',
      [APPLICATION_NAME],
    );
    return (ended.rows[0] as { count: number }).count;
  } finally {
    await client.end();
  }
}
