import { expect } from 'chai';
import fc from 'fast-check';
import {
  addFractions,
  compareFractions,
  fraction,
  fractionToNumber,
  type Fraction,
} from '../../../server/appraisal/fractions.ts';

// The fraction arithmetic works in numbers while every value is a safe integer and in BigInt past that. These are
// the BigInt-only versions it replaced, the reference its answers must equal everywhere, near 2^53 included.
function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}
function toSafe(value: bigint, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} ${value} is too large to represent exactly`);
  return n;
}
function reduced(n: bigint, d: bigint): Fraction {
  if (d === 0n) throw new RangeError('Fraction with a zero denominator');
  const sign = d < 0n ? -1n : 1n;
  const g = gcd(n, d) || 1n;
  return { numerator: toSafe((sign * n) / g, 'Numerator'), denominator: toSafe((sign * d) / g, 'Denominator') };
}
function referenceCompare(a: Fraction, b: Fraction): number {
  const left = BigInt(a.numerator) * BigInt(b.denominator);
  const right = BigInt(b.numerator) * BigInt(a.denominator);
  return left < right ? -1 : left > right ? 1 : 0;
}
function referenceAdd(terms: Fraction[]): Fraction {
  let num = 0n;
  let den = 1n;
  for (const t of terms) {
    num = num * BigInt(t.denominator) + BigInt(t.numerator) * den;
    den *= BigInt(t.denominator);
    const g = gcd(num, den) || 1n;
    num /= g;
    den /= g;
  }
  return reduced(num, den);
}
function referenceToNumber(value: Fraction, dp: number): number {
  const scale = 10n ** BigInt(dp);
  const num = BigInt(value.numerator);
  const den = BigInt(value.denominator);
  const abs = num < 0n ? -num : num;
  const scaled = (2n * abs * scale + den) / (2n * den);
  return Number(num < 0n ? -scaled : scaled) / Number(scale);
}
/** The answer, or the error's message: both ways must agree on which inputs are refused, too. */
function outcome<T>(f: () => T): T | string {
  try {
    return f();
  } catch (error) {
    return `throws ${(error as Error).message}`;
  }
}

const MAX = Number.MAX_SAFE_INTEGER;
// Small values (scores, weights), values around the 2^26 and 2^53 edges, and anything safe.
const integer = fc.oneof(
  fc.integer({ min: -20, max: 20 }),
  fc.integer({ min: 2 ** 26 - 50, max: 2 ** 26 + 50 }),
  fc.integer({ min: MAX - 1000, max: MAX }),
  fc.integer({ min: -MAX, max: -MAX + 1000 }),
  fc.maxSafeInteger(),
);
const nonZero = integer.filter((n) => n !== 0);
const aFraction = fc
  .tuple(integer, nonZero)
  .map(([n, d]) => outcome(() => fraction(n, d)))
  .filter((f): f is Fraction => typeof f !== 'string');

describe('fraction arithmetic in numbers', () => {
  it('reduces as BigInt does, and refuses what it refused', () => {
    fc.assert(
      fc.property(integer, integer, (n, d) => {
        expect(outcome(() => fraction(n, d))).to.deep.equal(outcome(() => reduced(BigInt(n), BigInt(d))));
      }),
      { numRuns: 2000 },
    );
    expect(fraction(0, -7)).to.deep.equal({ numerator: 0, denominator: 1 });
    expect(Object.is(fraction(0, -7).numerator, 0)).to.equal(true);
    expect(outcome(() => fraction(1.5, 2))).to.match(/safe integers/);
  });

  it('compares as BigInt does, products past 2^53 included', () => {
    fc.assert(
      fc.property(aFraction, aFraction, (a, b) => {
        expect(compareFractions(a, b)).to.equal(referenceCompare(a, b));
      }),
      { numRuns: 3000 },
    );
    // 2^53 + 1 and 2^53 are the same double: only exact arithmetic tells these apart.
    expect(compareFractions({ numerator: MAX, denominator: 3 }, { numerator: MAX - 1, denominator: 3 })).to.equal(1);
    const nearOne = { numerator: MAX, denominator: MAX - 1 };
    expect(compareFractions(nearOne, { numerator: MAX - 1, denominator: MAX - 2 })).to.equal(-1);
  });

  it('adds as BigInt does, and falls back to it where a step would not be safe', () => {
    fc.assert(
      fc.property(fc.array(aFraction, { maxLength: 6 }), (terms) => {
        expect(outcome(() => addFractions(...terms))).to.deep.equal(outcome(() => referenceAdd(terms)));
      }),
      { numRuns: 2000 },
    );
    const half = { numerator: MAX, denominator: 2 };
    expect(addFractions(half, half)).to.deep.equal({ numerator: MAX, denominator: 1 });
    expect(addFractions()).to.deep.equal({ numerator: 0, denominator: 1 });
  });

  it('rounds half away from zero as BigInt does, at every number of places', () => {
    fc.assert(
      fc.property(aFraction, fc.integer({ min: 0, max: 18 }), (value, dp) => {
        expect(Object.is(fractionToNumber(value, dp), referenceToNumber(value, dp))).to.equal(true);
      }),
      { numRuns: 3000 },
    );
    expect(fractionToNumber({ numerator: 201, denominator: 200 }, 2)).to.equal(1.01);
    expect(fractionToNumber({ numerator: -201, denominator: 200 }, 2)).to.equal(-1.01);
    expect(Object.is(fractionToNumber({ numerator: -1, denominator: 1000 }, 2), 0)).to.equal(true);
    const large = { numerator: MAX, denominator: 7 };
    expect(fractionToNumber(large, 2)).to.equal(referenceToNumber(large, 2));
  });
});
