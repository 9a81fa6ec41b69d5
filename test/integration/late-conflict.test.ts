import { expect } from 'chai';
import { aBidBody } from '../support/builders.ts';
import { useTestApp, type TestApp } from '../support/app.ts';
import { aClosedCallWithBids, scoreBid, type ClosedCall } from '../support/appraisal.ts';
import { parsePage } from '../support/pages.ts';
import { dataRows, downloadWorkbook } from '../support/workbook.ts';

/**
 * Two bids, both scored by both appraisers: the first 5 by Amy (2 on SF) and 3 by Ben (4 on SF), 77%, the
 * second 3 by Amy and 4 by Ben (3.5, 70%). Only one fits priority 1.1, so the first is ranked and funded. Then Amy
 * declares a conflict on the first bid: Ben's scores alone (63%) put it second, behind the other bid.
 */
async function aLateConflict(test: TestApp): Promise<ClosedCall & { amy: ClosedCall['appraisers'][number] }> {
  const closed = await aClosedCallWithBids(test, [aBidBody(), aBidBody({ title: 'Second' })]);
  const [amy, ben] = closed.appraisers;
  await test.knex('users').where({ id: amy.actor.id }).update({ name: 'Amy Late' });
  await test.knex('users').where({ id: ben.actor.id }).update({ name: 'Ben Steady' });
  await scoreBid(amy, closed.bidIds[0], (c) => (c === 'SF' ? 2 : 5));
  await scoreBid(ben, closed.bidIds[0], (c) => (c === 'SF' ? 4 : 3));
  await scoreBid(amy, closed.bidIds[1], () => 3);
  await scoreBid(ben, closed.bidIds[1], () => 4);
  return { ...closed, amy };
}

/** Declares Amy's conflict on the first bid, after her scores were submitted. */
async function declareLate(closed: ClosedCall & { amy: ClosedCall['appraisers'][number] }): Promise<void> {
  await closed.amy.agent
    .post(`/api/v1/bids/${closed.bidIds[0]}/conflict`)
    .send({ conflict: true, details: 'I found I advise the lead partner' })
    .expect(200);
}

