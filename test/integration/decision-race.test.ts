/**
 * A decision and a moderation of the same bid at the same moment: the decision judges the gateway and thresholds
 * on the scores as they stand under the bid's row lock, and a moderation takes that lock too, so neither can slip
 * between the other's check and its write. The moderation "in progress" is a transaction the test holds open.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { buildTestApp, type TestApp, type TestUser } from '../support/app.ts';
import { aClosedCallWithBids, aScoreSheet, aScoredCall } from '../support/appraisal.ts';

/** Waits until some session of this database waits for a lock (a request queued behind the held transaction). */
async function aLockWaiter(knex: Knex, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await knex.raw(
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
    );
    if (rows[0].n > 0) return;
    if (Date.now() > until) throw new Error("No request waited for the bid's row lock");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Sends the officer's approval of the bid, without waiting for its answer. */
function approve(officer: TestUser, bidId: string) {
  return officer.agent
    .post(`/api/v1/bids/${bidId}/decision`)
    .send({ decision: 'approved' })
    .then((r) => r);
}

describe('a decision and a moderation of the same bid at once', function () {
  this.timeout(60_000);
  let test: TestApp;
  let held: Knex.Transaction | undefined;
  beforeEach(() => {
    test = buildTestApp();
  });
  afterEach(async () => {
    if (held && !held.isCompleted()) await held.rollback();
    held = undefined;
    await test.close();
  });

  /**
   * Sends the officer's approval of a bid both appraisers scored 4 while a moderation setting strategic fit (minimum
   * 3) to `score` holds the bid's row; commits the moderation once the approval waits for it. Answers the approval.
   */
  async function anApprovalBehindAModeration(score: number, rationale: string) {
    const { bidIds, officer } = await aScoredCall(test, [{ score: () => 4 }]);
    held = await test.knex.transaction();
    await held('bids').where({ id: bidIds[0] }).forUpdate().first();
    await held('moderations').insert({
      bidId: bidIds[0],
      criterion: 'SF',
      score,
      rationale,
      moderatedBy: officer.actor.id,
      moderatedAt: new Date(),
    });
    const decision = approve(officer, bidIds[0]);
    await aLockWaiter(test.knex);
    await held.commit();
    return { response: await decision, bidId: bidIds[0] };
  }

  const statusOf = async (bidId: string) => (await test.knex('bids').where({ id: bidId }).first()).status;

  it('refuses an approval when a moderation saved while it waited puts the bid below a threshold', async () => {
    // The moderation under way sets strategic fit to 2, below its minimum of 3.
    const { response, bidId } = await anApprovalBehindAModeration(2, 'The strategic fit is overstated');
    expect(response.status).to.equal(409);
    expect(response.body.error.message).to.equal('The bid is below the quality threshold on SF');
    expect(await test.knex('decisions')).to.deep.equal([]);
    expect(await statusOf(bidId)).to.equal('submitted');
  });

  it('records an approval once the moderation it waited for leaves the bid above every threshold', async () => {
    const { response, bidId } = await anApprovalBehindAModeration(3, 'At the minimum');
    expect(response.status).to.equal(200);
    expect(await statusOf(bidId)).to.equal('approved');
  });

  it("makes a moderation take the bid's row lock before it reads or writes a score", async () => {
    const { bidIds, officer } = await aScoredCall(test, [{ score: () => 4 }]);
    // The weakest lock that still excludes the row lock a decision takes: a moderation's own foreign key check
    // passes it, so only the moderation's taking the lock itself makes it wait.
    held = await test.knex.transaction();
    await held.raw('select id from bids where id = ? for no key update', [bidIds[0]]);
    const moderation = officer.agent
      .put(`/api/v1/bids/${bidIds[0]}/moderation`)
      .send({ scores: [{ criterion: 'SF', score: 2, rationale: 'The strategic fit is overstated' }] })
      .then((r) => r);
    await aLockWaiter(test.knex);
    expect(await test.knex('moderations')).to.deep.equal([]);
    await held.rollback();

    expect((await moderation).status).to.equal(200);
    expect(await test.knex('moderations').select('criterion', 'score')).to.deep.equal([{ criterion: 'SF', score: 2 }]);
  });
  it('makes a score sheet submitted during a decision wait for it, then refuses it: the bid is decided', async () => {
    const { appraisers, bidIds } = await aClosedCallWithBids(test);
    await appraisers[0].agent.post(`/api/v1/bids/${bidIds[0]}/conflict`).send({ conflict: false }).expect(200);
    // A decision under way: it holds the bid's row as a decision does, and has recorded the bid as approved.
    held = await test.knex.transaction();
    await held.raw('select id from bids where id = ? for no key update', [bidIds[0]]);
    await held('bids').where({ id: bidIds[0] }).update({ status: 'approved' });
    const submission = appraisers[0].agent
      .put(`/api/v1/bids/${bidIds[0]}/scores/mine`)
      .send(aScoreSheet(() => 4))
      .then((r) => r);
    await aLockWaiter(test.knex);
    await held.commit();

    const response = await submission;
    expect(response.status).to.equal(409);
    expect(response.body.error.message).to.match(/^The bid has its decision/);
    expect(await test.knex('scoreSheets').where({ bidId: bidIds[0] })).to.deep.equal([]);
  });
});
