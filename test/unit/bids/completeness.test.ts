import { expect } from 'chai';
import { missingForSubmission } from '../../../server/bids/completeness.ts';
import type { BidFields } from '../../../server/bids/types.ts';
import { aBidBody } from '../../support/builders.ts';

/** A bid with everything submit needs, and nothing the gateway judges. */
function aCompleteBid(overrides: Partial<BidFields> = {}): BidFields {
  const { title, summary, startDate, endDate, geography, narrative, partners, priorities, totalEligibleCostPence } =
    aBidBody();
  return {
    title,
    summary,
    startDate,
    endDate,
    geography,
    narrative,
    partners,
    priorities,
    totalEligibleCostPence,
    ...overrides,
  };
}

describe('missingForSubmission', () => {
  it('finds nothing missing in a complete bid', () => {
    expect(missingForSubmission(aCompleteBid())).to.deep.equal([]);
  });

  it('finds nothing missing when the gateway would fail it: the gateway judges amounts, targets and claims', () => {
    const bid = aCompleteBid({
      priorities: [{ code: '9.9', esfPence: 1 }],
      totalEligibleCostPence: 0,
      matchFunding: undefined,
      outputTargets: undefined,
      gapClaims: undefined,
    });

    expect(missingForSubmission(bid)).to.deep.equal([]);
  });

  it('names every missing field of an empty draft, by JSON pointer, in plain words', () => {
    expect(missingForSubmission({})).to.deep.equal([
      { path: '/title', message: "Enter the bid's title" },
      { path: '/summary', message: 'Enter a summary of the bid' },
      { path: '/startDate', message: 'Enter the start date' },
      { path: '/endDate', message: 'Enter the end date' },
      { path: '/geography', message: 'Choose at least one area the bid will cover' },
      { path: '/narrative/need', message: 'Write the need and gap section' },
      { path: '/narrative/activities', message: 'Write the activities section' },
      { path: '/narrative/delivery', message: 'Write the delivery section' },
      { path: '/narrative/management', message: 'Write the management and control section' },
      { path: '/narrative/crossCuttingThemes', message: 'Write the cross-cutting themes section' },
      { path: '/partners', message: 'Add at least one partner, including the lead' },
      { path: '/priorities', message: 'Choose at least one investment priority and its ESF' },
      { path: '/totalEligibleCostPence', message: "Enter the bid's total eligible cost" },
    ]);
  });

  it('treats a title or summary of only spaces as missing', () => {
    const paths = missingForSubmission(aCompleteBid({ title: '   ', summary: '\n\t' })).map((m) => m.path);

    expect(paths).to.deep.equal(['/title', '/summary']);
  });

  it('treats a blank narrative section as missing, naming only that section', () => {
    const bid = aCompleteBid();
    bid.narrative = { ...bid.narrative, management: '  ' };

    expect(missingForSubmission(bid)).to.deep.equal([
      { path: '/narrative/management', message: 'Write the management and control section' },
    ]);
  });

  it('needs at least one geography that is not blank', () => {
    expect(missingForSubmission(aCompleteBid({ geography: [] })).map((m) => m.path)).to.deep.equal(['/geography']);
    expect(missingForSubmission(aCompleteBid({ geography: [' '] })).map((m) => m.path)).to.deep.equal(['/geography']);
  });

  it('needs at least one partner and at least one priority', () => {
    const paths = missingForSubmission(aCompleteBid({ partners: [], priorities: [] })).map((m) => m.path);

    expect(paths).to.deep.equal(['/partners', '/priorities']);
  });

  it('counts a total eligible cost of zero as given: its size is for the gateway', () => {
    expect(missingForSubmission(aCompleteBid({ totalEligibleCostPence: 0 }))).to.deep.equal([]);
  });

  describe('dates', () => {
    it('refuses an end date on the start date', () => {
      const bid = aCompleteBid({ startDate: '2027-04-01', endDate: '2027-04-01' });

      expect(missingForSubmission(bid)).to.deep.equal([
        { path: '/endDate', message: 'The end date must be after the start date' },
      ]);
    });

    it('refuses an end date before the start date', () => {
      const bid = aCompleteBid({ startDate: '2027-04-01', endDate: '2027-03-31' });

      expect(missingForSubmission(bid).map((m) => m.path)).to.deep.equal(['/endDate']);
    });

    it('accepts an end date the day after the start date', () => {
      expect(missingForSubmission(aCompleteBid({ startDate: '2027-04-01', endDate: '2027-04-02' }))).to.deep.equal([]);
    });

    it('refuses dates that are not real YYYY-MM-DD dates, without comparing them', () => {
      const bid = aCompleteBid({ startDate: '2027-02-29', endDate: '1/4/2028' });

      expect(missingForSubmission(bid)).to.deep.equal([
        { path: '/startDate', message: 'The start date must be a real date, like 2027-04-01' },
        { path: '/endDate', message: 'The end date must be a real date, like 2027-04-01' },
      ]);
    });

    it('accepts 29 February in a leap year', () => {
      expect(missingForSubmission(aCompleteBid({ startDate: '2028-02-29' }))).to.deep.equal([]);
    });
  });
});
