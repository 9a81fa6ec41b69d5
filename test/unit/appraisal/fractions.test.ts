import { expect } from 'chai';
import {
  addFractions,
  compareFractions,
  fraction,
  fractionFromBig,
  fractionToNumber,
  roundFraction,
  subtractFractions,
} from '../../../server/appraisal/fractions.ts';

describe('exact fractions', () => {
  it('compares exactly where doubles cannot tell the values apart', () => {
    const a = fraction(2 ** 53 - 1, 2 ** 53 - 2);
    const b = fraction(2 ** 53 - 2, 2 ** 53 - 3);
    // Both divide to 1 + 2^-52 in floating point, yet b is the larger (a − b = −1 / ((2^53−2)(2^53−3))).
    expect((2 ** 53 - 1) / (2 ** 53 - 2)).to.equal((2 ** 53 - 2) / (2 ** 53 - 3));
    expect(compareFractions(a, b)).to.equal(-1);
    expect(compareFractions(b, a)).to.equal(1);
    expect(compareFractions(fraction(5, 2), fraction(10, 4))).to.equal(0);
  });

  it('keeps fractions reduced and adds them exactly', () => {
    expect(fraction(10, 4)).to.deep.equal({ numerator: 5, denominator: 2 });
    expect(fraction(3, -6)).to.deep.equal({ numerator: -1, denominator: 2 });
    expect(fraction(0, -7)).to.deep.equal({ numerator: 0, denominator: 1 });
    // 1/10 + 2/10 = 3/10 exactly, where 0.1 + 0.2 !== 0.3.
    expect(addFractions(fraction(1, 10), fraction(2, 10))).to.deep.equal(fraction(3, 10));
    expect(addFractions()).to.deep.equal(fraction(0));
  });

  it('subtracts exactly, to a negative where the second is larger', () => {
    expect(subtractFractions(fraction(1, 3), fraction(1, 2))).to.deep.equal(fraction(-1, 6));
    expect(subtractFractions(fraction(7, 4), fraction(7, 4))).to.deep.equal(fraction(0));
  });

  it('refuses a zero denominator, parts that are not safe integers, and a result too large to hold exactly', () => {
    expect(() => fraction(1, 0)).to.throw(RangeError, /zero denominator/);
    expect(() => fraction(1.5, 2)).to.throw(RangeError, /safe integers/);
    expect(() => fraction(2 ** 53, 1)).to.throw(RangeError, /safe integers/);
    expect(() => fractionFromBig(2n ** 60n, 1n)).to.throw(RangeError, /too large/);
    // Large parts are fine while the reduced result fits.
    expect(fractionFromBig(2n ** 60n, 2n ** 58n)).to.deep.equal(fraction(4));
  });

  it('rounds for display half-up in integers (1.005 → 1.01, where Math.round gives 1.00)', () => {
    expect(Math.round(1.005 * 100) / 100).to.equal(1);
    expect(fractionToNumber(fraction(201, 200), 2)).to.equal(1.01);
    expect(fractionToNumber(fraction(125, 3), 2)).to.equal(41.67);
    expect(fractionToNumber(fraction(-5, 2), 0)).to.equal(-3);
  });

  it('rounds to whole numbers half away from zero, for pence', () => {
    expect(roundFraction(fraction(5, 2))).to.equal(3);
    expect(roundFraction(fraction(-5, 2))).to.equal(-3);
    expect(roundFraction(fraction(249, 100))).to.equal(2);
  });
});
