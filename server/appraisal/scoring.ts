/**
 * Appraisal scores as exact fractions. A final score is often a mean (2 and 3 make 2.5) and a weighted score a
 * ratio of sums, so every comparison here is made by integer cross-multiplication; numbers rounded for people
 * (`display`, `percent`) are never fed back into a comparison or a rank.
 */
import type { ErrorDetail } from '../errors.ts';

/**
 * An exact rational: always reduced, denominator > 0, both safe integers (so it survives JSON as it is).
 * Arithmetic is done in BigInt and only the reduced result must fit back into a safe integer.
 */
export interface Fraction {
  readonly numerator: number;
  readonly denominator: number;
}

/** A core criterion has a `minimumScore` (the quality threshold); a gap criterion has none. */
export interface ScoringCriterion {
  code: string;
  weight: number;
  minimumScore?: number | null;
}

/** One appraiser's submitted score for one criterion, or the officer's moderated score. */
export interface CriterionScore {
  criterion: string;
  score: number;
}

export interface FinalScore {
  criterion: string;
  /** Moderated score if set, else the exact mean of submitted scores; null when nobody has scored it. */
  score: Fraction | null;
  /** `score` rounded to 2 dp, for people only. */
  display: number | null;
  /** Submitted scores differ by 2 or more, so the chair should moderate. Stays true after moderation. */
  flagged: boolean;
  moderated: boolean;
  submittedCount: number;
}

/** The weighted score is a Fraction (of 100) with its display percentage alongside. */
export interface WeightedScore extends Fraction {
  /** Rounded half-up to 2 dp, for people only: compare the fraction, never this. */
  percent: number;
}

export interface ThresholdFailure {
  criterion: string;
  minimumScore: number;
  score: Fraction | null;
}

export interface ThresholdResult {
  meets: boolean;
  failed: ThresholdFailure[];
}

/** An entry of `PUT /bids/:id/scores/mine`; a request body, so every field is checked, not trusted. */
export interface ScoreSheetEntry {
  criterion?: unknown;
  score?: unknown;
  comment?: unknown;
}

export interface ScoreSheetCheck {
  /** Problems that make the sheet unsavable; with `submit`, also what stops it being submitted. */
  problems: ErrorDetail[];
  /** Every criterion scored exactly once, validly, with the comments required: ready to submit. */
  complete: boolean;
  /** Criterion codes with no score yet, in the call's order. */
  missing: string[];
}

const MAX_SCORE = 5;
const COMMENT_REQUIRED_AT_OR_BELOW = 2;
const FLAG_SPREAD = 2;

// ---------------------------------------------------------------------------------------------------------------
// Fractions

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

// ---------------------------------------------------------------------------------------------------------------
// Scores

function checkCriteria(criteria: readonly ScoringCriterion[]): Map<string, ScoringCriterion> {
  const byCode = new Map<string, ScoringCriterion>();
  for (const c of criteria) {
    if (byCode.has(c.code)) throw new RangeError(`Criterion ${c.code} is listed twice`);
    // The call schema makes weights integers 1–100; anything else would make the arithmetic inexact.
    if (!Number.isSafeInteger(c.weight) || c.weight < 0) {
      throw new RangeError(`Criterion ${c.code} has weight ${c.weight}; weights are whole numbers`);
    }
    if (c.minimumScore != null && !isScore(c.minimumScore)) {
      throw new RangeError(`Criterion ${c.code} has minimum score ${c.minimumScore}; it must be 0–5`);
    }
    byCode.set(c.code, c);
  }
  return byCode;
}

function isScore(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_SCORE;
}

/** Each criterion's final score: moderated if set, else the exact mean of submitted scores, with the spread flag. */
export function finalScores(
  criteria: readonly ScoringCriterion[],
  submitted: readonly CriterionScore[],
  moderated: readonly CriterionScore[] = [],
): FinalScore[] {
  const byCode = checkCriteria(criteria);
  const scoresBy = new Map<string, number[]>(criteria.map((c) => [c.code, []]));
  for (const s of submitted) {
    // Stored scores were validated on the way in, so a bad one here is corrupt data, not a user mistake.
    if (!byCode.has(s.criterion)) throw new RangeError(`Score for unknown criterion ${s.criterion}`);
    if (!isScore(s.score)) throw new RangeError(`Score ${s.score} for ${s.criterion} is not a whole number 0–5`);
    scoresBy.get(s.criterion)!.push(s.score);
  }
  const moderatedBy = new Map<string, number>();
  for (const m of moderated) {
    if (!byCode.has(m.criterion)) throw new RangeError(`Moderated score for unknown criterion ${m.criterion}`);
    if (!isScore(m.score)) throw new RangeError(`Moderated score ${m.score} for ${m.criterion} is not 0–5`);
    if (moderatedBy.has(m.criterion)) throw new RangeError(`Criterion ${m.criterion} is moderated twice`);
    moderatedBy.set(m.criterion, m.score);
  }
  return criteria.map((c) => {
    const scores = scoresBy.get(c.code)!;
    const flagged = scores.length > 1 && Math.max(...scores) - Math.min(...scores) >= FLAG_SPREAD;
    const mod = moderatedBy.get(c.code);
    let score: Fraction | null = null;
    if (mod !== undefined) score = fraction(mod);
    else if (scores.length > 0) score = fraction(scores.reduce((sum, s) => sum + s, 0), scores.length);
    return {
      criterion: c.code,
      score,
      display: score === null ? null : fractionToNumber(score, 2),
      flagged,
      moderated: mod !== undefined,
      submittedCount: scores.length,
    };
  });
}

