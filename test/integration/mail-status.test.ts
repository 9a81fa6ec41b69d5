import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Server } from 'node:http';
import { useTestApp } from '../support/app.ts';
import { testDatabase } from '../support/database.ts';
import { deliverOnce, startSmtpServer, type TestSmtpServer } from '../support/mail.ts';
import { queueMail } from '../../server/mail/outbox.ts';
import { formatAge, formatMailStatus, mailStatus } from '../../server/mail/status.ts';
import { portOf, startMetricsServer, watchOutbox } from '../../server/metrics.ts';

const run = promisify(execFile);

const data = {
  recipientName: 'Ada',
  organisationName: 'Derby Community Partnership',
  callTitle: 'Health and Wellbeing',
  title: 'Working Well Together',
  reference: 'OC08S17P1001-001',
  version: 1,
  submittedAt: '2026-12-02T10:00:00.000Z',
  sha256: 'c'.repeat(64),
  link: 'https://funding.example.org/bids/x',
};

describe('what operators see of the outbox', () => {
  const test = useTestApp();
  let smtp: TestSmtpServer;

  beforeEach(async () => {
    smtp = await startSmtpServer();
    // One refused for good, one waiting to be retried, one sent, one never tried: queued an hour apart.
    for (const [hour, to] of ['refused', 'retried', 'sent', 'waiting'].entries()) {
      test.clock.set(new Date(Date.parse('2026-12-02T08:00:00Z') + hour * 3600_000));
      await queueMail(test.ctx, test.knex, { to: `${to}@example.org`, template: 'bid-receipt', data });
    }
    test.clock.set('2026-12-02T11:30:00Z');
    smtp.refuseNext(550, 'Mailbox unavailable');
    smtp.refuseNext(451, 'Greylisted');
    await deliverOnce(test.ctx, smtp.url, { concurrency: 1, batchSize: 3 });
  });
  afterEach(async () => {
    await smtp.close();
  });

  it('counts pending, sent and failed, ages the oldest pending, and gives the reasons', async () => {
    const status = await mailStatus(test.knex, new Date('2026-12-02T12:00:00Z'));
    expect(status).to.include({ pending: 2, sent: 1, failed: 1, oldestPendingSeconds: 3 * 3600 });
    expect(status.failures.map((row) => [row.to, row.attempts])).to.deep.equal([['refused@example.org', 1]]);
    expect(status.failures[0].reason).to.match(/^550 Mailbox unavailable/);
    expect(status.retrying.map((row) => row.to)).to.deep.equal(['retried@example.org']);
    expect(status.retrying[0].reason).to.match(/^451 Greylisted/);
    const text = formatMailStatus(status);
    expect(text).to.match(/^pending 2, sent 1, failed 1\noldest pending waited 3h\n/);
    expect(text).to.contain(
      '\nfailed:\n  #1 to refused@example.org "Bid OC08S17P1001-001 submitted: Working Well Together": ' +
        '2026-12-02T11:30:00.000Z after 1 attempt: 550 Mailbox unavailable',
    );
  });

  it('says nothing waits when nothing does', async () => {
    await test.knex('mail_outbox').where('status', 'pending').delete();
    const status = await mailStatus(test.knex, new Date());
    expect(status.oldestPendingSeconds).to.equal(undefined);
    expect(formatMailStatus(status)).to.equal(
      'pending 0, sent 1, failed 1\nnothing waits\n\nfailed:\n' +
        `  #1 to refused@example.org "Bid OC08S17P1001-001 submitted: Working Well Together": ` +
        `2026-12-02T11:30:00.000Z after 1 attempt: ${status.failures[0].reason}\n`,
    );
  });

  it('formats ages in their two largest units', () => {
    expect([0, 45, 725, 12_000, 187_200].map(formatAge)).to.deep.equal(['0s', '45s', '12m 5s', '3h 20m', '2d 4h']);
  });

  it('is printed by npm run mail:status against DATABASE_URL', async function () {
    this.timeout(60_000);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/scripts/mail-status.ts'], {
      env: { ...process.env, DATABASE_URL: testDatabase().url },
    });
    // The script reads real time, the rows were queued on the test clock: only the oldest's age differs.
    const expected = formatMailStatus(await mailStatus(test.knex, new Date()));
    const firstLine = (text: string) => text.split('\n')[0];
    expect(firstLine(stdout)).to.equal('pending 2, sent 1, failed 1');
    expect(stdout.split('\n').slice(2)).to.deep.equal(expected.split('\n').slice(2));
    expect(stdout).to.contain('550 Mailbox unavailable');
    expect(stdout).to.contain('451 Greylisted');
  });

  it('is scraped from the metrics: pending, failed and the oldest pending age in seconds', async () => {
    watchOutbox(test.ctx);
    let server: Server | undefined;
    try {
      server = await startMetricsServer(0);
      test.clock.set('2026-12-02T12:00:00Z');
      const text = await (await fetch(`http://127.0.0.1:${portOf(server)}/metrics`)).text();
      const sample = (name: string) => text.split('\n').find((line) => line.startsWith(`${name} `));
      expect(sample('mail_outbox_pending')).to.equal('mail_outbox_pending 2');
      expect(sample('mail_outbox_failed')).to.equal('mail_outbox_failed 1');
      expect(sample('mail_outbox_oldest_pending_age_seconds')).to.equal('mail_outbox_oldest_pending_age_seconds 10800');
      await test.knex('mail_outbox').where('status', 'pending').delete();
      const after = await (await fetch(`http://127.0.0.1:${portOf(server)}/metrics`)).text();
      expect(after).to.contain('\nmail_outbox_pending 0\n');
      expect(after).to.contain('\nmail_outbox_oldest_pending_age_seconds 0\n');
    } finally {
      server?.close();
    }
  });
});
