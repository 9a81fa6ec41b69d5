/**
 * Decisions released on purpose, with feedback, and corrected only with a reason: until a call's release instant
 * the bid's organisation sees no decision, scores or feedback, in the API and on its pages; from it, all three.
 */
import { expect } from 'chai';
import { useTestApp } from '../support/app.ts';
import { aClosedCallWithBids, scoreBid } from '../support/appraisal.ts';
import { snapshot } from '../support/database.ts';

const SECOND = 1000;
const DAY = 24 * 3600 * SECOND;

describe('releasing decisions, feedback and corrections', function () {
  this.timeout(60_000);
  const test = useTestApp();

  it('hides the decision, scores and feedback from the applicant until the release, to the second', async () => {
    const closed = await aClosedCallWithBids(test);
    const { officer, call } = closed;
    const [bidId] = closed.bidIds;
    const [applicant] = closed.applicants;
    for (const appraiser of closed.appraisers) await scoreBid(appraiser, bidId, () => 4);
    const releaseAt = new Date(test.clock.now().getTime() + DAY);
    const release = await officer.agent
      .put(`/api/v1/calls/${call.id}/release`)
      .send({ releaseDecisionsAt: releaseAt.toISOString() })
      .expect(200);
    expect(release.body).to.deep.equal({
      callId: call.id,
      releaseDecisionsAt: releaseAt.toISOString(),
      released: false,
    });
    await officer.agent
      .put(`/api/v1/bids/${bidId}/feedback`)
      .send({ feedback: 'A strong partnership; tighten the <evidence> of need.' })
      .expect(200);
    await officer.agent.post(`/api/v1/bids/${bidId}/decision`).send({ decision: 'approved' }).expect(200);
    // The officer sees it at once.
    const asOfficer = (await officer.agent.get(`/api/v1/bids/${bidId}`).expect(200)).body;
    expect(asOfficer.decision).to.include({ decision: 'approved' });

    test.clock.set(new Date(releaseAt.getTime() - SECOND));
    const before = (await applicant.agent.get(`/api/v1/bids/${bidId}`).expect(200)).body;
    expect(before).to.include({ status: 'submitted', decision: null });
    const scores = await applicant.agent.get(`/api/v1/bids/${bidId}/scores`).expect(403);
    expect(scores.body.error.message).to.equal('Scores are shared with the applicant once the decision is made');
    const listed = (await applicant.agent.get(`/api/v1/calls/${call.id}/bids`).expect(200)).body.items;
    expect(listed[0].status).to.equal('submitted');
    const audit = (await applicant.agent.get(`/api/v1/bids/${bidId}/audit`).expect(200)).body.items;
    expect(audit.map((e: { action: string }) => e.action)).not.to.include('bid.decided');
    const page = await applicant.agent.get(`/bids/${bidId}`).expect(200);
    expect(page.text).not.to.contain('id="decision"');
    expect(page.text).not.to.contain('tighten the');
    const dashboard = await applicant.agent.get('/dashboard').expect(200);
    expect(dashboard.text).not.to.match(/Approved/);

    test.clock.set(new Date(releaseAt.getTime() + SECOND));
    const after = (await applicant.agent.get(`/api/v1/bids/${bidId}`).expect(200)).body;
    expect(after.status).to.equal('approved');
    expect(after.decision).to.include({
      decision: 'approved',
      feedback: 'A strong partnership; tighten the <evidence> of need.',
    });
    await applicant.agent.get(`/api/v1/bids/${bidId}/scores`).expect(200);
    const shown = await applicant.agent.get(`/bids/${bidId}`).expect(200);
    expect(shown.text).to.contain('id="decision"');
    expect(shown.text).to.contain('tighten the &lt;evidence&gt; of need.');
  });

  it('refuses to take a release back, or to hold decisions that have already reached applicants', async () => {
    const closed = await aClosedCallWithBids(test, undefined, 0);
    const { officer, call } = closed;
    const now = test.clock.now();
    await officer.agent
      .put(`/api/v1/calls/${call.id}/release`)
      .send({ releaseDecisionsAt: now.toISOString() })
      .expect(200)
      .then((r) => expect(r.body.released).to.equal(true));
    const before = await snapshot();
    const again = await officer.agent
      .put(`/api/v1/calls/${call.id}/release`)
      .send({ releaseDecisionsAt: new Date(now.getTime() + DAY).toISOString() })
      .expect(409);
    expect(again.body.error.message).to.match(/cannot be taken back/);
    expect(await snapshot()).to.deep.equal(before);

    // The second call is made at real time, not at the first call's closing: its bid is submitted before it closes.
    test.clock.reset();
    const other = await aClosedCallWithBids(test, undefined, 0);
    await other.officer.agent
      .post(`/api/v1/bids/${other.bidIds[0]}/decision`)
      .send({ decision: 'rejected', reason: 'Outside the priorities' })
      .expect(200);
    const late = await other.officer.agent
      .put(`/api/v1/calls/${other.call.id}/release`)
      .send({ releaseDecisionsAt: new Date(test.clock.now().getTime() + DAY).toISOString() })
      .expect(409);
    expect(late.body.error.message).to.match(/reached applicants as they were recorded/);
    await other.officer.agent
      .put(`/api/v1/calls/${other.call.id}/release`)
      .send({ releaseDecisionsAt: 'soon' })
      .expect(422);
  });

  it('replaces a recorded decision only with a correction reason, and the audit keeps both', async () => {
    const closed = await aClosedCallWithBids(test);
    const { officer } = closed;
    const [bidId] = closed.bidIds;
    for (const appraiser of closed.appraisers) await scoreBid(appraiser, bidId, () => 4);
    await officer.agent.post(`/api/v1/bids/${bidId}/decision`).send({ decision: 'approved' }).expect(200);
    const before = await snapshot();
    const second = await officer.agent
      .post(`/api/v1/bids/${bidId}/decision`)
      .send({ decision: 'rejected', reason: 'Match not secured' })
      .expect(409);
    expect(second.body.error.message).to.match(/correctionReason/);
    expect(await snapshot()).to.deep.equal(before);

    const corrected = await officer.agent
      .post(`/api/v1/bids/${bidId}/decision`)
      .send({ decision: 'rejected', reason: 'Match not secured', correctionReason: 'The council withdrew its match' })
      .expect(200);
    expect(corrected.body).to.include({ decision: 'rejected', correctionReason: 'The council withdrew its match' });
    const bid = (await officer.agent.get(`/api/v1/bids/${bidId}`).expect(200)).body;
    expect(bid.status).to.equal('rejected');
    const events = await test
      .knex('auditEvents')
      .where({ bidId })
      .whereIn('action', ['bid.decided', 'bid.decision-corrected'])
      .orderBy('id');
    expect(events.map((e) => e.action)).to.deep.equal(['bid.decided', 'bid.decision-corrected']);
    expect(events[1].before).to.include({ status: 'approved' });
    expect(events[1].after).to.include({ status: 'rejected', correctionReason: 'The council withdrew its match' });
    // The call is decided (its only bid has a decision), and a correction still goes through.
    await officer.agent
      .post(`/api/v1/bids/${bidId}/decision`)
      .send({ decision: 'approved', correctionReason: 'The council restored its match' })
      .expect(200);
  });

  it('takes feedback only from officers of the call, after it closes', async () => {
    const closed = await aClosedCallWithBids(test);
    const [bidId] = closed.bidIds;
    await closed.applicants[0].agent.put(`/api/v1/bids/${bidId}/feedback`).send({ feedback: 'Mine' }).expect(403);
    await closed.appraisers[0].agent.put(`/api/v1/bids/${bidId}/feedback`).send({ feedback: 'Mine' }).expect(403);
    await closed.officer.agent.put(`/api/v1/bids/${bidId}/feedback`).send({ feedback: ' ' }).expect(422);
    const written = await closed.officer.agent
      .put(`/api/v1/bids/${bidId}/feedback`)
      .send({ feedback: 'Clear outcomes' })
      .expect(200);
    expect(written.body).to.include({ bidId, feedback: 'Clear outcomes' });
    expect(await test.knex('bidFeedback').where({ bidId }).first()).to.include({ feedback: 'Clear outcomes' });
  });
});
