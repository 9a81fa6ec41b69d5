import { expect } from 'chai';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anOfficer, aPublishedCall, useTestApp, type TestUser } from '../support/app.ts';
import { deliverOnce, startSmtpServer, type TestSmtpServer } from '../support/mail.ts';
import { mailLink, queueMail } from '../../server/mail/outbox.ts';
import { auditForBid } from '../../server/audit/repository.ts';

/** Resolves to the error `promise` is rejected with, failing if it resolves instead. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

const receiptData = (overrides: Record<string, unknown> = {}) => ({
  recipientName: 'Ada Lovelace',
  organisationName: 'Derby Community Partnership',
  callTitle: 'Health and Wellbeing',
  title: 'Working Well Together',
  reference: 'OC08S17P1001-001',
  version: 1,
  submittedAt: '2026-12-02T10:00:00.000Z',
  sha256: 'a'.repeat(64),
  link: 'http://localhost:3000/bids/x',
  ...overrides,
});

describe('the outbox', () => {
  const test = useTestApp({ PUBLIC_BASE_URL: 'https://funding.example.org/', MAIL_FROM: 'Funding <mail@example.org>' });
  let smtp: TestSmtpServer;

  beforeEach(async () => {
    smtp = await startSmtpServer();
  });
  afterEach(async () => {
    await smtp.close();
  });

  async function outbox() {
    return test.knex('mail_outbox').select('*').orderBy('id');
  }

  it('makes links on PUBLIC_BASE_URL, without a doubled slash', () => {
    expect(mailLink(test.ctx, '/reset-password/abc')).to.equal('https://funding.example.org/reset-password/abc');
    expect(mailLink(test.ctx, 'bids/1')).to.equal('https://funding.example.org/bids/1');
  });

  it('renders the message when queued and keeps it pending until delivered', async () => {
    test.clock.set('2026-12-02T09:00:00Z');
    await test.knex.transaction((trx) =>
      queueMail(test.ctx, trx, { to: 'ada@example.org', template: 'bid-receipt', data: receiptData() }),
    );
    const [row] = await outbox();
    expect(row).to.include({
      toAddress: 'ada@example.org',
      template: 'bid-receipt',
      subject: 'Bid OC08S17P1001-001 submitted: Working Well Together',
      status: 'pending',
      attempts: 0,
    });
    expect(row.queuedAt.toISOString()).to.equal('2026-12-02T09:00:00.000Z');
    expect(row.textBody).to.contain('SHA-256 of what was submitted: ' + 'a'.repeat(64));
    expect(row.htmlBody).to.contain('<a href="http://localhost:3000/bids/x"');
  });

  it('queues nothing when the transaction rolls back', async () => {
    const failing = test.knex.transaction(async (trx) => {
      await queueMail(test.ctx, trx, { to: 'ada@example.org', template: 'bid-receipt', data: receiptData() });
      throw new Error('the event failed');
    });
    expect((await rejection(failing)).message).to.equal('the event failed');
    expect(await outbox()).to.have.length(0);
    expect((await deliverOnce(test.ctx, smtp.url)).claimed).to.equal(0);
  });

  it('queues a message with a dedupe key once, however often it is queued', async () => {
    for (let i = 0; i < 3; i += 1)
      await test.knex.transaction((trx) =>
        queueMail(test.ctx, trx, {
          to: 'ada@example.org',
          template: 'bid-receipt',
          data: receiptData({ version: i + 1 }),
          dedupeKey: 'once-only',
        }),
      );
    const rows = await outbox();
    expect(rows).to.have.length(1);
    expect(rows[0].textBody).to.contain('Version: 1');
  });

  it('refuses what is not one address, a template that does not exist, and a missing variable', async () => {
    for (const to of ['ada@example.org, eve@example.org', 'Ada <ada@example.org>', 'ada@example.org\r\nBcc: x@y.z'])
      expect(
        (await rejection(queueMail(test.ctx, test.knex, { to, template: 'bid-receipt', data: receiptData() }))).message,
      ).to.match(/not one e-mail address/);
    const to = 'a@example.org';
    expect(
      (await rejection(queueMail(test.ctx, test.knex, { to, template: '../layouts/main', data: {} }))).message,
    ).to.match(/not a template's name/);
    expect(
      (await rejection(queueMail(test.ctx, test.knex, { to, template: 'no-such-mail', data: {} }))).message,
    ).to.match(/no-such-mail has no subject part/);
    const missing = queueMail(test.ctx, test.knex, { to, template: 'bid-receipt', data: { reference: 'R' } });
    expect((await rejection(missing)).message).to.match(/bid-receipt: "title" not defined/);
    expect(await outbox()).to.have.length(0);
  });

  it('delivers plain text and HTML, user text escaped in the HTML and no header from a line break', async () => {
    const hostile = 'Evil\r\nBcc: victim@example.org\r\nX-Injected: yes <script>alert(1)</script>';
    await queueMail(test.ctx, test.knex, {
      to: 'ada@example.org',
      template: 'bid-receipt',
      data: receiptData({ title: hostile, organisationName: 'Rock & <b>Roll</b>' }),
    });
    const pass = await deliverOnce(test.ctx, smtp.url);
    expect(pass).to.deep.equal({ claimed: 1, sent: 1, retrying: 0, failed: 0 });
    const [mail] = await smtp.waitFor(1);
    expect(mail.envelopeTo).to.deep.equal(['ada@example.org']);
    expect(mail.envelopeFrom).to.equal('mail@example.org');
    const { parsed } = mail;
    expect(parsed.subject).to.equal(
      'Bid OC08S17P1001-001 submitted: Evil Bcc: victim@example.org X-Injected: yes <script>alert(1)</script>',
    );
    expect(parsed.headers.has('bcc')).to.equal(false);
    expect(parsed.headers.has('x-injected')).to.equal(false);
    // The header section as sent, folded lines joined: the only fields in it are those nodemailer wrote.
    const header = mail.raw.split('\r\n\r\n')[0].replace(/\r\n[ \t]/g, ' ');
    const fields = header.split('\r\n').map((line) => line.split(':')[0].toLowerCase());
    expect(fields).to.deep.equal(['from', 'to', 'subject', 'message-id', 'date', 'mime-version', 'content-type']);
    expect(parsed.from?.value).to.deep.equal([{ name: 'Funding', address: 'mail@example.org' }]);
    expect(parsed.text).to.contain('Rock & <b>Roll</b> has submitted a bid to Health and Wellbeing.');
    expect(parsed.html).to.be.a('string');
    const html = parsed.html as string;
    expect(html).to.contain('Rock &amp; &lt;b&gt;Roll&lt;/b&gt; has submitted');
    expect(html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.to.contain('<script>');
    const [row] = await outbox();
    expect(row).to.include({ status: 'sent', attempts: 1, lastError: null });
    expect(parsed.messageId).to.equal(row.messageId);
  });

  describe('about a bid', () => {
    let officer: TestUser;
    let applicant: TestUser;
    let bidId: string;
    let callId: string;

    beforeEach(async () => {
      officer = await anOfficer(test);
      applicant = await anApplicant(test);
      const call = await aPublishedCall(officer);
      callId = call.id;
      bidId = (await applicant.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody()).expect(201)).body.id;
    });

    it("is an event on the bid's audit trail, once for a deduplicated message", async () => {
      for (let i = 0; i < 2; i += 1)
        await test.knex.transaction((trx) =>
          queueMail(test.ctx, trx, {
            to: applicant.email,
            template: 'bid-receipt',
            data: receiptData(),
            bidId,
            callId,
            dedupeKey: `receipt:${bidId}`,
          }),
        );
      const events = await auditForBid(test.knex, bidId, ['mail.queued']);
      expect(events).to.have.length(1);
      const [row] = await outbox();
      expect(row).to.include({ bidId, callId });
      expect(events[0].callId).to.equal(callId);
      expect(events[0].after).to.deep.equal({
        outboxId: Number(row.id),
        to: applicant.email,
        template: 'bid-receipt',
        subject: 'Bid OC08S17P1001-001 submitted: Working Well Together',
      });
    });
  });
});
