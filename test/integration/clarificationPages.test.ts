/**
 * The pages after the deadline: the officer asks for a clarification (form, check your answers, sent), the lead
 * answers it on the bid's page (only the named sections, check your answers, receipt), and the panel and officer
 * see what the answer changed, field by field, with which version each appraiser scored.
 */
import { expect } from 'chai';
import { useTestApp } from '../support/app.ts';
import { aClosedCallWithBids, scoreBid, type ClosedCall } from '../support/appraisal.ts';
import { aBidBody } from '../support/builders.ts';
import { snapshot } from '../support/database.ts';
import { csrfTokenFrom, parsePage, postForm } from '../support/pages.ts';

const HOUR = 3600 * 1000;

describe('pages: clarifications after the deadline', function () {
  this.timeout(30_000);
  const test = useTestApp();

  /** The officer's question form filled in: reply-by typed as a UK date and time. */
  async function typedQuestion(closed: ClosedCall, overrides: Record<string, unknown> = {}) {
    const token = await csrfTokenFrom(closed.officer.agent, `/officer/bids/${closed.bidIds[0]}/clarifications/new`);
    return {
      _csrf: token,
      sections: ['budget', 'match-funding'],
      question: 'Your budget does not add up: please confirm the total.',
      'respondBy-day': '29',
      'respondBy-month': '3',
      'respondBy-year': '2027',
      'respondBy-time': '09:00',
      ...overrides,
    };
  }

  /** The officer asks through the pages (form → check → send) and is shown the confirmation. */
  async function askOnPages(closed: ClosedCall, overrides: Record<string, unknown> = {}) {
    const bidId = closed.bidIds[0];
    const check = await postForm(
      closed.officer.agent,
      `/officer/bids/${bidId}/clarifications/check`,
      await typedQuestion(closed, overrides),
    ).expect(200);
    const form = parsePage(check.text);
    const hidden = form.hiddenFields(`form[action="/officer/bids/${bidId}/clarifications"]`);
    const sections = form
      .$('input[type="hidden"][name="sections"]')
      .toArray()
      .map((input) => form.$(input).attr('value'));
    const sent = await postForm(closed.officer.agent, `/officer/bids/${bidId}/clarifications`, {
      ...hidden,
      sections,
    }).expect(303);
    return { check: form, location: sent.headers.location as string };
  }

  describe('the officer asks', () => {
    it('offers the sections as checkboxes in the words of the bid form, from a link on the bid page', async () => {
      const closed = await aClosedCallWithBids(test);
      const bidId = closed.bidIds[0];
      const bidPage = parsePage((await closed.officer.agent.get(`/officer/bids/${bidId}`).expect(200)).text);
      expect(bidPage.hrefs()).to.include(`/officer/bids/${bidId}/clarifications/new`);
      expect(bidPage.text('#clarifications ~ p')).to.match(/No clarification has been asked/);
      const form = parsePage(
        (await closed.officer.agent.get(`/officer/bids/${bidId}/clarifications/new`).expect(200)).text,
      );
      expect(form.heading()).to.equal('Ask for a clarification');
      expect(form.texts('label.govuk-checkboxes__label')).to.deep.equal([
        'Bid details',
        'Partners',
        'Priorities and budget',
        'Match funding',
        'Targets',
        'Gap claims',
        'Narratives',
        'Documents',
      ]);
      expect(form.has('question')).to.equal(true);
      expect(form.has('respondBy')).to.equal(true);
      expect(form.has('respondBy-time')).to.equal(true);
    });

    it('checks the question, reply-by in UK time, then sends it: BST read as UTC+1', async () => {
      const closed = await aClosedCallWithBids(test);
      const bidId = closed.bidIds[0];
      const { check, location } = await askOnPages(closed);
      expect(check.heading()).to.equal('Check your question before sending it');
      expect(check.summaryValue('Sections')).to.equal('Priorities and budget, Match funding');
      expect(check.summaryValue('Reply by')).to.equal('29 March 2027 at 9:00am (UK time)');
      // 29 March 2027 is after the clocks go forward (28 March, 01:00 UTC): 09:00 in London is 08:00 UTC.
      const stored = await test.knex('clarifications').where({ bidId }).first();
      expect(stored.respondBy.toISOString()).to.equal('2027-03-29T08:00:00.000Z');
      expect(stored.sections).to.deep.equal(['budget', 'match-funding']);
      expect(location).to.equal(`/officer/bids/${bidId}/clarifications/${stored.id}`);
      const sent = parsePage((await closed.officer.agent.get(location).expect(200)).text);
      expect(sent.text('.govuk-panel')).to.equal(
        'Clarification sent The answer is due by 29 March 2027 at 9:00am (UK time)',
      );
      expect(sent.summaryValue('Status')).to.equal('Open');

      const bidPage = parsePage((await closed.officer.agent.get(`/officer/bids/${bidId}`).expect(200)).text);
      const card = `#clarification-${stored.id}`;
      expect(bidPage.summaryValue('Reply by', card)).to.equal('29 March 2027 at 9:00am (UK time)');
      expect(bidPage.texts(`${card} .govuk-tag`)).to.deep.equal(['Open']);
      // One question open at a time: no link to ask another.
      expect(bidPage.hrefs()).not.to.include(`/officer/bids/${bidId}/clarifications/new`);
    });

    it('reads a reply-by the day before the clocks go forward as Greenwich time', async () => {
      const closed = await aClosedCallWithBids(test);
      await askOnPages(closed, { 'respondBy-day': '27' });
      const stored = await test.knex('clarifications').where({ bidId: closed.bidIds[0] }).first();
      expect(stored.respondBy.toISOString()).to.equal('2027-03-27T09:00:00.000Z');
    });

    it('keeps what was typed when the question has problems, each linked to its field', async () => {
      const closed = await aClosedCallWithBids(test);
      const bidId = closed.bidIds[0];
      const values = await typedQuestion(closed, { sections: [], 'respondBy-time': '25:00' });
      const res = await postForm(closed.officer.agent, `/officer/bids/${bidId}/clarifications/check`, values).expect(
        422,
      );
      const page = parsePage(res.text);
      expect(page.errorFor('#sections')).to.equal('Choose at least one section');
      expect(page.errorFor('#respondBy-time')).to.equal('Enter the reply-by time on the 24-hour clock, like 23:59');
      expect(page.fieldValue('question')).to.equal('Your budget does not add up: please confirm the total.');
      expect(page.fieldValue('respondBy')).to.equal('29');
      expect(page.fieldValue('respondBy-time')).to.equal('25:00');
    });

    it('refuses a reply-by in the past, on the form, keeping the question', async () => {
      const closed = await aClosedCallWithBids(test);
      const bidId = closed.bidIds[0];
      test.clock.set('2027-03-29T08:00:00.000Z');
      const res = await postForm(
        closed.officer.agent,
        `/officer/bids/${bidId}/clarifications/check`,
        await typedQuestion(closed),
      ).expect(422);
      const page = parsePage(res.text);
      expect(page.errorFor('#respondBy')).to.equal('The reply-by date and time must be in the future');
      expect(page.fieldValue('question')).to.match(/budget does not add up/);
    });

    it('goes back to the form with every answer from the check page', async () => {
      const closed = await aClosedCallWithBids(test);
      const bidId = closed.bidIds[0];
      const check = parsePage(
        (
          await postForm(
            closed.officer.agent,
            `/officer/bids/${bidId}/clarifications/check`,
            await typedQuestion(closed),
          ).expect(200)
        ).text,
      );
      const hidden = check.hiddenFields(`form[action="/officer/bids/${bidId}/clarifications"]`);
      const res = await postForm(closed.officer.agent, `/officer/bids/${bidId}/clarifications`, {
        ...hidden,
        sections: ['budget', 'match-funding'],
        change: 'respondBy',
      }).expect(200);
      const form = parsePage(res.text);
      expect(form.checkedValues('sections')).to.deep.equal(['budget', 'match-funding']);
      expect(form.fieldValue('respondBy-time')).to.equal('09:00');
      expect(form.fieldValue('respondBy-month')).to.equal('3');
      expect(await test.knex('clarifications').where({ bidId })).to.have.length(0);
    });

    it('refuses while the call is open, and once the bid is decided, with the reason', async () => {
      const early = await aClosedCallWithBids(test, [aBidBody()], 0);
      test.clock.set(new Date(Date.parse(early.call.closesAt) - HOUR));
      const open = await early.officer.agent.get(`/officer/bids/${early.bidIds[0]}/clarifications/new`).expect(409);
      expect(parsePage(open.text).text()).to.match(/asked once the call has closed; this call is open/);

      // Two bids, so the call is not decided with the first decision.
      const closed = await aClosedCallWithBids(test, [aBidBody(), aBidBody()]);
      const bidId = closed.bidIds[0];
      test.clock.set(new Date(Date.parse(closed.call.closesAt) + HOUR));
      const token = await csrfTokenFrom(closed.officer.agent, `/officer/bids/${bidId}/clarifications/new`);
      await closed.officer.agent
        .post(`/api/v1/bids/${bidId}/decision`)
        .send({ decision: 'rejected', reason: 'Outside the call' })
        .expect(200);
      const decided = await closed.officer.agent.get(`/officer/bids/${bidId}/clarifications/new`).expect(409);
      expect(parsePage(decided.text).text()).to.match(/had its decision; it can no longer be clarified/);
      const before = await snapshot();
      const posted = await postForm(closed.officer.agent, `/officer/bids/${bidId}/clarifications`, {
        _csrf: token,
        question: 'Too late',
        sections: ['details'],
        respondBy: '2027-03-29T08:00:00.000Z',
      }).expect(409);
      expect(parsePage(posted.text).errorFor('#sections')).to.match(/had its decision/);
      expect(await snapshot()).to.deep.equal(before);
    });

    it('keeps the appraisal link hidden from an appraiser, who cannot open the form', async () => {
      const closed = await aClosedCallWithBids(test);
      const [appraiser] = closed.appraisers;
      await scoreBid(appraiser, closed.bidIds[0], () => 4);
      await appraiser.agent.get(`/officer/bids/${closed.bidIds[0]}/clarifications/new`).expect(403);
    });
  });
});
