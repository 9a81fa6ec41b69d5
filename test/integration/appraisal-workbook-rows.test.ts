import { expect } from 'chai';
import { Writable } from 'node:stream';
import { DownloadAborted, streamAppraisalWorkbook } from '../../server/exports/appraisalWorkbook.ts';
import {
  auditEventsOf,
  scoreRowsOf,
  startEarly,
  type ExportAuditEvent,
  type ExportScoreRow,
} from '../../server/exports/exportQueries.ts';
import { londonClockDate } from '../../server/shared/londonDates.ts';
import { aBidBody } from '../support/builders.ts';
import { useTestApp, type TestApp } from '../support/app.ts';
import { aClosedCallWithBids, CRITERIA, type ClosedCall } from '../support/appraisal.ts';
import { dataRows, downloadWorkbook } from '../support/workbook.ts';

/** Text that XML, a CSV reader and a naive splitter would each get wrong, with a line break and a non-BMP character. */
const AWKWARD = `Tom & Jerry's <b>"plan"</b>, = 1 + 1; ünïcödé — 😀\nsecond line`;

/** Names that sort the same in any collation; two appraisers share one, so their ids decide between them. */
const NAMES = ['Carol Diaz', 'Alan Berry', 'Alan Berry'];

/**
 * Three bids scored by a panel of three (each comment awkward and different), one criterion moderated with an
 * awkward rationale, and a fourth bid left unscored.
 */
async function aScoredCall(test: TestApp): Promise<ClosedCall> {
  const closed = await aClosedCallWithBids(
    test,
    [aBidBody(), aBidBody({ title: 'Second' }), aBidBody({ title: 'Third' }), aBidBody({ title: 'Fourth' })],
    3,
  );
  const { appraisers, bidIds, officer } = closed;
  for (const [i, appraiser] of appraisers.entries())
    await test.knex('users').where({ id: appraiser.actor.id }).update({ name: NAMES[i] });
  for (const bidId of bidIds.slice(0, 3)) {
    for (const [i, appraiser] of appraisers.entries()) {
      await appraiser.agent.post(`/api/v1/bids/${bidId}/conflict`).send({ conflict: false }).expect(200);
      const scores = CRITERIA.map((criterion, c) => ({
        criterion,
        score: 1 + ((i + c) % 5),
        comment: `${AWKWARD} ${criterion} ${i}`,
      }));
      await appraiser.agent.put(`/api/v1/bids/${bidId}/scores/mine`).send({ submit: true, scores }).expect(200);
    }
  }
  await officer.agent
    .put(`/api/v1/bids/${bidIds[1]}/moderation`)
    .send({ scores: [{ criterion: 'MC', score: 3, rationale: `${AWKWARD} (moderated)` }] })
    .expect(200);
  return closed;
}

/**
 * The Scores sheet's rows as worked out here from plain queries: bids by reference, criteria in the call's order,
 * names, then moderation.
 */
async function expectedScoreRows(test: TestApp, callId: string): Promise<ExportScoreRow[]> {
  const bids: { id: string }[] = await test.knex('bids').where({ callId }).orderBy('reference').select('id');
  const scores = await test
    .knex('scores as s')
    .join('scoreSheets as h', function () {
      this.on('h.bidId', 's.bidId').andOn('h.appraiserId', 's.appraiserId');
    })
    .join('users as u', 'u.id', 's.appraiserId')
    .whereNotNull('h.submittedAt')
    .select('s.bidId', 's.criterion', 'u.name', 'u.id as userId', 's.score', 's.comment', 'h.submittedAt');
  const moderations = await test
    .knex('moderations as m')
    .join('users as u', 'u.id', 'm.moderatedBy')
    .select('m.*', 'u.name');
  const rows: ExportScoreRow[] = [];
  for (const bid of bids) {
    for (const criterion of CRITERIA) {
      const own = scores
        .filter((s) => s.bidId === bid.id && s.criterion === criterion)
        .sort((x, y) => (x.name === y.name ? (x.userId < y.userId ? -1 : 1) : x.name < y.name ? -1 : 1));
      for (const s of own)
        rows.push({
          bidId: bid.id,
          criterion,
          moderated: false,
          personId: s.userId,
          name: s.name,
          score: s.score,
          text: s.comment,
          moderatedAt: null,
        });
      const m = moderations.find((x) => x.bidId === bid.id && x.criterion === criterion);
      if (m)
        rows.push({
          bidId: bid.id,
          criterion,
          moderated: true,
          personId: m.moderatedBy,
          name: m.name,
          score: m.score,
          text: m.rationale,
          moderatedAt: m.moderatedAt,
        });
    }
  }
  return rows;
}

