import { expect } from 'chai';
import { partnerIdentityFlags } from '../../server/bids/registeredLead.ts';
import { insertOrganisation } from '../../server/identity/repository.ts';
import { aBidBody } from '../support/builders.ts';
import { anonymous, useTestApp } from '../support/app.ts';
import { aClosedCallWithBids, scoreBid } from '../support/appraisal.ts';
import { packageValidator } from '../support/threeSixtyGiving.ts';
import { downloadWorkbook } from '../support/workbook.ts';

// The lead row claims a well-known charity's name and number, which that charity registered here itself; the
// delivery row claims another registered organisation's company number.
const SPOOFED = aBidBody({
  title: 'Borrowed Name',
  partners: [
    {
      name: 'Famous Charity',
      type: 'vcs',
      role: 'lead',
      charityNumber: '2222222',
      esfPence: 40_000_000,
      matchPence: 30_000_000,
    },
    {
      name: 'Someone Else Ltd',
      type: 'private',
      role: 'delivery',
      companyNumber: 'SC333333',
      esfPence: 20_000_000,
      matchPence: 30_000_000,
    },
  ],
});

describe("the lead's identity is the registered organisation, not what its row types", () => {
  const test = useTestApp();

  async function aSpoofedAward() {
    await test.knex.transaction(async (trx) => {
      await insertOrganisation(trx, {
        name: 'Famous Charity',
        type: 'vcs',
        charityNumber: '2222222',
        companyNumber: null,
      });
      await insertOrganisation(trx, {
        name: 'Someone Else Ltd',
        type: 'private',
        charityNumber: null,
        companyNumber: 'SC333333',
      });
    });
    const closed = await aClosedCallWithBids(test, [SPOOFED]);
    const [bidId] = closed.bidIds;
    const organisation = await test
      .knex('organisations')
      .where({ id: closed.applicants[0].actor.organisationId })
      .first();
    for (const appraiser of closed.appraisers) await scoreBid(appraiser, bidId, () => 4);
    await closed.officer.agent.post(`/api/v1/bids/${bidId}/decision`).send({ decision: 'approved' }).expect(200);
    return { ...closed, bidId, organisation: organisation as { id: string; name: string; charityNumber: string } };
  }

  it(
    'publishes the registered lead organisation as the 360Giving recipient, valid against ' + 'the standard',
    async function () {
      this.timeout(90_000);
      const { call, organisation } = await aSpoofedAward();
      const body = (await anonymous(test).get(`/api/v1/calls/${call.id}/360giving.json`).expect(200)).body;
      const validate = packageValidator();
      expect(validate(body), JSON.stringify(validate.errors, null, 2)).to.equal(true);
      expect(body.grants[0].recipientOrganization).to.deep.equal([
        {
          id: `GB-CHC-${organisation.charityNumber}`,
          name: organisation.name,
          charityNumber: organisation.charityNumber,
        },
      ]);
      expect(JSON.stringify(body)).to.not.contain('2222222').and.not.contain('Famous Charity');
    },
  );

  it(
    "flags each partner row claiming another registered organisation's number, without " + 'failing the gateway',
    async function () {
      this.timeout(90_000);
      const { bidId, officer, applicants, organisation } = await aSpoofedAward();
      for (const agent of [officer.agent, applicants[0].agent]) {
        const bid = (await agent.get(`/api/v1/bids/${bidId}`).expect(200)).body;
        expect(bid.gateway.passed).to.equal(true);
        const flagged = bid.flags.filter((f: { code: string }) => f.code === 'GW-PARTNER-IDENTITY');
        expect(flagged.map((f: { message: string }) => f.message)).to.deep.equal([
          'Partner 1 (Famous Charity) gives charity number 2222222, which another organisation registered here ' +
            "holds; the bid's lead is the organisation that made it",
          'Partner 2 (Someone Else Ltd) gives company number SC333333, which another organisation registered here ' +
            "holds; the bid's lead is the organisation that made it",
        ]);
      }
      const page = await officer.agent.get(`/officer/bids/${bidId}`).expect(200);
      expect(page.text).to.contain('Partner 2 (Someone Else Ltd) gives company number SC333333');
      expect(page.text).to.contain(organisation.name);
    },
  );

  it("flags only numbers another organisation registered, however spaced or cased, never the bid's own", async () => {
    const [own, other] = await test.knex.transaction(async (trx) => [
      await insertOrganisation(trx, { name: 'Us', type: 'vcs', charityNumber: '4444444', companyNumber: null }),
      await insertOrganisation(trx, { name: 'Them', type: 'private', charityNumber: null, companyNumber: 'sc55 5555' }),
    ]);
    const partner = (name: string, numbers: { charityNumber?: string; companyNumber?: string }) =>
      ({ name, type: 'vcs', role: 'delivery', esfPence: 0, matchPence: 0, ...numbers }) as const;
    const flags = await partnerIdentityFlags(test.knex, own.id, [
      { ...partner('Us', { charityNumber: '4444444' }), role: 'lead' },
      partner('Nobody registered', { companyNumber: '01234567' }),
      partner('Them, typed', { companyNumber: 'SC555555' }),
    ]);
    expect(flags).to.deep.equal([
      {
        code: 'GW-PARTNER-IDENTITY',
        message:
          'Partner 3 (Them, typed) gives company number SC555555, which another organisation registered here ' +
          "holds; the bid's lead is the organisation that made it",
      },
    ]);
    // the same rows, made by the other organisation, flag the first row instead
    expect(
      (await partnerIdentityFlags(test.knex, other.id, [partner('Us', { charityNumber: '4444444' })])).map(
        (f) => f.message,
      ),
    ).to.deep.equal([
      "Partner 1 (Us) gives charity number 4444444, which another organisation registered here holds; the bid's " +
        'lead is the organisation that made it',
    ]);
    expect(await partnerIdentityFlags(test.knex, own.id, undefined)).to.deep.equal([]);
  });

  it("names the registered lead in the appraisal workbook's Summary and Partners sheets", async function () {
    this.timeout(90_000);
    const { call, officer, organisation } = await aSpoofedAward();
    const { workbook } = await downloadWorkbook(officer.agent, call.id);
    const summary = workbook.getWorksheet('Summary')!;
    expect(summary.getRow(4).getCell(4).value).to.equal('Lead partner');
    expect(summary.getRow(5).getCell(4).value).to.equal(organisation.name);
    expect(summary.getRow(5).getCell(5).value).to.equal(`${organisation.name}; Someone Else Ltd`);
    const partners = workbook.getWorksheet('Partners')!;
    const rows: unknown[][] = [];
    partners.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const lead = rows.find((r) => r[4] === 'Lead')!;
    expect(lead.slice(2, 6)).to.deep.equal([organisation.name, 'VCS', 'Lead', organisation.charityNumber]);
    expect(lead[6] ?? null, 'no company number: the organisation registered none').to.equal(null);
    const cells = JSON.stringify(rows);
    expect(cells).to.not.contain('Famous Charity').and.not.contain('2222222');
  });

  it("shows the registered lead on the officer's and the appraiser's pages", async function () {
    this.timeout(90_000);
    const { call, officer, appraisers, bidId, organisation } = await aSpoofedAward();
    for (const url of [`/officer/calls/${call.id}`, `/officer/calls/${call.id}/ranking`]) {
      const page = await officer.agent.get(url).expect(200);
      expect(page.text, url).to.contain(`· ${organisation.name}`).and.not.contain('Famous Charity');
    }
    const list = await appraisers[0].agent.get(`/appraisal/calls/${call.id}`).expect(200);
    expect(list.text).to.contain(organisation.name).and.not.contain('Famous Charity');
    const score = await appraisers[0].agent.get(`/appraisal/bids/${bidId}/score`).expect(200);
    expect(score.text).to.contain(`· ${organisation.name}`);
  });
});
