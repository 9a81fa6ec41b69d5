import { expect } from 'chai';
import { medianOf, valueForMoney, type ValueForMoneyBid } from '../../../server/appraisal/valueForMoney.ts';
import { addFractions, compareFractions, fraction, type Fraction } from '../../../server/appraisal/fractions.ts';

function bid(
  bidId: string,
  esfPence: number,
  totalEligibleCostPence: number,
  participants: number,
  results: Record<string, number> = {},
  gatewayPassed = true,
): ValueForMoneyBid {
  return {
    bidId,
    gatewayPassed,
    esfPence,
    totalEligibleCostPence,
    outputTargets: [
      { indicator: 'P-TOTAL', target: participants },
      { indicator: 'P-UNEMP', target: 1 },
    ],
    resultTargets: Object.entries(results).map(([indicator, target]) => ({ indicator, target })),
  };
}

describe('value for money', () => {
  it('takes the middle value of an odd count and the mean of the two middle values of an even count', () => {
    expect(medianOf([fraction(3), fraction(1), fraction(2)])).to.deep.equal(fraction(2));
    expect(medianOf([fraction(4), fraction(1), fraction(2), fraction(3)])).to.deep.equal(fraction(5, 2));
    expect(medianOf([])).to.equal(null);
  });

  it('finds the same median as sorting every value, for any order, length and run of equal values', () => {
    // A fixed sequence (a linear congruential generator), so a failure can be run again.
    let seed = 20261202;
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const bySorting = (values: Fraction[]) => {
      const sorted = [...values].sort(compareFractions);
      const mid = Math.floor(sorted.length / 2);
      return sorted.length % 2 === 1 ? sorted[mid] : addFractions(sorted[mid - 1], sorted[mid]);
    };
    for (let round = 0; round < 400; round++) {
      const length = 1 + next(round < 200 ? 12 : 300);
      // Few distinct values in some rounds (many equal ones), many in others; every value with its own denominator.
      const spread = round % 3 === 0 ? 3 : 1_000_000;
      const values = Array.from({ length }, () => fraction(next(spread) * 7 + 1, 1 + next(7)));
      const expected = bySorting(values);
      const median = medianOf(values)!;
      const mean = values.length % 2 === 1 ? expected : fraction(expected.numerator, expected.denominator * 2);
      expect(compareFractions(median, mean), `round ${round}: ${JSON.stringify(values)}`).to.equal(0);
    }
  });

  it('sets each figure beside the median of gateway-passing bids only', () => {
    const rows = valueForMoney([
      // ESF per participant: £600,000 / 600 = £1,000 = 100,000p; total cost £1.2m / 600 = 200,000p.
      bid('a', 60_000_000, 120_000_000, 600, { 'R-UNEMP-EMP': 90 }),
      // 50,000,000 / 400 = 125,000p; 100,000,000 / 400 = 250,000p.
      bid('b', 50_000_000, 100_000_000, 400, { 'R-UNEMP-EMP': 100 }),
      // 70,000,000 / 1,000 = 70,000p; 140,000,000 / 1,000 = 140,000p.
      bid('c', 70_000_000, 140_000_000, 1_000),
      // Failed the gateway: its own figures are shown but it does not move the median (1p per head).
      bid('x', 1_000, 2_000, 1_000, { 'R-UNEMP-EMP': 1 }, false),
    ]);
    // Median ESF per participant of a, b, c: 70,000 / 100,000 / 125,000 → 100,000.
    expect(rows[0].esfPerParticipant).to.include({ pence: 100_000, medianPence: 100_000, versusMedian: 'at' });
    expect(rows[1].esfPerParticipant).to.include({ pence: 125_000, medianPence: 100_000, versusMedian: 'above' });
    expect(rows[2].totalCostPerParticipant).to.include({ pence: 140_000, medianPence: 200_000, versusMedian: 'below' });
    expect(rows[3].esfPerParticipant).to.include({ pence: 1, medianPence: 100_000, versusMedian: 'below' });
    // ESF per result R-UNEMP-EMP: a 60,000,000 / 90 = 666,666.67p → 666,667p; b 500,000p.
    // Even count: median (666,666.67 + 500,000) / 2 = 583,333.33p → 583,333p.
    expect(rows[0].esfPerResult).to.have.length(1);
    expect(rows[0].esfPerResult[0]).to.include({
      indicator: 'R-UNEMP-EMP',
      target: 90,
      pence: 666_667,
      medianPence: 583_333,
      versusMedian: 'above',
    });
    expect(rows[0].esfPerResult[0].exact).to.deep.equal(fraction(60_000_000, 90));
    expect(rows[2].esfPerResult).to.deep.equal([]);
  });

  it('compares with the median exactly even when both round to the same penny', () => {
    // a: 100 / 3 = 33.33…p, b: 167 / 5 = 33.4p, c: 40p. The median is b's 33.4p; a and the median both show
    // as 33p, yet a is below it.
    const rows = valueForMoney([bid('a', 100, 200, 3), bid('b', 167, 200, 5), bid('c', 40, 200, 1)]);
    expect(rows[0].esfPerParticipant).to.include({ pence: 33, medianPence: 33, versusMedian: 'below' });
    // Half a penny rounds up: 20,000,001 / 6 = 3,333,333.5p → 3,333,334p.
    const halves = valueForMoney([bid('d', 20_000_001, 1, 6)]);
    expect(halves[0].esfPerParticipant.pence).to.equal(3_333_334);
  });

  it('gives null, never Infinity, for no participants or a zero result target', () => {
    const rows = valueForMoney([bid('a', 60_000_000, 120_000_000, 0, { 'R-EMP6M': 0 }), bid('b', 100, 200, 2)]);
    expect(rows[0].esfPerParticipant).to.deep.equal({ pence: null, medianPence: 50, versusMedian: null, exact: null });
    expect(rows[0].totalCostPerParticipant.pence).to.equal(null);
    expect(rows[0].esfPerResult[0]).to.include({ pence: null, medianPence: null, versusMedian: null });
    // A bid with no P-TOTAL target at all is the same as zero participants.
    const none = valueForMoney([{ ...bid('c', 1, 1, 1), outputTargets: [] }]);
    expect(none[0].participants).to.equal(0);
    expect(none[0].esfPerParticipant.pence).to.equal(null);
  });
});
