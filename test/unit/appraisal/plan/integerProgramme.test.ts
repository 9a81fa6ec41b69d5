import { expect } from 'chai';
import { fundingProgramme } from '../../../../server/appraisal/plan/integerProgramme.ts';
import { fraction } from '../../../../server/appraisal/fractions.ts';
import { bid } from './fixtures.ts';

describe("the funding plan's integer programme", () => {
  it('gives the solver whole objective values over a common denominator, and rows divided by their gcd', () => {
    // Weighted scores 50, 100/3 and 40: over the denominator 3, 150, 100 and 120, whose common factor is 10.
    const bids = [
      bid('a', fraction(50), { '1.1': 600, '2.1': 300 }),
      bid('b', fraction(100, 3), { '1.1': 400 }),
      bid('c', fraction(40), { '1.1': 200, '2.1': 900 }),
    ];
    const programme = fundingProgramme(bids, [
      { code: '1.1', allocationPence: 1_000 },
      { code: '2.1', allocationPence: 1_000 },
    ]);
    expect(programme).to.deep.equal({
      values: [15, 10, 12],
      rows: [
        // 600, 400 and 200 over their gcd 200; 1,000 / 200 = 5.
        { weights: [3, 2, 1], capacity: 5 },
        // 300, 0 and 900 over 300; 1,000 / 300 floored to 3, exact for 0/1 choices.
        { weights: [1, 0, 3], capacity: 3 },
      ],
    });
  });

  it('counts participants as the objective when asked', () => {
    const bids = [bid('a', fraction(50), { '1.1': 6 }, 120), bid('b', fraction(40), { '1.1': 6 }, 80)];
    expect(fundingProgramme(bids, [{ code: '1.1', allocationPence: 10 }], 'participants')?.values).to.deep.equal([
      3, 2,
    ]);
  });

  it('leaves out bids worth nothing or too big alone, and needs no solver when the rest fit at once', () => {
    const priorities = [{ code: '1.1', allocationPence: 100 }];
    const bids = [
      bid('zero', fraction(0), { '1.1': 10 }),
      bid('huge', fraction(90), { '1.1': 101 }),
      bid('fits', fraction(60), { '1.1': 100 }),
    ];
    expect(fundingProgramme(bids, priorities)).to.equal(null);
    expect(fundingProgramme([], priorities)).to.equal(null);
    const programme = fundingProgramme([...bids, bid('also', fraction(30), { '1.1': 50 })], priorities);
    expect(programme).to.deep.equal({ values: [2, 1], rows: [{ weights: [2, 1], capacity: 2 }] });
  });
});
