/**
 * Finding partners and seeing a call's consortia whole: partnership offers on an open call, the organisations in
 * more than one submitted bid (API, the officer's call page, the panel's view of a bid, the appraisal workbook).
 */
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import ExcelJS from 'exceljs';
import { aBidBody } from '../support/builders.ts';
import {
  anApplicant,
  anAppraiser,
  anOfficer,
  anonymous,
  aPublishedCall,
  binaryBody,
  useTestApp,
  type TestUser,
} from '../support/app.ts';
import { aClosedCallWithBids } from '../support/appraisal.ts';
import { snapshot } from '../support/database.ts';
import type { Partner } from '../../server/bids/types.ts';

const anOffer = (overrides: Record<string, unknown> = {}) => ({
  summary: 'Employment support for carers',
  activities: 'One-to-one coaching and employer brokerage for carers returning to work.',
  geography: ['Derby'],
  priorities: ['1.1'],
  indicativeEsfPence: 5_000_000,
  contactEmail: 'partnerships@carers.example',
  ...overrides,
});

const rural = (esfPence: number): Partner => ({
  name: 'Rural Action Derbyshire',
  type: 'vcs',
  role: 'delivery',
  esfPence,
  matchPence: 0,
});

describe('partnership offers', () => {
  const test = useTestApp();
  let officer: TestUser;
  let call: { id: string; closesAt: string };
  let offerer: TestUser;

  beforeEach(async () => {
    officer = await anOfficer(test);
    call = await aPublishedCall(officer);
    offerer = await anApplicant(test);
  });

  it("takes an offer on an open call (201) and lists it to signed-in applicants and the call's officers", async () => {
    const made = (await offerer.agent.post(`/api/v1/calls/${call.id}/offers`).send(anOffer()).expect(201)).body;
    expect(made).to.include({ summary: 'Employment support for carers', indicativeEsfPence: 5_000_000 });
    const organisation = await test.knex('organisations').where({ id: offerer.actor.organisationId }).first();
    expect(made.organisation).to.deep.equal({ name: organisation.name, type: 'vcs' });
    expect(Date.parse(made.createdAt)).to.not.be.NaN;
    const other = await anApplicant(test);
    for (const reader of [other, officer]) {
      const { items } = (await reader.agent.get(`/api/v1/calls/${call.id}/offers`).expect(200)).body;
      expect(items).to.deep.equal([made]);
    }
    await anonymous(test).get(`/api/v1/calls/${call.id}/offers`).expect(401);
    const appraiser = await anAppraiser(test, officer.actor.funderId!);
    await appraiser.agent.get(`/api/v1/calls/${call.id}/offers`).expect(403);
    await (await anOfficer(test)).agent.get(`/api/v1/calls/${call.id}/offers`).expect(404);
  });

  it('refuses an offer with problems (422, each named), on a priority the call lacks, or closed (409)', async () => {
    const before = await snapshot();
    const bad = await offerer.agent
      .post(`/api/v1/calls/${call.id}/offers`)
      .send(anOffer({ contactEmail: 'not an address', geography: [] }))
      .expect(422);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).to.have.members([
      '/contactEmail',
      '/geography',
    ]);
    const priority = await offerer.agent
      .post(`/api/v1/calls/${call.id}/offers`)
      .send(anOffer({ priorities: ['1.1', '9.9'] }))
      .expect(422);
    expect(priority.body.error.details).to.deep.equal([
      { path: '/priorities/1', message: 'The call has no priority 9.9' },
    ]);
    await officer.agent.post(`/api/v1/calls/${call.id}/offers`).send(anOffer()).expect(403);
    test.clock.set(new Date(Date.parse(call.closesAt) + 1000));
    await offerer.agent.post(`/api/v1/calls/${call.id}/offers`).send(anOffer()).expect(409);
    expect(await snapshot()).to.deep.equal(before);
  });

  it('lets only a member of the offering organisation withdraw it (204); to anyone else it is not found', async () => {
    const made = (await offerer.agent.post(`/api/v1/calls/${call.id}/offers`).send(anOffer()).expect(201)).body;
    await (await anApplicant(test)).agent.delete(`/api/v1/offers/${made.id}`).expect(404);
    await officer.agent.delete(`/api/v1/offers/${made.id}`).expect(403);
    const colleague = await anApplicant(test, offerer.actor.organisationId!);
    await colleague.agent.delete(`/api/v1/offers/${made.id}`).expect(204);
    expect(Number((await test.knex('partnershipOffers').count({ n: '*' }).first())!.n)).to.equal(0);
    await offerer.agent.delete(`/api/v1/offers/${made.id}`).expect(404);
  });

  it("lists the offers on the call's page to applicants, with an invitation to a lead's draft bid", async () => {
    const made = (await offerer.agent.post(`/api/v1/calls/${call.id}/offers`).send(anOffer()).expect(201)).body;
    const lead = await anApplicant(test);
    await lead.agent.post(`/api/v1/calls/${call.id}/bids`).send({ title: 'Ours' }).expect(201);
    const $ = cheerio.load((await lead.agent.get(`/calls/${call.id}`).expect(200)).text);
    const card = $('#partnership-offers').nextAll('.govuk-summary-card').first();
    expect(card.find('.govuk-summary-card__title').text()).to.contain('Employment support for carers');
    expect(card.find('a[href$="/invite"]').attr('href')).to.equal(`/calls/${call.id}/offers/${made.id}/invite`);
    expect(card.text()).to.contain('partnerships@carers.example').and.contain('£50,000.00');
    // The offering organisation sees its own offer without an invitation to itself; visitors see no offers.
    const own = cheerio.load((await offerer.agent.get(`/calls/${call.id}`).expect(200)).text);
    expect(own('.govuk-summary-card a[href$="/invite"]')).to.have.length(0);
    expect((await anonymous(test).get(`/calls/${call.id}`).expect(200)).text).to.not.contain('Partnership offers');
  });

  it("counts on the officer's call page the offers and the offering organisations that ended up in a bid", async () => {
    await offerer.agent.post(`/api/v1/calls/${call.id}/offers`).send(anOffer()).expect(201);
    await offerer.agent
      .post(`/api/v1/calls/${call.id}/offers`)
      .send(anOffer({ summary: 'Another' }))
      .expect(201);
    const idle = await anApplicant(test);
    await idle.agent.post(`/api/v1/calls/${call.id}/offers`).send(anOffer()).expect(201);
    // The first offerer goes on to bid itself.
    await offerer.agent.post(`/api/v1/calls/${call.id}/bids`).send({ title: 'Ours' }).expect(201);
    const $ = cheerio.load((await officer.agent.get(`/officer/calls/${call.id}`).expect(200)).text);
    expect($('#partnership-offers').next('p').text().replace(/\s+/g, ' ')).to.equal(
      '3 offers from 2 organisations; 1 of those organisations ended up in a bid.',
    );
  });
});

