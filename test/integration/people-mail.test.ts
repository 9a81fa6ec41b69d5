/**
 * The invitation e-mail as it arrives at a real SMTP server: who invited them, to what, the link on PUBLIC_BASE_URL
 * and the expiry in UK time; names with line breaks and markup stay text.
 */
import { expect } from 'chai';
import { anApplicant, anOfficer, useTestApp } from '../support/app.ts';
import { deliverOnce, startSmtpServer, type TestSmtpServer } from '../support/mail.ts';
import { invitationTokenTo } from '../support/people.ts';

describe('people: the invitation e-mail', () => {
  const test = useTestApp({ PUBLIC_BASE_URL: 'https://funding.example.org', MAIL_FROM: 'Funding <mail@example.org>' });
  let smtp: TestSmtpServer;

  beforeEach(async () => {
    smtp = await startSmtpServer();
  });
  afterEach(async () => {
    await smtp.close();
  });

  it('says who invited them, to what, with the link and the expiry in UK time', async () => {
    const admin = await anApplicant(test);
    const organisation = await test.knex('organisations').where({ id: admin.actor.organisationId }).first();
    // Summer: the expiry reads in British Summer Time.
    test.clock.set('2027-06-01T10:00:00Z');
    await admin.agent
      .post('/api/v1/organisations/mine/invitations')
      .send({ email: 'reader@charity.example', role: 'member' })
      .expect(201);
    // Queued, not sent, by the request; delivered afterwards.
    expect(smtp.received).to.have.length(0);
    const token = await invitationTokenTo(test, 'reader@charity.example');
    await deliverOnce(test.ctx, smtp.url);
    const [mail] = await smtp.waitFor(1);
    const link = `https://funding.example.org/invitations/${token}`;
    expect(mail.envelopeTo).to.deep.equal(['reader@charity.example']);
    expect(mail.parsed.subject).to.equal(`${admin.actor.name} has invited you to Funding calls`);
    expect(mail.parsed.text).to.include(
      `${admin.actor.name} has invited you to join ${organisation.name} as a member, to work on its bids.`,
    );
    expect(mail.parsed.text).to.include(link);
    expect(mail.parsed.text).to.include('It expires on 8 June 2027 at 11:00am (UK time).');
    expect(mail.parsed.html).to.include(`href="${link}"`);
    const row = await test.knex('mail_outbox').first();
    expect(row).to.include({ status: 'sent', bidId: null });
    // Sent, the message no longer holds the token, which the invitation keeps only as a hash.
    expect(JSON.stringify(row)).not.to.include(token);
  });

  it('keeps an inviter named with a line break and markup to one subject line, and escapes the HTML', async () => {
    const officer = await anOfficer(test);
    await test
      .knex('users')
      .where({ id: officer.actor.id })
      .update({ name: 'Eve\r\nBcc: thief@attacker.example <script>alert(1)</script>' });
    await test.knex('funders').where({ id: officer.actor.funderId }).update({ name: 'D2N2 <b>LEP</b>' });
    await officer.agent
      .post('/api/v1/staff-invitations')
      .send({ email: 'appraiser@lep.example', name: 'New Appraiser', role: 'appraiser' })
      .expect(201);
    await deliverOnce(test.ctx, smtp.url);
    const [mail] = await smtp.waitFor(1);
    expect(mail.envelopeTo).to.deep.equal(['appraiser@lep.example']);
    expect(mail.parsed.headers.has('bcc')).to.equal(false);
    expect(mail.parsed.subject).to.equal(
      'Eve Bcc: thief@attacker.example <script>alert(1)</script> has invited you to Funding calls',
    );
    expect(mail.parsed.html).not.to.include('<script>');
    expect(mail.parsed.html).to.include('&lt;script&gt;');
    expect(mail.parsed.html).to.include('D2N2 &lt;b&gt;LEP&lt;/b&gt;');
    expect(mail.parsed.text).to.include('to join D2N2 <b>LEP</b> as an appraiser on Funding calls.');
  });

  it('queues no e-mail when the invitation is refused', async () => {
    const admin = await anApplicant(test);
    await admin.agent
      .post('/api/v1/organisations/mine/invitations')
      .send({ email: 'not an address', role: 'member' })
      .expect(422);
    expect(await test.knex('mail_outbox')).to.deep.equal([]);
  });
});
