/**
 * The pages after the deadline: the officer asks for a clarification (form, check your answers, sent), the lead
 * answers it on the bid's page (only the named sections, check your answers, receipt), and the panel and officer
 * see what the answer changed, field by field, with which version each appraiser scored.
 */
import { aPartnerMember } from '../support/consortium.ts';
import { expect } from 'chai';
import { useTestApp } from '../support/app.ts';
import { aClosedCallWithBids, scoreBid, type ClosedCall } from '../support/appraisal.ts';
import { aBidBody } from '../support/builders.ts';
import { snapshot } from '../support/database.ts';
import { aPng } from '../support/files.ts';
import { csrfTokenFrom, parsePage, postForm } from '../support/pages.ts';
import { queriesDuring, readsOf } from '../support/queries.ts';

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

  describe('the lead answers', () => {
    /** The officer asks about `sections` through the API, due at `respondBy` (an hour from now by default). */
    async function asked(closed: ClosedCall, sections: string[], respondBy?: Date) {
      const due = respondBy ?? new Date(test.clock.now().getTime() + HOUR);
      return (
        await closed.officer.agent
          .post(`/api/v1/bids/${closed.bidIds[0]}/clarifications`)
          .send({ question: 'Please confirm the title and the ESF under 1.1.', sections, respondBy: due.toISOString() })
          .expect(201)
      ).body as { id: string };
    }

    /** The answer page's form, filled as the lead changes it. */
    async function answerForm(closed: ClosedCall, id: string, overrides: Record<string, unknown> = {}) {
      const url = `/bids/${closed.bidIds[0]}/clarifications/${id}`;
      const page = parsePage((await closed.applicants[0].agent.get(url).expect(200)).text);
      const values: Record<string, unknown> = {};
      for (const input of page.$(`form[action="${url}/check"] input, form[action="${url}/check"] textarea`).toArray()) {
        const field = page.$(input);
        const name = field.attr('name');
        if (!name || (field.attr('type') === 'checkbox' && field.attr('checked') === undefined)) continue;
        const value = field.is('textarea') ? field.text() : (field.attr('value') ?? '');
        values[name] = name in values ? [values[name], value].flat() : value;
      }
      for (const select of page.$(`form[action="${url}/check"] select`).toArray())
        values[page.$(select).attr('name')!] = page.$(select).find('option[selected]').attr('value') ?? '';
      return {
        page,
        url,
        values: { ...values, answer: 'The title was shortened; the ESF is confirmed.', ...overrides } as Record<
          string,
          unknown
        >,
      };
    }

    /** Posts the check page's form on (send, or `change`). */
    function sendFromCheck(closed: ClosedCall, url: string, check: ReturnType<typeof parsePage>, extra = {}) {
      const hidden = check.hiddenFields(`form[action="${url}/answer"]`);
      return postForm(closed.applicants[0].agent, `${url}/answer`, { ...hidden, ...extra });
    }

    it('lists the open question on the bid page and opens only the named sections for the answer', async () => {
      const closed = await aClosedCallWithBids(test);
      const bidId = closed.bidIds[0];
      const { id } = await asked(closed, ['details', 'budget']);
      const bidPage = parsePage((await closed.applicants[0].agent.get(`/bids/${bidId}`).expect(200)).text);
      expect(bidPage.text('#questions')).to.equal('Questions from the funder');
      const row = bidPage.tableRowLinkingTo(`/bids/${bidId}/clarifications/${id}`);
      expect(row![0]).to.match(/^Please confirm the title and the ESF under 1\.1\. Sections: Bid details, Priorities/);
      expect(row![2]).to.equal('Open Answer the question asked ' + row![2].split('asked ')[1]);
      const { page } = await answerForm(closed, id);
      expect(page.heading()).to.equal("Answer the funder's question");
      expect(page.texts('form h2.govuk-heading-m')).to.deep.equal(['Bid details', 'Priorities and budget']);
      expect(page.fieldValue('title')).to.equal('Working Well Together');
      expect(page.fieldValue('totalEligibleCostPence')).to.equal('1,200,000.00');
      // Fields of sections not named are not on the form.
      expect(page.has('partners-0-name')).to.equal(false);
      expect(page.has('narrative-need')).to.equal(false);
      expect(page.has('answer')).to.equal(true);
    });

    it('checks what will change field by field, sends it, and shows the receipt of the new version', async () => {
      const closed = await aClosedCallWithBids(test);
      const bidId = closed.bidIds[0];
      const { id } = await asked(closed, ['details', 'budget']);
      const form = await answerForm(closed, id, { title: 'Working Well in Derby' });
      const { url, values } = form;
      // The form lists every priority of the call; the bid asks £450,000 under 1.1 and £150,000 under 2.1.
      const holding = (pounds: string) =>
        Object.keys(values).find((k) => /^priorities-/.test(k) && values[k] === pounds)!;
      values[holding('450,000.00')] = '500,000.00';
      values[holding('150,000.00')] = '100,000.00';
      const res = await postForm(closed.applicants[0].agent, `${url}/check`, values).expect(200);
      const check = parsePage(res.text);
      expect(check.heading()).to.equal('Check your answer before sending it');
      expect(check.tableRows('#changes')).to.deep.equal([
        ['Priorities and budget', 'Priority 1: ESF', '£450,000.00', '£500,000.00'],
        ['Priorities and budget', 'Priority 2: ESF', '£150,000.00', '£100,000.00'],
        ['Bid details', 'Title', 'Working Well Together', 'Working Well in Derby'],
      ]);
      expect(await test.knex('bidVersions').where({ bidId })).to.have.length(1);

      const sent = await sendFromCheck(closed, url, check).expect(303);
      expect(sent.headers.location).to.equal(`${url}/receipt`);
      let html = '';
      const queries = await queriesDuring(test.knex, async () => {
        html = (await closed.applicants[0].agent.get(`${url}/receipt`).expect(200)).text;
      });
      // The version the answer made is the appraised one, read once.
      expect(readsOf(queries, 'bid_versions')).to.equal(1);
      const receipt = parsePage(html);
      const stored = await test.knex('bidVersions').where({ bidId, version: 2 }).first();
      expect(receipt.text('.govuk-panel__title')).to.equal('Answer sent');
      expect(receipt.summaryValue('Version')).to.equal('2');
      expect(receipt.summaryValue('SHA-256')).to.equal(stored.sha256);
      expect(receipt.summaryValue('Your answer')).to.equal('The title was shortened; the ESF is confirmed.');
      expect(receipt.text('#gateway')).to.equal('Gateway result');
      expect(receipt.tags()).to.include('Passed');
      expect(JSON.parse(stored.canonicalJson).fields.title).to.equal('Working Well in Derby');
      // Answered: the page now reads the answer, with no form.
      const after = parsePage((await closed.applicants[0].agent.get(url).expect(200)).text);
      expect(after.summaryValue('Status', '#question')).to.equal('Answered');
      expect(after.formActions()).not.to.include(`${url}/check`);
    });

    it('keeps what was typed on a problem, each at its field', async () => {
      const closed = await aClosedCallWithBids(test);
      const { id } = await asked(closed, ['details', 'budget']);
      const { url, values } = await answerForm(closed, id, {
        title: '',
        'priorities-0-esfPence': '£5O0,000',
        answer: 'Shorter',
      });
      const page = parsePage((await postForm(closed.applicants[0].agent, `${url}/check`, values).expect(422)).text);
      expect(page.errorFor('#priorities-0-esfPence')).to.equal('Enter an amount in pounds, like £500,000.00');
      expect(page.fieldValue('priorities-0-esfPence')).to.equal('£5O0,000');
      expect(page.fieldValue('answer')).to.equal('Shorter');
      // Past the typo, the service's rules: a complete bid has a title.
      const second = await postForm(closed.applicants[0].agent, `${url}/check`, {
        ...values,
        'priorities-0-esfPence': '450,000.00',
      }).expect(422);
      const again = parsePage(second.text);
      expect(again.errorLinks().map((l) => l.href)).to.include('#title');
      expect(again.fieldValue('answer')).to.equal('Shorter');
    });

    it('comes back from the check page to the form with the changes typed', async () => {
      const closed = await aClosedCallWithBids(test);
      const { id } = await asked(closed, ['details']);
      const { url, values } = await answerForm(closed, id, { title: 'A better title' });
      const check = parsePage((await postForm(closed.applicants[0].agent, `${url}/check`, values).expect(200)).text);
      const back = parsePage((await sendFromCheck(closed, url, check, { change: '1' }).expect(200)).text);
      expect(back.fieldValue('title')).to.equal('A better title');
      expect(back.fieldValue('answer')).to.equal('The title was shortened; the ESF is confirmed.');
      expect(await test.knex('bidVersions').where({ bidId: closed.bidIds[0] })).to.have.length(1);
    });

    it('takes an answer sent at the reply-by instant, and refuses one 1 ms after on a clear page', async () => {
      const closed = await aClosedCallWithBids(test, [aBidBody(), aBidBody()]);
      const respondBy = new Date(test.clock.now().getTime() + HOUR);
      const { id } = await asked(closed, ['details'], respondBy);
      const { url, values } = await answerForm(closed, id, { title: 'On time' });
      const check = parsePage((await postForm(closed.applicants[0].agent, `${url}/check`, values).expect(200)).text);
      test.clock.set(new Date(respondBy.getTime() + 1));
      const before = await snapshot();
      const late = parsePage((await sendFromCheck(closed, url, check).expect(409)).text);
      expect(late.heading()).to.equal('Your answer was not sent');
      expect(late.textOf('refusal')).to.match(/The reply was due by .* \(UK time\); nothing was changed/);
      expect(late.textOf('typed')).to.equal('The title was shortened; the ESF is confirmed.');
      expect(await snapshot()).to.deep.equal(before);
      const lapsed = parsePage((await closed.applicants[0].agent.get(url).expect(200)).text);
      expect(lapsed.summaryValue('Status', '#question')).to.equal('Lapsed');

      // Another question, answered at its very instant.
      const dueAt = new Date(test.clock.now().getTime() + HOUR);
      const onTime = await asked(closed, ['details'], dueAt);
      const form = await answerForm(closed, onTime.id, { title: 'On time' });
      const checked = parsePage(
        (await postForm(closed.applicants[0].agent, `${form.url}/check`, form.values).expect(200)).text,
      );
      test.clock.set(dueAt);
      await sendFromCheck(closed, form.url, checked).expect(303);
      // A second answer to it is refused on the same clear page.
      const twice = parsePage((await sendFromCheck(closed, form.url, checked).expect(409)).text);
      expect(twice.textOf('refusal')).to.match(/has been answered/);
    });

    it('refuses on the check page an answer the send would refuse, at its field, keeping what was typed', async () => {
      const closed = await aClosedCallWithBids(test);
      const { id } = await asked(closed, ['details']);
      const { url, values } = await answerForm(closed, id, { title: 'A better title', answer: 'x'.repeat(20_001) });
      const page = parsePage((await postForm(closed.applicants[0].agent, `${url}/check`, values).expect(422)).text);
      expect(page.heading()).to.equal("Answer the funder's question");
      expect(page.errorFor('#answer')).to.equal('Must NOT have more than 20000 characters');
      expect(page.fieldValue('title')).to.equal('A better title');
      const bell = await postForm(closed.applicants[0].agent, `${url}/check`, { ...values, answer: 'Ring \u0007 it' });
      expect(bell.status).to.equal(422);
      expect(parsePage(bell.text).errorFor('#answer')).to.match(/control characters/);
      expect(await test.knex('bidVersions').where({ bidId: closed.bidIds[0] })).to.have.length(1);
    });

    it('refuses at the check page, on the clear page, after the reply-by and once the bid is decided', async () => {
      // Two bids, so the call is not decided with the first decision.
      const closed = await aClosedCallWithBids(test, [aBidBody(), aBidBody()]);
      const lead = closed.applicants[0].agent;
      const respondBy = new Date(test.clock.now().getTime() + HOUR);
      const first = await asked(closed, ['details'], respondBy);
      const lapsing = await answerForm(closed, first.id, { title: 'Too late' });
      test.clock.set(new Date(respondBy.getTime() + 1));
      const late = parsePage((await postForm(lead, `${lapsing.url}/check`, lapsing.values).expect(409)).text);
      expect(late.heading()).to.equal('Your answer was not sent');
      expect(late.textOf('refusal')).to.match(/The reply was due by .* \(UK time\); nothing was changed/);

      const second = await asked(closed, ['details']);
      const { url, values } = await answerForm(closed, second.id, { title: 'After the decision' });
      await closed.officer.agent
        .post(`/api/v1/bids/${closed.bidIds[0]}/decision`)
        .send({ decision: 'rejected', reason: 'Outside the call' })
        .expect(200);
      const before = await snapshot();
      const decided = parsePage((await postForm(lead, `${url}/check`, values).expect(409)).text);
      expect(decided.heading()).to.equal('Your answer was not sent');
      expect(decided.textOf('refusal')).to.equal('The bid has had its decision and can no longer be changed');
      expect(decided.textOf('typed')).to.equal('The title was shortened; the ESF is confirmed.');
      expect(await snapshot()).to.deep.equal(before);
    });

    it('reads the question, its bid, version and files once on the check page', async () => {
      const closed = await aClosedCallWithBids(test);
      const { id } = await asked(closed, ['details']);
      const { url, values } = await answerForm(closed, id, { title: 'A better title' });
      const queries = await queriesDuring(test.knex, () =>
        postForm(closed.applicants[0].agent, `${url}/check`, values).expect(200),
      );
      expect(readsOf(queries, 'clarifications')).to.equal(1);
      expect(readsOf(queries, 'bids')).to.equal(1);
      expect(readsOf(queries, 'bid_versions')).to.equal(1);
      expect(readsOf(queries, 'attachments')).to.equal(1);
    });

    it("takes files for a documents question while it is open, and the answer's version includes them", async () => {
      const closed = await aClosedCallWithBids(test);
      const bidId = closed.bidIds[0];
      const { id } = await asked(closed, ['documents']);
      const url = `/bids/${bidId}/clarifications/${id}`;
      const lead = closed.applicants[0].agent;
      const form = parsePage((await lead.get(url).expect(200)).text);
      expect(form.formActions()).to.include.members([`${url}/attachments`, `${url}/check`]);
      const token = form.hiddenFields(`form[action="${url}/attachments"]`)._csrf;
      const uploaded = await lead
        .post(`${url}/attachments`)
        .field('_csrf', token)
        .attach('file', aPng(), 'delivery-plan.png')
        .expect(303);
      expect(uploaded.headers.location).to.equal(url);
      const after = parsePage((await lead.get(url).expect(200)).text);
      expect(after.successBanner()).to.equal('Uploaded delivery-plan.png.');
      expect(after.texts('#uploaded li')).to.deep.equal(['delivery-plan.png']);

      const check = parsePage(
        (await postForm(lead, `${url}/check`, { _csrf: token, answer: 'Here is the plan.' }).expect(200)).text,
      );
      expect(check.tableRows('#changes')).to.deep.equal([['Documents', 'File 1', 'None', 'delivery-plan.png']]);
      await sendFromCheck(closed, url, check).expect(303);
      const version = await test.knex('bidVersions').where({ bidId, version: 2 }).first();
      expect(JSON.parse(version.canonicalJson).attachments.map((a: { filename: string }) => a.filename)).to.deep.equal([
        'delivery-plan.png',
      ]);
      // Answered: no more files for it.
      const late = await lead.post(`${url}/attachments`).field('_csrf', token).attach('file', aPng(), 'x.png');
      expect(late.status).to.equal(409);
    });

    it("lets a partner's member read the question but not answer it", async () => {
      const closed = await aClosedCallWithBids(test);
      const bidId = closed.bidIds[0];
      const { id } = await asked(closed, ['details']);
      const partner = await aPartnerMember(test, bidId);
      const url = `/bids/${bidId}/clarifications/${id}`;
      const bidPage = parsePage((await partner.agent.get(`/bids/${bidId}`).expect(200)).text);
      expect(bidPage.tableRowLinkingTo(url)![2]).to.match(/^Open Read the question/);
      const page = parsePage((await partner.agent.get(url).expect(200)).text);
      expect(page.heading()).to.equal("The funder's question");
      expect(page.text()).to.match(/Only the lead's members answer/);
      expect(page.formActions().filter((action) => action.startsWith(url))).to.deep.equal([]);
      const token = await csrfTokenFrom(partner.agent, '/sign-in');
      await postForm(partner.agent, `${url}/check`, { _csrf: token, title: 'Mine', answer: 'x' }).expect(403);
      await postForm(partner.agent, `${url}/answer`, { _csrf: token, answer: 'x', changes: '{}' }).expect(403);
      expect(await test.knex('bidVersions').where({ bidId })).to.have.length(1);
    });
  });

  describe('what changed, for the panel and the officer', () => {
    /** The officer asks about the bid's details, and the lead answers with a new title, through the API. */
    async function askedAndAnswered(closed: ClosedCall, title: string) {
      const bidId = closed.bidIds[0];
      const { id } = (
        await closed.officer.agent
          .post(`/api/v1/bids/${bidId}/clarifications`)
          .send({
            question: 'Confirm the title',
            sections: ['details'],
            respondBy: new Date(test.clock.now().getTime() + HOUR).toISOString(),
          })
          .expect(201)
      ).body as { id: string };
      await closed.applicants[0].agent
        .post(`/api/v1/bids/${bidId}/clarifications/${id}/answer`)
        .send({ answer: `Now ${title}`, changes: { title } })
        .expect(200);
      return id;
    }

    it("reads the clarifications once on the officer's bid page, and their versions in one query", async () => {
      const closed = await aClosedCallWithBids(test);
      const bidId = closed.bidIds[0];
      const officerPage = async () => {
        let html = '';
        const queries = await queriesDuring(test.knex, async () => {
          html = (await closed.officer.agent.get(`/officer/bids/${bidId}`).expect(200)).text;
        });
        return { page: parsePage(html), queries };
      };
      const first = await askedAndAnswered(closed, 'Second title');
      const once = await officerPage();
      const second = await askedAndAnswered(closed, 'Third title');
      const twice = await officerPage();
      expect(twice.page.tableRows(`#clarification-${first} table`)).to.deep.equal([
        ['Bid details', 'Title', 'Working Well Together', 'Second title'],
      ]);
      expect(twice.page.tableRows(`#clarification-${second} table`)).to.deep.equal([
        ['Bid details', 'Title', 'Second title', 'Third title'],
      ]);
      expect(twice.page.hrefs()).to.include(`/officer/bids/${bidId}/clarifications/new`);
      expect(readsOf(once.queries, 'clarifications')).to.equal(1);
      expect(readsOf(twice.queries, 'clarifications')).to.equal(1);
      // Every version the answers compare, in one query however many answers there are.
      const byNumber = (queries: string[]) =>
        queries.filter((sql) => /from "bid_versions" where .*"version" (=|in) /.test(sql)).length;
      expect(byNumber(once.queries)).to.equal(1);
      expect(byNumber(twice.queries)).to.equal(1);
    });

    it('shows each field an answer changed, in pounds, and marks a sheet scored on an earlier version', async () => {
      const closed = await aClosedCallWithBids(test);
      const bidId = closed.bidIds[0];
      const [early, later] = closed.appraisers;
      await scoreBid(early, bidId, () => 4);
      const { id } = (
        await closed.officer.agent
          .post(`/api/v1/bids/${bidId}/clarifications`)
          .send({
            question: 'Confirm the ESF under 1.1',
            sections: ['budget'],
            respondBy: new Date(test.clock.now().getTime() + HOUR).toISOString(),
          })
          .expect(201)
      ).body;
      await closed.applicants[0].agent
        .post(`/api/v1/bids/${bidId}/clarifications/${id}/answer`)
        .send({
          answer: 'Moved £50,000 to 1.1',
          changes: {
            priorities: [
              { code: '1.1', esfPence: 50_000_000 },
              { code: '2.1', esfPence: 10_000_000 },
            ],
          },
        })
        .expect(200);
      await scoreBid(later, bidId, () => 5);
      const changed = [
        ['Priorities and budget', 'Priority 1: ESF', '£450,000.00', '£500,000.00'],
        ['Priorities and budget', 'Priority 2: ESF', '£150,000.00', '£100,000.00'],
      ];

      const panel = parsePage((await early.agent.get(`/appraisal/bids/${bidId}`).expect(200)).text);
      expect(panel.textOf('earlier-version')).to.equal(
        '! Warning You scored version 1; the appraised version is 2. Read what the clarification changed below.',
      );
      expect(panel.tableRows(`#clarification-${id} table`)).to.deep.equal(changed);
      expect(panel.summaryValue('Answer', `#clarification-${id}`)).to.equal('Moved £50,000 to 1.1');
      const current = parsePage((await later.agent.get(`/appraisal/bids/${bidId}`).expect(200)).text);
      expect(current.has('earlier-version')).to.equal(false);

      const officer = parsePage((await closed.officer.agent.get(`/officer/bids/${bidId}`).expect(200)).text);
      expect(officer.tableRows(`#clarification-${id} table`)).to.deep.equal(changed);
      expect(officer.texts(`#clarification-${id} .govuk-tag`)).to.deep.equal(['Answered']);
      const names = await test.knex('users').whereIn('id', [early.actor.id, later.actor.id]).select('id', 'name');
      const nameOf = (user: typeof early) => names.find((n) => n.id === user.actor.id)!.name as string;
      expect(officer.tableRows('#scored-versions')).to.have.deep.members([
        [nameOf(early), 'Earlier version Scored version 1; the appraised version is 2'],
        [nameOf(later), 'Scored version 2, the appraised version'],
      ]);
    });
  });
});
