/**
 * Clarifications after the deadline: an officer asks the lead a question on named sections with a reply-by instant;
 * the lead's answer is a new immutable version with its own receipt and gateway result, which the panel appraises
 * from then on; older versions stay readable, with what changed.
 */
import { expect } from 'chai';
import { sha256Hex } from '../../server/bids/receipt.ts';
import { anApplicant, anOfficer, useTestApp } from '../support/app.ts';
import { aClosedCallWithBids, scoreBid, type ClosedCall } from '../support/appraisal.ts';
import { aBidBody } from '../support/builders.ts';
import { snapshot } from '../support/database.ts';
import { aPng } from '../support/files.ts';

const HOUR = 3600 * 1000;

describe('clarifications after the deadline', function () {
  this.timeout(30_000);
  const test = useTestApp();

  /** The officer asks about `sections`, due an hour from the test clock's now unless `respondBy` is given. */
  async function ask(closed: ClosedCall, sections: string[], respondBy?: string, bidId = closed.bidIds[0]) {
    const due = respondBy ?? new Date(test.clock.now().getTime() + HOUR).toISOString();
    return (
      await closed.officer.agent
        .post(`/api/v1/bids/${bidId}/clarifications`)
        .send({ question: 'Your budget does not add up: please confirm the total.', sections, respondBy: due })
        .expect(201)
    ).body;
  }

  it('asks on named sections, and the answer is a new appraised version with its own receipt and gateway', async () => {
    const closed = await aClosedCallWithBids(test);
    const [bidId] = closed.bidIds;
    const [lead] = closed.applicants;
    const clarification = await ask(closed, ['budget', 'match-funding']);
    expect(clarification).to.include({ status: 'open' });
    expect(clarification.sections).to.deep.equal(['budget', 'match-funding']);
    expect(clarification.id).to.be.a('string');

    const listed = (await lead.agent.get(`/api/v1/bids/${bidId}/clarifications`).expect(200)).body.items;
    expect(listed.map((c: { id: string; status: string }) => [c.id, c.status])).to.deep.equal([
      [clarification.id, 'open'],
    ]);

    const body = aBidBody();
    const answer = await lead.agent
      .post(`/api/v1/bids/${bidId}/clarifications/${clarification.id}/answer`)
      .send({
        answer: 'The total was mistyped; the council confirmed its match in writing.',
        changes: {
          priorities: [
            { code: '1.1', esfPence: 50_000_000 },
            { code: '2.1', esfPence: 10_000_000 },
          ],
          matchFunding: body.matchFunding!.map((line) => ({ ...line, status: 'secured' })),
        },
      })
      .expect(200);
    expect(answer.body.version).to.equal(2);
    expect(answer.body.receipt).to.include({ version: 2 });
    expect(answer.body.gateway.passed).to.equal(true);
    // The version is stored as its receipt says, and is one of kind clarification.
    const stored = await test.knex('bidVersions').where({ bidId, version: 2 }).first();
    expect(stored.kind).to.equal('clarification');
    expect(sha256Hex(stored.canonicalJson)).to.equal(answer.body.receipt.sha256);
    expect(JSON.parse(stored.canonicalJson).fields.priorities[0]).to.deep.equal({ code: '1.1', esfPence: 50_000_000 });

    const versions = (await closed.officer.agent.get(`/api/v1/bids/${bidId}/versions`).expect(200)).body.items;
    expect(
      versions.map((v: { version: number; kind: string; appraised: boolean }) => [v.version, v.kind, v.appraised]),
    ).to.deep.equal([
      [1, 'submission', false],
      [2, 'clarification', true],
    ]);
    const { changes } = (await closed.officer.agent.get(`/api/v1/bids/${bidId}/versions/1/changes/2`).expect(200)).body;
    expect(changes).to.deep.equal([
      { path: '/matchFunding/1/status', before: 'pending', after: 'secured' },
      { path: '/priorities/0/esfPence', before: 45_000_000, after: 50_000_000 },
      { path: '/priorities/1/esfPence', before: 15_000_000, after: 10_000_000 },
    ]);

    // Everyone but the lead sees the answered version; the older one stays readable.
    const read = (await closed.officer.agent.get(`/api/v1/bids/${bidId}`).expect(200)).body;
    expect(read.version).to.equal(2);
    expect(read.matchFunding[1].status).to.equal('secured');
    const first = (await closed.officer.agent.get(`/api/v1/bids/${bidId}/versions/1`).expect(200)).body;
    expect(first.content.fields.matchFunding[1].status).to.equal('pending');
    const after = (await lead.agent.get(`/api/v1/bids/${bidId}/clarifications`).expect(200)).body.items[0];
    expect(after).to.include({ status: 'answered', answeredVersion: 2 });
    expect(after.answer).to.match(/mistyped/);
    const actions = (await test.knex('auditEvents').where({ bidId }).orderBy('id')).map((e) => e.action);
    expect(actions).to.include.members(['clarification.raised', 'clarification.answered']);
  });

  it('takes an answer at the reply-by instant, refuses one 1 ms after, and refuses a second answer', async () => {
    const closed = await aClosedCallWithBids(test);
    const [bidId] = closed.bidIds;
    const [lead] = closed.applicants;
    const respondBy = new Date(test.clock.now().getTime() + HOUR);
    const late = await ask(closed, ['details'], respondBy.toISOString());
    test.clock.set(new Date(respondBy.getTime() + 1));
    const before = await snapshot();
    const refused = await lead.agent
      .post(`/api/v1/bids/${bidId}/clarifications/${late.id}/answer`)
      .send({ answer: 'Too late', changes: { title: 'A new title' } })
      .expect(409);
    expect(refused.body.error.message).to.match(/reply was due/);
    expect(await snapshot()).to.deep.equal(before);
    const lapsed = (await lead.agent.get(`/api/v1/bids/${bidId}/clarifications`).expect(200)).body.items[0];
    expect(lapsed.status).to.equal('lapsed');

    // A lapsed question leaves room for another; its answer at the very instant is in time.
    const dueAt = new Date(test.clock.now().getTime() + HOUR);
    const onTime = await ask(closed, ['details'], dueAt.toISOString());
    test.clock.set(dueAt);
    await lead.agent
      .post(`/api/v1/bids/${bidId}/clarifications/${onTime.id}/answer`)
      .send({ answer: 'Renamed', changes: { title: 'Working Well Together in Derby' } })
      .expect(200);
    const again = await lead.agent
      .post(`/api/v1/bids/${bidId}/clarifications/${onTime.id}/answer`)
      .send({ answer: 'Again', changes: { title: 'Another' } })
      .expect(409);
    expect(again.body.error.message).to.match(/has been answered/);
    expect(await test.knex('bidVersions').where({ bidId }).count('* as n').first()).to.deep.equal({ n: 2 });
  });

  it('makes exactly one version of ten answers sent at once', async () => {
    const closed = await aClosedCallWithBids(test);
    const [bidId] = closed.bidIds;
    const [lead] = closed.applicants;
    const clarification = await ask(closed, ['details']);
    const statuses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        lead.agent
          .post(`/api/v1/bids/${bidId}/clarifications/${clarification.id}/answer`)
          .send({ answer: `Answer ${i}`, changes: { title: `Title ${i}` } })
          .then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 200)).to.have.length(1);
    expect(statuses.filter((s) => s === 409)).to.have.length(9);
    const versions = await test.knex('bidVersions').where({ bidId }).orderBy('version');
    expect(versions.map((v) => v.version)).to.deep.equal([1, 2]);
    const answered = await test.knex('clarifications').where({ id: clarification.id }).first();
    expect(JSON.parse(versions[1].canonicalJson).fields.title).to.equal(`Title ${answered.answer.split(' ')[1]}`);
  });

  it('refuses a field outside the named sections with its path, and changes nothing', async () => {
    const closed = await aClosedCallWithBids(test);
    const [bidId] = closed.bidIds;
    const clarification = await ask(closed, ['budget']);
    const before = await snapshot();
    const refused = await closed.applicants[0].agent
      .post(`/api/v1/bids/${bidId}/clarifications/${clarification.id}/answer`)
      .send({ answer: 'Fixed', changes: { totalEligibleCostPence: 120_000_000, title: 'Sneaked in' } })
      .expect(422);
    expect(refused.body.error.details).to.deep.equal([
      { path: '/changes/title', message: 'title is not in the sections the clarification asked about (budget)' },
    ]);
    expect(await snapshot()).to.deep.equal(before);
    // A change inside the section that breaks the bid's schema is pointed at within the changes too.
    const invalid = await closed.applicants[0].agent
      .post(`/api/v1/bids/${bidId}/clarifications/${clarification.id}/answer`)
      .send({ answer: 'Fixed', changes: { totalEligibleCostPence: -5 } })
      .expect(422);
    expect(invalid.body.error.details[0].path).to.equal('/changes/totalEligibleCostPence');
    expect(await snapshot()).to.deep.equal(before);
  });

  it("keeps the partners' ids, organisations and completion from the appraised version, not the answer's", async () => {
    const closed = await aClosedCallWithBids(test);
    const [bidId] = closed.bidIds;
    const clarification = await ask(closed, ['partners']);
    const lead = closed.applicants[0];
    const stored = (await lead.agent.get(`/api/v1/bids/${bidId}`).expect(200)).body.partners as {
      id: string;
      role: string;
      organisationId: string | null;
      completedAt: string | null;
      name: string;
    }[];
    const delivery = stored.findIndex((p) => p.role === 'delivery');
    expect(delivery).to.be.greaterThan(-1);
    // Another organisation, named as if it had joined, and its part as if completed: neither is the answer's to say.
    const other = await anApplicant(test);
    const sent = stored.map((p, i) =>
      i === delivery
        ? {
            ...p,
            name: 'Renamed partner',
            organisationId: other.actor.organisationId,
            completedAt: '2026-01-01T00:00:00.000Z',
          }
        : p,
    );
    await lead.agent
      .post(`/api/v1/bids/${bidId}/clarifications/${clarification.id}/answer`)
      .send({ answer: 'Renamed', changes: { partners: sent } })
      .expect(200);
    const { rows } = await test.knex.raw(
      `select canonical_json from bid_versions where bid_id = ? order by version desc limit 1`,
      [bidId],
    );
    const versionPartners = JSON.parse(rows[0].canonical_json).fields.partners;
    const draftPartners = (await lead.agent.get(`/api/v1/bids/${bidId}`).expect(200)).body.partners;
    for (const partners of [versionPartners, draftPartners]) {
      expect(partners[delivery].name).to.equal('Renamed partner');
      expect(partners[delivery].id).to.equal(stored[delivery].id);
      expect(partners[delivery].organisationId).to.equal(stored[delivery].organisationId);
      expect(partners[delivery].completedAt).to.equal(stored[delivery].completedAt);
    }
    // The other organisation is not made a partner of the bid by it.
    await other.agent.get(`/api/v1/bids/${bidId}`).expect(404);
  });

  it('refuses a question on an open call, a decided bid, a reply-by in the past, or a second open one', async () => {
    const officer = await anOfficer(test);
    const { aPublishedCall } = await import('../support/app.ts');
    const call = await aPublishedCall(officer);
    const applicant = await anApplicant(test);
    const bid = (await applicant.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody()).expect(201)).body;
    await applicant.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
    const open = await officer.agent
      .post(`/api/v1/bids/${bid.id}/clarifications`)
      .send({ question: 'Why?', sections: ['details'], respondBy: new Date(Date.now() + HOUR).toISOString() })
      .expect(409);
    expect(open.body.error.message).to.equal('Clarifications are asked once the call has closed; this call is open');

    const closed = await aClosedCallWithBids(test, [aBidBody(), aBidBody()]);
    const soon = new Date(test.clock.now().getTime() + HOUR).toISOString();
    const past = await closed.officer.agent
      .post(`/api/v1/bids/${closed.bidIds[0]}/clarifications`)
      .send({ question: 'Why?', sections: ['details'], respondBy: test.clock.now().toISOString() })
      .expect(422);
    expect(past.body.error.details).to.deep.equal([
      { path: '/respondBy', message: 'The reply-by date and time must be in the future' },
    ]);
    await closed.officer.agent
      .post(`/api/v1/bids/${closed.bidIds[0]}/decision`)
      .send({ decision: 'rejected', reason: 'Outside the priorities' })
      .expect(200);
    const decided = await closed.officer.agent
      .post(`/api/v1/bids/${closed.bidIds[0]}/clarifications`)
      .send({ question: 'Why?', sections: ['details'], respondBy: soon })
      .expect(409);
    expect(decided.body.error.message).to.equal('The bid has had its decision; it can no longer be clarified');
    await ask(closed, ['details'], undefined, closed.bidIds[1]);
    const second = await closed.officer.agent
      .post(`/api/v1/bids/${closed.bidIds[1]}/clarifications`)
      .send({ question: 'And?', sections: ['details'], respondBy: soon })
      .expect(409);
    expect(second.body.error.message).to.match(/already has a clarification/);
    const unknownSection = await closed.officer.agent
      .post(`/api/v1/bids/${closed.bidIds[1]}/clarifications`)
      .send({ question: 'And?', sections: ['budgets'], respondBy: soon })
      .expect(422);
    expect(unknownSection.body.error.details[0].path).to.equal('/sections/0');
  });

  it('moves the appraised version: a bid failing the gateway, fixed by its answer, is ranked and planned', async () => {
    // £600,000 ESF against £1,100,000 total: over the 50% rate, and the match does not add up.
    const closed = await aClosedCallWithBids(test, [aBidBody(), aBidBody({ totalEligibleCostPence: 110_000_000 })]);
    const [good, failing] = closed.bidIds;
    const ranking = async () =>
      (await closed.officer.agent.get(`/api/v1/calls/${closed.call.id}/appraisal`).expect(200)).body;
    expect((await ranking()).bids.find((b: { bidId: string }) => b.bidId === failing).gatewayPassed).to.equal(false);
    const clarification = await ask(closed, ['budget'], undefined, failing);
    const answer = await closed.applicants[1].agent
      .post(`/api/v1/bids/${failing}/clarifications/${clarification.id}/answer`)
      .send({ answer: 'The total is £1,200,000', changes: { totalEligibleCostPence: 120_000_000 } })
      .expect(200);
    expect(answer.body.gateway.passed).to.equal(true);
    for (const appraiser of closed.appraisers) {
      await scoreBid(appraiser, good, () => 3);
      await scoreBid(appraiser, failing, () => 5);
    }
    const after = await ranking();
    const fixed = after.bids.find((b: { bidId: string }) => b.bidId === failing);
    expect(fixed).to.include({ gatewayPassed: true, rank: 1 });
    expect(after.fundingPlan.greedy.bidIds[0]).to.equal(failing);
  });

  it('marks a score sheet submitted on an earlier version, and tells the officer who scored which', async () => {
    const closed = await aClosedCallWithBids(test);
    const [bidId] = closed.bidIds;
    const [early, late] = closed.appraisers;
    await scoreBid(early, bidId, () => 4);
    const clarification = await ask(closed, ['details']);
    await closed.applicants[0].agent
      .post(`/api/v1/bids/${bidId}/clarifications/${clarification.id}/answer`)
      .send({ answer: 'Renamed', changes: { summary: 'A clearer summary of the partnership.' } })
      .expect(200);
    await scoreBid(late, bidId, () => 3);
    const scores = (await closed.officer.agent.get(`/api/v1/bids/${bidId}/scores`).expect(200)).body;
    expect(scores.appraisedVersion).to.equal(2);
    const byAppraiser = Object.fromEntries(
      scores.appraisers.map((a: { appraiserId: string; version: number; onEarlierVersion: boolean }) => [
        a.appraiserId,
        [a.version, a.onEarlierVersion],
      ]),
    );
    expect(byAppraiser).to.deep.equal({ [early.actor.id]: [1, true], [late.actor.id]: [2, false] });
    const own = (await early.agent.get(`/api/v1/bids/${bidId}/scores/mine`).expect(200)).body;
    expect(own).to.include({ submittedVersion: 1, appraisedVersion: 2, onEarlierVersion: true });
  });

  it('includes files uploaded while a documents clarification is open, and refuses them otherwise', async () => {
    const closed = await aClosedCallWithBids(test);
    const [bidId] = closed.bidIds;
    const [lead] = closed.applicants;
    const refused = await lead.agent.post(`/api/v1/bids/${bidId}/attachments`).attach('file', aPng(), 'a.png');
    expect(refused.status).to.equal(409);
    const clarification = await ask(closed, ['documents']);
    const file = (
      await lead.agent.post(`/api/v1/bids/${bidId}/attachments`).attach('file', aPng(), 'plan.png').expect(201)
    ).body;
    // Not the panel's to see until it is part of an answered version.
    await closed.officer.agent.get(`/api/v1/bids/${bidId}/attachments/${file.id}`).expect(404);
    await lead.agent
      .post(`/api/v1/bids/${bidId}/clarifications/${clarification.id}/answer`)
      .send({ answer: 'The delivery plan is attached' })
      .expect(200);
    await closed.officer.agent.get(`/api/v1/bids/${bidId}/attachments/${file.id}`).expect(200);
    const { changes } = (await lead.agent.get(`/api/v1/bids/${bidId}/versions/1/changes/2`).expect(200)).body;
    expect(changes).to.have.length(1);
    expect(changes[0]).to.deep.include({ path: '/attachments/0', before: null });
    expect(changes[0].after).to.include({ id: file.id, filename: 'plan.png' });
  });

  it("lets only the lead organisation answer, and the bid's readers read", async () => {
    const closed = await aClosedCallWithBids(test);
    const [bidId] = closed.bidIds;
    const clarification = await ask(closed, ['details']);
    const colleague = await anApplicant(test, closed.applicants[0].actor.organisationId!);
    const stranger = await anApplicant(test);
    const url = `/api/v1/bids/${bidId}/clarifications/${clarification.id}/answer`;
    await closed.officer.agent.post(url).send({ answer: 'x' }).expect(403);
    await closed.appraisers[0].agent.post(url).send({ answer: 'x' }).expect(403);
    await stranger.agent.post(url).send({ answer: 'x' }).expect(404);
    await stranger.agent.get(`/api/v1/bids/${bidId}/clarifications`).expect(404);
    await closed.applicants[0].agent
      .post(`/api/v1/bids/${bidId}/clarifications`)
      .send({ question: 'Q', sections: ['details'], respondBy: new Date(Date.now() + HOUR).toISOString() })
      .expect(403);
    await closed.appraisers[0].agent.post(`/api/v1/bids/${bidId}/conflict`).send({ conflict: false }).expect(200);
    const seen = (await closed.appraisers[0].agent.get(`/api/v1/bids/${bidId}/clarifications`).expect(200)).body;
    expect(seen.items).to.have.length(1);
    await closed.appraisers[0].agent.get(`/api/v1/bids/${bidId}/versions`).expect(200);
    // Any member of the lead organisation answers, not only the one who submitted.
    await colleague.agent
      .post(url)
      .send({ answer: 'Done', changes: { title: 'Clearer title' } })
      .expect(200);
  });
});
