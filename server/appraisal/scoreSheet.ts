/**
 * The rules of an appraiser's score sheet that its JSON Schema (schemas/scores.schema.json) cannot say, for a body
 * the schema has already passed (so every entry is an object with a criterion code, a score 0–5 or null, and text
 * for a comment): which criteria the call has, each scored once, and what a submission needs beyond a draft.
 */
import type { ErrorDetail } from '../errors.ts';
import type { ScoringCriterion } from './scoring.ts';

/** An entry of `PUT /bids/:id/scores/mine`, as the schema lets it through. */
export interface ScoreSheetEntry {
  criterion: string;
  score?: number | null;
  comment?: string;
}

export interface ScoreSheetCheck {
  /** Problems that make the sheet unsavable; with `submit`, also what stops it being submitted. */
  problems: ErrorDetail[];
  /** Every criterion scored exactly once, with the comments required: ready to submit. */
  complete: boolean;
  /** Criterion codes with no score yet, in the call's order. */
  missing: string[];
}

/** DESIGN.md: a comment is required for a score of 2 or below. */
const COMMENT_REQUIRED_AT_OR_BELOW = 2;

/**
 * Checks one appraiser's schema-valid score sheet against the call's criteria. A draft may be partial (missing
 * criteria, null scores, comments still to write); with `submit` those become problems too. Paths are JSON
 * pointers into the request body.
 */
export function checkScoreSheet(
  criteria: readonly ScoringCriterion[],
  scores: readonly ScoreSheetEntry[],
  options: { submit?: boolean } = {},
): ScoreSheetCheck {
  const submit = options.submit ?? false;
  const problems: ErrorDetail[] = [];
  const known = new Set(criteria.map((c) => c.code));
  const seen = new Map<string, number>();
  const scored = new Set<string>();
  let incomplete = false;

  scores.forEach((entry, i) => {
    const at = `/scores/${i}`;
    const code = entry.criterion;
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
    const comment = entry.comment?.trim() ?? '';
    if (entry.score === undefined || entry.score === null) {
      if (submit) problems.push({ path: `${at}/score`, message: `Give ${code} a score from 0 to 5` });
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
