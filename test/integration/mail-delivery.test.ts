import { expect } from 'chai';
import { Writable } from 'node:stream';
import knexFactory, { type Knex } from 'knex';
import type { SendMailOptions, Transporter } from 'nodemailer';
import { knexSnakeCaseMappers } from 'objection';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anOfficer, aPublishedCall, useTestApp } from '../support/app.ts';
import { testDatabase } from '../support/database.ts';
import { deliverOnce, startSmtpServer, type TestSmtpServer } from '../support/mail.ts';
import { freePort } from '../../server/db/ports.ts';
import type { AppContext } from '../../server/context.ts';
import { createLogger } from '../../server/logger.ts';
import { DEFAULT_DELIVERY, claimDue, deliverPass, smtpTransport } from '../../server/mail/delivery.ts';
import { queueMail } from '../../server/mail/outbox.ts';
import { startMailWorker } from '../../server/mail/worker.ts';
import { auditForBid } from '../../server/audit/repository.ts';

const data = (overrides: Record<string, unknown> = {}) => ({
  recipientName: 'Ada',
  organisationName: 'Derby Community Partnership',
  callTitle: 'Health and Wellbeing',
  title: 'Working Well Together',
  reference: 'OC08S17P1001-001',
  version: 1,
  submittedAt: '2026-12-02T10:00:00.000Z',
  sha256: 'b'.repeat(64),
  link: 'https://funding.example.org/bids/x/submitted',
  ...overrides,
});

