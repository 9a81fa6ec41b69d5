import { expect } from 'chai';
import { aBidBody } from '../support/builders.ts';
import {
  anApplicant,
  anOfficer,
  aPublishedCall,
  useTestApp,
  type PublishedCall,
  type TestUser,
} from '../support/app.ts';
import { deliverOnce, startSmtpServer } from '../support/mail.ts';
import { reminderDue, sweepReminders } from '../../server/mail/reminders.ts';
import { auditForBid } from '../../server/audit/repository.ts';

const SECOND = 1000;
const DAY = 24 * 3600 * SECOND;

describe('deadline reminders', () => {
  const test = useTestApp({ PUBLIC_BASE_URL: 'https://funding.example.org' });
  let officer: TestUser;
  let call: PublishedCall;
  let drafting: TestUser;
  let colleague: TestUser;
  let submitted: TestUser;
  let draftId: string;
  let closesAt: number;

  beforeEach(async () => {
    officer = await anOfficer(test);
    call = await aPublishedCall(officer);
    closesAt = Date.parse(call.closesAt);
    drafting = await anApplicant(test);
    colleague = await anApplicant(test, drafting.actor.organisationId!);
    submitted = await anApplicant(test);
    await anApplicant(test); // an organisation with no bid on the call
    draftId = (await drafting.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody()).expect(201)).body.id;
    const done = (await submitted.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody()).expect(201)).body;
    await submitted.agent.post(`/api/v1/bids/${done.id}/submit`).expect(200);
  });

  const at = (ms: number) => test.clock.set(new Date(ms));
  const reminders = () =>
    test.knex('mail_outbox').where('template', 'deadline-reminder').orderBy('dedupeKey').select('*');

  it('are due from 7 days and from 1 day before the deadline, up to the deadline itself', () => {
    const close = new Date('2027-01-31T12:00:00Z');
    const before = (ms: number) => new Date(close.getTime() - ms);
    expect(reminderDue(close, before(7 * DAY + SECOND))).to.equal(undefined);
    expect(reminderDue(close, before(7 * DAY))).to.equal('7d');
    expect(reminderDue(close, before(DAY + SECOND))).to.equal('7d');
    expect(reminderDue(close, before(DAY))).to.equal('1d');
    expect(reminderDue(close, close)).to.equal('1d');
    expect(reminderDue(close, new Date(close.getTime() + SECOND))).to.equal(undefined);
  });

  it('reminds each member of an organisation with a draft, once, however many sweeps race', async () => {
    at(closesAt - 7 * DAY - SECOND);
    expect(await sweepReminders(test.ctx)).to.equal(0);
    expect(await reminders()).to.have.length(0);

    at(closesAt - 7 * DAY);
    await Promise.all([sweepReminders(test.ctx), sweepReminders(test.ctx), sweepReminders(test.ctx)]);
    const sevenDay = await reminders();
    expect(sevenDay.map((row) => row.toAddress).sort()).to.deep.equal([drafting.email, colleague.email].sort());
    const org = drafting.actor.organisationId;
    expect(sevenDay.map((row) => row.dedupeKey).sort()).to.deep.equal(
      [drafting, colleague].map((member) => `reminder:${call.id}:${org}:7d:${member.actor.id}`).sort(),
    );
    for (const row of sevenDay) expect(row).to.include({ callId: call.id, bidId: draftId });
    expect(await auditForBid(test.knex, draftId, ['mail.queued'])).to.have.length(2);

    // Sweeps go on running: nothing new until the 1-day reminder is due.
    at(closesAt - DAY - SECOND);
    expect(await sweepReminders(test.ctx)).to.equal(0);
    at(closesAt - DAY);
    await Promise.all([sweepReminders(test.ctx), sweepReminders(test.ctx)]);
    expect(await reminders()).to.have.length(4);
    at(closesAt);
    expect(await sweepReminders(test.ctx)).to.equal(0);
    expect(await reminders()).to.have.length(4);
  });

  it('says what is left, when the call closes and which drafts, with links', async () => {
    at(closesAt - DAY);
    await sweepReminders(test.ctx);
    const smtp = await startSmtpServer();
    try {
      await deliverOnce(test.ctx, smtp.url);
      const [mail] = (await smtp.waitFor(2)).filter((m) => m.envelopeTo[0] === colleague.email);
      const { formatLondonDateTime } = await import('../../server/shared/londonFormat.ts');
      expect(mail.parsed.subject).to.equal(`1 day left: ${call.title} closes ${formatLondonDateTime(call.closesAt)}`);
      expect(mail.parsed.text).to.contain(`Dear ${colleague.actor.name},`);
      expect(mail.parsed.text).to.contain(`Working Well Together (${call.reference}-001)`);
      expect(mail.parsed.text).to.contain(`https://funding.example.org/bids/${draftId}`);
      expect(mail.parsed.html).to.contain(`href="https://funding.example.org/bids/${draftId}"`);
    } finally {
      await smtp.close();
    }
  });

  it('misses the 7-day reminder when the 1-day one is already due, and sends only that', async () => {
    at(closesAt - DAY + 5 * SECOND);
    await sweepReminders(test.ctx);
    expect((await reminders()).map((row) => row.dedupeKey.split(':')[3])).to.deep.equal(['1d', '1d']);
  });

  it('reminds nobody once a draft is submitted, or when the call was closed early', async () => {
    await drafting.agent.post(`/api/v1/bids/${draftId}/submit`).expect(200);
    at(closesAt - DAY);
    expect(await sweepReminders(test.ctx)).to.equal(0);

    test.clock.reset();
    const other = await aPublishedCall(officer);
    const otherClose = Date.parse(other.closesAt);
    await colleague.agent.post(`/api/v1/calls/${other.id}/bids`).send(aBidBody()).expect(201);
    await officer.agent.post(`/api/v1/calls/${other.id}/close`).expect(200);
    at(otherClose - DAY);
    expect(await sweepReminders(test.ctx)).to.equal(0);
    expect(await reminders()).to.have.length(0);
  });
});