/**
 * The call's audit events as the Audit sheet should show them, worked out here: by bid reference, then as they
 * happened.
 */
async function trailsByReference(test: TestApp, callId: string) {
  const bids: { id: string; reference: string }[] = await test.knex('bids').where({ callId }).select('id', 'reference');
  const referenceOf = new Map(bids.map((b) => [b.id, b.reference]));
  const events: { id: number; bidId: string; action: string; occurredAt: Date }[] = await test
    .knex('auditEvents')
    .whereIn(
      'bidId',
      bids.map((b) => b.id),
    )
    .orderBy('id')
    .select('id', 'bidId', 'action', 'occurredAt');
  const reference = (e: { bidId: string }) => referenceOf.get(e.bidId)!;
  // Array.prototype.sort is stable: each bid's events stay in the order they happened.
  return events.sort((x, y) => (reference(x) < reference(y) ? -1 : reference(x) > reference(y) ? 1 : 0));
}

async function all<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const taken: T[] = [];
  for await (const row of rows) taken.push(row);
  return taken;
}

describe("the appraisal workbook's streamed rows", () => {
  const test = useTestApp();

  it(
    "reads every submitted score and moderated score in the Scores sheet's order, the same " +
      'in batches of 7 as in one',
    async function () {
      this.timeout(60_000);
      const { call } = await aScoredCall(test);
      const expected = await expectedScoreRows(test, call.id);
      // 3 bids × 10 criteria × 3 appraisers, and one moderation.
      expect(expected).to.have.length(91);
      expect(expected.filter((r) => r.text?.startsWith(AWKWARD))).to.have.length(91);

      expect(await all(scoreRowsOf(test.knex, call.id, CRITERIA, { batchSize: 7 }))).to.deep.equal(expected);
      expect(await all(scoreRowsOf(test.knex, call.id, CRITERIA, { batchSize: 1000 }))).to.deep.equal(expected);
      // Only the criteria asked for, in the order asked for.
      const two = await all(scoreRowsOf(test.knex, call.id, ['MC', 'SF'], { batchSize: 4 }));
      expect(two.map((r) => r.criterion).slice(0, 6)).to.deep.equal(['MC', 'MC', 'MC', 'SF', 'SF', 'SF']);
      expect(two).to.have.length(3 * 2 * 3 + 1);
    },
  );

  it(
    "reads every audit event of the submitted bids, each bid's trail together in reference " +
      'order, oldest first, across batches',
    async function () {
      this.timeout(60_000);
      const { call } = await aScoredCall(test);
      const expected = await trailsByReference(test, call.id);
      expect(expected.length).to.be.greaterThan(20);
      // The trails are not already in one order of time across the call, or the test could not tell them apart.
      const inOrderOfTime = [...expected].sort((x, y) => x.id - y.id);
      expect(expected.map((e) => e.id)).to.not.deep.equal(inOrderOfTime.map((e) => e.id));

      const brief = (events: ExportAuditEvent[]) =>
        events.map(({ bidId, action, occurredAt }) => ({ bidId, action, occurredAt }));
      const briefExpected = expected.map(({ bidId, action, occurredAt }) => ({ bidId, action, occurredAt }));
      expect(brief(await all(auditEventsOf(test.knex, call.id, { batchSize: 5 })))).to.deep.equal(briefExpected);
      expect(brief(await all(auditEventsOf(test.knex, call.id, { batchSize: 1000 })))).to.deep.equal(briefExpected);
    },
  );

  it('writes every score row and audit event into its sheet, awkward text and all, as read', async function () {
    this.timeout(60_000);
    const { call, officer } = await aScoredCall(test);
    const { workbook } = await downloadWorkbook(officer.agent, call.id);

    const bids: { id: string; reference: string }[] = await test
      .knex('bids')
      .where({ callId: call.id })
      .select('id', 'reference');
    const referenceOf = new Map(bids.map((b) => [b.id, b.reference]));
    const scores = dataRows(workbook.getWorksheet('Scores')!);
    const expected = await expectedScoreRows(test, call.id);
    expect(scores.map((r) => [r[0], r[2], r[5], r[6], r[7], r[8]])).to.deep.equal(
      expected.map((r) => [
        referenceOf.get(r.bidId),
        r.criterion,
        r.moderated ? 'Moderated' : 'Appraiser',
        r.name,
        r.score,
        r.text,
      ]),
    );
    expect(String(scores[0][8]).startsWith(AWKWARD)).to.equal(true);
    // Scored: the appraiser's sheet's submission, or the moderation, in London time to the second.
    const sheets: { bidId: string; appraiserId: string; submittedAt: Date }[] = await test
      .knex('scoreSheets')
      .select('bidId', 'appraiserId', 'submittedAt');
    const scoredAt = expected.map(
      (r) => r.moderatedAt ?? sheets.find((h) => h.bidId === r.bidId && h.appraiserId === r.personId)!.submittedAt,
    );
    expect(scores.map((r) => Math.round((r[9] as Date).getTime() / 1000))).to.deep.equal(
      scoredAt.map((at) => londonClockDate(at).getTime() / 1000),
    );

    const audit = dataRows(workbook.getWorksheet('Audit')!);
    const events = await trailsByReference(test, call.id);
    expect(audit.map((r) => [r[0], r[5]])).to.deep.equal(events.map((e) => [referenceOf.get(e.bidId), e.action]));
    const submitted = audit.filter((r) => r[5] === 'scores.submitted');
    expect(submitted).to.have.length(9);
    expect(JSON.stringify(JSON.parse(submitted[0][7] as string))).to.contain(JSON.stringify(AWKWARD).slice(1, -1));
  });

  it('closes the cursor when the reading stops early, and the transaction it read in goes on', async function () {
    this.timeout(60_000);
    const { call } = await aScoredCall(test);
    const count = await test.knex.transaction(
      async (trx) => {
        let taken = 0;
        for await (const row of scoreRowsOf(trx, call.id, CRITERIA, { batchSize: 2 })) {
          expect(row.criterion).to.equal('SF');
          if (++taken === 3) break;
        }
        for await (const event of auditEventsOf(trx, call.id, { batchSize: 2 })) {
          expect(event.action).to.equal('bid.created');
          break;
        }
        const [{ count: n }] = await trx('scores').count<{ count: string }[]>('* as count');
        return Number(n);
      },
      { isolationLevel: 'repeatable read', readOnly: true },
    );
    expect(count).to.equal(90);
  });

  it(
    'gives rows started early complete, and closes a query started early that is never read, ' +
      'so its transaction goes on',
    async function () {
      this.timeout(60_000);
      const { call } = await aScoredCall(test);
      const expected = await expectedScoreRows(test, call.id);
      const [early, count] = await test.knex.transaction(
        async (trx) => {
          const unread = startEarly(scoreRowsOf(trx, call.id, CRITERIA, { batchSize: 3 }));
          await unread.close();
          const read = await all(startEarly(scoreRowsOf(trx, call.id, CRITERIA, { batchSize: 3 })));
          const [{ count: n }] = await trx('scores').count<{ count: string }[]>('* as count');
          return [read, Number(n)] as const;
        },
        { isolationLevel: 'repeatable read', readOnly: true },
      );
      expect(early).to.deep.equal(expected);
      expect(count).to.equal(90);

      // A query that fails fails in the loop that reads it, not before.
      const failing = startEarly(scoreRowsOf(test.knex, 'not-a-call-id', CRITERIA));
      await new Promise((resolve) => setTimeout(resolve, 100));
      let failure: unknown;
      try {
        await all(failing);
      } catch (error) {
        failure = error;
      }
      expect(String(failure)).to.match(/uuid/);
    },
  );

  it(
    'stops a download the client leaves at its first bytes, its queries started early closed ' + 'with the transaction',
    async function () {
      this.timeout(60_000);
      const { call, officer } = await aScoredCall(test);
      const leaving: Writable = new Writable({
        write(_chunk, _encoding, callback) {
          leaving.destroy();
          callback();
        },
      });
      let failure: unknown;
      try {
        await streamAppraisalWorkbook(test.ctx, officer.actor, call.id, 'score', () => leaving);
      } catch (error) {
        failure = error;
      }
      expect(failure).to.be.instanceOf(DownloadAborted);
      // Every connection is back in the pool and nothing is left running on the database.
      const running = await test.knex.raw(
        `select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and ` +
          `state <> 'idle'`,
      );
      expect(Number(running.rows[0].count)).to.equal(0);
    },
  );
});
