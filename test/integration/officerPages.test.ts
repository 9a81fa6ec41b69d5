import { expect } from 'chai';
import type supertest from 'supertest';
import { aBidBody, aCallBody } from '../support/builders.ts';
import { anApplicant, anAppraiser, anOfficer, useTestApp, type TestUser } from '../support/app.ts';
import { aClosedCallWithBids, aScoredCall, scoreBid, type ScoredBid } from '../support/appraisal.ts';
import { csrfTokenFrom, parsePage } from '../support/pages.ts';
import { queriesDuring, readsOf } from '../support/queries.ts';
import { callFormValues } from '../../server/calls/officerPageModels.ts';
import type { CallFields } from '../../server/calls/types.ts';

/** Two bids every appraiser scores, 5 and 4 on every criterion: 100% ranked first, 80% second. */
const TWO_RANKED: ScoredBid[] = [{ score: () => 5 }, { body: aBidBody({ title: 'Runner-up' }), score: () => 4 }];

/** Form values as a browser posts them: repeated names for checkboxes, everything urlencoded. */
function encode(values: Record<string, unknown>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, String(item ?? ''));
  }
  return body.toString();
}

function post(agent: supertest.Agent, path: string, values: Record<string, unknown>) {
  return agent.post(path).type('form').send(encode(values));
}

