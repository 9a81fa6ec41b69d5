import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { aBidBody } from '../support/builders.ts';
import { binaryBody, useTestApp, aPublishedCall } from '../support/app.ts';
import { aClosedCallWithBids, scoreBid } from '../support/appraisal.ts';
import { csrfTokenFrom } from '../support/pages.ts';
import { anApplicant, anOfficer } from '../support/app.ts';
import { queriesDuring, readsOf } from '../support/queries.ts';

describe("the applicant's bid page: decision and spreadsheet", () => {
  const test = useTestApp();

  it("shows the decision with the panel's final scores and comments only once it is made", async () => {
    const { appraisers, bidIds, officer, applicants } = await aClosedCallWithBids(test);
    for (const appraiser of appraisers) await scoreBid(appraiser, bidIds[0], (c) => (c === 'CCT' ? 2 : 4));
    const before = await applicants[0].agent.get(`/bids/${bidIds[0]}`).expect(200);
    expect(before.text).not.to.contain('id="decision"');
    expect(before.text).not.to.contain('Weak on CCT');

    await officer.agent
      .post(`/api/v1/bids/${bidIds[0]}/decision`)
      .send({ decision: 'approved_with_conditions', conditions: 'Secure the <pending> match by month 3.' })
      .expect(200);
    const page = { text: '' };
    // The bid and its decision are read once, for the page and its scores alike.
    const queries = await queriesDuring(test.knex, async () => {
      page.text = (await applicants[0].agent.get(`/bids/${bidIds[0]}`).expect(200)).text;
    });
    expect(readsOf(queries, 'bids')).to.equal(1);
    expect(readsOf(queries, 'decisions')).to.equal(1);
    expect(page.text).to.contain('Approved with conditions');
    expect(page.text).to.contain('Secure the &lt;pending&gt; match by month 3.');
    expect(page.text).to.contain('Cross-cutting themes');
    expect(page.text).to.contain('Appraiser 1: Weak on CCT');
    // 100 × (19 weight × 4 + 1 × 2) ÷ (20 × 5) = 78
    expect(page.text).to.contain('Weighted score 78%');
  });

  it('offers the template while the bid can change, and reads a filled one back into the draft', async () => {
    const officer = await anOfficer(test);
    const applicant = await anApplicant(test);
    const call = await aPublishedCall(officer);
    const bid = (await applicant.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody()).expect(201)).body;
    const page = await applicant.agent.get(`/bids/${bid.id}`).expect(200);
    // Handlebars writes "=" in an attribute as &#x3D;, which a browser reads back as "=".
    const href = /href="(\/api\/v1\/calls\/[^"]+bid-template\.xlsx\?bidId&#x3D;[^"]+)"/.exec(page.text)?.[1];
    expect(href).to.be.a('string');
    const template = await applicant.agent
      .get(href!.replaceAll('&#x3D;', '='))
      .buffer(true)
      .parse(binaryBody)
      .expect(200);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template.body as unknown as ArrayBuffer);
    workbook.getWorksheet('Bid')!.getCell('B3').value = 'Renamed in the spreadsheet';
    const filled = Buffer.from(await workbook.xlsx.writeBuffer());
    const token = await csrfTokenFrom(applicant.agent, `/bids/${bid.id}`);
    await applicant.agent
      .post(`/bids/${bid.id}/import`)
      .field('_csrf', token)
      .attach('file', filled, 'bid.xlsx')
      .expect(303);
    const stored = (await applicant.agent.get(`/api/v1/bids/${bid.id}`).expect(200)).body;
    expect(stored.title).to.equal('Renamed in the spreadsheet');

    const refused = await applicant.agent
      .post(`/bids/${bid.id}/import`)
      .field('_csrf', token)
      .attach('file', Buffer.from('not a spreadsheet'), 'bid.xlsx');
    expect(refused.status).to.equal(415);
    expect(refused.text).to.contain('govuk-error-summary');
    expect((await applicant.agent.get(`/api/v1/bids/${bid.id}`)).body.title).to.equal('Renamed in the spreadsheet');
  });
});
