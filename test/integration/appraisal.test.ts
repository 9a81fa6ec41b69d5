import { expect } from 'chai';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anAppraiser, anOfficer, anonymous, useTestApp } from '../support/app.ts';
import { aClosedCallWithBids, aScoreSheet, scoreBid, CRITERIA } from '../support/appraisal.ts';
import { snapshot } from '../support/database.ts';

/** A bid one penny under the floor: submitted, fails the gateway. */
function belowFloor() {
  return aBidBody({
    priorities: [
      { code: '1.1', esfPence: 34_999_999 },
      { code: '2.1', esfPence: 15_000_000 },
    ],
    partners: [{ name: 'Lead', type: 'vcs', role: 'lead', esfPence: 49_999_999, matchPence: 60_000_000 }],
    totalEligibleCostPence: 109_999_999,
  });
}

describe('appraisal API', () => {
  const test = useTestApp();

  describe('the panel', () => {
    it('is set once the call has closed, moving it to appraisal', async () => {
      const { officer, call } = await aClosedCallWithBids(test, [aBidBody()], 0);
      const appraiser = await anAppraiser(test, officer.actor.funderId!);
      const response = await officer.agent
        .put(`/api/v1/calls/${call.id}/panel`)
        .send({ appraiserIds: [appraiser.actor.id] })
        .expect(200);
      expect(response.body.panel.map((m: { appraiserId: string }) => m.appraiserId)).to.deep.equal([
        appraiser.actor.id,
      ]);
      expect((await officer.agent.get(`/api/v1/calls/${call.id}`)).body.status).to.equal('appraisal');
    });

    it('cannot be set while the call is open', async () => {
      const officer = await anOfficer(test);
      const appraiser = await anAppraiser(test, officer.actor.funderId!);
      const { body: call } = await officer.agent
        .post('/api/v1/calls')
        .send((await import('../support/builders.ts')).aCallBody())
        .expect(201);
      await officer.agent.post(`/api/v1/calls/${call.id}/publish`).expect(200);
      const response = await officer.agent
        .put(`/api/v1/calls/${call.id}/panel`)
        .send({ appraiserIds: [appraiser.actor.id] });
      expect(response.status).to.equal(409);
    });

    it("takes only appraisers of the officer's own funder", async () => {
      const { officer, call } = await aClosedCallWithBids(test, [aBidBody()], 0);
      const foreign = await anAppraiser(test, (await anOfficer(test)).actor.funderId!);
      const colleague = await anOfficer(test, officer.actor.funderId!);
      const before = await snapshot();
      const response = await officer.agent
        .put(`/api/v1/calls/${call.id}/panel`)
        .send({ appraiserIds: [foreign.actor.id, colleague.actor.id] });
      expect(response.status).to.equal(422);
      expect(response.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal([
        '/appraiserIds/0',
        '/appraiserIds/1',
      ]);
      expect(await snapshot()).to.deep.equal(before);
    });
  });

  describe('conflicts of interest', () => {
    it("keeps a bid's contents from an appraiser until they declare, then shows it", async () => {
      const { appraisers, bidIds } = await aClosedCallWithBids(test);
      const [appraiser] = appraisers;
      const before = await appraiser.agent.get(`/api/v1/bids/${bidIds[0]}`);
      expect(before.status).to.equal(403);
      expect(before.body.error.message).to.match(/Declare whether you have a conflict of interest/);
      expect(
        (await appraiser.agent.get(`/api/v1/bids/${bidIds[0]}/attachments/00000000-0000-4000-8000-000000000000`))
          .status,
      ).to.equal(403);
      await appraiser.agent.post(`/api/v1/bids/${bidIds[0]}/conflict`).send({ conflict: false }).expect(200);
      const after = await appraiser.agent.get(`/api/v1/bids/${bidIds[0]}`).expect(200);
      expect(after.body.narrative.need).to.be.a('string');
    });

    it('hides a bid for good from an appraiser who declares a conflict, and takes it off their list', async () => {
      const { call, appraisers, bidIds } = await aClosedCallWithBids(test, [aBidBody(), aBidBody({ title: 'Other' })]);
      const [appraiser] = appraisers;
      await appraiser.agent
        .post(`/api/v1/bids/${bidIds[0]}/conflict`)
        .send({ conflict: true, details: 'I am a trustee of the lead' })
        .expect(200);
      expect((await appraiser.agent.get(`/api/v1/bids/${bidIds[0]}`)).status).to.equal(404);
      expect(
        (await appraiser.agent.put(`/api/v1/bids/${bidIds[0]}/scores/mine`).send(aScoreSheet(() => 5))).status,
      ).to.equal(404);
      expect(
        (await appraiser.agent.post(`/api/v1/bids/${bidIds[0]}/conflict`).send({ conflict: false })).status,
      ).to.equal(404);
      const list = (await appraiser.agent.get(`/api/v1/calls/${call.id}/bids`).expect(200)).body.items;
      expect(list.map((b: { id: string }) => b.id)).to.deep.equal([bidIds[1]]);
      expect(list[0].appraisal).to.deep.equal({ declared: false, submitted: false, nextStep: 'declare' });
    });

    it('never puts a bid that failed the gateway before the panel', async () => {
      const { call, appraisers, bidIds } = await aClosedCallWithBids(test, [aBidBody(), belowFloor()]);
      const [appraiser] = appraisers;
      const list = (await appraiser.agent.get(`/api/v1/calls/${call.id}/bids`).expect(200)).body.items;
      expect(list.map((b: { id: string }) => b.id)).to.deep.equal([bidIds[0]]);
      expect(
        (await appraiser.agent.post(`/api/v1/bids/${bidIds[1]}/conflict`).send({ conflict: false })).status,
      ).to.equal(404);
    });

    it('records declarations as audit events', async () => {
      const { appraisers, bidIds, officer } = await aClosedCallWithBids(test);
      await appraisers[0].agent.post(`/api/v1/bids/${bidIds[0]}/conflict`).send({ conflict: false }).expect(200);
      const events = (await officer.agent.get(`/api/v1/bids/${bidIds[0]}/audit`).expect(200)).body.items;
      expect(events.map((e: { action: string }) => e.action)).to.include('conflict.declared');
    });
  });

  describe('scoring', () => {
    it('saves a partial draft, refuses an incomplete submission, and takes a full one once', async () => {
      const { appraisers, bidIds } = await aClosedCallWithBids(test);
      const [appraiser] = appraisers;
      const bid = bidIds[0];
      await appraiser.agent.post(`/api/v1/bids/${bid}/conflict`).send({ conflict: false }).expect(200);
      const draft = await appraiser.agent
        .put(`/api/v1/bids/${bid}/scores/mine`)
        .send({ submit: false, scores: [{ criterion: 'SF', score: 4 }] })
        .expect(200);
      expect(draft.body.submittedAt).to.equal(null);
      const incomplete = await appraiser.agent
        .put(`/api/v1/bids/${bid}/scores/mine`)
        .send({ submit: true, scores: [{ criterion: 'SF', score: 4 }] });
      expect(incomplete.status).to.equal(422);
      const full = await appraiser.agent
        .put(`/api/v1/bids/${bid}/scores/mine`)
        .send(aScoreSheet(() => 4))
        .expect(200);
      expect(full.body.submittedAt).to.be.a('string');
      const again = await appraiser.agent.put(`/api/v1/bids/${bid}/scores/mine`).send(aScoreSheet(() => 5));
      expect(again.status).to.equal(409);
      const stored = await test.knex('scores').where({ bidId: bid, appraiserId: appraiser.actor.id });
      expect(stored.every((s) => s.score === 4)).to.equal(true);
    });

    it('requires a comment for a score of 2 or below, and not for 3', async () => {
      const { appraisers, bidIds } = await aClosedCallWithBids(test);
      const [appraiser] = appraisers;
      await appraiser.agent.post(`/api/v1/bids/${bidIds[0]}/conflict`).send({ conflict: false }).expect(200);
      const sheet = aScoreSheet(() => 3);
      sheet.scores[0] = { criterion: 'SF', score: 2 };
      const response = await appraiser.agent.put(`/api/v1/bids/${bidIds[0]}/scores/mine`).send(sheet);
      expect(response.status).to.equal(422);
      expect(response.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal(['/scores/0/comment']);
    });

    it('refuses scores out of range or for unknown criteria', async () => {
      const { appraisers, bidIds } = await aClosedCallWithBids(test);
      const [appraiser] = appraisers;
      await appraiser.agent.post(`/api/v1/bids/${bidIds[0]}/conflict`).send({ conflict: false }).expect(200);
      expect(
        (
          await appraiser.agent
            .put(`/api/v1/bids/${bidIds[0]}/scores/mine`)
            .send({ submit: false, scores: [{ criterion: 'SF', score: 6 }] })
        ).status,
      ).to.equal(422);
      expect(
        (
          await appraiser.agent
            .put(`/api/v1/bids/${bidIds[0]}/scores/mine`)
            .send({ submit: false, scores: [{ criterion: 'SF', score: 3.5 }] })
        ).status,
      ).to.equal(422);
      expect(
        (
          await appraiser.agent
            .put(`/api/v1/bids/${bidIds[0]}/scores/mine`)
            .send({ submit: false, scores: [{ criterion: 'NOPE', score: 3 }] })
        ).status,
      ).to.equal(422);
    });

    it("shows nobody's scores to an appraiser until their own are submitted", async () => {
      const { appraisers, bidIds } = await aClosedCallWithBids(test);
      const [first, second] = appraisers;
      const bid = bidIds[0];
      await scoreBid(first, bid, () => 4);
      await second.agent.post(`/api/v1/bids/${bid}/conflict`).send({ conflict: false }).expect(200);
      await second.agent
        .put(`/api/v1/bids/${bid}/scores/mine`)
        .send(aScoreSheet(() => 2, false))
        .expect(200);
      expect((await second.agent.get(`/api/v1/bids/${bid}/scores`)).status).to.equal(403);
      const firstView = (await first.agent.get(`/api/v1/bids/${bid}/scores`).expect(200)).body;
      expect(firstView.appraisers.map((a: { appraiserId: string }) => a.appraiserId)).to.deep.equal([first.actor.id]);
      await second.agent
        .put(`/api/v1/bids/${bid}/scores/mine`)
        .send(aScoreSheet(() => 2))
        .expect(200);
      const secondView = (await second.agent.get(`/api/v1/bids/${bid}/scores`).expect(200)).body;
      expect(secondView.appraisers).to.have.length(2);
    });

    it('flags criteria where submitted scores differ by 2 or more, and not by 1', async () => {
      const { appraisers, bidIds, officer } = await aClosedCallWithBids(test);
      await scoreBid(appraisers[0], bidIds[0], (c) => (c === 'SF' ? 2 : 4));
      await scoreBid(appraisers[1], bidIds[0], (c) => (c === 'SF' ? 4 : 3));
      const scores = (await officer.agent.get(`/api/v1/bids/${bidIds[0]}/scores`).expect(200)).body;
      const flagged = scores.final
        .filter((f: { flagged: boolean }) => f.flagged)
        .map((f: { criterion: string }) => f.criterion);
      expect(flagged).to.deep.equal(['SF']);
      expect(scores.final.find((f: { criterion: string }) => f.criterion === 'SF').score).to.equal(3);
      expect(scores.final.find((f: { criterion: string }) => f.criterion === 'VFM').score).to.equal(3.5);
    });
  });

  describe('moderation and the weighted score', () => {
    it(
      'computes the weighted score and thresholds from the means, and lets the officer moderate ' + 'with a rationale',
      async () => {
        const { appraisers, bidIds, officer } = await aClosedCallWithBids(test);
        // SF: 2 and 3 → mean 2.5, under its minimum of 3; everything else 4 and 4.
        await scoreBid(appraisers[0], bidIds[0], (c) => (c === 'SF' ? 2 : 4));
        await scoreBid(appraisers[1], bidIds[0], (c) => (c === 'SF' ? 3 : 4));
        let scores = (await officer.agent.get(`/api/v1/bids/${bidIds[0]}/scores`).expect(200)).body;
        // 100 × (3×2.5 + 17×4) ÷ (20×5) = 100 × 75.5 ÷ 100 = 75.5
        expect(scores.weightedScorePercent).to.equal(75.5);
        expect(scores.meetsThresholds).to.equal(false);
        expect(scores.thresholdFailures).to.deep.equal(['SF']);

        const moderated = await officer.agent
          .put(`/api/v1/bids/${bidIds[0]}/moderation`)
          .send({
            scores: [
              {
                criterion: 'SF',
                score: 3,
                rationale: 'The panel agreed the fit with the LEP strategy is satisfactory.',
              },
            ],
          })
          .expect(200);
        scores = moderated.body;
        // 100 × (3×3 + 17×4) ÷ 100 = 77
        expect(scores.weightedScorePercent).to.equal(77);
        expect(scores.meetsThresholds).to.equal(true);
        const event = await test.knex('auditEvents').where({ bidId: bidIds[0], action: 'scores.moderated' }).first();
        expect(event.after).to.deep.equal([
          { criterion: 'SF', score: 3, rationale: 'The panel agreed the fit with the LEP strategy is satisfactory.' },
        ]);
        expect(event.before).to.deep.equal([]);
      },
    );

    it('refuses a moderation without a rationale', async () => {
      const { bidIds, officer } = await aClosedCallWithBids(test);
      const response = await officer.agent
        .put(`/api/v1/bids/${bidIds[0]}/moderation`)
        .send({ scores: [{ criterion: 'SF', score: 3, rationale: ' ' }] });
      expect(response.status).to.equal(422);
      expect(response.body.error.details[0].path).to.equal('/scores/0/rationale');
    });
  });

  describe('the ranking and the funding plans', () => {
    it('ranks scored bids, leaves unfundable ones unranked, and shows both plans', async () => {
      const { appraisers, bidIds, officer, call } = await aClosedCallWithBids(test, [
        aBidBody(),
        aBidBody({ title: 'Second' }),
        belowFloor(),
      ]);
      for (const appraiser of appraisers) {
        await scoreBid(appraiser, bidIds[0], () => 3);
        await scoreBid(appraiser, bidIds[1], () => 4);
      }
      const appraisal = (await officer.agent.get(`/api/v1/calls/${call.id}/appraisal`).expect(200)).body;
      expect(appraisal.bids.map((b: { bidId: string; rank: number | null }) => [b.bidId, b.rank])).to.deep.equal([
        [bidIds[1], 1],
        [bidIds[0], 2],
        [bidIds[2], null],
      ]);
      expect(appraisal.bids.map((b: { weightedScorePercent: number | null }) => b.weightedScorePercent)).to.deep.equal([
        80,
        60,
        null,
      ]);
      // Each bid asks £450,000 of 1.1 and £150,000 of 2.1: 2.1's £400,000 fits two, 1.1's £800,000 only one.
      expect(appraisal.bids.map((b: { recommendation: string }) => b.recommendation)).to.deep.equal([
        'recommended',
        'reserve',
        'not-fundable',
      ]);
      expect(appraisal.fundingPlan.greedy.bidIds).to.deep.equal([bidIds[1]]);
      expect(appraisal.fundingPlan.optimal).to.include({ provenOptimal: true, objective: 'score' });
      expect(appraisal.fundingPlan.optimal.bidIds).to.deep.equal([bidIds[1]]);
      expect(appraisal.fundingPlan.difference).to.include({ scoreGain: 0 });
      const vfm = appraisal.bids[0].valueForMoney;
      // £600,000 ESF over 600 participants = £1,000.00 each; both passing bids are alike, so at the median.
      expect(vfm.esfPerParticipant).to.deep.equal({ pence: 100_000, medianPence: 100_000, versusMedian: 'at' });
      const byParticipants = (
        await officer.agent.get(`/api/v1/calls/${call.id}/appraisal?objective=participants`).expect(200)
      ).body;
      expect(byParticipants.fundingPlan.optimal.objective).to.equal('participants');
      expect((await officer.agent.get(`/api/v1/calls/${call.id}/appraisal?objective=money`)).status).to.equal(422);
    });
  });

  describe('solving a plan once', () => {
    it(
      'keeps a finished optimal plan under its input, finds it again, and solves anew when a score ' + 'changes',
      async () => {
        const { appraisers, bidIds, officer, call } = await aClosedCallWithBids(test, [
          aBidBody(),
          aBidBody({ title: 'Second' }),
        ]);
        for (const appraiser of appraisers) await scoreBid(appraiser, bidIds[0], () => 3);
        await scoreBid(appraisers[0], bidIds[1], () => 4);
        const first = (await officer.agent.get(`/api/v1/calls/${call.id}/appraisal`).expect(200)).body;
        expect(await test.knex('fundingPlanCache').where({ callId: call.id })).to.have.length(1);
        const again = (await officer.agent.get(`/api/v1/calls/${call.id}/appraisal`).expect(200)).body;
        expect(again.fundingPlan.optimal).to.deep.equal(first.fundingPlan.optimal);
        expect(await test.knex('fundingPlanCache').where({ callId: call.id })).to.have.length(1);

        // The second appraiser's scores change the second bid's weighted score: a different input, a new solve.
        await scoreBid(appraisers[1], bidIds[1], () => 2);
        const changed = (await officer.agent.get(`/api/v1/calls/${call.id}/appraisal`).expect(200)).body;
        expect(await test.knex('fundingPlanCache').where({ callId: call.id })).to.have.length(2);
        expect(changed.bids.find((b: { bidId: string }) => b.bidId === bidIds[1]).weightedScorePercent).to.equal(60);
        expect(changed.fundingPlan.optimal.provenOptimal).to.equal(true);
      },
    );
  });

  describe('decisions', () => {
    it('approves, rejects, decides the call, and only then shows the applicant their scores', async () => {
      const { appraisers, bidIds, officer, call, applicants } = await aClosedCallWithBids(test, [
        aBidBody(),
        belowFloor(),
      ]);
      for (const appraiser of appraisers) await scoreBid(appraiser, bidIds[0], () => 4);
      expect((await applicants[0].agent.get(`/api/v1/bids/${bidIds[0]}/scores`)).status).to.equal(403);

      const refused = await officer.agent.post(`/api/v1/bids/${bidIds[1]}/decision`).send({ decision: 'approved' });
      expect(refused.status).to.equal(409);
      expect(refused.body.error.message).to.equal('A bid that failed the gateway is never funded');

      expect(
        (await officer.agent.post(`/api/v1/bids/${bidIds[0]}/decision`).send({ decision: 'approved_with_conditions' }))
          .status,
      ).to.equal(422);
      const unexplained = await officer.agent
        .post(`/api/v1/bids/${bidIds[1]}/decision`)
        .send({ decision: 'rejected', reason: '  ' });
      expect(unexplained.status).to.equal(422);
      expect(unexplained.body.error.details).to.deep.equal([{ path: '/reason', message: 'Must not be blank' }]);
      expect(await test.knex('decisions')).to.deep.equal([]);
      await officer.agent
        .post(`/api/v1/bids/${bidIds[0]}/decision`)
        .send({ decision: 'approved_with_conditions', conditions: 'Secure the pending in-kind match by month 3.' })
        .expect(200);
      expect((await officer.agent.get(`/api/v1/calls/${call.id}`)).body.status).to.equal('appraisal');
      await officer.agent
        .post(`/api/v1/bids/${bidIds[1]}/decision`)
        .send({ decision: 'rejected', reason: 'Below the £500,000 floor.' })
        .expect(200);
      expect((await officer.agent.get(`/api/v1/calls/${call.id}`)).body.status).to.equal('decided');
      expect(
        (
          await officer.agent
            .post(`/api/v1/bids/${bidIds[0]}/decision`)
            .send({ decision: 'rejected', reason: 'Changed our mind' })
        ).status,
      ).to.equal(409);

      const own = (await applicants[0].agent.get(`/api/v1/bids/${bidIds[0]}`).expect(200)).body;
      expect(own.status).to.equal('approved_with_conditions');
      expect(own.decision).to.include({
        decision: 'approved_with_conditions',
        conditions: 'Secure the pending in-kind match by month 3.',
      });
      const scores = (await applicants[0].agent.get(`/api/v1/bids/${bidIds[0]}/scores`).expect(200)).body;
      expect(scores.weightedScorePercent).to.equal(80);
      expect(scores.appraisers.every((a: { appraiserId: string | null }) => a.appraiserId === null)).to.equal(true);
    });

    it('refuses approval of a bid below a quality threshold', async () => {
      const { appraisers, bidIds, officer } = await aClosedCallWithBids(test);
      for (const appraiser of appraisers) await scoreBid(appraiser, bidIds[0], (c) => (c === 'MC' ? 2 : 4));
      const response = await officer.agent.post(`/api/v1/bids/${bidIds[0]}/decision`).send({ decision: 'approved' });
      expect(response.status).to.equal(409);
      expect(response.body.error.message).to.contain('MC');
    });

    it(
      "keeps the audit trail of a bid: all of it for officers, the organisation's own and its " +
        'decision for the applicant',
      async () => {
        const { appraisers, bidIds, officer, applicants } = await aClosedCallWithBids(test);
        for (const appraiser of appraisers) await scoreBid(appraiser, bidIds[0], () => 4);
        await officer.agent.post(`/api/v1/bids/${bidIds[0]}/decision`).send({ decision: 'approved' }).expect(200);
        const all = (await officer.agent.get(`/api/v1/bids/${bidIds[0]}/audit`).expect(200)).body.items;
        expect(all.map((e: { action: string }) => e.action)).to.deep.equal([
          'bid.created',
          'bid.submitted',
          'mail.queued',
          'conflict.declared',
          'scores.submitted',
          'conflict.declared',
          'scores.submitted',
          'bid.decided',
        ]);
        const decided = all.at(-1);
        expect(decided.before).to.deep.equal({ status: 'submitted' });
        expect(decided.after.status).to.equal('approved');
        const own = (await applicants[0].agent.get(`/api/v1/bids/${bidIds[0]}/audit`).expect(200)).body.items;
        expect(own.map((e: { action: string }) => e.action)).to.deep.equal([
          'bid.created',
          'bid.submitted',
          'bid.decided',
        ]);
      },
    );
  });

  describe('who may do what', () => {
    it('refuses every appraisal endpoint to those who may not use it', async () => {
      const { appraisers, bidIds, officer, call, applicants } = await aClosedCallWithBids(test);
      const bid = bidIds[0];
      const outsiderOfficer = await anOfficer(test);
      const offPanel = await anAppraiser(test, officer.actor.funderId!);
      const stranger = await anApplicant(test);
      const nobody = anonymous(test);
      const sheet = aScoreSheet(() => 4);
      const moderation = { scores: [{ criterion: 'SF', score: 3, rationale: 'x' }] };
      const before = await snapshot();
      const cases: [string, Promise<{ status: number }>, number][] = [
        ['panel anonymous', nobody.put(`/api/v1/calls/${call.id}/panel`).send({ appraiserIds: [] }), 401],
        [
          'panel applicant',
          applicants[0].agent.put(`/api/v1/calls/${call.id}/panel`).send({ appraiserIds: [offPanel.actor.id] }),
          403,
        ],
        [
          'panel appraiser',
          appraisers[0].agent.put(`/api/v1/calls/${call.id}/panel`).send({ appraiserIds: [offPanel.actor.id] }),
          403,
        ],
        [
          'panel other funder',
          outsiderOfficer.agent.put(`/api/v1/calls/${call.id}/panel`).send({ appraiserIds: [offPanel.actor.id] }),
          404,
        ],
        ['conflict anonymous', nobody.post(`/api/v1/bids/${bid}/conflict`).send({ conflict: false }), 401],
        ['conflict applicant', applicants[0].agent.post(`/api/v1/bids/${bid}/conflict`).send({ conflict: false }), 403],
        ['conflict officer', officer.agent.post(`/api/v1/bids/${bid}/conflict`).send({ conflict: false }), 403],
        ['conflict off panel', offPanel.agent.post(`/api/v1/bids/${bid}/conflict`).send({ conflict: false }), 404],
        ['scores/mine off panel', offPanel.agent.put(`/api/v1/bids/${bid}/scores/mine`).send(sheet), 404],
        ['scores/mine officer', officer.agent.put(`/api/v1/bids/${bid}/scores/mine`).send(sheet), 403],
        ['scores/mine applicant', applicants[0].agent.put(`/api/v1/bids/${bid}/scores/mine`).send(sheet), 403],
        ['scores/mine undeclared', appraisers[0].agent.put(`/api/v1/bids/${bid}/scores/mine`).send(sheet), 403],
        ['scores anonymous', nobody.get(`/api/v1/bids/${bid}/scores`), 401],
        ['scores stranger', stranger.agent.get(`/api/v1/bids/${bid}/scores`), 404],
        ['scores off panel', offPanel.agent.get(`/api/v1/bids/${bid}/scores`), 404],
        ['scores other funder', outsiderOfficer.agent.get(`/api/v1/bids/${bid}/scores`), 404],
        ['moderation appraiser', appraisers[0].agent.put(`/api/v1/bids/${bid}/moderation`).send(moderation), 403],
        ['moderation applicant', applicants[0].agent.put(`/api/v1/bids/${bid}/moderation`).send(moderation), 403],
        ['moderation other funder', outsiderOfficer.agent.put(`/api/v1/bids/${bid}/moderation`).send(moderation), 404],
        ['appraisal anonymous', nobody.get(`/api/v1/calls/${call.id}/appraisal`), 401],
        ['appraisal applicant', applicants[0].agent.get(`/api/v1/calls/${call.id}/appraisal`), 403],
        ['appraisal appraiser', appraisers[0].agent.get(`/api/v1/calls/${call.id}/appraisal`), 403],
        ['appraisal other funder', outsiderOfficer.agent.get(`/api/v1/calls/${call.id}/appraisal`), 404],
        [
          'decision applicant',
          applicants[0].agent.post(`/api/v1/bids/${bid}/decision`).send({ decision: 'rejected', reason: 'x' }),
          403,
        ],
        [
          'decision appraiser',
          appraisers[0].agent.post(`/api/v1/bids/${bid}/decision`).send({ decision: 'rejected', reason: 'x' }),
          403,
        ],
        [
          'decision other funder',
          outsiderOfficer.agent.post(`/api/v1/bids/${bid}/decision`).send({ decision: 'rejected', reason: 'x' }),
          404,
        ],
        ['audit anonymous', nobody.get(`/api/v1/bids/${bid}/audit`), 401],
        ['audit stranger', stranger.agent.get(`/api/v1/bids/${bid}/audit`), 404],
        ['audit other funder', outsiderOfficer.agent.get(`/api/v1/bids/${bid}/audit`), 404],
        ['bids list off panel', offPanel.agent.get(`/api/v1/calls/${call.id}/bids`), 404],
      ];
      for (const [name, request, expected] of cases) expect((await request).status, name).to.equal(expected);
      expect(await snapshot()).to.deep.equal(before);
      expect(CRITERIA).to.have.length(10);
    });
  });
});