describe('pages: the officer', () => {
  const test = useTestApp();

  /** The editor's values for a call, as the officer would type them. */
  function typed(fields: CallFields, token: string, overrides: Record<string, unknown> = {}) {
    return { ...callFormValues(fields), _csrf: token, ...overrides };
  }

  async function aDraftCall(officer: TestUser, overrides: Partial<CallFields> = {}) {
    return (await officer.agent.post('/api/v1/calls').send(aCallBody(overrides)).expect(201)).body;
  }

  describe('the call editor', () => {
    it('offers a new call with the floor, the rate, the core criteria and every indicator as a checkbox', async () => {
      const officer = await anOfficer(test);
      const page = parsePage((await officer.agent.get('/officer/calls/new').expect(200)).text);
      expect(page.fieldValue('minProjectEsfPence')).to.equal('500,000.00');
      expect(page.fieldValue('interventionRatePercent')).to.equal('50');
      expect(page.fieldValue('appraisalCriteria-0-title')).to.equal('Strategic fit');
      expect(page.$('input#priorities-0-participantIndicators').attr('type')).to.equal('checkbox');
      const labels = page.texts('label.govuk-checkboxes__label');
      expect(labels.some((label) => label.startsWith('Participants without basic skills'))).to.equal(true);
      expect(page.$('input[name="priorities-0-resultIndicators"][value="R-UNEMP-EMP"]')).to.have.length(1);
      expect(page.hiddenFields('form[action="/officer/calls"]')._csrf).to.be.a('string').and.not.equal('');
    });

    it('creates a draft from the form: pounds read exactly into pence, London times into UTC', async () => {
      const officer = await anOfficer(test);
      const token = await csrfTokenFrom(officer.agent, '/officer/calls/new');
      const fields = aCallBody({ opensAt: '2026-06-01T08:00:00.000Z', closesAt: '2027-02-06T23:59:00.000Z' });
      const values = typed(fields, token, {
        'priorities-0-allocationPence': '£800,000',
        'priorities-2-allocationPence': '400000.50',
        'closesAt-time': '23:59',
      });
      const response = await post(officer.agent, '/officer/calls', values);
      expect(response.status).to.equal(303);
      const id = response.headers.location.split('/').pop();
      const call = (await officer.agent.get(`/api/v1/calls/${id}`).expect(200)).body;
      expect(call.status).to.equal('draft');
      expect(call.priorities.map((p: { allocationPence: number }) => p.allocationPence)).to.deep.equal([
        80_000_000, 80_000_000, 40_000_050,
      ]);
      // 9:00am British Summer Time is 08:00 UTC; 11:59pm in February is 23:59 UTC.
      expect(call.opensAt).to.equal('2026-06-01T08:00:00.000Z');
      expect(call.closesAt).to.equal('2027-02-06T23:59:00.000Z');
      expect(call.priorities[0].participantIndicators).to.deep.equal(fields.priorities[0].participantIndicators);
      expect(call.gapCriteria).to.deep.equal(fields.gapCriteria);
      expect(call.appraisalCriteria).to.deep.equal(fields.appraisalCriteria);
      expect(call.geography).to.deep.equal(fields.geography);
      const dashboard = parsePage((await officer.agent.get(`/officer/calls/${id}`).expect(200)).text);
      expect(dashboard.successBanner()).to.contain('is saved. Publish it when it is ready.');
    });

    it('answers a typo in a pounds field with an error summary linked to the field, and saves nothing', async () => {
      const officer = await anOfficer(test);
      const token = await csrfTokenFrom(officer.agent, '/officer/calls/new');
      const values = typed(aCallBody(), token, {
        'priorities-1-allocationPence': '£80o,000',
        minProjectEsfPence: '500,000.5',
      });
      const response = await post(officer.agent, '/officer/calls', values);
      expect(response.status).to.equal(422);
      const page = parsePage(response.text);
      expect(page.title()).to.match(/^Error: Create a call/);
      expect(page.errorFor('#priorities-1-allocationPence')).to.equal('Enter an amount in pounds, like £500,000.00');
      expect(page.errorFor('#minProjectEsfPence')).to.equal('Enter an amount in pounds, like £500,000.00');
      // Reported once, as the typo, not again as a missing field; and the typo is shown back as typed.
      expect(page.text('body')).not.to.contain('Required field "allocationPence"');
      expect(page.fieldValue('priorities-1-allocationPence')).to.equal('£80o,000');
      expect(await test.knex('calls').count()).to.deep.equal([{ count: 0 }]);
    });

    it("shows the schema's messages on their fields, and a bad time on the time box", async () => {
      const officer = await anOfficer(test);
      const token = await csrfTokenFrom(officer.agent, '/officer/calls/new');
      const values = typed(aCallBody(), token, {
        reference: 'lower case',
        'closesAt-time': '25:00',
        'gapCriteria-0-weight': '0',
      });
      const response = await post(officer.agent, '/officer/calls', values);
      expect(response.status).to.equal(422);
      const page = parsePage(response.text);
      expect(page.errorFor('#closesAt-time')).to.equal('Enter the closing time on the 24-hour clock, like 23:59');
      // The schema's own messages (validation.ts words them), each linked to its input.
      expect(page.errorFor('#reference')).to.match(/^.+$/);
      expect(page.errorFor('#gapCriteria-0-weight')).to.match(/^.+$/);
      expect(page.text('body')).not.to.contain('Required field "closesAt"');
    });

    it('changes a draft, and refuses to change a published call', async () => {
      const officer = await anOfficer(test);
      const call = await aDraftCall(officer);
      const form = parsePage((await officer.agent.get(`/officer/calls/${call.id}/edit`).expect(200)).text);
      expect(form.fieldValue('priorities-0-allocationPence')).to.equal('800,000.00');
      expect(form.$('input#priorities-0-participantIndicators').attr('value')).to.equal('P-TOTAL');
      expect(form.checkedValues('priorities-0-participantIndicators')).to.include('P-TOTAL');
      const token = await csrfTokenFrom(officer.agent, `/officer/calls/${call.id}/edit`);
      const { id: _id, status: _status, warnings: _warnings, funderId: _funderId, ...fields } = call;
      const response = await post(
        officer.agent,
        `/officer/calls/${call.id}/edit`,
        typed(fields, token, { title: 'Health, Wellbeing & Work' }),
      );
      expect(response.status).to.equal(303);
      expect((await officer.agent.get(`/api/v1/calls/${call.id}`)).body.title).to.equal('Health, Wellbeing & Work');
      await officer.agent.post(`/api/v1/calls/${call.id}/publish`).expect(200);
      expect((await officer.agent.get(`/officer/calls/${call.id}/edit`)).status).to.equal(409);
    });

    it(
      'refuses publishing a call that cannot work, showing each reason on the editor; the call ' + 'stays a draft',
      async () => {
        const officer = await anOfficer(test);
        const call = await aDraftCall(officer, { opensAt: '2027-03-01T00:00:00Z', closesAt: '2027-02-01T00:00:00Z' });
        const token = await csrfTokenFrom(officer.agent, `/officer/calls/${call.id}`);
        const response = await post(officer.agent, `/officer/calls/${call.id}/publish`, { _csrf: token });
        expect(response.status).to.equal(422);
        const page = parsePage(response.text);
        expect(page.errorFor('#closesAt')).to.equal('The closing time must be after the opening time');
        expect(page.heading()).to.equal('Change the draft call');
        expect((await officer.agent.get(`/api/v1/calls/${call.id}`)).body.status).to.equal('draft');
      },
    );

    it('publishes a risky call with its warnings shown', async () => {
      const officer = await anOfficer(test);
      const call = await aDraftCall(officer);
      const token = await csrfTokenFrom(officer.agent, `/officer/calls/${call.id}`);
      const response = await post(officer.agent, `/officer/calls/${call.id}/publish`, { _csrf: token });
      expect(response.status).to.equal(303);
      const page = parsePage((await officer.agent.get(`/officer/calls/${call.id}`).expect(200)).text);
      expect(page.successBanner()).to.contain('is published');
      expect(page.text('.govuk-warning-text')).to.contain(
        'Priority 2.1 has an allocation of £400,000.00, below the £500,000.00 floor',
      );
    });

    it('refuses editor posts without the CSRF token', async () => {
      const officer = await anOfficer(test);
      await csrfTokenFrom(officer.agent, '/officer/calls/new');
      const response = await post(officer.agent, '/officer/calls', callFormValues(aCallBody()));
      expect(response.status).to.equal(403);
      expect(await test.knex('calls').count()).to.deep.equal([{ count: 0 }]);
    });

    it('keeps other funders and other roles out: 404 and 403', async () => {
      const officer = await anOfficer(test);
      const call = await aDraftCall(officer);
      const stranger = await anOfficer(test);
      const applicant = await anApplicant(test);
      const appraiser = await anAppraiser(test, officer.actor.funderId!);
      for (const path of [
        `/officer/calls/${call.id}`,
        `/officer/calls/${call.id}/edit`,
        `/officer/calls/${call.id}/panel`,
      ])
        expect((await stranger.agent.get(path)).status, path).to.equal(404);
      for (const who of [applicant, appraiser])
        for (const path of ['/officer/calls', '/officer/calls/new', `/officer/calls/${call.id}`])
          expect((await who.agent.get(path)).status, path).to.equal(403);
      expect((await stranger.agent.get('/officer/calls')).text).not.to.contain(call.id);
    });
  });

  describe('the call dashboard', () => {
    it(
      'counts bids started, submitted, through the gateway and scored, and charts ESF against ' + 'allocation',
      async () => {
        const { officer, call } = await aScoredCall(test, [
          { score: () => 4 },
          { body: aBidBody({ title: 'Second' }) },
        ]);
        const drafting = await anApplicant(test);
        await test.knex('bids').insert({
          callId: call.id,
          organisationId: drafting.actor.organisationId,
          reference: `${call.reference}-099`,
          status: 'draft',
          draft: {},
          createdBy: drafting.actor.id,
        });
        const page = parsePage((await officer.agent.get(`/officer/calls/${call.id}`).expect(200)).text);
        const counts = ['started', 'submitted', 'passed', 'scored'].map((count) => page.textOf(`count-${count}`));
        expect(counts).to.deep.equal(['3', '2', '2', '1']);
        expect(page.$('svg[role="img"][aria-labelledby="esf-chart-title esf-chart-desc"]')).to.have.length(1);
        expect(page.textOf('esf-chart-desc')).to.contain(
          'Priority 1.1: £900,000.00 requested of £800,000.00 allocated, over the allocation.',
        );
        expect(page.$('svg[aria-labelledby="score-chart-title score-chart-desc"]')).to.have.length(1);
        expect(page.hrefs()).to.include(`/api/v1/calls/${call.id}/appraisal.xlsx`);
        expect(page.hrefs()).to.include(`/officer/calls/${call.id}/panel`);
      },
    );

    it('reads the call once and its bids once, however many parts of the page show them', async () => {
      const { officer, call } = await aScoredCall(test, [{ score: () => 4 }, { body: aBidBody({ title: 'Second' }) }]);
      let html = '';
      const queries = await queriesDuring(test.knex, async () => {
        html = (await officer.agent.get(`/officer/calls/${call.id}`).expect(200)).text;
      });
      const page = parsePage(html);
      // Counts, the bid table, the ESF chart and the score chart are all on it.
      expect(page.textOf('count-scored')).to.equal('1');
      // Bid, Status, Gateway, ESF, Scores in.
      const scoresIn = page.tableRows('table:has(caption:contains("Every bid on the call"))').map((row) => row[4]);
      expect(scoresIn).to.include('2 of 2');
      expect(page.textOf('esf-chart-desc')).to.contain('Priority 1.1: £900,000.00 requested');
      expect(page.textOf('score-chart-desc')).to.match(/Rank 1, [^:]+: 80%, recommended\./);
      expect(readsOf(queries, 'calls')).to.equal(1);
      expect(readsOf(queries, 'bids')).to.equal(1);
      expect(readsOf(queries, 'bid_versions')).to.equal(1);
    });

    it('shows a bid title people wrote as text', async () => {
      const { officer, call } = await aClosedCallWithBids(test, [aBidBody({ title: '<script>alert(1)</script>' })]);
      const page = await officer.agent.get(`/officer/calls/${call.id}`).expect(200);
      expect(page.text).not.to.contain('<script>alert(1)</script>');
      expect(page.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });
  });

  describe('the panel', () => {
    it("is chosen from the funder's appraisers, and shows each one's progress", async () => {
      const { officer, call, bidIds } = await aClosedCallWithBids(test, [aBidBody()], 0);
      const [amy, ben] = [
        await anAppraiser(test, officer.actor.funderId!),
        await anAppraiser(test, officer.actor.funderId!),
      ];
      const token = await csrfTokenFrom(officer.agent, `/officer/calls/${call.id}/panel`);
      const none = await post(officer.agent, `/officer/calls/${call.id}/panel`, { _csrf: token });
      expect(none.status).to.equal(422);
      expect(parsePage(none.text).errorFor('#appraiserIds')).to.equal('Select at least one appraiser for the panel');
      const response = await post(officer.agent, `/officer/calls/${call.id}/panel`, {
        _csrf: token,
        appraiserIds: [amy.actor.id, ben.actor.id],
      });
      expect(response.status).to.equal(303);
      expect(
        (await test.knex('panelMembers').where({ callId: call.id })).map((m) => m.appraiserId).sort(),
      ).to.deep.equal([amy.actor.id, ben.actor.id].sort());
      await scoreBid(amy, bidIds[0], () => 4);
      const page = parsePage((await officer.agent.get(`/officer/calls/${call.id}/panel`).expect(200)).text);
      expect(page.checkedValues('appraiserIds').sort()).to.deep.equal([amy.actor.id, ben.actor.id].sort());
      expect(page.tableRows().map((row) => row[0])).to.include(amy.actor.name);
      expect(page.text()).to.contain('1 bid passed the gateway and is appraised.');
    });
  });

  describe('moderation', () => {
    it('lists flagged criteria first and requires a rationale with a moderated score', async () => {
      const { officer, appraisers, bidIds } = await aClosedCallWithBids(test);
      await scoreBid(appraisers[0], bidIds[0], () => 4);
      await scoreBid(appraisers[1], bidIds[0], (c) => (c === 'DEL' ? 2 : 4));
      const page = parsePage((await officer.agent.get(`/officer/bids/${bidIds[0]}/moderate`).expect(200)).text);
      const criteria = page.texts('form section h2');
      expect(criteria[0]).to.equal('Deliverability');
      expect(criteria).to.include('Strategic fit');
      expect(page.hiddenFields('form[action$="/moderate"]')['scores-0-criterion']).to.equal('DEL');
      expect(page.texts('form section .govuk-tag')).to.deep.equal(['Flagged: appraisers differ by 2 or more']);
      // Both sheets were submitted at the test clock's one instant, so which appraiser is numbered 2 is not fixed.
      const rows = page.tableRows('form section:first-of-type table');
      expect(rows.map((row) => row[0]).sort()).to.deep.equal(['Appraiser 1', 'Appraiser 2']);
      expect(rows.map((row) => row.slice(1))).to.deep.include.members([['2', 'Weak on DEL']]);
      const token = await csrfTokenFrom(officer.agent, `/officer/bids/${bidIds[0]}/moderate`);
      const blank = await post(officer.agent, `/officer/bids/${bidIds[0]}/moderate`, {
        _csrf: token,
        'scores-0-criterion': 'DEL',
        'scores-0-score': '3',
        'scores-0-rationale': '',
      });
      expect(blank.status).to.equal(422);
      expect(parsePage(blank.text).errorFor('#scores-0-rationale')).to.equal('Must not be blank');
      const saved = await post(officer.agent, `/officer/bids/${bidIds[0]}/moderate`, {
        _csrf: token,
        'scores-0-criterion': 'DEL',
        'scores-0-score': '3',
        'scores-0-rationale': 'The panel agreed the timetable is tight but credible',
        'scores-1-criterion': 'SF',
        'scores-1-score': '',
        'scores-1-rationale': '',
      });
      expect(saved.status).to.equal(303);
      expect(await test.knex('moderations').select('criterion', 'score', 'rationale')).to.deep.equal([
        { criterion: 'DEL', score: 3, rationale: 'The panel agreed the timetable is tight but credible' },
      ]);
      const list = await officer.agent
        .get(`/officer/calls/${(await test.knex('bids').first()).callId}/moderation`)
        .expect(200);
      expect(parsePage(list.text).tableRows()[0][2]).to.equal('1 flagged');
    });
  });

  describe('ranking, funding plans and decisions', () => {
    it('ranks the scored bids and shows both funding plans side by side', async () => {
      const { officer, call } = await aScoredCall(test, TWO_RANKED);
      const page = parsePage((await officer.agent.get(`/officer/calls/${call.id}/ranking`).expect(200)).text);
      // Rank, Bid, Weighted score, ESF, Participants, ESF per participant, Plan.
      const [first, second, ...more] = page.tableRows();
      expect(more).to.deep.equal([]);
      expect([first[0], first[2], second[0], second[2]]).to.deep.equal(['1', '100%', '2', '80%']);
      expect(first[1]).to.match(/^Working Well Together /);
      expect(second[1]).to.match(/^Runner-up /);
      const text = page.text();
      expect(text).to.contain('Greedy plan (in rank order)');
      expect(text).to.contain('Optimal plan');
      expect(text).to.contain('Proven optimal.');
      expect(page.$('svg[role="img"]').length).to.be.above(0);
      // Both bids ask £450,000 of 1.1's £800,000: only the first fits, in both plans.
      expect(text).to.contain('Both plans fund the same bids.');
      expect(text).to.contain('£350,000.00');
      const participants = await officer.agent
        .get(`/officer/calls/${call.id}/ranking?objective=participants`)
        .expect(200);
      expect(parsePage(participants.text).text()).to.contain('the most participants');
    });

    it(
      'shows on the decision page where the bid stands: score, threshold, rank and its place in ' + 'the greedy plan',
      async () => {
        const { officer, bidIds } = await aScoredCall(test, [
          ...TWO_RANKED,
          { body: aBidBody({ title: 'Weak' }), score: (c) => (c === 'SF' ? 2 : 4) },
        ]);
        const standing = async (bidId: string) => {
          const page = parsePage((await officer.agent.get(`/officer/bids/${bidId}/decision`).expect(200)).text);
          return ['Gateway', 'Weighted score', 'Quality threshold', 'Rank', 'ESF requested', 'Funding plan'].map(
            (key) => page.summaryValue(key),
          );
        };
        // Each bid asks £450,000 of 1.1's £800,000: only the first in rank order fits.
        expect(await standing(bidIds[0])).to.deep.equal([
          'Passed',
          '100%',
          'Meets every minimum score',
          '1',
          '£600,000.00',
          'Recommended',
        ]);
        expect(await standing(bidIds[1])).to.deep.equal([
          'Passed',
          '80%',
          'Meets every minimum score',
          '2',
          '£600,000.00',
          'Reserve',
        ]);
        // Strategic fit scored 2 against its minimum of 3: scored, but never ranked, so in no plan.
        const weak = await standing(bidIds[2]);
        expect(weak[2]).to.equal('Below the minimum on Strategic fit');
        expect([weak[3], weak[5]]).to.deep.equal(['Not ranked', 'Not fundable']);
        expect(weak[1]).to.match(/^\d+(\.\d+)?%$/);
      },
    );

    it(
      'solves no funding plan for the pages that show none: the dashboard, moderation, decisions ' + 'and a decision',
      async () => {
        const { officer, call, bidIds } = await aScoredCall(test, TWO_RANKED);
        const first = (await test.knex('bids').where({ id: bidIds[0] }).first()).reference;
        const queries = await queriesDuring(test.knex, async () => {
          const dashboard = parsePage((await officer.agent.get(`/officer/calls/${call.id}`).expect(200)).text);
          expect(dashboard.textOf('score-chart-desc')).to.contain(`Rank 1, ${first}: 100%, recommended.`);
          expect(dashboard.textOf('score-chart-desc')).to.contain(': 80%, reserve.');
          await officer.agent.get(`/officer/calls/${call.id}/moderation`).expect(200);
          await officer.agent.get(`/officer/bids/${bidIds[1]}/decision`).expect(200);
          const decisions = parsePage(
            (await officer.agent.get(`/officer/calls/${call.id}/decisions`).expect(200)).text,
          );
          expect(decisions.tags()).to.include.members(['Recommended', 'Reserve']);
        });
        expect(readsOf(queries, 'funding_plan_cache')).to.equal(0);
        expect(await test.knex('fundingPlanCache').where({ callId: call.id })).to.have.length(0);
        // The ranking page shows the optimal plan: it is solved there, and kept.
        await officer.agent.get(`/officer/calls/${call.id}/ranking`).expect(200);
        expect(await test.knex('fundingPlanCache').where({ callId: call.id })).to.have.length(1);
      },
    );

    it(
      'records decisions: conditions and reasons required where they belong, an unfundable ' + 'approval refused',
      async () => {
        const { officer, call, bidIds } = await aScoredCall(test, [
          { score: () => 4 },
          { body: aBidBody({ title: 'Weak' }), score: () => 1 },
        ]);
        const path = `/officer/bids/${bidIds[0]}/decision`;
        const token = await csrfTokenFrom(officer.agent, path);
        const missing = await post(officer.agent, path, { _csrf: token });
        expect(missing.status).to.equal(422);
        expect(parsePage(missing.text).errorFor('#decision')).to.equal('Select a decision');
        const noConditions = await post(officer.agent, path, {
          _csrf: token,
          decision: 'approved_with_conditions',
          conditions: ' ',
        });
        expect(noConditions.status).to.equal(422);
        expect(parsePage(noConditions.text).errorFor('#conditions')).to.equal('Must not be blank');
        const approved = await post(officer.agent, path, {
          _csrf: token,
          decision: 'approved_with_conditions',
          conditions: 'Secure the pending match by June',
          reason: 'ignored',
        });
        expect(approved.status).to.equal(303);
        expect(await test.knex('decisions').where({ bidId: bidIds[0] }).first()).to.include({
          decision: 'approved_with_conditions',
          conditions: 'Secure the pending match by June',
          reason: null,
        });

        const weak = `/officer/bids/${bidIds[1]}/decision`;
        const refused = await post(officer.agent, weak, { _csrf: token, decision: 'approved' });
        expect(refused.status).to.equal(409);
        expect(
          parsePage(refused.text)
            .errorLinks()
            .map((link) => link.text),
        ).to.satisfy((texts: string[]) => texts.some((t) => t.includes('below the quality threshold')));
        const rejected = await post(officer.agent, weak, {
          _csrf: token,
          decision: 'rejected',
          reason: 'Below the minimum on every criterion',
        });
        expect(rejected.status).to.equal(303);
        const list = parsePage((await officer.agent.get(`/officer/calls/${call.id}/decisions`).expect(200)).text);
        expect(list.text()).to.contain('Every submitted bid has its decision.');
        expect(list.hrefs()).to.include(`/api/v1/calls/${call.id}/360giving.json`);
        expect((await officer.agent.get(`/api/v1/calls/${call.id}`)).body.status).to.equal('decided');
      },
    );

    it('shows a bid in full with its gateway, scores and audit trail', async () => {
      const { officer, appraisers, bidIds } = await aClosedCallWithBids(test);
      await scoreBid(appraisers[0], bidIds[0], () => 3);
      const page = parsePage((await officer.agent.get(`/officer/bids/${bidIds[0]}`).expect(200)).text);
      const text = page.text();
      expect(text).to.contain('Submitted by the deadline');
      expect(text).to.contain('Derby College');
      expect(text).to.contain('bid.submitted');
      expect(text).to.contain('1 appraiser has submitted');
      expect((await appraisers[0].agent.get(`/officer/bids/${bidIds[0]}`)).status).to.equal(403);
      expect((await (await anOfficer(test)).agent.get(`/officer/bids/${bidIds[0]}`)).status).to.equal(404);
    });

    it('refuses panel, moderation and decision posts without the CSRF token, changing nothing', async () => {
      const { officer, call, appraisers, bidIds } = await aClosedCallWithBids(test);
      for (const appraiser of appraisers) await scoreBid(appraiser, bidIds[0], () => 4);
      await csrfTokenFrom(officer.agent, `/officer/calls/${call.id}/panel`);
      const posts: [string, Record<string, unknown>][] = [
        [`/officer/calls/${call.id}/panel`, { appraiserIds: [appraisers[0].actor.id] }],
        [
          `/officer/bids/${bidIds[0]}/moderate`,
          { 'scores-0-criterion': 'SF', 'scores-0-score': '3', 'scores-0-rationale': 'Because' },
        ],
        [`/officer/bids/${bidIds[0]}/decision`, { decision: 'approved' }],
        [`/officer/calls/${call.id}/close`, {}],
      ];
      for (const [path, values] of posts) expect((await post(officer.agent, path, values)).status, path).to.equal(403);
      expect(await test.knex('panelMembers').count()).to.deep.equal([{ count: 2 }]);
      expect(await test.knex('moderations').count()).to.deep.equal([{ count: 0 }]);
      expect(await test.knex('decisions').count()).to.deep.equal([{ count: 0 }]);
    });

    it("answers another funder's officer 404 on every appraisal page", async () => {
      const { call, bidIds } = await aClosedCallWithBids(test);
      const stranger = await anOfficer(test);
      for (const path of [
        `/officer/calls/${call.id}/moderation`,
        `/officer/calls/${call.id}/ranking`,
        `/officer/calls/${call.id}/decisions`,
        `/officer/bids/${bidIds[0]}/moderate`,
        `/officer/bids/${bidIds[0]}/decision`,
      ])
        expect((await stranger.agent.get(path)).status, path).to.equal(404);
    });
  });
});
