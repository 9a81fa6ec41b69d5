/**
 * The server stopped with SIGTERM, as a rolling deployment stops it, while submissions are in flight: it
 * refuses new connections at once, answers and keeps the submissions it has taken, and exits cleanly. Past its
 * grace period it cuts the rest off, and they are rolled back whole.
 *
 * The submissions are held in flight deterministically: the test locks their bids' rows, so each waits for the
 * lock inside its transaction until the test lets go.
 */
import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import type { Knex } from 'knex';
import { createBid } from '../../server/bids/service.ts';
import { applicationNameOf } from '../../server/db/database.ts';
import { freePort } from '../../server/db/ports.ts';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anOfficer, buildTestApp, type TestApp, type TestUser, aPublishedCall } from '../support/app.ts';
import { exited, healthy, signInCookie, startServer } from '../support/serverProcess.ts';

const BIDS = 6;

/** Submissions of `bidIds` through the server on `port`, each answering its HTTP status or the error it failed with. */
async function submitAll(port: number, applicant: TestUser, bidIds: string[]): Promise<Promise<number | string>[]> {
  const cookie = await signInCookie(port, applicant.email);
  return bidIds.map((id) =>
    fetch(`http://127.0.0.1:${port}/api/v1/bids/${id}/submit`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
    }).then(
      (response) => response.status,
      (error: Error) => `${error.message}: ${(error.cause as Error | undefined)?.message ?? ''}`,
    ),
  );
}

/** Waits until `count` of the server's database sessions are waiting for a lock. */
async function waitingForLocks(knex: Knex, child: ChildProcess, count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const waiting = await knex.raw(
      "select count(*)::int as count from pg_stat_activity where application_name = ? and wait_event_type = 'Lock'",
      [applicationNameOf(child.pid!)],
    );
    if (waiting.rows[0].count === count) return;
    if (Date.now() > deadline) throw new Error(`${waiting.rows[0].count} of ${count} submissions reached the lock`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function refusesConnections(port: number): Promise<boolean> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1_000) });
    } catch (error) {
      if (((error as Error).cause as { code?: string } | undefined)?.code === 'ECONNREFUSED') return true;
    }
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the server stopped with SIGTERM mid-stream', () => {
  let test: TestApp;
  let child: ChildProcess | undefined;
  let bidIds: string[];
  let applicant: TestUser;
  beforeEach(async () => {
    test = buildTestApp();
    const call = await aPublishedCall(await anOfficer(test));
    applicant = await anApplicant(test);
    bidIds = [];
    for (let i = 0; i < BIDS; i += 1)
      bidIds.push((await createBid(test.ctx, applicant.actor, call.id, aBidBody({ title: `Bid ${i}` }))).bid.id);
  });
  afterEach(async () => {
    child?.kill('SIGKILL');
    await test.close();
  });

  async function submittedVersions(): Promise<{ status: string; versions: number; submittedEvents: number }[]> {
    const rows = [];
    for (const id of bidIds) {
      const bid = await test.knex('bids').where({ id }).first();
      const versions = await test.knex('bidVersions').where({ bidId: id }).count({ n: '*' }).first();
      const events = await test
        .knex('auditEvents')
        .where({ bidId: id, action: 'bid.submitted' })
        .count({ n: '*' })
        .first();
      rows.push({ status: bid.status as string, versions: Number(versions!.n), submittedEvents: Number(events!.n) });
    }
    return rows;
  }

  /**
   * Starts the server with `graceMs`, holds every bid's row locked while all the submissions reach the lock,
   * sends SIGTERM and runs `whileStopping` with the lock still held; then lets go. Answers the submissions' answers.
   */
  async function stopWhileSubmitting(
    graceMs: number,
    whileStopping: (port: number, child: ChildProcess) => Promise<void>,
  ) {
    const port = await freePort();
    child = startServer(port, { SHUTDOWN_GRACE_MS: String(graceMs) });
    await healthy(port);
    const lock = await test.knex.transaction();
    try {
      await lock('bids').whereIn('id', bidIds).forUpdate().select('id');
      const answers = await submitAll(port, applicant, bidIds);
      await waitingForLocks(test.knex, child, BIDS);
      child.kill('SIGTERM');
      await whileStopping(port, child);
      await lock.commit();
      return await Promise.all(answers);
    } finally {
      if (!lock.isCompleted()) await lock.rollback();
    }
  }

  it('refuses new connections, answers and keeps the submissions it had taken, and exits cleanly', async function () {
    this.timeout(120_000);
    const answers = await stopWhileSubmitting(30_000, async (port, server) => {
      expect(await refusesConnections(port), 'new connections refused while stopping').to.equal(true);
      expect(server.exitCode, 'still answering what it took').to.equal(null);
    });
    expect(answers).to.deep.equal(bidIds.map(() => 200));
    expect(await exited(child!)).to.equal(0);
    expect(await submittedVersions()).to.deep.equal(
      bidIds.map(() => ({ status: 'submitted', versions: 1, submittedEvents: 1 })),
    );
  });

  it('past its grace period cuts off what is still running, rolled back whole, without waiting for it', async function () {
    this.timeout(120_000);
    const answers = await stopWhileSubmitting(500, async (_port, server) => {
      // It exits while the test still holds the lock its submissions wait for.
      const late = new Promise((resolve) =>
        setTimeout(() => resolve('still running 15 s after SIGTERM'), 15_000).unref(),
      );
      expect(await Promise.race([exited(server), late])).to.equal(0);
      const left = await test.knex.raw(
        'select count(*)::int as count from pg_stat_activity where application_name = ?',
        [applicationNameOf(server.pid!)],
      );
      expect(left.rows[0].count, "the server's database sessions").to.equal(0);
    });
    for (const answer of answers)
      expect(answer)
        .to.be.a('string')
        .and.to.match(/fetch failed|terminated|socket/i);
    expect(await submittedVersions()).to.deep.equal(
      bidIds.map(() => ({ status: 'draft', versions: 0, submittedEvents: 0 })),
    );
  });
});
