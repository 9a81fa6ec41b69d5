/** Whether an organisation stands in a bid already: the rule that stops a lead inviting it from an offer twice. */
import { expect } from 'chai';
import { partnerStandingFor } from '../../../server/bids/consortium.ts';
import type { BidFields, Partner } from '../../../server/bids/types.ts';

const ORGANISATION = { id: 'org-carers', name: 'Derby Carers Network', charityNumber: '1190003', companyNumber: null };

const row = (overrides: Partial<Partner>): Partner => ({
  id: 'p1',
  name: 'Someone else',
  type: 'vcs',
  role: 'delivery',
  esfPence: 0,
  matchPence: 0,
  organisationId: null,
  ...overrides,
});

const bid = (...partners: Partner[]): BidFields => ({ partners });

describe('partnerStandingFor: the row an organisation is in a bid as already', () => {
  it('finds the row it joined as, or leads', () => {
    expect(
      partnerStandingFor(bid(row({ organisationId: 'org-carers', name: 'Renamed' })), ORGANISATION)?.name,
    ).to.equal('Renamed');
    expect(partnerStandingFor(bid(row({ role: 'lead', organisationId: 'org-carers' })), ORGANISATION)).to.not.equal(
      undefined,
    );
  });

  it('finds a row with its charity or company number, whatever the row is called', () => {
    expect(partnerStandingFor(bid(row({ charityNumber: '1190003' })), ORGANISATION)).to.not.equal(undefined);
    const company = { ...ORGANISATION, charityNumber: null, companyNumber: '07654321' };
    expect(partnerStandingFor(bid(row({ companyNumber: '07654321' })), company)).to.not.equal(undefined);
  });

  it('finds a row of the same name as the overlap compares names (case, punctuation, a legal suffix aside)', () => {
    expect(partnerStandingFor(bid(row({ name: 'derby carers network ltd' })), ORGANISATION)).to.not.equal(undefined);
  });

  it('finds nothing among other rows (another number, a name only alike), nor in a bid without partners', () => {
    expect(
      partnerStandingFor(bid(row({ charityNumber: '1190004' }), row({ name: 'Derby Carers' })), ORGANISATION),
    ).to.equal(undefined);
    expect(partnerStandingFor({}, ORGANISATION)).to.equal(undefined);
  });
});
