/**
 * The e-mails after the deadline, read back from a real SMTP server: a clarification raised (to the lead's
 * members) and answered (to the call's officers), decisions at their release (one per consortium member, once),
 * and a correction after the release.
 */
import { expect } from 'chai';
import { sweepReleasedDecisions } from '../../server/appraisal/decisionMail.ts';
import { anApplicant, anOfficer, useTestApp } from '../support/app.ts';
import { aClosedCallWithBids, scoreBid } from '../support/appraisal.ts';
import { deliverOnce, startSmtpServer, type TestSmtpServer } from '../support/mail.ts';
import { startMailWorker } from '../../server/mail/worker.ts';

const SECOND = 1000;
const DAY = 24 * 3600 * SECOND;

describe('e-mails after the deadline', function () {
  this.timeout(60_000);
  const test = useTestApp({ PUBLIC_BASE_URL: 'https://funding.example.org' });
  let smtp: TestSmtpServer;

  beforeEach(async () => {
    smtp = await startSmtpServer();
  });
  afterEach(async () => {
    await smtp.close();
  });

  /** Delivers the outbox and answers what arrived of `template`'s messages, by recipient. */
  async function delivered(subjectPattern: RegExp) {
    await deliverOnce(test.ctx, smtp.url);
    return smtp.received
      .filter((m) => subjectPattern.test(m.parsed.subject ?? ''))
      .map((m) => ({ to: m.envelopeTo[0], subject: m.parsed.subject!, text: m.parsed.text! }))
      .sort((a, b) => a.to.localeCompare(b.to));
  }

  it("e-mails a clarification to the lead's members, and its answer to the call's officers", async () => {
    const closed = await aClosedCallWithBids(test);
    const [bidId] = closed.bidIds;
    const [lead] = closed.applicants;
    const colleague = await anApplicant(test, lead.actor.organisationId!);
    const secondOfficer = await anOfficer(test, closed.officer.actor.funderId!);
    const respondBy = '2030-01-15T17:00:00.000Z';
    test.clock.set(new Date(Date.parse(closed.call.closesAt) + DAY));
    const clarification = (
      await closed.officer.agent
        .post(`/api/v1/bids/${bidId}/clarifications`)
        .send({ question: 'Please confirm the match from Derby City Council.', sections: ['match-funding'], respondBy })
        .expect(201)
    ).body;
    const asked = await delivered(/^Clarification needed/);
    expect(asked.map((m) => m.to)).to.deep.equal([lead.email, colleague.email].sort());
    expect(asked[0].subject).to.equal(
      `Clarification needed on bid ${(await test.knex('bids').where({ id: bidId }).first()).reference} by ` +
        '15 January 2030 at 5:00pm',
    );
    expect(asked[0].text).to.contain('Please confirm the match from Derby City Council.');
    expect(asked[0].text).to.contain('Sections you may change in your answer: Match funding');
    expect(asked[0].text).to.contain(`https://funding.example.org/bids/${bidId}\n`);

    await lead.agent
      .post(`/api/v1/bids/${bidId}/clarifications/${clarification.id}/answer`)
      .send({ answer: 'Confirmed in the attached letter.' })
      .expect(200);
    const answered = await delivered(/answered its clarification/);
    expect(answered.map((m) => m.to)).to.deep.equal([closed.officer.email, secondOfficer.email].sort());
    expect(answered[0].text).to.contain('Confirmed in the attached letter.');
    expect(answered[0].text).to.contain('version 2 of the bid');
    const trail = await test.knex('auditEvents').where({ bidId, action: 'mail.queued' });
    // Beside the submission's receipt to the lead, which came before the clarification.
    expect(trail.map((e) => e.after.template).sort()).to.deep.equal([
      'bid-receipt',
      'clarification-answered',
      'clarification-answered',
      'clarification-raised',
      'clarification-raised',
    ]);
  });

  it('e-mails each member of the consortium its decision once, at the release instant', async () => {
    const closed = await aClosedCallWithBids(test);
    const [bidId] = closed.bidIds;
    const [lead] = closed.applicants;
    const colleague = await anApplicant(test, lead.actor.organisationId!);
    for (const appraiser of closed.appraisers) await scoreBid(appraiser, bidId, () => 4);
    const releaseAt = new Date(test.clock.now().getTime() + DAY);
    await closed.officer.agent
      .put(`/api/v1/calls/${closed.call.id}/release`)
      .send({ releaseDecisionsAt: releaseAt.toISOString() })
      .expect(200);
    await closed.officer.agent.put(`/api/v1/bids/${bidId}/feedback`).send({ feedback: 'Strong on need.' }).expect(200);
    await closed.officer.agent.post(`/api/v1/bids/${bidId}/decision`).send({ decision: 'approved' }).expect(200);

    test.clock.set(new Date(releaseAt.getTime() - SECOND));
    expect(await sweepReleasedDecisions(test.ctx)).to.equal(0);
    expect(await delivered(/^Decision on bid/)).to.deep.equal([]);

    test.clock.set(new Date(releaseAt.getTime() + SECOND));
    expect(await sweepReleasedDecisions(test.ctx)).to.equal(2);
    expect(await sweepReleasedDecisions(test.ctx)).to.equal(0);
    const released = await delivered(/^Decision on bid/);
    expect(released.map((m) => m.to)).to.deep.equal([lead.email, colleague.email].sort());
    expect(released[0].subject).to.match(/: Approved$/);
    expect(released[0].text).to.contain('Feedback:\nStrong on need.');

    // A correction after the release reaches them too, with its reason.
    await closed.officer.agent
      .post(`/api/v1/bids/${bidId}/decision`)
      .send({ decision: 'rejected', reason: 'Match withdrawn', correctionReason: 'The council withdrew its match' })
      .expect(200);
    const corrected = await delivered(/^Corrected decision/);
    expect(corrected.map((m) => m.to)).to.deep.equal([lead.email, colleague.email].sort());
    expect(corrected[0].text).to.contain('The council withdrew its match');
    expect(corrected[0].text).to.contain('(Approved)');
    expect(smtp.received.filter((m) => /^Decision on bid/.test(m.parsed.subject ?? ''))).to.have.length(2);
  });

  it("is swept by the mail worker's loop, as every server process runs it, and delivered once", async () => {
    const closed = await aClosedCallWithBids(test);
    const [bidId] = closed.bidIds;
    const [lead] = closed.applicants;
    for (const appraiser of closed.appraisers) await scoreBid(appraiser, bidId, () => 4);
    const releaseAt = new Date(test.clock.now().getTime() + DAY);
    await closed.officer.agent
      .put(`/api/v1/calls/${closed.call.id}/release`)
      .send({ releaseDecisionsAt: releaseAt.toISOString() })
      .expect(200);
    await closed.officer.agent.post(`/api/v1/bids/${bidId}/decision`).send({ decision: 'approved' }).expect(200);
    test.clock.set(new Date(releaseAt.getTime() + SECOND));
    // Two processes' workers, as main.ts starts them: the release is mailed by whichever sweeps first, once.
    const ctx = { ...test.ctx, config: { ...test.ctx.config, smtpUrl: smtp.url } };
    const sweeps = [{ name: 'decision release', run: sweepReleasedDecisions }];
    const workers = [0, 1].map(() => startMailWorker(ctx, { pollMs: 20, sweepMs: 20, sweeps }));
    const decisions = () => smtp.received.filter((m) => /^Decision on bid/.test(m.parsed.subject ?? ''));
    try {
      const deadline = Date.now() + 20_000;
      while (decisions().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      // Time for a second sweep or delivery, were either to send it again.
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
    expect(decisions().map((m) => m.envelopeTo[0])).to.deep.equal([lead.email]);
    expect((await test.knex('calls').where({ id: closed.call.id }).first()).releaseMailedAt).to.be.an.instanceOf(Date);
  });

  it('e-mails the decisions at once when they are released now, and never without a release', async () => {
    const closed = await aClosedCallWithBids(test, undefined, 0);
    const [bidId] = closed.bidIds;
    await closed.officer.agent
      .post(`/api/v1/bids/${bidId}/decision`)
      .send({ decision: 'rejected', reason: 'Outside the priorities' })
      .expect(200);
    expect(await test.knex('mail_outbox').where('template', 'like', 'decision-%')).to.deep.equal([]);

    // The second call is made at real time, not at the first call's closing: its bid is submitted before it closes.
    test.clock.reset();
    const other = await aClosedCallWithBids(test, undefined, 0);
    await other.officer.agent
      .put(`/api/v1/calls/${other.call.id}/release`)
      .send({ releaseDecisionsAt: new Date(test.clock.now().getTime() + DAY).toISOString() })
      .expect(200);
    await other.officer.agent
      .post(`/api/v1/bids/${other.bidIds[0]}/decision`)
      .send({ decision: 'rejected', reason: 'Outside the priorities' })
      .expect(200);
    await other.officer.agent
      .put(`/api/v1/calls/${other.call.id}/release`)
      .send({ releaseDecisionsAt: test.clock.now().toISOString() })
      .expect(200);
    const released = await delivered(/^Decision on bid/);
    expect(released.map((m) => m.to)).to.deep.equal([other.applicants[0].email]);
    expect(released[0].text).to.contain('Reason:\nOutside the priorities');
    expect(await sweepReleasedDecisions(test.ctx)).to.equal(0);
  });
});
