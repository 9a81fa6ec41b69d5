import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { aBidBody } from '../support/builders.ts';
import { binaryBody, useTestApp, aPublishedCall } from '../support/app.ts';
import { aClosedCallWithBids, scoreBid } from '../support/appraisal.ts';
import { csrfTokenFrom, parsePage } from '../support/pages.ts';
import { anApplicant, anOfficer } from '../support/app.ts';
import { queriesDuring, readsOf } from '../support/queries.ts';

describe("the applicant's bid page: decision and spreadsheet", () => {
  const test = useTestApp();

  it("shows the decision with the panel's final scores and comments only once it is made", async () => {
    const { appraisers, bidIds, officer, applicants } = await aClosedCallWithBids(test);
    for (const appraiser of appraisers) await scoreBid(appraiser, bidIds[0], (c) => (c === 'CCT' ? 2 : 4));
    const before = parsePage((await applicants[0].agent.get(`/bids/${bidIds[0]}`).expect(200)).text);
    expect(before.has('decision')).to.equal(false);
    expect(before.text('body')).not.to.contain('Weak on CCT');

    await officer.agent
      .post(`/api/v1/bids/${bidIds[0]}/decision`)
      .send({ decision: 'approved_with_conditions', conditions: 'Secure the <pending> match by month 3.' })
      .expect(200);
    let html = '';
    // The bid and its decision are read once, for the page and its scores alike.
    const queries = await queriesDuring(test.knex, async () => {
      html = (await applicants[0].agent.get(`/bids/${bidIds[0]}`).expect(200)).text;
    });
    expect(readsOf(queries, 'bids')).to.equal(1);
    expect(readsOf(queries, 'decisions')).to.equal(1);
    const page = parsePage(html);
    expect(page.text('#decision .govuk-panel__title')).to.equal('Approved with conditions');
    // 100 × (19 weight × 4 + 1 × 2) ÷ (20 × 5) = 78
    expect(page.text('#decision .govuk-panel__body')).to.contain('Weighted score 78%');
    // Read back as text: an unescaped <pending> would be an element, not words of the paragraph.
    expect(page.text()).to.contain('Secure the <pending> match by month 3.');
    expect(page.$('pending')).to.have.length(0);
    // Criterion, Final score, Comments.
    const cct = page.tableRows().find(([criterion]) => criterion === 'Cross-cutting themes');
    expect(cct?.[2]).to.equal('Appraiser 1: Weak on CCT Appraiser 2: Weak on CCT');
  });

  it('offers the template while the bid can change, and reads a filled one back into the draft', async () => {
    const officer = await anOfficer(test);
    const applicant = await anApplicant(test);
    const call = await aPublishedCall(officer);
    const bid = (await applicant.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody()).expect(201)).body;
    const page = parsePage((await applicant.agent.get(`/bids/${bid.id}`).expect(200)).text);
    // Read as a browser reads it: Handlebars writes "=" in an attribute as &#x3D;.
    const href = page.hrefs().find((link) => link.startsWith(`/api/v1/calls/${call.id}/bid-template.xlsx?bidId=`));
    expect(href).to.be.a('string');
    const template = await applicant.agent.get(href!).buffer(true).parse(binaryBody).expect(200);

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
    expect(parsePage(refused.text).errorLinks()).to.have.length.above(0);
    expect((await applicant.agent.get(`/api/v1/bids/${bid.id}`)).body.title).to.equal('Renamed in the spreadsheet');
  });
});
