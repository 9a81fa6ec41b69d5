/**
 * Exact fractions for the appraisal's arithmetic: a final score is often a mean (2 and 3 make 2.5) and a weighted
 * score a ratio of sums, so values are kept as reduced rationals, compared by integer cross-multiplication, and
 * rounded only for people (`fractionToNumber`), never fed back into a comparison.
 */

/**
 * An exact rational: always reduced, denominator > 0, both safe integers (so it survives JSON as it is).
 * Arithmetic is exact (BigInt wherever numbers would not be) and only the reduced result must fit a safe integer.
 */
export interface Fraction {
  readonly numerator: number;
  readonly denominator: number;
}

function gcdBig(a: bigint, b: bigint): bigint {
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

/** Builds a reduced fraction from BigInt parts (denominator must be non-zero). */
export function fractionFromBig(numerator: bigint, denominator: bigint): Fraction {
  if (denominator === 0n) throw new RangeError('Fraction with a zero denominator');
  const sign = denominator < 0n ? -1n : 1n;
  const g = gcdBig(numerator, denominator) || 1n;
  return {
    numerator: toSafe((sign * numerator) / g, 'Numerator'),
    denominator: toSafe((sign * denominator) / g, 'Denominator'),
  };
}

// Integers up to 2^53 are exact in doubles, and a product or sum that would pass that shows as one past it, so
// each operation below works in numbers while every value stays safe and in BigInt only when one would not: the
// same results, without a BigInt for each of the appraisal's hundreds of thousands of small operations.

function gcdNumber(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

const isSafe = Number.isSafeInteger;

/** Builds a reduced fraction from safe integers. */
export function fraction(numerator: number, denominator = 1): Fraction {
  if (!isSafe(numerator) || !isSafe(denominator)) {
    throw new RangeError(`Fraction parts must be safe integers, got ${numerator}/${denominator}`);
  }
  if (denominator === 0) throw new RangeError('Fraction with a zero denominator');
  const sign = denominator < 0 ? -1 : 1;
  const g = gcdNumber(numerator, denominator) || 1;
  // `+ 0` turns the -0 of a negated zero into the 0 that BigInt gives.
  return { numerator: (sign * numerator) / g + 0, denominator: (sign * denominator) / g };
}

/** Exact three-way comparison by cross-multiplication: -1, 0 or 1. */
export function compareFractions(a: Fraction, b: Fraction): -1 | 0 | 1 {
  if (isSafe(a.numerator) && isSafe(a.denominator) && isSafe(b.numerator) && isSafe(b.denominator)) {
    const l = a.numerator * b.denominator;
    const r = b.numerator * a.denominator;
    if (isSafe(l) && isSafe(r)) return l < r ? -1 : l > r ? 1 : 0;
  }
  const left = BigInt(a.numerator) * BigInt(b.denominator);
  const right = BigInt(b.numerator) * BigInt(a.denominator);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The sum in numbers, reduced at each step as addFractions does; undefined as soon as a value would not be safe. */
function addSafeFractions(terms: readonly Fraction[]): Fraction | undefined {
  let num = 0;
  let den = 1;
  for (const t of terms) {
    if (!isSafe(t.numerator) || !isSafe(t.denominator)) return undefined;
    const a = num * t.denominator;
    const b = t.numerator * den;
    const sum = a + b;
    const product = den * t.denominator;
    if (!isSafe(a) || !isSafe(b) || !isSafe(sum) || !isSafe(product)) return undefined;
    const g = gcdNumber(sum, product) || 1;
    num = sum / g;
    den = product / g;
  }
  return fraction(num, den);
}

/** Exact sum of any number of fractions (0 for none). */
export function addFractions(...terms: Fraction[]): Fraction {
  const safe = addSafeFractions(terms);
  if (safe) return safe;
  let num = 0n;
  let den = 1n;
  for (const t of terms) {
    const tn = BigInt(t.numerator);
    const td = BigInt(t.denominator);
    num = num * td + tn * den;
    den *= td;
    const g = gcdBig(num, den) || 1n;
    num /= g;
    den /= g;
  }
  return fractionFromBig(num, den);
}

/** Exact difference a − b. */
export function subtractFractions(a: Fraction, b: Fraction): Fraction {
  return addFractions(a, { numerator: -b.numerator, denominator: b.denominator });
}

/**
 * Rounds a fraction half away from zero to `dp` decimal places, in integers, for display: Math.round(x * 100)
 * would turn 1.005 into 1.00 because 1.005 is not a double.
 */
export function fractionToNumber(value: Fraction, dp = 2): number {
  const { numerator: n, denominator: d } = value;
  if (isSafe(n) && isSafe(d) && d > 0 && isSafe(dp) && dp >= 0 && dp <= 15) {
    const p = 2 * Math.abs(n) * 10 ** dp + d;
    const q = 2 * d;
    if (isSafe(p + q)) {
      // Floor division, corrected by the remainder where the double quotient rounded across a whole number.
      let whole = Math.floor(p / q);
      const rest = p - whole * q;
      if (rest < 0) whole -= 1;
      else if (rest >= q) whole += 1;
      return (n < 0 && whole !== 0 ? -whole : whole) / 10 ** dp;
    }
  }
  const scale = 10n ** BigInt(dp);
  const num = BigInt(value.numerator);
  const den = BigInt(value.denominator);
  const abs = num < 0n ? -num : num;
  const scaled = (2n * abs * scale + den) / (2n * den);
  const signed = num < 0n ? -scaled : scaled;
  return Number(signed) / Number(scale);
}

/** Rounds a fraction half away from zero to a whole number, exactly (for pence). */
export function roundFraction(value: Fraction): number {
  return fractionToNumber(value, 0);
}
