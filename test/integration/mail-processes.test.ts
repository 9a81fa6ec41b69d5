import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { useTestApp } from '../support/app.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/mail.ts';
import { exited, healthy, startServer } from '../support/serverProcess.ts';
import { freePort } from '../../server/db/ports.ts';
import { DEFAULT_DELIVERY } from '../../server/mail/delivery.ts';
import { queueMail } from '../../server/mail/outbox.ts';

const data = {
  recipientName: 'Ada',
  organisationName: 'Derby Community Partnership',
  callTitle: 'Health and Wellbeing',
  title: 'Working Well Together',
  reference: 'OC08S17P1001-001',
  version: 1,
  submittedAt: '2026-12-02T10:00:00.000Z',
  sha256: 'e'.repeat(64),
  link: 'https://funding.example.org/bids/x',
};

describe('mail delivered by server processes', () => {
  const test = useTestApp();
  let smtp: TestSmtpServer;
  const running: ChildProcess[] = [];

  beforeEach(async () => {
    smtp = await startSmtpServer();
  });
  afterEach(async () => {
    for (const child of running.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await smtp.close();
  });

  async function aServer(): Promise<ChildProcess> {
    const port = await freePort();
    const child = startServer(port, { SMTP_URL: smtp.url, MAIL_FROM: 'Funding <mail@example.org>' });
    running.push(child);
    await healthy(port);
    return child;
  }

  async function queueMany(count: number): Promise<void> {
    await test.knex.transaction(async (trx) => {
      for (let i = 0; i < count; i += 1)
        await queueMail(test.ctx, trx, { to: `person${i}@example.org`, template: 'bid-receipt', data });
    });
  }

  it('two processes on one database deliver each of 1,000 messages once, and stop cleanly', async function () {
    // Delivery runs at some hundreds a second; the time is for two servers starting on a machine others share.
    this.timeout(180_000);
    const count = 1000;
    await queueMany(count);
    const servers = await Promise.all([aServer(), aServer()]);
    await smtp.waitFor(count, 120_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const server of servers) server.kill('SIGTERM');
    expect(await Promise.all(servers.map(exited))).to.deep.equal([0, 0]);
    expect(smtp.received).to.have.length(count);
    expect(new Set(smtp.received.map((m) => m.envelopeTo[0])).size).to.equal(count);
    expect(new Set(smtp.received.map((m) => m.parsed.messageId)).size).to.equal(count);
    const rows = await test
      .knex('mail_outbox')
      .select('status', 'attempts')
      .count('* as n')
      .groupBy('status', 'attempts');
    expect(rows).to.deep.equal([{ status: 'sent', attempts: 1, n: count }]);
  });

  it('a process killed mid-send loses nothing: once its claim lapses another sends it, once', async function () {
    this.timeout(180_000);
    await queueMail(test.ctx, test.knex, { to: 'ada@example.org', template: 'bid-receipt', data });
    const held = smtp.holdNext();
    const first = await aServer();
    await held;
    first.kill('SIGKILL');
    await exited(first);
    const [claimed] = await test.knex('mail_outbox').select('*');
    expect(claimed).to.include({ status: 'pending', attempts: 1 });
    expect(claimed.claimedUntil.getTime()).to.be.greaterThan(Date.now());
    expect(smtp.received).to.have.length(0);
    // Standing in for the lease's ten minutes passing.
    await test.knex('mail_outbox').update({ claimedUntil: new Date(Date.now() - 1000) });
    const second = await aServer();
    await smtp.waitFor(1, 60_000);
    second.kill('SIGTERM');
    expect(await exited(second)).to.equal(0);
    expect(smtp.received.map((m) => m.envelopeTo[0])).to.deep.equal(['ada@example.org']);
    expect((await test.knex('mail_outbox').select('*'))[0]).to.include({ status: 'sent', attempts: 2 });
  });

  it('a process killed amid a long delivery loses nothing; what it sent unrecorded comes again', async function () {
    this.timeout(180_000);
    const count = 300;
    await queueMany(count);
    const first = await aServer();
    // Deep into its second pass of 50: had it recorded only at a pass's end, some 40 would come twice.
    await smtp.waitFor(90, 120_000);
    first.kill('SIGKILL');
    await exited(first);
    const arrivedBefore = smtp.received.length;
    expect(arrivedBefore).to.be.below(count);
    // Standing in for the lease's ten minutes passing.
    await test
      .knex('mail_outbox')
      .whereNotNull('claimId')
      .update({ claimedUntil: new Date(Date.now() - 1000) });
    const second = await aServer();
    const deadline = Date.now() + 120_000;
    while ((await test.knex('mail_outbox').where('status', 'pending').count({ n: '*' }))[0].n !== 0) {
      if (Date.now() > deadline) throw new Error('the second process did not deliver the rest');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    second.kill('SIGTERM');
    expect(await exited(second)).to.equal(0);
    // Every message arrived; twice only those the killed process had sent but not yet recorded: recorded markEvery
    // at a time, no message taken while a batch is recorded, so at most markEvery and the concurrency - 1 sends
    // under way beside the one that filled the batch.
    const arrivals = new Map<string, number>();
    for (const m of smtp.received) arrivals.set(m.envelopeTo[0], (arrivals.get(m.envelopeTo[0]) ?? 0) + 1);
    expect(arrivals.size).to.equal(count);
    const twice = [...arrivals.values()].filter((n) => n > 1);
    expect(twice.every((n) => n === 2)).to.equal(true);
    expect(twice.length).to.be.at.most(DEFAULT_DELIVERY.markEvery + DEFAULT_DELIVERY.concurrency - 1);
    const statuses = await test.knex('mail_outbox').select('status').count({ n: '*' }).groupBy('status');
    expect(statuses).to.deep.equal([{ status: 'sent', n: count }]);
  });
});
