/**
 * Exact fractions for the appraisal's arithmetic: a final score is often a mean (2 and 3 make 2.5) and a weighted
 * score a ratio of sums, so values are kept as reduced rationals, compared by integer cross-multiplication, and
 * rounded only for people (`fractionToNumber`), never fed back into a comparison.
 */

/**
 * An exact rational: always reduced, denominator > 0, both safe integers (so it survives JSON as it is).
 * Arithmetic is done in BigInt and only the reduced result must fit back into a safe integer.
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

/** Builds a reduced fraction from safe integers. */
export function fraction(numerator: number, denominator = 1): Fraction {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator)) {
    throw new RangeError(`Fraction parts must be safe integers, got ${numerator}/${denominator}`);
  }
  return fractionFromBig(BigInt(numerator), BigInt(denominator));
}

/** Exact three-way comparison by cross-multiplication: -1, 0 or 1. */
export function compareFractions(a: Fraction, b: Fraction): -1 | 0 | 1 {
  const left = BigInt(a.numerator) * BigInt(b.denominator);
  const right = BigInt(b.numerator) * BigInt(a.denominator);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Exact sum of any number of fractions (0 for none). */
export function addFractions(...terms: Fraction[]): Fraction {
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
