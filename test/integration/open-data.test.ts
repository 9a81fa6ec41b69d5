import { expect } from 'chai';
import { packageValidator } from '../support/threeSixtyGiving.ts';
import { aBidBody, aCallBody } from '../support/builders.ts';
import { anApplicant, anOfficer, anonymous, useTestApp } from '../support/app.ts';
import { aClosedCallWithBids, scoreBid } from '../support/appraisal.ts';

const LEAD_BY_COMPANY = aBidBody({
  title: 'Skills for Care',
  summary: 'Care workforce pathways for people out of work.',
  partners: [
    {
      name: 'Trent Care Training Ltd',
      type: 'private',
      role: 'lead',
      companyNumber: '01234567',
      esfPence: 40_000_000,
      matchPence: 30_000_000,
    },
    {
      name: 'Derby College',
      type: 'education',
      role: 'delivery',
      companyNumber: '07654321',
      esfPence: 20_000_000,
      matchPence: 30_000_000,
    },
  ],
  geography: ['Nottingham', 'Nottinghamshire'],
});
const LEAD_WITHOUT_NUMBERS = aBidBody({
  title: 'Back on Track',
  partners: [
    { name: 'Back on Track', type: 'vcs', role: 'lead', esfPence: 40_000_000, matchPence: 30_000_000 },
    {
      name: 'Derby College',
      type: 'education',
      role: 'delivery',
      companyNumber: '07654321',
      esfPence: 20_000_000,
      matchPence: 30_000_000,
    },
  ],
});