describe('mail delivery', () => {
  const test = useTestApp({ PUBLIC_BASE_URL: 'https://funding.example.org' });
  let smtp: TestSmtpServer;

  beforeEach(async () => {
    smtp = await startSmtpServer();
  });
  afterEach(async () => {
    await smtp.close();
  });

  const queue = (to: string, overrides: Record<string, unknown> = {}) =>
    queueMail(test.ctx, test.knex, { to, template: 'bid-receipt', data: data(overrides) });
  const rows = () => test.knex('mail_outbox').select('*').orderBy('id');

  describe("a submission's receipt", () => {
    it('goes to each member of the organisation, in its transaction: reference, version, instant, hash', async () => {
      const officer = await anOfficer(test);
      const call = await aPublishedCall(officer);
      const first = await anApplicant(test);
      const colleague = await anApplicant(test, first.actor.organisationId!);
      const stranger = await anApplicant(test);
      const draft = (await first.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody()).expect(201)).body;
      await stranger.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody()).expect(201);
      const bid = (await first.agent.post(`/api/v1/bids/${draft.id}/submit`).expect(200)).body;

      const queued = await rows();
      expect(queued.map((row) => row.toAddress).sort()).to.deep.equal([first.email, colleague.email].sort());
      for (const row of queued) expect(row).to.include({ bidId: draft.id, callId: call.id, template: 'bid-receipt' });
      expect(await auditForBid(test.knex, draft.id, ['mail.queued'])).to.have.length(2);

      expect(await deliverOnce(test.ctx, smtp.url)).to.include({ sent: 2 });
      const received = await smtp.waitFor(2);
      const mail = received.find((m) => m.envelopeTo[0] === colleague.email)!.parsed;
      const { reference, version, submittedAt, sha256 } = bid.receipt;
      expect(mail.subject).to.equal(`Bid ${reference} submitted: Working Well Together`);
      expect(mail.text).to.contain(`Dear ${colleague.actor.name},`);
      expect(mail.text).to.contain(`Reference: ${reference}\nVersion: ${version}\n`);
      expect(mail.text).to.contain(`SHA-256 of what was submitted: ${sha256}`);
      expect(mail.text).to.contain(`https://funding.example.org/bids/${draft.id}/submitted`);
      expect(mail.html).to.contain(sha256);
      // The instant, as the receipt page shows it (London time).
      const { formatLondonDateTime } = await import('../../server/shared/londonFormat.ts');
      expect(mail.text).to.contain(`Submitted: ${formatLondonDateTime(submittedAt)}`);

      // Submitting again with nothing new makes no version, so no receipt; a new version has its own.
      await first.agent.post(`/api/v1/bids/${draft.id}/submit`).expect(200);
      expect(await rows()).to.have.length(2);
      await first.agent.put(`/api/v1/bids/${draft.id}`).send(aBidBody({ title: 'Working Well Together, again' }));
      await first.agent.post(`/api/v1/bids/${draft.id}/submit`).expect(200);
      const again = (await rows()).slice(2);
      expect(again).to.have.length(2);
      expect(again[0].textBody).to.contain('Version: 2');
    });

    it('is not queued when the submission fails', async () => {
      const officer = await anOfficer(test);
      const call = await aPublishedCall(officer);
      const applicant = await anApplicant(test);
      const draft = (await applicant.agent.post(`/api/v1/calls/${call.id}/bids`).send({ title: 'Half' }).expect(201))
        .body;
      await applicant.agent.post(`/api/v1/bids/${draft.id}/submit`).expect(422);
      expect(await rows()).to.have.length(0);
    });
  });

  it('sends each message once when two processes deliver at the same time', async function () {
    this.timeout(60_000);
    const count = 200;
    await test.knex.transaction(async (trx) => {
      for (let i = 0; i < count; i += 1)
        await queueMail(test.ctx, trx, { to: `person${i}@example.org`, template: 'bid-receipt', data: data() });
    });
    // Two pools, as two processes have: each claim is its own connection's statement.
    const pools: Knex[] = [0, 1].map(() =>
      knexFactory({
        client: 'pg',
        connection: testDatabase().url,
        pool: { min: 0, max: 4 },
        ...knexSnakeCaseMappers(),
      }),
    );
    const contexts: AppContext[] = pools.map((knex) => ({
      ...test.ctx,
      knex,
      config: { ...test.ctx.config, smtpUrl: smtp.url },
    }));
    const workers = contexts.map((ctx) => startMailWorker(ctx, { pollMs: 10, batchSize: 20, sweepMs: 3_600_000 }));
    try {
      await smtp.waitFor(count, 50_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
      await Promise.all(pools.map((knex) => knex.destroy()));
    }
    expect(smtp.received).to.have.length(count);
    const ids = new Set(smtp.received.map((m) => m.parsed.messageId));
    expect(ids.size).to.equal(count);
    const recipients = new Set(smtp.received.map((m) => m.envelopeTo[0]));
    expect(recipients.size).to.equal(count);
    const statuses = await test
      .knex('mail_outbox')
      .select('status', 'attempts')
      .count('* as n')
      .groupBy('status', 'attempts');
    expect(statuses).to.deep.equal([{ status: 'sent', attempts: 1, n: count }]);
  });

  it('sends each message once when two passes claim at the same instant', async () => {
    for (let i = 0; i < 40; i += 1) await queue(`p${i}@example.org`);
    const passes = await Promise.all([
      deliverOnce(test.ctx, smtp.url, { batchSize: 25 }),
      deliverOnce(test.ctx, smtp.url, { batchSize: 25 }),
    ]);
    expect(passes[0].claimed + passes[1].claimed).to.equal(40);
    expect(passes[0].claimed).to.be.greaterThan(0);
    expect(passes[1].claimed).to.be.greaterThan(0);
    expect(new Set(smtp.received.map((m) => m.envelopeTo[0])).size).to.equal(40);
    expect(smtp.received).to.have.length(40);
  });

  it('sends over at most `concurrency` connections, kept open from one pass to the next', async () => {
    for (let i = 0; i < 30; i += 1) await queue(`p${i}@example.org`);
    // The transport a server process keeps: before it was built from the URL alone, nodemailer dropped the pool
    // and opened a connection for every message.
    const transport = smtpTransport(smtp.url, 2);
    try {
      const settings = { ...DEFAULT_DELIVERY, concurrency: 2, batchSize: 15 };
      expect(await deliverPass(test.ctx, transport, settings)).to.include({ claimed: 15, sent: 15 });
      expect(await deliverPass(test.ctx, transport, settings)).to.include({ claimed: 15, sent: 15 });
    } finally {
      transport.close();
    }
    expect(smtp.received).to.have.length(30);
    expect(smtp.connections()).to.be.within(1, 2);
  });

  it('records sent messages markEvery at a time, never more than markEvery + concurrency - 1 unrecorded', async () => {
    for (let i = 0; i < 12; i += 1) await queue(`p${i}@example.org`);
    const markEvery = 5;
    const concurrency = 3;
    // Before each send: how many had been sent (sends finished) and how many of those the outbox has recorded.
    const smtpPool = smtpTransport(smtp.url, concurrency);
    const seen: { sent: number; recorded: number }[] = [];
    let finished = 0;
    const watched = {
      async sendMail(message: SendMailOptions) {
        const sent = finished;
        const [{ n }] = await test.knex('mail_outbox').where('status', 'sent').count({ n: '*' });
        seen.push({ sent, recorded: Number(n) });
        const info: unknown = await smtpPool.sendMail(message);
        finished += 1;
        return info;
      },
    } as unknown as Transporter;
    let result;
    try {
      result = await deliverPass(test.ctx, watched, { ...DEFAULT_DELIVERY, markEvery, concurrency });
    } finally {
      smtpPool.close();
    }
    expect(result).to.deep.equal({ claimed: 12, sent: 12, retrying: 0, failed: 0 });
    expect((await rows()).map((row) => [row.status, row.attempts, row.claimId])).to.deep.equal(
      Array.from({ length: 12 }, () => ['sent', 1, null]),
    );
    expect(new Set(smtp.received.map((m) => m.parsed.messageId)).size).to.equal(12);
    expect(seen).to.have.length(12);
    // Recorded five at a time during the pass (the last two at its end) …
    const recordedCounts = new Set(seen.map((s) => s.recorded));
    expect(recordedCounts).to.include(5);
    for (const count of recordedCounts) expect([0, 5, 10]).to.include(count);
    // … so a send never started with more than markEvery + concurrency - 1 sent and not yet recorded (counting a
    // recording still under way as unrecorded: the count is read before the send, so it errs high, never low).
    for (const { sent, recorded } of seen) expect(sent - recorded).to.be.at.most(markEvery + concurrency - 1);
  });

  it('stops a pass whose recording fails: no worker sends on, what was sent is recorded, the pass fails', async () => {
    for (let i = 0; i < 30; i += 1) await queue(`p${i}@example.org`);
    // The first statement recording messages sent fails (a sequence, so the count survives its rollback); the
    // database allows the ones after it.
    await test.knex.raw('create sequence test_record_attempts');
    await test.knex.raw(`create function test_refuse_first_record() returns trigger language plpgsql as $$
      begin
        if new.status = 'sent' and old.status = 'pending' and nextval('test_record_attempts') = 1 then
          raise exception 'recording refused for the test';
        end if;
        return new;
      end $$`);
    await test.knex.raw(`create trigger test_refuse_first_record before update on mail_outbox
      for each row execute function test_refuse_first_record()`);
    const concurrency = 3;
    const transport = smtpTransport(smtp.url, concurrency);
    let failure: unknown;
    try {
      const settings = { ...DEFAULT_DELIVERY, markEvery: 5, concurrency };
      failure = await deliverPass(test.ctx, transport, settings).then(
        () => undefined,
        (error: unknown) => error,
      );
      // Long enough for workers that went on sending (as before the pass stopped them) to send the rest.
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      transport.close();
      await test.knex.raw('drop trigger test_refuse_first_record on mail_outbox');
      await test.knex.raw('drop function test_refuse_first_record()');
      await test.knex.raw('drop sequence test_record_attempts');
    }
    expect((failure as Error | undefined)?.message).to.contain('recording refused for the test');
    const outbox = await rows();
    const sent = outbox.filter((row) => row.status === 'sent');
    // Every message that reached the server is recorded sent, the five of the refused statement among them.
    const arrived = smtp.received.map((m) => m.envelopeTo[0]);
    expect(arrived.sort()).to.deep.equal(sent.map((row) => row.toAddress).sort());
    // The pass stopped: the refused batch and the sends under way as it filled (none is taken while it is recorded).
    expect(sent.length).to.be.within(5, 5 + concurrency - 1);
    // The rest keep their claim, so they are sent once it lapses.
    for (const row of outbox.filter((r) => r.status !== 'sent'))
      expect(row).to.include({ status: 'pending', attempts: 1 }).and.to.have.property('claimId').that.is.a('string');
  });

  it('retries a temporary refusal after a backoff that doubles, and sends it once', async () => {
    test.clock.set('2026-12-02T10:00:00Z');
    await queue('ada@example.org');
    smtp.refuseNext(451, 'Try again later', 2);
    expect(await deliverOnce(test.ctx, smtp.url)).to.deep.equal({ claimed: 1, sent: 0, retrying: 1, failed: 0 });
    let [row] = await rows();
    expect(row).to.include({ status: 'pending', attempts: 1 });
    expect(row.lastError).to.match(/^451 Try again later/);
    expect(row.nextAttemptAt.toISOString()).to.equal('2026-12-02T10:00:30.000Z');
    // Not due yet: one second before, nothing is claimed.
    test.clock.set('2026-12-02T10:00:29Z');
    expect((await deliverOnce(test.ctx, smtp.url)).claimed).to.equal(0);
    test.clock.set('2026-12-02T10:00:30Z');
    expect(await deliverOnce(test.ctx, smtp.url)).to.include({ claimed: 1, retrying: 1 });
    [row] = await rows();
    expect(row.nextAttemptAt.toISOString()).to.equal('2026-12-02T10:01:30.000Z');
    test.clock.set('2026-12-02T10:01:30Z');
    expect(await deliverOnce(test.ctx, smtp.url)).to.include({ claimed: 1, sent: 1 });
    [row] = await rows();
    expect(row).to.include({ status: 'sent', attempts: 3, lastError: null });
    expect(smtp.received).to.have.length(1);
  });

  it('records a permanent refusal as failed with its reason, and sends the rest', async () => {
    await queue('nobody@example.org');
    await queue('ada@example.org');
    smtp.refuseNext(550, 'No such mailbox here');
    expect(await deliverOnce(test.ctx, smtp.url, { concurrency: 1 })).to.deep.equal({
      claimed: 2,
      sent: 1,
      retrying: 0,
      failed: 1,
    });
    const [refused, sent] = await rows();
    expect(refused).to.include({ status: 'failed', attempts: 1 });
    expect(refused.lastError).to.match(/^550 No such mailbox here/);
    expect(refused.failedAt).to.be.an.instanceOf(Date);
    expect(sent.status).to.equal('sent');
    expect(smtp.received.map((m) => m.envelopeTo[0])).to.deep.equal(['ada@example.org']);
    // Failed is final: later passes leave it.
    test.clock.set(new Date(Date.now() + 24 * 3600_000));
    expect((await deliverOnce(test.ctx, smtp.url)).claimed).to.equal(0);
  });

  it('keeps mail while the SMTP server is down and sends it once when it is back', async () => {
    const port = await freePort();
    test.clock.set('2026-12-02T10:00:00Z');
    await queue('ada@example.org');
    await queue('bob@example.org');
    const down = await deliverOnce(test.ctx, `smtp://127.0.0.1:${port}`, { concurrency: 1 });
    expect(down).to.deep.equal({ claimed: 2, sent: 0, retrying: 2, failed: 0 });
    const waiting = await rows();
    // The first found the server down; the second was not tried, so its attempt does not count.
    expect(waiting.map((row) => row.attempts)).to.deep.equal([1, 0]);
    for (const row of waiting) {
      expect(row.status).to.equal('pending');
      expect(row.lastError).to.match(/ECONNREFUSED/);
      expect(row.nextAttemptAt.toISOString()).to.equal('2026-12-02T10:00:30.000Z');
    }
    const back = await startSmtpServer(port);
    try {
      test.clock.set('2026-12-02T10:00:30Z');
      expect(await deliverOnce(test.ctx, back.url)).to.include({ sent: 2 });
      expect(await deliverOnce(test.ctx, back.url)).to.include({ claimed: 0 });
      expect(back.received.map((m) => m.envelopeTo[0]).sort()).to.deep.equal(['ada@example.org', 'bob@example.org']);
    } finally {
      await back.close();
    }
  });

  it('takes back a message whose process died mid-send once its claim lapses', async () => {
    test.clock.set('2026-12-02T10:00:00Z');
    await queue('ada@example.org');
    // A pass claims it and never finishes (its process was killed).
    const [claimed] = await claimDue(test.ctx, 10, 60_000);
    expect(claimed.attempts).to.equal(1);
    test.clock.set('2026-12-02T10:00:59Z');
    expect((await deliverOnce(test.ctx, smtp.url)).claimed).to.equal(0);
    test.clock.set('2026-12-02T10:01:00Z');
    expect(await deliverOnce(test.ctx, smtp.url)).to.include({ claimed: 1, sent: 1 });
    expect((await rows())[0]).to.include({ status: 'sent', attempts: 2 });
    expect(smtp.received).to.have.length(1);
  });

  it('gives up on a message that only ever fails for a while after the last attempt', async () => {
    test.clock.set('2026-12-02T10:00:00Z');
    await queue('ada@example.org');
    smtp.refuseNext(421, 'Busy', 3);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await deliverOnce(test.ctx, smtp.url, { maxAttempts: 3 });
      test.clock.set(new Date(test.clock.now().getTime() + 3600_000));
    }
    const [row] = await rows();
    expect(row).to.include({ status: 'failed', attempts: 3 });
    expect(row.lastError).to.match(/^421 Busy/);
  });

  describe('the delivery loop', () => {
    it('sends what is queued after the transaction commits, and stops when told', async () => {
      const worker = startMailWorker(
        { ...test.ctx, config: { ...test.ctx.config, smtpUrl: smtp.url } },
        { pollMs: 20 },
      );
      try {
        await test.knex.transaction(async (trx) => {
          await queueMail(test.ctx, trx, { to: 'ada@example.org', template: 'bid-receipt', data: data() });
          await new Promise((resolve) => setTimeout(resolve, 200));
          // Uncommitted: no pass can see it.
          expect(smtp.received).to.have.length(0);
        });
        await smtp.waitFor(1);
      } finally {
        await worker.stop();
      }
      expect((await rows())[0].status).to.equal('sent');
      // Stopped: a message queued now stays pending.
      await queue('bob@example.org');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await rows())[1].status).to.equal('pending');
    });

    it('stops mid-pass: takes no new message, records the sends under way and gives the untried back', async () => {
      await test.knex.transaction(async (trx) => {
        for (let i = 0; i < 100; i += 1)
          await queueMail(test.ctx, trx, { to: `p${i}@example.org`, template: 'bid-receipt', data: data() });
      });
      const concurrency = 4;
      const worker = startMailWorker(
        { ...test.ctx, config: { ...test.ctx.config, smtpUrl: smtp.url } },
        { pollMs: 20, batchSize: 100, concurrency, markEvery: 20 },
      );
      let arrivedAtStop: number;
      try {
        await smtp.waitFor(10);
      } finally {
        arrivedAtStop = smtp.received.length;
        await worker.stop();
      }
      const afterStop = smtp.received.length;
      const outbox = await rows();
      // Every message that reached the server is recorded sent: none goes out again.
      expect(outbox.filter((row) => row.status === 'sent')).to.have.length(afterStop);
      // Only the sends under way at the stop finished; the rest of the pass's batch was not tried.
      expect(afterStop).to.be.within(arrivedAtStop, arrivedAtStop + concurrency);
      const untried = outbox.filter((row) => row.status !== 'sent');
      expect(untried).to.have.length(100 - afterStop);
      for (const row of untried) expect(row).to.include({ status: 'pending', attempts: 0, claimId: null });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(smtp.received).to.have.length(afterStop);
    });

    it('runs the sweeps it is handed, each on its own: one failing stops neither the rest nor delivery', async () => {
      const lines: string[] = [];
      const destination = new Writable({
        write(chunk, _encoding, done) {
          lines.push(...String(chunk).split('\n').filter(Boolean));
          done();
        },
      });
      const logger = createLogger({ logLevel: 'info', logFormat: 'json', production: false }, destination);
      let runs = 0;
      const worker = startMailWorker(
        { ...test.ctx, logger, config: { ...test.ctx.config, smtpUrl: smtp.url } },
        {
          pollMs: 20,
          sweepMs: 50,
          sweeps: [
            {
              name: 'broken',
              run: async () => {
                throw new Error('the broken sweep broke');
              },
            },
            {
              name: 'queuing',
              run: async (ctx) => {
                runs += 1;
                if (runs > 1) return 0;
                await queueMail(ctx, ctx.knex, { to: 'swept@example.org', template: 'bid-receipt', data: data() });
                return 1;
              },
            },
          ],
        },
      );
      try {
        await smtp.waitFor(1);
        const deadline = Date.now() + 5000;
        while (runs < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      } finally {
        await worker.stop();
      }
      expect(smtp.received.map((m) => m.envelopeTo[0])).to.deep.equal(['swept@example.org']);
      expect(runs).to.be.at.least(3);
      const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(entries.find((e) => e.sweep === 'broken')?.msg).to.equal('broken: sweep failed');
      expect(entries.find((e) => e.sweep === 'queuing')).to.include({ queued: 1, msg: 'queuing: e-mails queued' });
      // Stopped: the sweeps stop with it.
      const after = runs;
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(runs).to.equal(after);
    });

    it('delivers while a sweep is still running, and never runs the same sweep twice at once', async () => {
      let finish!: () => void;
      const held = new Promise<void>((resolve) => (finish = resolve));
      let runs = 0;
      let atOnce = 0;
      let mostAtOnce = 0;
      const worker = startMailWorker(
        { ...test.ctx, config: { ...test.ctx.config, smtpUrl: smtp.url } },
        {
          pollMs: 10,
          sweepMs: 10,
          sweeps: [
            {
              name: 'slow',
              run: async () => {
                runs += 1;
                atOnce += 1;
                mostAtOnce = Math.max(mostAtOnce, atOnce);
                try {
                  if (runs === 1) await held;
                  return 0;
                } finally {
                  atOnce -= 1;
                }
              },
            },
          ],
        },
      );
      try {
        await queue('ada@example.org');
        // Sent while the first run of the sweep is still held.
        await smtp.waitFor(1, 3000);
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(runs).to.equal(1);
        finish();
        const deadline = Date.now() + 5000;
        while (runs < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      } finally {
        finish();
        await worker.stop();
      }
      expect(runs).to.be.at.least(3);
      expect(mostAtOnce).to.equal(1);
      expect((await rows())[0].status).to.equal('sent');
    });

    it('without SMTP_URL keeps mail in the outbox and prints each new message with its links', async () => {
      await queue('before@example.org');
      const lines: string[] = [];
      const destination = new Writable({
        write(chunk, _encoding, done) {
          lines.push(...String(chunk).split('\n').filter(Boolean));
          done();
        },
      });
      const logger = createLogger({ logLevel: 'info', logFormat: 'json', production: false }, destination);
      const worker = startMailWorker({ ...test.ctx, logger }, { pollMs: 20 });
      try {
        await new Promise((resolve) => setTimeout(resolve, 100));
        await queue('ada@example.org', { link: 'https://funding.example.org/bids/42/submitted' });
        const deadline = Date.now() + 5000;
        while (!lines.some((line) => line.includes('ada@example.org')) && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 20));
      } finally {
        await worker.stop();
      }
      const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(entries[0].msg).to.match(/^No SMTP_URL: 1 e-mails wait in the outbox/);
      const printed = entries.find((entry) => entry.to === 'ada@example.org')!;
      expect(printed.links).to.deep.equal(['https://funding.example.org/bids/42/submitted']);
      expect(printed.msg).to.contain('Subject: Bid OC08S17P1001-001 submitted: Working Well Together');
      expect(printed.msg).to.contain('SHA-256 of what was submitted');
      expect(entries.filter((entry) => entry.to === 'before@example.org')).to.have.length(0);
      expect((await rows()).map((row) => row.status)).to.deep.equal(['pending', 'pending']);
    });

    it('without SMTP_URL in production prints who waits for what, never the links', async () => {
      const lines: string[] = [];
      const destination = new Writable({
        write(chunk, _encoding, done) {
          lines.push(...String(chunk).split('\n').filter(Boolean));
          done();
        },
      });
      const logger = createLogger({ logLevel: 'info', logFormat: 'json', production: true }, destination);
      const config = { ...test.ctx.config, production: true };
      const worker = startMailWorker({ ...test.ctx, config, logger }, { pollMs: 20 });
      try {
        await new Promise((resolve) => setTimeout(resolve, 100));
        await queue('ada@example.org', { link: 'https://funding.example.org/reset-password/s3cr3t-t0ken' });
        const deadline = Date.now() + 5000;
        while (!lines.some((line) => line.includes('ada@example.org')) && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 20));
      } finally {
        await worker.stop();
      }
      const printed = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((e) => e.to)!;
      expect(printed.msg).to.equal(
        'E-mail kept in the outbox (set SMTP_URL to send it): to ada@example.org, ' +
          '"Bid OC08S17P1001-001 submitted: Working Well Together"',
      );
      expect(lines.join('\n')).not.to.contain('s3cr3t-t0ken');
    });
  });
});
