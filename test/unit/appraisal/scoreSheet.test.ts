import { expect } from 'chai';
import { Validation } from '../../../server/errors.ts';
import { validate } from '../../../server/validation.ts';
import { checkScoreSheet } from '../../../server/appraisal/scoreSheet.ts';
import type { ScoringCriterion } from '../../../server/appraisal/scoring.ts';

// Two core criteria with thresholds and one gap criterion without.
const criteria: ScoringCriterion[] = [
  { code: 'SF', weight: 3, minimumScore: 3 },
  { code: 'VFM', weight: 2, minimumScore: 2 },
  { code: 'GAP-NEED', weight: 1 },
];

/** The paths the score sheet's schema refuses a body at. */
function schemaPaths(body: unknown): string[] {
  try {
    validate('scores.schema.json', body);
  } catch (error) {
    if (error instanceof Validation) return [...new Set(error.details.map((d) => d.path))];
    throw error;
  }
  return [];
}

describe('score sheet validation', () => {
  const full = [
    { criterion: 'SF', score: 4, comment: 'Strong fit with the ESIF strategy.' },
    { criterion: 'VFM', score: 2, comment: 'Cost per participant well above the call median.' },
    { criterion: 'GAP-NEED', score: 3 },
  ];

  it('accepts a complete sheet', () => {
    expect(schemaPaths({ submit: true, scores: full })).to.deep.equal([]);
    expect(checkScoreSheet(criteria, full, { submit: true })).to.deep.equal({
      problems: [],
      complete: true,
      missing: [],
    });
  });

  it('lets a draft be partial but not submitted partial', () => {
    const draft = [
      { criterion: 'SF', score: 4 },
      { criterion: 'VFM', score: null },
    ];
    expect(schemaPaths({ submit: true, scores: draft })).to.deep.equal([]);
    expect(checkScoreSheet(criteria, draft)).to.deep.equal({
      problems: [],
      complete: false,
      missing: ['VFM', 'GAP-NEED'],
    });
    expect(checkScoreSheet(criteria, draft, { submit: true }).problems).to.deep.equal([
      { path: '/scores/1/score', message: 'Give VFM a score from 0 to 5' },
      { path: '/scores', message: 'Criterion GAP-NEED has no score' },
    ]);
  });

  it('requires a non-blank comment for a score of 2 or below on submission', () => {
    const sheetWithBlank = [
      full[0],
      { criterion: 'VFM', score: 2, comment: '   ' },
      { criterion: 'GAP-NEED', score: 0 },
    ];
    const draft = checkScoreSheet(criteria, sheetWithBlank);
    expect(draft.problems).to.deep.equal([]);
    expect(draft.complete).to.equal(false);
    expect(checkScoreSheet(criteria, sheetWithBlank, { submit: true }).problems.map((p) => p.path)).to.deep.equal([
      '/scores/1/comment',
      '/scores/2/comment',
    ]);
    // 3 needs no comment.
    expect(checkScoreSheet(criteria, full, { submit: true }).complete).to.equal(true);
  });

  it('refuses scores outside whole numbers 0–5 (the schema), unknown criteria and a criterion scored twice (the call)', () => {
    // What the schema can say, each entry refused at its own path.
    const bad: [unknown, string][] = [
      [{ criterion: 'SF', score: 6 }, '/scores/0/score'],
      [{ criterion: 'VFM', score: 2.5, comment: 'x' }, '/scores/0/score'],
      [{ criterion: 'GAP-NEED', score: '3' }, '/scores/0/score'],
      [{ criterion: 'SF', score: -1 }, '/scores/0/score'],
      ['nonsense', '/scores/0'],
      [{ score: 3 }, '/scores/0/criterion'],
      [{ criterion: ' ', score: 3 }, '/scores/0/criterion'],
      [{ criterion: 'SF', score: 3, comment: 7 }, '/scores/0/comment'],
    ];
    for (const [entry, path] of bad)
      expect(schemaPaths({ submit: false, scores: [entry] }), JSON.stringify(entry)).to.deep.equal([path]);
    // What only the call's criteria can say.
    const result = checkScoreSheet(criteria, [
      { criterion: 'SF', score: 4 },
      { criterion: 'SF', score: 4 },
      { criterion: 'MADE-UP', score: 4 },
    ]);
    expect(result.problems).to.deep.equal([
      { path: '/scores/1/criterion', message: 'SF is already scored at /scores/0' },
      { path: '/scores/2/criterion', message: '"MADE-UP" is not a criterion of this call' },
    ]);
    expect(result.complete).to.equal(false);
  });

  it('refuses a body whose scores are not a list', () => {
    expect(schemaPaths({ submit: false, scores: { SF: 4 } })).to.deep.equal(['/scores']);
  });
});
