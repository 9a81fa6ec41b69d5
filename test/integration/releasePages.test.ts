/**
 * The officer's release, feedback and correction forms, and what the applicant's bid page shows of a decision:
 * nothing before the call's release instant, the decision and its feedback from then on.
 */
import { aPartnerMember } from '../support/consortium.ts';
import { expect } from 'chai';
import { useTestApp } from '../support/app.ts';
import { aClosedCallWithBids, scoreBid, type ClosedCall } from '../support/appraisal.ts';
import { aBidBody } from '../support/builders.ts';
import { csrfTokenFrom, parsePage, postForm } from '../support/pages.ts';

describe('pages: release, feedback and corrections', function () {
  this.timeout(30_000);
  const test = useTestApp();

  const decisions = (closed: ClosedCall) => `/officer/calls/${closed.call.id}/decisions`;

  /** The officer records a rejection through the API. */
  async function reject(closed: ClosedCall, bidId = closed.bidIds[0], reason = 'Outside the call') {
    await closed.officer.agent
      .post(`/api/v1/bids/${bidId}/decision`)
      .send({ decision: 'rejected', reason })
      .expect(200);
  }

  it('sets the release time in UK time, and the bid page shows the decision and feedback only from then', async () => {
    const closed = await aClosedCallWithBids(test, [aBidBody(), aBidBody()]);
    const bidId = closed.bidIds[0];
    const partner = await aPartnerMember(test, bidId);
    const page = parsePage((await closed.officer.agent.get(decisions(closed)).expect(200)).text);
    expect(page.textOf('release')).to.equal('Release of the decisions No release time set');
    const token = await csrfTokenFrom(closed.officer.agent, decisions(closed));
    await postForm(closed.officer.agent, `/officer/calls/${closed.call.id}/release`, {
      _csrf: token,
      'releaseDecisionsAt-day': '31',
      'releaseDecisionsAt-month': '3',
      'releaseDecisionsAt-year': '2027',
      'releaseDecisionsAt-time': '09:00',
    }).expect(303);
    // 31 March 2027 is in British Summer Time: 09:00 in London is 08:00 UTC.
    const call = await test.knex('calls').where({ id: closed.call.id }).first();
    expect(call.releaseDecisionsAt.toISOString()).to.equal('2027-03-31T08:00:00.000Z');
    const held = parsePage((await closed.officer.agent.get(decisions(closed)).expect(200)).text);
    expect(held.successBanner()).to.equal('The decisions will be released on 31 March 2027 at 9:00am (UK time).');
    expect(held.textOf('release-words')).to.match(/^The decisions will be released on 31 March 2027 at 9:00am/);
    expect(held.fieldValue('releaseDecisionsAt-time')).to.equal('09:00');

    await reject(closed);
    await postForm(closed.officer.agent, `/officer/bids/${bidId}/feedback`, {
      _csrf: token,
      feedback: 'The partnership should evidence the gap.',
    }).expect(303);
    for (const reader of [closed.applicants[0], partner]) {
      const before = parsePage((await reader.agent.get(`/bids/${bidId}`).expect(200)).text);
      expect(before.has('decision'), 'no decision before the release').to.equal(false);
      expect(before.text()).not.to.contain('evidence the gap');
    }

    test.clock.set('2027-03-31T08:00:00.000Z');
    for (const reader of [closed.applicants[0], partner]) {
      const after = parsePage((await reader.agent.get(`/bids/${bidId}`).expect(200)).text);
      expect(after.textOf('decision')).to.match(/^Not approved Decided on/);
      expect(after.text()).to.contain('The partnership should evidence the gap.');
    }
    const released = parsePage((await closed.officer.agent.get(decisions(closed)).expect(200)).text);
    expect(released.textOf('release')).to.equal('Release of the decisions Released');
    expect(released.formActions()).not.to.include(`/officer/calls/${closed.call.id}/release`);
  });

  it('releases now, and refuses to change a release that has happened, saying so', async () => {
    const closed = await aClosedCallWithBids(test, [aBidBody(), aBidBody()]);
    const token = await csrfTokenFrom(closed.officer.agent, decisions(closed));
    const release = `/officer/calls/${closed.call.id}/release`;
    await postForm(closed.officer.agent, release, { _csrf: token, now: '1' }).expect(303);
    const call = await test.knex('calls').where({ id: closed.call.id }).first();
    // The test clock stands a second after the close: "now" is that instant.
    expect(call.releaseDecisionsAt.getTime()).to.equal(Date.parse(closed.call.closesAt) + 1000);
    const page = parsePage((await closed.officer.agent.get(decisions(closed)).expect(200)).text);
    expect(page.successBanner()).to.equal('The decisions are released: applicants can see them, with their feedback.');
    const refused = await postForm(closed.officer.agent, release, { _csrf: token, now: '1' }).expect(409);
    expect(parsePage(refused.text).errorFor('#releaseDecisionsAt')).to.match(/a release cannot be taken back/);
  });

  it('keeps a half-typed release time with its problem', async () => {
    const closed = await aClosedCallWithBids(test);
    const token = await csrfTokenFrom(closed.officer.agent, decisions(closed));
    const res = await postForm(closed.officer.agent, `/officer/calls/${closed.call.id}/release`, {
      _csrf: token,
      'releaseDecisionsAt-day': '31',
      'releaseDecisionsAt-month': '3',
      'releaseDecisionsAt-year': '2027',
      'releaseDecisionsAt-time': '9 o clock',
    }).expect(422);
    const page = parsePage(res.text);
    expect(page.errorFor('#releaseDecisionsAt-time')).to.equal(
      'Enter the release time on the 24-hour clock, like 23:59',
    );
    expect(page.fieldValue('releaseDecisionsAt-time')).to.equal('9 o clock');
    expect((await test.knex('calls').where({ id: closed.call.id }).first()).releaseDecisionsAt).to.equal(null);
  });

  it("starts the feedback from the panel's comments, and needs words to save it", async () => {
    const closed = await aClosedCallWithBids(test);
    const bidId = closed.bidIds[0];
    for (const appraiser of closed.appraisers) await scoreBid(appraiser, bidId, (c) => (c === 'SF' ? 2 : 4));
    const url = `/officer/bids/${bidId}/decision`;
    const started = parsePage((await closed.officer.agent.get(`${url}?feedbackFrom=panel`).expect(200)).text);
    expect(started.fieldValue('feedback')).to.equal('Strategic fit: Weak on SF Weak on SF');
    const token = await csrfTokenFrom(closed.officer.agent, url);
    const blank = await postForm(closed.officer.agent, `/officer/bids/${bidId}/feedback`, {
      _csrf: token,
      feedback: '  ',
    }).expect(422);
    expect(parsePage(blank.text).errorFor('#feedback')).to.equal('Enter the feedback for the applicant');
    await postForm(closed.officer.agent, `/officer/bids/${bidId}/feedback`, {
      _csrf: token,
      feedback: 'Strategic fit: make the case for the gap.',
    }).expect(303);
    const saved = parsePage((await closed.officer.agent.get(url).expect(200)).text);
    expect(saved.fieldValue('feedback')).to.equal('Strategic fit: make the case for the gap.');
    expect((await test.knex('bidFeedback').where({ bidId }).first()).feedback).to.equal(
      'Strategic fit: make the case for the gap.',
    );
  });

  it('corrects a recorded decision only with a reason, and the audit keeps both', async () => {
    const closed = await aClosedCallWithBids(test, [aBidBody(), aBidBody()]);
    const bidId = closed.bidIds[0];
    const url = `/officer/bids/${bidId}/decision`;
    const fresh = parsePage((await closed.officer.agent.get(url).expect(200)).text);
    expect(fresh.has('correctionReason'), 'no reason asked before a decision').to.equal(false);
    await reject(closed);
    const page = parsePage((await closed.officer.agent.get(url).expect(200)).text);
    expect(page.textOf('recorded-decision')).to.match(/^Rejected on/);
    expect(page.has('correctionReason')).to.equal(true);
    const token = await csrfTokenFrom(closed.officer.agent, url);
    const correction = { _csrf: token, decision: 'rejected', reason: 'Below the floor' };
    const refused = await postForm(closed.officer.agent, url, correction).expect(422);
    const again = parsePage(refused.text);
    expect(again.errorFor('#correctionReason')).to.equal('Enter the reason for correcting the decision');
    expect(again.fieldValue('reason')).to.equal('Below the floor');
    expect((await test.knex('decisions').where({ bidId }).first()).reason).to.equal('Outside the call');

    await postForm(closed.officer.agent, url, { ...correction, correctionReason: 'The first reason was wrong' }).expect(
      303,
    );
    const stored = await test.knex('decisions').where({ bidId }).first();
    expect(stored).to.include({ reason: 'Below the floor', correctionReason: 'The first reason was wrong' });
    const event = await test.knex('auditEvents').where({ bidId, action: 'bid.decision-corrected' }).first();
    expect(event.before).to.include({ status: 'rejected', reason: 'Outside the call' });
    expect(event.after).to.include({ reason: 'Below the floor', correctionReason: 'The first reason was wrong' });
  });
});