/**
 * 100 × Σ weight × score ÷ (Σ weight × 5) over core and gap criteria together, exactly; null until every
 * weighted criterion has a final score (a partly scored bid has no weighted score to rank on).
 */
export function weightedScore(
  criteria: readonly ScoringCriterion[],
  finals: readonly Pick<FinalScore, 'criterion' | 'score'>[],
): WeightedScore | null {
  checkCriteria(criteria);
  const finalBy = new Map(finals.map((f) => [f.criterion, f.score]));
  let totalWeight = 0n;
  const terms: Fraction[] = [];
  for (const c of criteria) {
    if (c.weight === 0) continue;
    const score = finalBy.get(c.code) ?? null;
    if (score === null) return null;
    totalWeight += BigInt(c.weight);
    terms.push({ numerator: score.numerator * c.weight, denominator: score.denominator });
  }
  if (totalWeight === 0n) return null;
  const sum = addFractions(...terms);
  const value = fractionFromBig(100n * BigInt(sum.numerator), BigInt(sum.denominator) * totalWeight * 5n);
  return { ...value, percent: fractionToNumber(value, 2) };
}

/** Whether every criterion with a `minimumScore` reaches it (exactly: a mean of 2.5 fails a minimum of 3). */
export function meetsThresholds(
  criteria: readonly ScoringCriterion[],
  finals: readonly Pick<FinalScore, 'criterion' | 'score'>[],
): ThresholdResult {
  checkCriteria(criteria);
  const finalBy = new Map(finals.map((f) => [f.criterion, f.score]));
  const failed: ThresholdFailure[] = [];
  for (const c of criteria) {
    if (c.minimumScore == null) continue;
    const score = finalBy.get(c.code) ?? null;
    // An unscored criterion cannot be said to meet its threshold.
    if (score === null || compareFractions(score, fraction(c.minimumScore)) < 0) {
      failed.push({ criterion: c.code, minimumScore: c.minimumScore, score });
    }
  }
  return { meets: failed.length === 0, failed };
}

/** Final scores, weighted score and thresholds for one bid in one call, for the routes' convenience. */
export function appraiseBid(
  criteria: readonly ScoringCriterion[],
  submitted: readonly CriterionScore[],
  moderated: readonly CriterionScore[] = [],
): { final: FinalScore[]; weighted: WeightedScore | null; thresholds: ThresholdResult } {
  const final = finalScores(criteria, submitted, moderated);
  return { final, weighted: weightedScore(criteria, final), thresholds: meetsThresholds(criteria, final) };
}

/**
 * Checks one appraiser's score sheet. A draft may be partial (missing criteria, null scores, comments still to
 * write); with `submit` those become problems too. Paths are JSON pointers into the request body.
 */
export function validateScoreSheet(
  criteria: readonly ScoringCriterion[],
  scores: unknown,
  options: { submit?: boolean } = {},
): ScoreSheetCheck {
  const submit = options.submit ?? false;
  const problems: ErrorDetail[] = [];
  if (!Array.isArray(scores)) {
    const missing = criteria.map((c) => c.code);
    return { problems: [{ path: '/scores', message: 'Scores must be a list' }], complete: false, missing };
  }
  const known = new Set(criteria.map((c) => c.code));
  const seen = new Map<string, number>();
  const scored = new Set<string>();
  let incomplete = false;

  (scores as unknown[]).forEach((raw, i) => {
    const at = `/scores/${i}`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push({ path: at, message: 'Each score must be an object with a criterion and a score' });
      incomplete = true;
      return;
    }
    const entry = raw as ScoreSheetEntry;
    const code = entry.criterion;
    if (typeof code !== 'string' || code.trim() === '') {
      problems.push({ path: `${at}/criterion`, message: 'Criterion is required' });
      incomplete = true;
      return;
    }
    if (!known.has(code)) {
      problems.push({ path: `${at}/criterion`, message: `"${code}" is not a criterion of this call` });
      incomplete = true;
      return;
    }
    const first = seen.get(code);
    if (first !== undefined) {
      problems.push({ path: `${at}/criterion`, message: `${code} is already scored at /scores/${first}` });
      incomplete = true;
      return;
    }
    seen.set(code, i);

    if (entry.comment !== undefined && entry.comment !== null && typeof entry.comment !== 'string') {
      problems.push({ path: `${at}/comment`, message: 'Comment must be text' });
      incomplete = true;
    }
    const comment = typeof entry.comment === 'string' ? entry.comment.trim() : '';

    if (entry.score === undefined || entry.score === null) {
      if (submit) problems.push({ path: `${at}/score`, message: `Give ${code} a score from 0 to 5` });
      incomplete = true;
      return;
    }
    if (!isScore(entry.score)) {
      problems.push({ path: `${at}/score`, message: 'Score must be a whole number from 0 to 5' });
      incomplete = true;
      return;
    }
    if (entry.score <= COMMENT_REQUIRED_AT_OR_BELOW && comment === '') {
      // A draft may hold a low score while its comment is being written; submission may not.
      if (submit) {
        problems.push({ path: `${at}/comment`, message: `A score of ${entry.score} needs a comment saying why` });
      }
      incomplete = true;
    }
    scored.add(code);
  });

  const missing = criteria.map((c) => c.code).filter((code) => !seen.has(code) || !scored.has(code));
  const unseen = criteria.map((c) => c.code).filter((code) => !seen.has(code));
  if (submit) {
    for (const code of unseen) problems.push({ path: '/scores', message: `Criterion ${code} has no score` });
  }
  return { problems, complete: !incomplete && problems.length === 0 && missing.length === 0, missing };
}
