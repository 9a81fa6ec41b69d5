import { expect } from 'chai';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anAppraiser, anOfficer, useTestApp, type TestUser, aPublishedCall } from '../support/app.ts';
import { aClosedCallWithBids, CRITERIA } from '../support/appraisal.ts';
import { csrfTokenFrom, parsePage } from '../support/pages.ts';
import { queriesDuring, readsOf } from '../support/queries.ts';
import { aPdf } from '../support/files.ts';

/** Every criterion's form fields for a score sheet: `score(criterion)` as the radio value, comments where given. */
function sheetForm(
  token: string,
  action: 'save' | 'submit',
  score: (c: string) => number | '',
  comment: (c: string) => string = () => '',
) {
  const form: Record<string, string> = { _csrf: token, action };
  CRITERIA.forEach((criterion, i) => {
    form[`scores-${i}-score`] = String(score(criterion));
    form[`scores-${i}-comment`] = comment(criterion);
  });
  return form;
}

describe('pages: the appraiser', () => {
  const test = useTestApp();

  async function declareNone(appraiser: TestUser, bidId: string) {
    const token = await csrfTokenFrom(appraiser.agent, `/appraisal/bids/${bidId}/declare`);
    await appraiser.agent
      .post(`/appraisal/bids/${bidId}/declare`)
      .type('form')
      .send({ _csrf: token, conflict: 'no' })
      .expect(303);
  }

  describe('their panels and the bids on each', () => {
    it('lists the calls whose panel they sit on, with their progress', async () => {
      const { call, appraisers } = await aClosedCallWithBids(test, [aBidBody(), aBidBody({ title: 'Second' })]);
      const page = parsePage((await appraisers[0].agent.get('/appraisal').expect(200)).text);
      // Call, Closed, Status, Your progress.
      const progress = page.tableRowLinkingTo(`/appraisal/calls/${call.id}`)?.[3];
      expect(progress).to.equal('0 of 2 bids scored 2 waiting for your declaration of interest');
    });

    it("counts each panel's bids by the list's rule, reading every panel in the same few queries", async () => {
      // Two calls of one funder, both closed with bids, the same appraiser on both panels, one panel further on.
      const officer = await anOfficer(test);
      const first = await aPublishedCall(officer, { reference: 'OC08S17P0901' });
      const second = await aPublishedCall(officer, { reference: 'OC08S17P0902' });
      const bidOn = async (callId: string, body = aBidBody()) => {
        const applicant = await anApplicant(test);
        const bid = (await applicant.agent.post(`/api/v1/calls/${callId}/bids`).send(body).expect(201)).body;
        await applicant.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
        return bid.id as string;
      };
      const belowFloor = aBidBody({
        priorities: [
          { code: '1.1', esfPence: 34_999_999 },
          { code: '2.1', esfPence: 15_000_000 },
        ],
        partners: [{ name: 'Lead', type: 'vcs', role: 'lead', esfPence: 49_999_999, matchPence: 60_000_000 }],
        totalEligibleCostPence: 109_999_999,
      });
      const [scored, conflicted, , waiting] = [
        await bidOn(first.id),
        await bidOn(first.id),
        await bidOn(first.id, belowFloor),
        await bidOn(first.id),
      ];
      await bidOn(second.id);
      test.clock.set(new Date(Math.max(Date.parse(first.closesAt), Date.parse(second.closesAt)) + 1000));
      const appraiser = await anAppraiser(test, officer.actor.funderId!);
      for (const call of [first, second])
        await officer.agent
          .put(`/api/v1/calls/${call.id}/panel`)
          .send({ appraiserIds: [appraiser.actor.id] })
          .expect(200);
      await appraiser.agent.post(`/api/v1/bids/${scored}/conflict`).send({ conflict: false }).expect(200);
      await appraiser.agent
        .put(`/api/v1/bids/${scored}/scores/mine`)
        .send({ submit: true, scores: CRITERIA.map((criterion) => ({ criterion, score: 4 })) })
        .expect(200);
      await appraiser.agent
        .post(`/api/v1/bids/${conflicted}/conflict`)
        .send({ conflict: true, details: 'Trustee' })
        .expect(200);
      // A draft sheet is not done.
      await appraiser.agent.post(`/api/v1/bids/${waiting}/conflict`).send({ conflict: false }).expect(200);
      await appraiser.agent
        .put(`/api/v1/bids/${waiting}/scores/mine`)
        .send({ submit: false, scores: [{ criterion: 'SF', score: 3 }] })
        .expect(200);

      let html = '';
      const queries = await queriesDuring(test.knex, async () => {
        html = (await appraiser.agent.get('/appraisal').expect(200)).text;
      });
      const page = parsePage(html);
      // Call, Closed, Status, Your progress.
      const progress = (callId: string) => page.tableRowLinkingTo(`/appraisal/calls/${callId}`)?.[3];
      // The first call: the scored bid and the one with a draft sheet; not the conflicted one, nor the one that failed
      // the gateway.
      expect(progress(first.id)).to.equal('1 of 2 bids scored');
      expect(progress(second.id)).to.equal('0 of 1 bids scored 1 waiting for your declaration of interest');
      expect(readsOf(queries, 'panel_members')).to.equal(1);
      expect(readsOf(queries, 'bids')).to.equal(1);
      expect(readsOf(queries, 'calls')).to.equal(0);
      // The API's list for the call says the same as the panel's figures.
      const items = (await appraiser.agent.get(`/api/v1/calls/${first.id}/bids`).expect(200)).body.items;
      expect(
        items.map((b: { id: string; appraisal: { nextStep: string } }) => [b.id, b.appraisal.nextStep]),
      ).to.have.deep.members([
        [scored, 'done'],
        [waiting, 'score'],
      ]);
    });

    it('shows each bid with its next step: declare interest, then score, then done', async () => {
      const { call, appraisers, bidIds } = await aClosedCallWithBids(test);
      const [appraiser] = appraisers;
      // Bid, Lead partner, ESF requested, Next step: the bid's link goes to its next step.
      const rowOf = async (next: string) => {
        const page = parsePage((await appraiser.agent.get(`/appraisal/calls/${call.id}`).expect(200)).text);
        return { row: page.tableRowLinkingTo(`/appraisal/bids/${bidIds[0]}${next}`), tags: page.tags() };
      };
      const declaring = await rowOf('/declare');
      expect(declaring.row?.[2]).to.equal('£600,000.00');
      expect(declaring.row?.[3]).to.equal('Declare interest');
      await declareNone(appraiser, bidIds[0]);
      expect((await rowOf('/score')).row?.[3]).to.equal('Ready to score');
      await appraiser.agent
        .put(`/api/v1/bids/${bidIds[0]}/scores/mine`)
        .send({ submit: true, scores: CRITERIA.map((criterion) => ({ criterion, score: 4 })) })
        .expect(200);
      const page = parsePage((await appraiser.agent.get(`/appraisal/calls/${call.id}`).expect(200)).text);
      expect(page.texts('table .govuk-tag.govuk-tag--green')).to.deep.equal(['Done']);
    });

    it('answers 404 to an appraiser not on the panel or of another funder, and 403 to an applicant', async () => {
      const { officer, call, applicants, bidIds } = await aClosedCallWithBids(test);
      const colleague = await anAppraiser(test, officer.actor.funderId!);
      const stranger = await anAppraiser(test, (await anOfficer(test)).actor.funderId!);
      for (const who of [colleague, stranger]) {
        expect((await who.agent.get(`/appraisal/calls/${call.id}`)).status).to.equal(404);
        expect((await who.agent.get(`/appraisal/bids/${bidIds[0]}/declare`)).status).to.equal(404);
        expect((await who.agent.get(`/appraisal/bids/${bidIds[0]}`)).status).to.equal(404);
        expect((await who.agent.get(`/appraisal/bids/${bidIds[0]}/score`)).status).to.equal(404);
      }
      expect((await stranger.agent.get('/appraisal')).text).not.to.contain(call.id);
      for (const path of [
        '/appraisal',
        `/appraisal/calls/${call.id}`,
        `/appraisal/bids/${bidIds[0]}`,
        `/appraisal/bids/${bidIds[0]}/score`,
      ])
        expect((await applicants[0].agent.get(path)).status, path).to.equal(403);
    });

    it(
      "reaches a bid's pages by checking that bid alone, by the list's rule: one that failed the " +
        'gateway is not found',
      async () => {
        // A penny under the £500,000 floor: submitted, but it fails the gateway and never reaches the panel.
        const belowFloor = aBidBody({
          priorities: [
            { code: '1.1', esfPence: 34_999_999 },
            { code: '2.1', esfPence: 15_000_000 },
          ],
          partners: [{ name: 'Lead', type: 'vcs', role: 'lead', esfPence: 49_999_999, matchPence: 60_000_000 }],
          totalEligibleCostPence: 109_999_999,
        });
        const { appraisers, bidIds } = await aClosedCallWithBids(test, [
          aBidBody(),
          belowFloor,
          aBidBody({ title: 'Third' }),
        ]);
        const [appraiser] = appraisers;
        for (const path of [
          `/appraisal/bids/${bidIds[1]}/declare`,
          `/appraisal/bids/${bidIds[1]}`,
          `/appraisal/bids/${bidIds[1]}/score`,
        ])
          expect((await appraiser.agent.get(path)).status, path).to.equal(404);
        const queries = await queriesDuring(test.knex, async () => {
          await appraiser.agent.get(`/appraisal/bids/${bidIds[0]}/declare`).expect(200);
          await declareNone(appraiser, bidIds[0]);
          await appraiser.agent.get(`/appraisal/bids/${bidIds[0]}`).expect(200);
          await appraiser.agent.get(`/appraisal/bids/${bidIds[0]}/score`).expect(200);
        });
        // The bid's page shows its partners found in the call's other submitted bids (the overlaps): that read of the
        // call's bids and their newest versions is the page's content, not how the bid was reached.
        const overlapRead = (sql: string) =>
          /^select "id", "reference" from "bids"/.test(sql) || /"canonical_json" from "bid_versions"/.test(sql);
        const reaching = queries.filter((sql) => !overlapRead(sql));
        const callWide = reaching.filter((sql) => /(from|join) "bids"/.test(sql) && /"call_id" = \$\d+/.test(sql));
        expect(callWide).to.deep.equal([]);
        expect(reaching.filter((sql) => /from "bid_versions"/.test(sql) && /"bid_id" in \(/.test(sql))).to.deep.equal(
          [],
        );
        expect(queries.filter(overlapRead)).to.have.length(2);
      },
    );

    it('shows a bid title people wrote as text', async () => {
      const { call, appraisers, bidIds } = await aClosedCallWithBids(test, [
        aBidBody({ title: '<script>alert(1)</script>' }),
      ]);
      const list = await appraisers[0].agent.get(`/appraisal/calls/${call.id}`).expect(200);
      expect(list.text).not.to.contain('<script>alert(1)</script>');
      expect(list.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
      await declareNone(appraisers[0], bidIds[0]);
      const bid = await appraisers[0].agent.get(`/appraisal/bids/${bidIds[0]}`).expect(200);
      expect(bid.text).not.to.contain('<script>alert(1)</script>');
    });
  });

  describe('declaring an interest', () => {
    it('names the organisations in the bid, and sends the appraiser to the declaration before the bid', async () => {
      const { appraisers, bidIds, applicants } = await aClosedCallWithBids(test);
      const page = parsePage(
        (await appraisers[0].agent.get(`/appraisal/bids/${bidIds[0]}/declare`).expect(200)).text,
      ).text();
      // the lead as its organisation registered, whatever the lead row says
      const lead = await test.knex('organisations').where({ id: applicants[0].actor.organisationId }).first();
      expect(page).to.contain(lead.name);
      expect(page).to.contain('Derby College');
      expect(page).not.to.contain('People with common mental health conditions');
      const bid = await appraisers[0].agent.get(`/appraisal/bids/${bidIds[0]}`);
      expect(bid.status).to.equal(303);
      expect(bid.headers.location).to.equal(`/appraisal/bids/${bidIds[0]}/declare`);
    });

    it('asks for an answer, linked to the radios', async () => {
      const { appraisers, bidIds } = await aClosedCallWithBids(test);
      const token = await csrfTokenFrom(appraisers[0].agent, `/appraisal/bids/${bidIds[0]}/declare`);
      const response = await appraisers[0].agent
        .post(`/appraisal/bids/${bidIds[0]}/declare`)
        .type('form')
        .send({ _csrf: token });
      expect(response.status).to.equal(422);
      expect(parsePage(response.text).errorFor('#conflict')).to.equal(
        'Select yes if you have a conflict of interest in this bid, or no if you do not',
      );
      expect(await test.knex('conflictDeclarations').count()).to.deep.equal([{ count: 0 }]);
    });

    it('refuses a declaration posted without the CSRF token', async () => {
      const { appraisers, bidIds } = await aClosedCallWithBids(test);
      await csrfTokenFrom(appraisers[0].agent, `/appraisal/bids/${bidIds[0]}/declare`);
      const response = await appraisers[0].agent
        .post(`/appraisal/bids/${bidIds[0]}/declare`)
        .type('form')
        .send({ conflict: 'no' });
      expect(response.status).to.equal(403);
      expect(await test.knex('conflictDeclarations').count()).to.deep.equal([{ count: 0 }]);
    });

    it('takes a conflicted bid off the list for good: its pages are not found', async () => {
      const { call, appraisers, bidIds } = await aClosedCallWithBids(test, [aBidBody(), aBidBody({ title: 'Other' })]);
      const [appraiser] = appraisers;
      const token = await csrfTokenFrom(appraiser.agent, `/appraisal/bids/${bidIds[0]}/declare`);
      const response = await appraiser.agent
        .post(`/appraisal/bids/${bidIds[0]}/declare`)
        .type('form')
        .send({ _csrf: token, conflict: 'yes', details: 'I am a trustee of the lead' });
      expect(response.status).to.equal(303);
      expect(response.headers.location).to.equal(`/appraisal/calls/${call.id}`);
      const list = await appraiser.agent.get(`/appraisal/calls/${call.id}`).expect(200);
      expect(parsePage(list.text).successBanner()).to.contain('You declared a conflict of interest');
      expect(parsePage(list.text).hrefs()).to.include(`/appraisal/bids/${bidIds[1]}/declare`);
      expect(list.text).not.to.contain(`/appraisal/bids/${bidIds[0]}/`);
      for (const path of [
        `/appraisal/bids/${bidIds[0]}`,
        `/appraisal/bids/${bidIds[0]}/score`,
        `/appraisal/bids/${bidIds[0]}/declare`,
      ])
        expect((await appraiser.agent.get(path)).status, path).to.equal(404);
      const row = await test.knex('conflictDeclarations').first();
      expect(row).to.include({ conflict: true, details: 'I am a trustee of the lead' });
    });
  });

  describe('reading the bid', () => {
    it('shows every section of the submitted version, with its documents linked to the download', async () => {
      const officer = await anOfficer(test);
      const call = await aPublishedCall(officer);
      const applicant = await anApplicant(test);
      const bid = (await applicant.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody()).expect(201)).body;
      const file = (
        await applicant.agent
          .post(`/api/v1/bids/${bid.id}/attachments`)
          .field('purpose', 'match-evidence')
          .attach('file', aPdf(), 'council-letter.pdf')
          .expect(201)
      ).body;
      const body = aBidBody();
      body.matchFunding![0].evidenceAttachmentId = file.id;
      await applicant.agent.put(`/api/v1/bids/${bid.id}`).send(body).expect(200);
      await applicant.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
      // Edits after submission are not what the panel reads.
      await applicant.agent
        .put(`/api/v1/bids/${bid.id}`)
        .send({ ...body, title: 'An unsubmitted edit' })
        .expect(200);
      test.clock.set(new Date(Date.parse(call.closesAt) + 1000));
      const appraiser = await anAppraiser(test, officer.actor.funderId!);
      await officer.agent
        .put(`/api/v1/calls/${call.id}/panel`)
        .send({ appraiserIds: [appraiser.actor.id] })
        .expect(200);
      await declareNone(appraiser, bid.id);

      const page = await appraiser.agent.get(`/appraisal/bids/${bid.id}`).expect(200);
      const parsed = parsePage(page.text);
      expect(parsed.heading()).to.equal('Working Well Together');
      expect(page.text).not.to.contain('An unsubmitted edit');
      expect(parsed.text()).to.contain('You declared no conflict of interest');
      for (const text of [
        'People with common mental health conditions fall between services.',
        'Management and control',
        'Derby College',
        'Company 01234567',
        '1.1 Access to employment for job-seekers and inactive people',
        '£450,000.00',
        '£1,200,000.00',
        '50.00%',
        'Derby City Council',
        'Unemployed participants into employment',
        'Fills a genuine gap in provision or unmet need',
      ])
        expect(parsed.text(), text).to.contain(text);
      expect(parsed.$(`a[href="/api/v1/bids/${bid.id}/attachments/${file.id}"]`).text()).to.contain(
        'council-letter.pdf',
      );
      const download = await appraiser.agent.get(`/api/v1/bids/${bid.id}/attachments/${file.id}`).expect(200);
      expect(download.headers['content-disposition']).to.contain('attachment');
    });
  });

  describe('scoring', () => {
    it('shows each criterion with its guidance and the 0–5 descriptors', async () => {
      const { appraisers, bidIds } = await aClosedCallWithBids(test);
      await declareNone(appraisers[0], bidIds[0]);
      const page = parsePage((await appraisers[0].agent.get(`/appraisal/bids/${bidIds[0]}/score`).expect(200)).text);
      const text = page.text();
      expect(text).to.contain('Strategic fit');
      expect(text).to.contain('Fit with the D2N2 ESIF strategy');
      expect(text).to.contain('Anticipates the direction of travel');
      const descriptors = ['0 – Unacceptable', '1 – Poor', '2 – Weak', '3 – Satisfactory', '4 – Good', '5 – Excellent'];
      expect(page.texts('label[for^="scores-0-score"]')).to.deep.equal(descriptors);
      expect(page.$('input#scores-0-score').attr('type')).to.equal('radio');
      expect(page.$('textarea#scores-9-comment')).to.have.length(1);
      expect(page.texts('form button[name="action"]')).to.deep.equal(['Save draft', 'Submit scores']);
      expect(page.text('#running-score')).to.contain('Based on your saved scores: none saved yet');
    });

    it('saves a partial draft, low scores without comments included, and shows its weighted score', async () => {
      const { appraisers, bidIds } = await aClosedCallWithBids(test);
      const [appraiser] = appraisers;
      await declareNone(appraiser, bidIds[0]);
      const token = await csrfTokenFrom(appraiser.agent, `/appraisal/bids/${bidIds[0]}/score`);
      // SF 2 (weight 3), VFM 4 (weight 3), the rest left blank: (3×2 + 3×4) ÷ (6×5) = 60%.
      const scores: Record<string, number> = { SF: 2, VFM: 4 };
      const response = await appraiser.agent
        .post(`/appraisal/bids/${bidIds[0]}/score`)
        .type('form')
        .send(sheetForm(token, 'save', (c) => scores[c] ?? ''));
      expect(response.status).to.equal(303);
      const page = parsePage((await appraiser.agent.get(`/appraisal/bids/${bidIds[0]}/score`).expect(200)).text);
      expect(page.successBanner()).to.contain('Your draft scores are saved');
      const running = page.text('#running-score');
      expect(running).to.contain('60%');
      expect(running).to.contain('Based on your saved scores: 2 of 10 criteria scored');
      expect(running).to.contain('Below the minimum score so far: Strategic fit');
      expect(page.checkedIds('scores-0-score')).to.deep.equal(['scores-0-score-2']);
      const sheet = await test.knex('scoreSheets').first();
      expect(sheet.submittedAt).to.equal(null);
    });

    it(
      "refuses to submit a low score without its comment, with the service's message linked to the " + 'comment',
      async () => {
        const { appraisers, bidIds } = await aClosedCallWithBids(test);
        const [appraiser] = appraisers;
        await declareNone(appraiser, bidIds[0]);
        const token = await csrfTokenFrom(appraiser.agent, `/appraisal/bids/${bidIds[0]}/score`);
        const response = await appraiser.agent
          .post(`/appraisal/bids/${bidIds[0]}/score`)
          .type('form')
          .send(sheetForm(token, 'submit', (c) => (c === 'MC' ? 1 : 4)));
        expect(response.status).to.equal(422);
        const page = parsePage(response.text);
        expect(page.errorFor('#scores-2-comment')).to.equal('A score of 1 needs a comment saying why');
        expect(page.checkedIds('scores-2-score')).to.deep.equal(['scores-2-score-1']);
        expect(await test.knex('scoreSheets').count()).to.deep.equal([{ count: 0 }]);
      },
    );

    it('refuses to submit an incomplete sheet, naming each missing score', async () => {
      const { appraisers, bidIds } = await aClosedCallWithBids(test);
      await declareNone(appraisers[0], bidIds[0]);
      const token = await csrfTokenFrom(appraisers[0].agent, `/appraisal/bids/${bidIds[0]}/score`);
      const response = await appraisers[0].agent
        .post(`/appraisal/bids/${bidIds[0]}/score`)
        .type('form')
        .send(sheetForm(token, 'submit', (c) => (c === 'CCT' ? '' : 3)));
      expect(response.status).to.equal(422);
      expect(parsePage(response.text).errorFor('#scores-4-score')).to.equal('Give CCT a score from 0 to 5');
    });

    it('submits a complete sheet once; afterwards the scores are shown, final', async () => {
      const { call, appraisers, bidIds } = await aClosedCallWithBids(test);
      const [appraiser] = appraisers;
      await declareNone(appraiser, bidIds[0]);
      const token = await csrfTokenFrom(appraiser.agent, `/appraisal/bids/${bidIds[0]}/score`);
      const response = await appraiser.agent
        .post(`/appraisal/bids/${bidIds[0]}/score`)
        .type('form')
        .send(
          sheetForm(
            token,
            'submit',
            (c) => (c === 'CCT' ? 2 : 4),
            (c) => (c === 'CCT' ? 'Thin on <equality>' : ''),
          ),
        );
      expect(response.status).to.equal(303);
      expect(response.headers.location).to.equal(`/appraisal/calls/${call.id}`);
      const page = parsePage((await appraiser.agent.get(`/appraisal/bids/${bidIds[0]}/score`).expect(200)).text);
      expect(page.text('.govuk-inset-text')).to.contain('They are final');
      expect(page.text()).to.contain('Thin on <equality>');
      expect(page.$('equality')).to.have.length(0);
      expect(page.text('body')).not.to.contain('Submit scores');
      const sheet = await test.knex('scoreSheets').first();
      expect(sheet.submittedAt).to.be.instanceOf(Date);
      const again = await appraiser.agent
        .post(`/appraisal/bids/${bidIds[0]}/score`)
        .type('form')
        .send(sheetForm(token, 'submit', () => 5));
      expect(again.status).to.equal(409);
    });
  });
});
