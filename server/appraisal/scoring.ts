/**
 * Appraisal scores, DESIGN.md's rules: final scores (moderated, else the mean), the spread flag, the weighted
 * score and the quality thresholds, all as exact fractions (fractions.ts); numbers rounded for people (`display`,
 * `percent`) are never fed back into a comparison or a rank.
 */
import {
  addFractions,
  compareFractions,
  fraction,
  fractionFromBig,
  fractionToNumber,
  type Fraction,
} from './fractions.ts';

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

const MAX_SCORE = 5;
const FLAG_SPREAD = 2;

/**
 * The criteria checked once per list: a call's ranking passes the same list for each of its bids (three checks a
 * bid, 6,000 maps for a national call), and a list is read-only.
 */
const checkedCriteria = new WeakMap<readonly ScoringCriterion[], Map<string, ScoringCriterion>>();

function checkCriteria(criteria: readonly ScoringCriterion[]): Map<string, ScoringCriterion> {
  const checked = checkedCriteria.get(criteria);
  if (checked) return checked;
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
  checkedCriteria.set(criteria, byCode);
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
    let lowest = MAX_SCORE;
    let highest = 0;
    for (const s of scores) {
      if (s < lowest) lowest = s;
      if (s > highest) highest = s;
    }
    const flagged = scores.length > 1 && highest - lowest >= FLAG_SPREAD;
    const mod = moderatedBy.get(c.code);
    let score: Fraction | null = null;
    if (mod !== undefined) score = fraction(mod);
    else if (scores.length > 0)
      score = fraction(
        scores.reduce((sum, s) => sum + s, 0),
        scores.length,
      );
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
  let totalWeight = 0;
  const terms: Fraction[] = [];
  for (const c of criteria) {
    if (c.weight === 0) continue;
    const score = finalBy.get(c.code) ?? null;
    if (score === null) return null;
    totalWeight += c.weight;
    terms.push({ numerator: score.numerator * c.weight, denominator: score.denominator });
  }
  if (totalWeight === 0) return null;
  const sum = addFractions(...terms);
  // In numbers while every part is a safe integer (always, for real weights and scores), else in BigInt.
  const numerator = 100 * sum.numerator;
  const denominator = sum.denominator * totalWeight * 5;
  const value =
    Number.isSafeInteger(numerator) && Number.isSafeInteger(denominator) && Number.isSafeInteger(totalWeight)
      ? fraction(numerator, denominator)
      : fractionFromBig(
          100n * BigInt(sum.numerator),
          BigInt(sum.denominator) * criteria.reduce((total, c) => total + BigInt(c.weight), 0n) * 5n,
        );
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