describe('360Giving open data', () => {
  const test = useTestApp();

  it("publishes a decided call's approved bids as a valid 360Giving package, to anyone", async function () {
    this.timeout(60_000);
    const { officer, call, appraisers, bidIds, applicants } = await aClosedCallWithBids(test, [
      aBidBody(),
      LEAD_BY_COMPANY,
      LEAD_WITHOUT_NUMBERS,
      aBidBody({ title: 'Not this one' }),
    ]);
    const url = `/api/v1/calls/${call.id}/360giving.json`;
    for (const bidId of bidIds) for (const appraiser of appraisers) await scoreBid(appraiser, bidId, () => 4);
    await officer.agent.post(`/api/v1/bids/${bidIds[0]}/decision`).send({ decision: 'approved' }).expect(200);
    await officer.agent
      .post(`/api/v1/bids/${bidIds[1]}/decision`)
      .send({ decision: 'approved_with_conditions', conditions: 'Secure the pending match by month 3.' })
      .expect(200);
    await officer.agent.post(`/api/v1/bids/${bidIds[2]}/decision`).send({ decision: 'approved' }).expect(200);

    const early = await anonymous(test).get(url);
    expect(early.status).to.equal(409);
    expect((await anonymous(test).get(`/calls/${call.id}`)).text).not.to.contain('360giving.json');
    expect(early.body.error.message).to.equal(
      'Open data is published once every bid on the call has its decision; this call is appraisal',
    );

    await officer.agent
      .post(`/api/v1/bids/${bidIds[3]}/decision`)
      .send({ decision: 'rejected', reason: 'No room left' })
      .expect(200);
    // The recipient is the organisation as it registered: the first by charity number, the second by company number.
    await test
      .knex('organisations')
      .where({ id: applicants[0].actor.organisationId })
      .update({ name: 'Derby Community Partnership', charityNumber: '1164883' });
    await test
      .knex('organisations')
      .where({ id: applicants[1].actor.organisationId })
      .update({ name: 'Trent Care Training Ltd', charityNumber: null, companyNumber: '01234567' });
    const response = await anonymous(test).get(url).expect(200);
    expect((await anonymous(test).get(`/calls/${call.id}`)).text).to.contain(`href="${url}"`);
    const body = response.body;
    const validate = packageValidator();
    expect(validate(body), JSON.stringify(validate.errors, null, 2)).to.equal(true);

    const bids = await test.knex('bids').whereIn('id', bidIds).orderBy('reference');
    const refs = bids.map((b: { reference: string }) => b.reference);
    expect(body.version).to.equal('1.4');
    expect(body.publisher.name).to.be.a('string').and.not.equal('');
    expect(body.grants.map((g: { id: string }) => g.id)).to.deep.equal(
      refs.slice(0, 3).map((r: string) => `360G-fundingcalls-${r}`),
    );

    const [charity, company, fallback] = body.grants;
    const decidedOn = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(test.clock.now());
    expect(charity).to.deep.include({
      title: 'Working Well Together',
      description: 'A partnership of VCS, college and council support into and on in work.',
      currency: 'GBP',
      amountAwarded: 600_000,
      awardDate: decidedOn,
      plannedDates: [{ startDate: '2027-04-01', endDate: '2029-09-30' }],
      grantProgramme: [{ code: call.reference, title: 'Health and Wellbeing' }],
      beneficiaryLocation: [{ name: 'Derby', countryCode: 'GB' }],
      fromOpenCall: 'Yes',
    });
    expect(charity.recipientOrganization).to.deep.equal([
      { id: 'GB-CHC-1164883', name: 'Derby Community Partnership', charityNumber: '1164883' },
    ]);
    const funder = await test.knex('funders').where({ id: officer.actor.funderId }).first();
    expect(charity.fundingOrganization).to.deep.equal([
      { id: `360G-fundingcalls-FUNDER-${funder.id}`, name: funder.name },
    ]);
    expect(company.recipientOrganization).to.deep.equal([
      { id: 'GB-COH-01234567', name: 'Trent Care Training Ltd', companyNumber: '01234567' },
    ]);
    expect(company.beneficiaryLocation.map((l: { name: string }) => l.name)).to.deep.equal([
      'Nottingham',
      'Nottinghamshire',
    ]);
    // No number on the lead: the bidding organisation's own record (its charity number) names the recipient, as always.
    const organisation = await test.knex('organisations').where({ id: applicants[2].actor.organisationId }).first();
    expect(fallback.recipientOrganization).to.deep.equal([
      { id: 'GB-CHC-1190099', name: organisation.name, charityNumber: '1190099' },
    ]);
    expect(JSON.stringify(body)).to.not.contain('Not this one');
    // The validator is not a rubber stamp: a date that is no date, or an empty package, fails it.
    expect(validate({ ...body, grants: [{ ...charity, awardDate: '2027-13-01' }] })).to.equal(false);
    expect(validate({ ...body, grants: [{ ...charity, dateModified: '2027-01-01' }] })).to.equal(false);
    expect(validate({ ...body, grants: [] })).to.equal(false);
  });

  it('gives amounts in pounds exactly to the penny', async function () {
    this.timeout(60_000);
    // £500,000.01 ESF, one penny over the floor, at exactly the intervention rate on £1,000,000.02.
    const body = aBidBody({
      priorities: [
        { code: '1.1', esfPence: 35_000_001 },
        { code: '2.1', esfPence: 15_000_000 },
      ],
      partners: [
        {
          name: 'Derby Community Partnership',
          type: 'vcs',
          role: 'lead',
          charityNumber: '1164883',
          esfPence: 50_000_001,
          matchPence: 50_000_001,
        },
      ],
      totalEligibleCostPence: 100_000_002,
      matchFunding: [
        { funder: 'Derby City Council', sector: 'public', kind: 'cash', amountPence: 50_000_001, status: 'secured' },
      ],
    });
    const { officer, call, appraisers, bidIds } = await aClosedCallWithBids(test, [body]);
    for (const appraiser of appraisers) await scoreBid(appraiser, bidIds[0], () => 4);
    await officer.agent.post(`/api/v1/bids/${bidIds[0]}/decision`).send({ decision: 'approved' }).expect(200);
    const response = await anonymous(test).get(`/api/v1/calls/${call.id}/360giving.json`).expect(200);
    expect(response.text).to.contain('"amountAwarded":500000.01');
    expect(packageValidator()(response.body)).to.equal(true);
  });

  it('is not found for a draft call, and says why a call with nothing awarded has no package', async function () {
    this.timeout(60_000);
    const officer = await anOfficer(test);
    const draft = (await officer.agent.post('/api/v1/calls').send(aCallBody()).expect(201)).body;
    expect((await anonymous(test).get(`/api/v1/calls/${draft.id}/360giving.json`)).status).to.equal(404);
    expect((await (await anApplicant(test)).agent.get(`/api/v1/calls/${draft.id}/360giving.json`)).status).to.equal(
      404,
    );
    expect((await anonymous(test).get('/api/v1/calls/not-a-call/360giving.json')).status).to.equal(404);

    const closed = await aClosedCallWithBids(test, [aBidBody()], 0);
    const open = await anonymous(test).get(`/api/v1/calls/${closed.call.id}/360giving.json`);
    expect(open.status).to.equal(409);
    await closed.officer.agent
      .post(`/api/v1/bids/${closed.bidIds[0]}/decision`)
      .send({ decision: 'rejected', reason: 'Weak' })
      .expect(200);
    const none = await anonymous(test).get(`/api/v1/calls/${closed.call.id}/360giving.json`);
    expect(none.status).to.equal(404);
    expect(none.body.error.message).to.equal('This call awarded no grants, so it has no 360Giving data');
  });
});
