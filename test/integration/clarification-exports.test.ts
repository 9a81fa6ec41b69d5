/**
 * The workbook and open data follow the appraised version: the Summary shows which version is appraised and its
 * clarifications, a Clarifications sheet lists each question, and 360Giving takes the answered version's figures.
 * Read back with ExcelJS and checked against the standard's own schema.
 */
import { expect } from 'chai';
import { anonymous, useTestApp } from '../support/app.ts';
import { downloadWorkbook, rowValues } from '../support/workbook.ts';
import { aClosedCallWithBids, scoreBid } from '../support/appraisal.ts';
import { aBidBody } from '../support/builders.ts';
import { packageValidator } from '../support/threeSixtyGiving.ts';

const HOUR = 3600 * 1000;

describe('exports after a clarification', function () {
  this.timeout(60_000);
  const test = useTestApp();

  it("writes the appraised version, its clarifications, and the answered version's figures", async () => {
    const closed = await aClosedCallWithBids(test, [aBidBody(), aBidBody({ title: 'Second bid' })]);
    const { officer, call } = closed;
    const [clarified, other] = closed.bidIds;
    const now = test.clock.now();
    const asked = (
      await officer.agent
        .post(`/api/v1/bids/${clarified}/clarifications`)
        .send({
          question: '=SUM(A1) Please reduce the ESF to £550,000.',
          sections: ['partners', 'budget', 'match-funding'],
          respondBy: new Date(now.getTime() + HOUR).toISOString(),
        })
        .expect(201)
    ).body;
    const body = aBidBody();
    await closed.applicants[0].agent
      .post(`/api/v1/bids/${clarified}/clarifications/${asked.id}/answer`)
      .send({
        answer: 'Reduced: the lead takes £50,000 less ESF and more match.',
        changes: {
          partners: [{ ...body.partners![0], esfPence: 35_000_000, matchPence: 35_000_000 }, body.partners![1]],
          priorities: [
            { code: '1.1', esfPence: 40_000_000 },
            { code: '2.1', esfPence: 15_000_000 },
          ],
          matchFunding: [{ ...body.matchFunding![0], amountPence: 45_000_000 }, body.matchFunding![1]],
        },
      })
      .expect(200)
      .then((r) => expect(r.body.gateway.passed).to.equal(true));
    // A second question on the other bid, left to lapse.
    await officer.agent
      .post(`/api/v1/bids/${other}/clarifications`)
      .send({ question: 'Confirm the start date', sections: ['details'], respondBy: new Date(now.getTime() + HOUR) })
      .expect(201);
    test.clock.set(new Date(now.getTime() + 2 * HOUR));

    const { workbook } = await downloadWorkbook(officer.agent, call.id);
    const summary = workbook.getWorksheet('Summary')!;
    const header = rowValues(summary, 4);
    const column = (name: string) => header.indexOf(name) + 1;
    const references = new Map(
      (await test.knex('bids').whereIn('id', closed.bidIds)).map((b: { id: string; reference: string }) => [
        b.id,
        b.reference,
      ]),
    );
    const rowOf = (bidId: string) => {
      for (let r = 5; r <= summary.rowCount; r += 1)
        if (summary.getRow(r).getCell(2).value === references.get(bidId)) return summary.getRow(r);
      throw new Error('No Summary row for the bid');
    };
    expect(rowOf(clarified).getCell(column('Appraised version')).value).to.equal(2);
    expect(rowOf(clarified).getCell(column('Clarifications')).value).to.equal('Answered: version 2');
    expect(rowOf(clarified).getCell(column('ESF')).value).to.equal(550_000);
    expect(rowOf(other).getCell(column('Appraised version')).value).to.equal(1);
    expect(rowOf(other).getCell(column('Clarifications')).value).to.equal('Lapsed');

    const sheet = workbook.getWorksheet('Clarifications')!;
    expect(rowValues(sheet, 4)).to.deep.equal([
      'Reference',
      'Title',
      'Question',
      'Sections',
      'Asked',
      'Reply by',
      'Status',
      'Answer',
      'Answered',
      'Asked on version',
      'Answer version',
    ]);
    const rows = [5, 6].map((r) => sheet.getRow(r));
    const answered = rows.find((r) => r.getCell(1).value === references.get(clarified))!;
    // Text from users is text, never a formula.
    expect(answered.getCell(3).value).to.equal('=SUM(A1) Please reduce the ESF to £550,000.');
    expect(answered.getCell(3).formula).to.equal(undefined);
    expect(answered.getCell(4).value).to.equal('partners, budget, match-funding');
    expect(answered.getCell(6).value).to.be.instanceOf(Date);
    // A cell holds an instant to the second, as a spreadsheet shows it.
    expect(Math.abs((answered.getCell(6).value as Date).getTime() - (now.getTime() + HOUR))).to.be.below(1000);
    expect(answered.getCell(7).value).to.equal('Answered');
    expect(answered.getCell(8).value).to.equal('Reduced: the lead takes £50,000 less ESF and more match.');
    expect([answered.getCell(10).value, answered.getCell(11).value]).to.deep.equal([1, 2]);
    const lapsed = rows.find((r) => r.getCell(1).value === references.get(other))!;
    expect([lapsed.getCell(7).value, lapsed.getCell(8).value, lapsed.getCell(11).value]).to.deep.equal([
      'Lapsed',
      null,
      null,
    ]);

    for (const bidId of closed.bidIds)
      for (const appraiser of closed.appraisers) await scoreBid(appraiser, bidId, () => 4);
    for (const bidId of closed.bidIds)
      await officer.agent.post(`/api/v1/bids/${bidId}/decision`).send({ decision: 'approved' }).expect(200);
    const grants = (await anonymous(test).get(`/api/v1/calls/${call.id}/360giving.json`).expect(200)).body;
    const validate = packageValidator();
    expect(validate(grants), JSON.stringify(validate.errors)).to.equal(true);
    const byReference = new Map(
      grants.grants.map((g: { title: string; amountAwarded: number; id: string }) => [g.id, g.amountAwarded]),
    );
    const awarded = [...byReference.entries()].find(([id]) => (id as string).endsWith(references.get(clarified)!));
    expect(awarded?.[1]).to.equal(550_000);
  });
});
