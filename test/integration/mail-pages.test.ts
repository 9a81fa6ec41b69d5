import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anAppraiser, anOfficer, anonymous, useTestApp } from '../support/app.ts';
import { aClosedCallWithBids } from '../support/appraisal.ts';
import { deliverOnce, startSmtpServer, type TestSmtpServer } from '../support/mail.ts';
import { queueMail } from '../../server/mail/outbox.ts';

describe('mail about calls', () => {
  const test = useTestApp({ PUBLIC_BASE_URL: 'https://funding.example.org' });
  let smtp: TestSmtpServer;

  beforeEach(async () => {
    smtp = await startSmtpServer();
  });
  afterEach(async () => {
    await smtp.close();
  });

  describe("an appraiser's place on a panel", () => {
    it('is e-mailed to each appraiser new to the panel, in the transaction that sets it', async () => {
      const { officer, call } = await aClosedCallWithBids(test, [aBidBody()], 0);
      const [first, second] = [
        await anAppraiser(test, officer.actor.funderId!),
        await anAppraiser(test, officer.actor.funderId!),
      ];
      await officer.agent
        .put(`/api/v1/calls/${call.id}/panel`)
        .send({ appraiserIds: [first.actor.id] })
        .expect(200);
      await officer.agent
        .put(`/api/v1/calls/${call.id}/panel`)
        .send({ appraiserIds: [first.actor.id, second.actor.id] })
        .expect(200);
      // A panel refused (someone else's appraiser) e-mails nobody.
      const foreign = await anAppraiser(test, (await anOfficer(test)).actor.funderId!);
      await officer.agent
        .put(`/api/v1/calls/${call.id}/panel`)
        .send({ appraiserIds: [foreign.actor.id] })
        .expect(422);

      const rows = await test.knex('mail_outbox').where('template', 'panel-place').orderBy('id');
      expect(rows.map((row) => row.toAddress)).to.deep.equal([first.email, second.email]);
      for (const row of rows) expect(row).to.include({ callId: call.id, bidId: null });

      await deliverOnce(test.ctx, smtp.url);
      const mail = (await smtp.waitFor(2)).find((m) => m.envelopeTo[0] === second.email)!.parsed;
      const { title } = (await officer.agent.get(`/api/v1/calls/${call.id}`).expect(200)).body;
      expect(mail.subject).to.equal(`You are on the appraisal panel for ${title}`);
      expect(mail.text).to.contain(`Dear ${second.actor.name},`);
      expect(mail.text).to.contain(`https://funding.example.org/appraisal/calls/${call.id}`);
      expect(mail.html).to.contain(`href="https://funding.example.org/appraisal/calls/${call.id}"`);
    });
  });

  describe("the officer's page of a call's mail", () => {
    it("lists the call's messages with status, attempts, last error and time; nothing of other calls", async () => {
      const officer = await anOfficer(test);
      const { body: call } = await officer.agent
        .post('/api/v1/calls')
        .send((await import('../support/builders.ts')).aCallBody())
        .expect(201);
      const { body: other } = await officer.agent
        .post('/api/v1/calls')
        .send((await import('../support/builders.ts')).aCallBody())
        .expect(201);
      const data = {
        recipientName: 'Ada',
        organisationName: 'Org',
        callTitle: 'Call',
        title: '<script>alert(1)</script>',
        reference: 'R-001',
        version: 1,
        submittedAt: new Date(),
        sha256: 'd'.repeat(64),
        link: 'https://funding.example.org/x',
      };
      const queue = (to: string, callId: string) =>
        queueMail(test.ctx, test.knex, { to, template: 'bid-receipt', data, callId });
      test.clock.set('2026-12-02T10:00:00Z');
      await queue('refused@example.org', call.id);
      await queue('sent@example.org', call.id);
      await queue('elsewhere@example.org', other.id);
      smtp.refuseNext(550, 'No such <user> here');
      await deliverOnce(test.ctx, smtp.url, { concurrency: 1 });
      test.clock.set('2026-12-02T10:05:00Z');
      await queue('waiting@example.org', call.id);

      const page = await officer.agent.get(`/officer/calls/${call.id}/mail`).expect(200);
      const $ = cheerio.load(page.text);
      const headers = $('thead th')
        .map((_i, th) => $(th).text().trim())
        .get();
      expect(headers).to.deep.equal(['To', 'Subject', 'Status', 'Attempts', 'Last error', 'Time']);
      const cells = $('tbody tr')
        .map((_i, tr) => [
          $(tr)
            .find('td')
            .map((_j, td) => $(td).text().trim())
            .get(),
        ])
        .get() as string[][];
      expect(cells.map((row) => [row[0], row[2], row[3]])).to.deep.equal([
        ['waiting@example.org', 'Waiting', '0'],
        ['sent@example.org', 'Sent', '1'],
        ['refused@example.org', 'Failed', '1'],
      ]);
      expect(cells[2][4]).to.match(/^550 No such <user> here/);
      expect(cells[2][5]).to.equal('Failed 2 December 2026 at 10:00am');
      expect(cells[0][5]).to.equal('Queued 2 December 2026 at 10:05am');
      expect(cells[1][1]).to.equal('Bid R-001 submitted: <script>alert(1)</script>');
      // What the receiving server said, and the subject, are text on the page, never markup.
      expect(page.text).not.to.contain('<script>alert(1)</script>');
      expect(page.text).to.contain('No such &lt;user&gt; here');
      expect(page.text).not.to.contain('elsewhere@example.org');

      const dashboard = await officer.agent.get(`/officer/calls/${call.id}`).expect(200);
      expect(cheerio.load(dashboard.text)(`a[href="/officer/calls/${call.id}/mail"]`).text()).to.equal(
        'E-mail about this call',
      );
    });

    it('says so when no mail has been sent about the call', async () => {
      const officer = await anOfficer(test);
      const { body: call } = await officer.agent
        .post('/api/v1/calls')
        .send((await import('../support/builders.ts')).aCallBody())
        .expect(201);
      const page = await officer.agent.get(`/officer/calls/${call.id}/mail`).expect(200);
      expect(page.text).to.contain('No e-mail has been sent about this call yet.');
    });

    it("is not found to another funder's officer and refused to applicants and appraisers", async () => {
      const officer = await anOfficer(test);
      const { body: call } = await officer.agent
        .post('/api/v1/calls')
        .send((await import('../support/builders.ts')).aCallBody())
        .expect(201);
      const path = `/officer/calls/${call.id}/mail`;
      await (await anOfficer(test)).agent.get(path).expect(404);
      await (await anOfficer(test)).agent.get('/officer/calls/not-a-uuid/mail').expect(404);
      await (await anApplicant(test)).agent.get(path).expect(403);
      await (await anAppraiser(test, officer.actor.funderId!)).agent.get(path).expect(403);
      const signIn = await anonymous(test).get(path).expect(303);
      expect(signIn.headers.location).to.match(/^\/sign-in/);
    });
  });
});
