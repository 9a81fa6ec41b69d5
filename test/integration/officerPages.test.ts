import { expect } from 'chai';
import type supertest from 'supertest';
import { aBidBody, aCallBody } from '../support/builders.ts';
import { anApplicant, anAppraiser, anOfficer, useTestApp, type TestUser } from '../support/app.ts';
import { aClosedCallWithBids, scoreBid } from '../support/appraisal.ts';
import { csrfTokenFrom } from '../support/pages.ts';
import { queriesDuring, readsOf } from '../support/queries.ts';
import { callFormValues } from '../../server/calls/officerPageModels.ts';
import type { CallFields } from '../../server/calls/types.ts';

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

/** The value a GOV.UK summary list on the page gives for `key`, as text. */
function summaryValue(html: string, key: string): string | undefined {
  const match = new RegExp(
    `<dt class="govuk-summary-list__key">${key}</dt><dd class="govuk-summary-list__value">(.*?)</dd>`,
  ).exec(html);
  return match?.[1].replace(/<[^>]+>/g, '').trim();
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
      const page = await officer.agent.get('/officer/calls/new').expect(200);
      expect(page.text).to.contain('value="500,000.00"');
      expect(page.text).to.contain('value="Strategic fit"');
      expect(page.text).to.contain('id="priorities-0-participantIndicators"');
      expect(page.text).to.contain('Participants without basic skills');
      expect(page.text).to.contain('value="R-UNEMP-EMP"');
      expect(page.text).to.contain('name="_csrf"');
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
      const dashboard = await officer.agent.get(`/officer/calls/${id}`).expect(200);
      expect(dashboard.text).to.contain('is saved. Publish it when it is ready.');
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
      expect(response.text).to.contain('<title>Error: Create a call');
      expect(response.text).to.contain(
        '<a href="#priorities-1-allocationPence">Enter an amount in pounds, like £500,000.00</a>',
      );
      expect(response.text).to.contain('<a href="#minProjectEsfPence">Enter an amount in pounds, like £500,000.00</a>');
      // Reported once, as the typo, not again as a missing field; and the typo is shown back as typed.
      expect(response.text).not.to.contain('Required field &quot;allocationPence&quot;');
      expect(response.text).to.contain('value="£80o,000"');
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
      expect(response.text).to.contain(
        '<a href="#closesAt-time">Enter the closing time on the 24-hour clock, like 23:59</a>',
      );
      // The schema's own messages (validation.ts words them), each linked to its input.
      expect(response.text).to.match(/<a href="#reference">[^<]+<\/a>/);
      expect(response.text).to.match(/<a href="#gapCriteria-0-weight">[^<]+<\/a>/);
      expect(response.text).not.to.contain('Required field &quot;closesAt&quot;');
    });

    it('changes a draft, and refuses to change a published call', async () => {
      const officer = await anOfficer(test);
      const call = await aDraftCall(officer);
      const form = await officer.agent.get(`/officer/calls/${call.id}/edit`).expect(200);
      expect(form.text).to.contain('value="800,000.00"');
      expect(form.text).to.match(/id="priorities-0-participantIndicators"[^>]*value="P-TOTAL" checked/);
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
        expect(response.text).to.contain('<a href="#closesAt">The closing time must be after the opening time</a>');
        expect(response.text).to.contain('Change the draft call');
        expect((await officer.agent.get(`/api/v1/calls/${call.id}`)).body.status).to.equal('draft');
      },
    );

    it('publishes a risky call with its warnings shown', async () => {
      const officer = await anOfficer(test);
      const call = await aDraftCall(officer);
      const token = await csrfTokenFrom(officer.agent, `/officer/calls/${call.id}`);
      const response = await post(officer.agent, `/officer/calls/${call.id}/publish`, { _csrf: token });
      expect(response.status).to.equal(303);
      const page = await officer.agent.get(`/officer/calls/${call.id}`).expect(200);
      expect(page.text).to.contain('is published');
      expect(page.text).to.contain('Priority 2.1 has an allocation of £400,000.00, below the £500,000.00 floor');
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
        const { officer, call, appraisers, bidIds } = await aClosedCallWithBids(test, [
          aBidBody(),
          aBidBody({ title: 'Second' }),
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
        for (const appraiser of appraisers) await scoreBid(appraiser, bidIds[0], () => 4);
        const page = await officer.agent.get(`/officer/calls/${call.id}`).expect(200);
        expect(page.text).to.match(/id="count-started">3</);
        expect(page.text).to.match(/id="count-submitted">2</);
        expect(page.text).to.match(/id="count-passed">2</);
        expect(page.text).to.match(/id="count-scored">1</);
        expect(page.text).to.match(/<svg [^>]*role="img" aria-labelledby="esf-chart-title esf-chart-desc"/);
        expect(page.text).to.contain(
          'Priority 1.1: £900,000.00 requested of £800,000.00 allocated, over the allocation.',
        );
        expect(page.text).to.match(/<svg [^>]*aria-labelledby="score-chart-title score-chart-desc"/);
        expect(page.text).to.contain('href="/api/v1/calls/' + call.id + '/appraisal.xlsx"');
        expect(page.text).to.contain(`href="/officer/calls/${call.id}/panel"`);
      },
    );

    it('reads the call once and its bids once, however many parts of the page show them', async () => {
      const { officer, call, appraisers, bidIds } = await aClosedCallWithBids(test, [
        aBidBody(),
        aBidBody({ title: 'Second' }),
      ]);
      for (const appraiser of appraisers) await scoreBid(appraiser, bidIds[0], () => 4);
      let page = '';
      const queries = await queriesDuring(test.knex, async () => {
        page = (await officer.agent.get(`/officer/calls/${call.id}`).expect(200)).text;
      });
      // Counts, the bid table, the ESF chart and the score chart are all on it.
      expect(page).to.match(/id="count-scored">1</);
      expect(page).to.contain('2 of 2');
      expect(page).to.contain('Priority 1.1: £900,000.00 requested');
      expect(page).to.match(/Rank 1, [^:]+: 80%, recommended\./);
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
      expect(none.text).to.contain('<a href="#appraiserIds">Select at least one appraiser for the panel</a>');
      const response = await post(officer.agent, `/officer/calls/${call.id}/panel`, {
        _csrf: token,
        appraiserIds: [amy.actor.id, ben.actor.id],
      });
      expect(response.status).to.equal(303);
      expect(
        (await test.knex('panelMembers').where({ callId: call.id })).map((m) => m.appraiserId).sort(),
      ).to.deep.equal([amy.actor.id, ben.actor.id].sort());
      await scoreBid(amy, bidIds[0], () => 4);
      const page = await officer.agent.get(`/officer/calls/${call.id}/panel`).expect(200);
      expect(page.text).to.match(new RegExp(`value="${amy.actor.id}" checked`));
      expect(page.text).to.contain(amy.actor.name);
      expect(page.text).to.contain('1 bid passed the gateway and is appraised.');
    });
  });

  describe('moderation', () => {
    it('lists flagged criteria first and requires a rationale with a moderated score', async () => {
      const { officer, appraisers, bidIds } = await aClosedCallWithBids(test);
      await scoreBid(appraisers[0], bidIds[0], () => 4);
      await scoreBid(appraisers[1], bidIds[0], (c) => (c === 'DEL' ? 2 : 4));
      const page = await officer.agent.get(`/officer/bids/${bidIds[0]}/moderate`).expect(200);
      expect(page.text.indexOf('Deliverability')).to.be.below(page.text.indexOf('Strategic fit'));
      expect(page.text).to.contain('Flagged: appraisers differ by 2 or more');
      expect(page.text).to.contain('Weak on DEL');
      const token = await csrfTokenFrom(officer.agent, `/officer/bids/${bidIds[0]}/moderate`);
      const blank = await post(officer.agent, `/officer/bids/${bidIds[0]}/moderate`, {
        _csrf: token,
        'scores-0-criterion': 'DEL',
        'scores-0-score': '3',
        'scores-0-rationale': '',
      });
      expect(blank.status).to.equal(422);
      expect(blank.text).to.contain('<a href="#scores-0-rationale">Must not be blank</a>');
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
      expect(list.text).to.contain('1 flagged');
    });
  });

  describe('ranking, funding plans and decisions', () => {
    it('ranks the scored bids and shows both funding plans side by side', async () => {
      const { officer, call, appraisers, bidIds } = await aClosedCallWithBids(test, [
        aBidBody(),
        aBidBody({ title: 'Runner-up' }),
      ]);
      for (const appraiser of appraisers) {
        await scoreBid(appraiser, bidIds[0], () => 5);
        await scoreBid(appraiser, bidIds[1], () => 4);
      }
      const page = await officer.agent.get(`/officer/calls/${call.id}/ranking`).expect(200);
      expect(page.text.indexOf('Working Well Together')).to.be.below(page.text.indexOf('Runner-up'));
      expect(page.text).to.contain('100%');
      expect(page.text).to.contain('80%');
      expect(page.text).to.contain('Greedy plan (in rank order)');
      expect(page.text).to.contain('Optimal plan');
      expect(page.text).to.contain('Proven optimal.');
      expect(page.text).to.match(/<svg [^>]*role="img"/);
      // Both bids ask £450,000 of 1.1's £800,000: only the first fits, in both plans.
      expect(page.text).to.contain('Both plans fund the same bids.');
      expect(page.text).to.contain('£350,000.00');
      const participants = await officer.agent
        .get(`/officer/calls/${call.id}/ranking?objective=participants`)
        .expect(200);
      expect(participants.text).to.contain('the most participants');
    });

    it(
      'shows on the decision page where the bid stands: score, threshold, rank and its place in ' + 'the greedy plan',
      async () => {
        const { officer, appraisers, bidIds } = await aClosedCallWithBids(test, [
          aBidBody(),
          aBidBody({ title: 'Runner-up' }),
          aBidBody({ title: 'Weak' }),
        ]);
        for (const appraiser of appraisers) {
          await scoreBid(appraiser, bidIds[0], () => 5);
          await scoreBid(appraiser, bidIds[1], () => 4);
          await scoreBid(appraiser, bidIds[2], (c) => (c === 'SF' ? 2 : 4));
        }
        const standing = async (bidId: string) => {
          const page = (await officer.agent.get(`/officer/bids/${bidId}/decision`).expect(200)).text;
          return ['Gateway', 'Weighted score', 'Quality threshold', 'Rank', 'ESF requested', 'Funding plan'].map(
            (key) => summaryValue(page, key),
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
        const { officer, call, appraisers, bidIds } = await aClosedCallWithBids(test, [
          aBidBody(),
          aBidBody({ title: 'Runner-up' }),
        ]);
        for (const appraiser of appraisers) {
          await scoreBid(appraiser, bidIds[0], () => 5);
          await scoreBid(appraiser, bidIds[1], () => 4);
        }
        const queries = await queriesDuring(test.knex, async () => {
          const dashboard = await officer.agent.get(`/officer/calls/${call.id}`).expect(200);
          expect(dashboard.text).to.contain(
            'Rank 1, ' + (await test.knex('bids').where({ id: bidIds[0] }).first()).reference + ': 100%, recommended.',
          );
          expect(dashboard.text).to.contain(': 80%, reserve.');
          await officer.agent.get(`/officer/calls/${call.id}/moderation`).expect(200);
          await officer.agent.get(`/officer/bids/${bidIds[1]}/decision`).expect(200);
          const decisions = await officer.agent.get(`/officer/calls/${call.id}/decisions`).expect(200);
          expect(decisions.text).to.contain('Recommended');
          expect(decisions.text).to.contain('Reserve');
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
        const { officer, call, appraisers, bidIds } = await aClosedCallWithBids(test, [
          aBidBody(),
          aBidBody({ title: 'Weak' }),
        ]);
        for (const appraiser of appraisers) {
          await scoreBid(appraiser, bidIds[0], () => 4);
          await scoreBid(appraiser, bidIds[1], () => 1);
        }
        const path = `/officer/bids/${bidIds[0]}/decision`;
        const token = await csrfTokenFrom(officer.agent, path);
        const missing = await post(officer.agent, path, { _csrf: token });
        expect(missing.status).to.equal(422);
        expect(missing.text).to.contain('<a href="#decision">Select a decision</a>');
        const noConditions = await post(officer.agent, path, {
          _csrf: token,
          decision: 'approved_with_conditions',
          conditions: ' ',
        });
        expect(noConditions.status).to.equal(422);
        expect(noConditions.text).to.contain('<a href="#conditions">Must not be blank</a>');
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
        expect(refused.text).to.contain('below the quality threshold');
        const rejected = await post(officer.agent, weak, {
          _csrf: token,
          decision: 'rejected',
          reason: 'Below the minimum on every criterion',
        });
        expect(rejected.status).to.equal(303);
        const list = await officer.agent.get(`/officer/calls/${call.id}/decisions`).expect(200);
        expect(list.text).to.contain('Every submitted bid has its decision.');
        expect(list.text).to.contain(`href="/api/v1/calls/${call.id}/360giving.json"`);
        expect((await officer.agent.get(`/api/v1/calls/${call.id}`)).body.status).to.equal('decided');
      },
    );

    it('shows a bid in full with its gateway, scores and audit trail', async () => {
      const { officer, appraisers, bidIds } = await aClosedCallWithBids(test);
      await scoreBid(appraisers[0], bidIds[0], () => 3);
      const page = await officer.agent.get(`/officer/bids/${bidIds[0]}`).expect(200);
      expect(page.text).to.contain('Submitted by the deadline');
      expect(page.text).to.contain('Derby College');
      expect(page.text).to.contain('bid.submitted');
      expect(page.text).to.contain('1 appraiser has submitted');
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