describe('a conflict declared after scoring', function () {
  // Each builds a scored call through the API: a shared, loaded machine takes more than the default.
  this.timeout(60_000);
  const test = useTestApp();

  it("takes the appraiser's scores out of the bid's final scores and flags, and keeps them stored", async () => {
    const closed = await aLateConflict(test);
    const { officer, bidIds, amy, appraisers } = closed;
    const before = (await officer.agent.get(`/api/v1/bids/${bidIds[0]}/scores`).expect(200)).body;
    expect(before.appraisers).to.have.length(2);
    expect(before.final.find((f: { criterion: string }) => f.criterion === 'SF')).to.include({
      score: 3,
      flagged: true,
    });
    // 100 × (3×3 + 17×4) ÷ 100
    expect(before.weightedScorePercent).to.equal(77);

    await declareLate(closed);
    const after = (await officer.agent.get(`/api/v1/bids/${bidIds[0]}/scores`).expect(200)).body;
    expect(after.appraisers.map((a: { appraiserId: string }) => a.appraiserId)).to.deep.equal([appraisers[1].actor.id]);
    expect(after.final.find((f: { criterion: string }) => f.criterion === 'SF')).to.include({
      score: 4,
      flagged: false,
    });
    expect(after.final.find((f: { criterion: string }) => f.criterion === 'VFM')).to.include({
      score: 3,
      flagged: false,
    });
    // 100 × (3×4 + 17×3) ÷ 100
    expect(after.weightedScorePercent).to.equal(63);
    // Ben, still on the bid, sees the same: Amy's sheet no longer counts for anyone.
    const bens = (await appraisers[1].agent.get(`/api/v1/bids/${bidIds[0]}/scores`).expect(200)).body;
    expect(bens.appraisers).to.have.length(1);
    expect(await test.knex('scores').where({ bidId: bidIds[0], appraiserId: amy.actor.id })).to.have.length(10);
    expect(
      (await test.knex('scoreSheets').where({ bidId: bidIds[0], appraiserId: amy.actor.id }).first()).submittedAt,
    ).to.be.instanceOf(Date);
  });

  it('reorders the ranking and both funding plans, and solves the plan anew', async () => {
    const closed = await aLateConflict(test);
    const { officer, call, bidIds } = closed;
    const before = (await officer.agent.get(`/api/v1/calls/${call.id}/appraisal`).expect(200)).body;
    expect(before.bids.map((b: { bidId: string; rank: number }) => [b.bidId, b.rank])).to.deep.equal([
      [bidIds[0], 1],
      [bidIds[1], 2],
    ]);
    expect(before.fundingPlan.greedy.bidIds).to.deep.equal([bidIds[0]]);
    expect(before.fundingPlan.optimal.bidIds).to.deep.equal([bidIds[0]]);

    await declareLate(closed);
    const after = (await officer.agent.get(`/api/v1/calls/${call.id}/appraisal`).expect(200)).body;
    expect(after.bids.map((b: { bidId: string; rank: number }) => [b.bidId, b.rank])).to.deep.equal([
      [bidIds[1], 1],
      [bidIds[0], 2],
    ]);
    expect(after.bids.map((b: { weightedScorePercent: number }) => b.weightedScorePercent)).to.deep.equal([70, 63]);
    expect(after.bids.map((b: { recommendation: string }) => b.recommendation)).to.deep.equal([
      'recommended',
      'reserve',
    ]);
    expect(after.fundingPlan.greedy.bidIds).to.deep.equal([bidIds[1]]);
    expect(after.fundingPlan.optimal.bidIds).to.deep.equal([bidIds[1]]);
    expect(await test.knex('fundingPlanCache').where({ callId: call.id })).to.have.length(2);
  });

  it(
    "leaves the appraiser's scores out of the workbook's Scores sheet and Summary, and in its " + 'Audit sheet',
    async () => {
      const closed = await aLateConflict(test);
      const { bidIds } = closed;
      await declareLate(closed);
      const { workbook } = await downloadWorkbook(closed.officer.agent, closed.call.id);
      const first = (await test.knex('bids').where({ id: bidIds[0] }).first()).reference;
      const scores = dataRows(workbook.getWorksheet('Scores')!).filter((row) => row[0] === first);
      expect(scores).to.have.length(10);
      expect(new Set(scores.map((row) => row[6]))).to.deep.equal(new Set(['Ben Steady']));
      const summary = dataRows(workbook.getWorksheet('Summary')!);
      const line = summary.find((row) => row[1] === first)!;
      expect(line[0]).to.equal(2);
      expect(line[13]).to.equal(4); // SF: Ben's 4 alone, not the mean 3 with Amy's 2
      expect(line[23]).to.equal(0.63);
      const audit = dataRows(workbook.getWorksheet('Audit')!)
        .filter((row) => row[0] === first)
        .map((row) => row.join(' '));
      expect(audit.filter((text) => text.includes('scores.submitted'))).to.have.length(2);
      expect(audit.some((text) => text.includes('scores.set-aside'))).to.equal(true);
    },
  );

  it('keeps the audit trail and records the scores set aside', async () => {
    const closed = await aLateConflict(test);
    const { officer, bidIds, amy } = closed;
    await declareLate(closed);
    const events = (await officer.agent.get(`/api/v1/bids/${bidIds[0]}/audit`).expect(200)).body.items;
    const amys = events.filter((e: { actor: { id?: string } }) => e.actor.id === amy.actor.id);
    expect(amys.map((e: { action: string }) => e.action)).to.deep.equal([
      'conflict.declared',
      'scores.submitted',
      'conflict.declared',
      'scores.set-aside',
    ]);
    expect(amys[1].after.scores).to.have.length(10);
    expect(amys[3].before).to.include({ counted: true });
    expect(amys[3].after).to.include({ counted: false });
    // The applicant sees neither the appraiser's declaration nor the set-aside.
    const own = (await closed.applicants[0].agent.get(`/api/v1/bids/${bidIds[0]}/audit`).expect(200)).body.items;
    expect(own.map((e: { action: string }) => e.action)).to.not.include('scores.set-aside');
  });

  it('records no set-aside for a conflict declared before any scores were submitted', async () => {
    const { appraisers, bidIds } = await aClosedCallWithBids(test);
    await appraisers[0].agent.post(`/api/v1/bids/${bidIds[0]}/conflict`).send({ conflict: false }).expect(200);
    await appraisers[0].agent
      .put(`/api/v1/bids/${bidIds[0]}/scores/mine`)
      .send({ submit: false, scores: [{ criterion: 'SF', score: 4 }] })
      .expect(200);
    await appraisers[0].agent.post(`/api/v1/bids/${bidIds[0]}/conflict`).send({ conflict: true }).expect(200);
    expect(await test.knex('auditEvents').where({ bidId: bidIds[0], action: 'scores.set-aside' })).to.have.length(0);
  });

  it('tells the officer on the bid and moderation pages, and never shows a negative count still to score', async () => {
    const closed = await aLateConflict(test);
    const { officer, call, bidIds } = closed;
    await declareLate(closed);

    const panel = parsePage((await officer.agent.get(`/officer/calls/${call.id}/panel`).expect(200)).text);
    const progress = panel.tableRows('table.govuk-table');
    // Appraiser, Submitted, Drafts, Still to score, Not yet declared, Conflicts.
    expect(progress).to.deep.equal([
      ['Amy Late', '1', '0', '0', '0', '1'],
      ['Ben Steady', '2', '0', '0', '0', '0'],
    ]);

    for (const path of [`/officer/bids/${bidIds[0]}`, `/officer/bids/${bidIds[0]}/moderate`]) {
      const page = parsePage((await officer.agent.get(path).expect(200)).text);
      const notice = page.text('[data-set-aside-scores]');
      expect(notice, path).to.contain('Amy Late’s scores are set aside');
      expect(notice, path).to.contain('declared a conflict of interest');
    }
    const bidPage = parsePage((await officer.agent.get(`/officer/bids/${bidIds[0]}`).expect(200)).text);
    expect(bidPage.text()).to.contain('1 appraiser has submitted');
    const moderate = parsePage((await officer.agent.get(`/officer/bids/${bidIds[0]}/moderate`).expect(200)).text);
    expect(moderate.texts('table tbody th')).to.not.include('Appraiser 2');
    const other = parsePage((await officer.agent.get(`/officer/bids/${bidIds[1]}`).expect(200)).text);
    expect(other.$('[data-set-aside-scores]')).to.have.length(0);
  });
});