describe('overlaps: organisations in more than one submitted bid', () => {
  const test = useTestApp();

  it("lists them by number and normalised name with role and ESF in each, for the call's officers only", async () => {
    const withRural = (esf: number, name = 'Rural Action Derbyshire') =>
      aBidBody({ partners: [...aBidBody().partners!, { ...rural(esf), name }] });
    const closed = await aClosedCallWithBids(test, [
      withRural(1_000, 'Rural Action Derbyshire'),
      withRural(2_000, 'rural action derbyshire ltd'),
      aBidBody({ partners: [aBidBody().partners![0]] }),
    ]);
    // A draft never submitted does not count.
    const drafter = await anApplicant(test);
    await test.knex('bids').insert({
      callId: closed.call.id,
      organisationId: drafter.actor.organisationId,
      reference: `${closed.call.reference}-999`,
      draft: JSON.stringify(withRural(5)),
      createdBy: drafter.actor.id,
    });

    const { items } = (await closed.officer.agent.get(`/api/v1/calls/${closed.call.id}/overlaps`).expect(200)).body;
    const references = (await test.knex('bids').whereIn('id', closed.bidIds).orderBy('reference')).map(
      (b) => b.reference,
    );
    expect(items).to.deep.equal([
      {
        organisation: { name: 'Derby Community Partnership', charityNumber: '1164883' },
        bids: references.map((reference, i) => ({
          bidId: closed.bidIds[i],
          reference,
          role: 'lead',
          esfPence: 40_000_000,
        })),
        totalEsfPence: 120_000_000,
      },
      {
        organisation: { name: 'Derby College', companyNumber: '01234567' },
        bids: references.slice(0, 2).map((reference, i) => ({
          bidId: closed.bidIds[i],
          reference,
          role: 'delivery',
          esfPence: 20_000_000,
        })),
        totalEsfPence: 40_000_000,
      },
      {
        organisation: { name: 'Rural Action Derbyshire' },
        bids: [
          { bidId: closed.bidIds[0], reference: references[0], role: 'delivery', esfPence: 1_000 },
          { bidId: closed.bidIds[1], reference: references[1], role: 'delivery', esfPence: 2_000 },
        ],
        totalEsfPence: 3_000,
      },
    ]);
    await closed.applicants[0].agent.get(`/api/v1/calls/${closed.call.id}/overlaps`).expect(403);
    await closed.appraisers[0].agent.get(`/api/v1/calls/${closed.call.id}/overlaps`).expect(403);
    await (await anOfficer(test)).agent.get(`/api/v1/calls/${closed.call.id}/overlaps`).expect(404);
    await anonymous(test).get(`/api/v1/calls/${closed.call.id}/overlaps`).expect(401);
  });

  it("shows them on the officer's call page, the panel's view of a bid and the workbook's Partners sheet", async () => {
    // Partners whose shares add up, so both bids pass the gateway and reach the panel.
    const lead = (esf: number, charityNumber: string): Partner => ({
      ...aBidBody().partners![0],
      charityNumber,
      esfPence: 60_000_000 - esf,
      matchPence: 60_000_000,
    });
    const closed = await aClosedCallWithBids(test, [
      aBidBody({ partners: [lead(1_000, '1164883'), rural(1_000)] }),
      aBidBody({ partners: [lead(2_000, '7654321'), rural(2_000)] }),
    ]);
    const [first, second] = (await test.knex('bids').whereIn('id', closed.bidIds).orderBy('reference')).map(
      (b) => b.reference,
    );

    const officerPage = cheerio.load(
      (await closed.officer.agent.get(`/officer/calls/${closed.call.id}`).expect(200)).text,
    );
    const rows = officerPage('#overlaps-table tbody tr');
    expect(rows).to.have.length(1);
    expect(rows.find('th').text()).to.contain('Rural Action Derbyshire');
    expect(rows.find('td').first().text())
      .to.contain(`${first}: delivery, £10.00`)
      .and.contain(`${second}: delivery, £20.00`);
    expect(rows.find('td').last().text()).to.equal('£30.00');

    const appraiser = closed.appraisers[0];
    await appraiser.agent.post(`/api/v1/bids/${closed.bidIds[0]}/conflict`).send({ conflict: false }).expect(200);
    const panelPage = cheerio.load((await appraiser.agent.get(`/appraisal/bids/${closed.bidIds[0]}`).expect(200)).text);
    expect(panelPage('#overlaps').text()).to.equal('Partners also in other bids');
    expect(panelPage('#overlaps-table tbody tr th').text()).to.contain('Rural Action Derbyshire');

    const response = await closed.officer.agent
      .get(`/api/v1/calls/${closed.call.id}/appraisal.xlsx`)
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Partners')!;
    let header = 0;
    sheet.eachRow((row, number) => {
      if (header === 0 && row.getCell(1).value === 'Reference') header = number;
    });
    expect(sheet.getRow(header).getCell(10).value).to.equal('Also in bids');
    const alsoIn = new Map<string, unknown>();
    sheet.eachRow((row, number) => {
      if (number > header && typeof row.getCell(3).value === 'string')
        alsoIn.set(`${String(row.getCell(1).value)} ${String(row.getCell(3).value)}`, row.getCell(10).value);
    });
    expect(alsoIn.get(`${first} Rural Action Derbyshire`)).to.equal(second);
    expect(alsoIn.get(`${second} Rural Action Derbyshire`)).to.equal(first);
    // Different charity numbers: two organisations, each in one bid.
    expect(alsoIn.get(`${first} Derby Community Partnership`) ?? null).to.equal(null);
  });
});
