import { expect } from 'chai';
import { fraction } from '../../../server/appraisal/fractions.ts';
import {
  appraiseBid,
  finalScores,
  meetsThresholds,
  weightedScore,
  type ScoringCriterion,
} from '../../../server/appraisal/scoring.ts';

// Two core criteria with thresholds and one gap criterion without: Σ weight = 3 + 2 + 1 = 6, so the best
// possible Σ weight × score is 6 × 5 = 30.
const criteria: ScoringCriterion[] = [
  { code: 'SF', weight: 3, minimumScore: 3 },
  { code: 'VFM', weight: 2, minimumScore: 2 },
  { code: 'GAP-NEED', weight: 1 },
];

function sheet(scores: Record<string, number[]>) {
  return Object.entries(scores).flatMap(([criterion, list]) => list.map((score) => ({ criterion, score })));
}

describe('appraisal scoring', () => {
  describe('final scores', () => {
    it('takes the exact mean of submitted scores and flags a spread of 2 but not 1', () => {
      const final = finalScores(criteria, sheet({ SF: [4, 4], VFM: [3, 2], 'GAP-NEED': [5, 3] }));
      expect(final).to.deep.equal([
        { criterion: 'SF', score: fraction(4), display: 4, flagged: false, moderated: false, submittedCount: 2 },
        // (3 + 2) / 2 = 5/2, spread 1: not flagged.
        { criterion: 'VFM', score: fraction(5, 2), display: 2.5, flagged: false, moderated: false, submittedCount: 2 },
        // spread 5 − 3 = 2: flagged.
        { criterion: 'GAP-NEED', score: fraction(4), display: 4, flagged: true, moderated: false, submittedCount: 2 },
      ]);
    });

    it('keeps thirds exact: (3 + 3 + 4) / 3 = 10/3, shown as 3.33', () => {
      const [sf] = finalScores(criteria, sheet({ SF: [3, 3, 4] }));
      expect(sf.score).to.deep.equal(fraction(10, 3));
      expect(sf.display).to.equal(3.33);
    });

    it('uses a moderated score in place of the mean and keeps the flag for the record', () => {
      const [sf] = finalScores(criteria, sheet({ SF: [1, 4] }), [{ criterion: 'SF', score: 3 }]);
      expect(sf).to.include({ flagged: true, moderated: true, display: 3 });
      expect(sf.score).to.deep.equal(fraction(3));
    });

    it('gives null to a criterion nobody has scored or moderated', () => {
      const final = finalScores(criteria, sheet({ SF: [4] }));
      expect(final[1]).to.include({ criterion: 'VFM', score: null, display: null, flagged: false });
    });

    it('refuses stored scores that could only be corrupt', () => {
      expect(() => finalScores(criteria, [{ criterion: 'SF', score: 6 }])).to.throw(RangeError);
      expect(() => finalScores(criteria, [{ criterion: 'SF', score: 2.5 }])).to.throw(RangeError);
      expect(() => finalScores(criteria, [{ criterion: 'NOPE', score: 2 }])).to.throw(RangeError);
    });
  });

  describe('weighted score', () => {
    it('is 100 × Σ weight × score ÷ (Σ weight × 5) on a hand-worked example', () => {
      // SF 4, VFM (3+2)/2 = 2.5, GAP 4:
      // Σ weight × score = 3×4 + 2×2.5 + 1×4 = 12 + 5 + 4 = 21; 100 × 21 / 30 = 70 exactly.
      const final = finalScores(criteria, sheet({ SF: [4, 4], VFM: [3, 2], 'GAP-NEED': [5, 3] }));
      expect(weightedScore(criteria, final)).to.deep.equal({ numerator: 70, denominator: 1, percent: 70 });
    });

    it('keeps a recurring weighted score exact and rounds only its display', () => {
      // SF (2+3)/2 = 2.5, VFM 2, GAP 1: Σ = 3×2.5 + 2×2 + 1×1 = 7.5 + 4 + 1 = 12.5;
      // 100 × 12.5 / 30 = 1250/30 = 125/3 = 41.666…, shown as 41.67.
      const final = finalScores(criteria, sheet({ SF: [2, 3], VFM: [2, 2], 'GAP-NEED': [1, 1] }));
      expect(weightedScore(criteria, final)).to.deep.equal({ numerator: 125, denominator: 3, percent: 41.67 });
    });

    it('counts core and gap criteria together, with moderation', () => {
      // SF moderated to 5, VFM 5, GAP 0: Σ = 15 + 10 + 0 = 25; 100 × 25 / 30 = 250/3 = 83.33…
      const final = finalScores(criteria, sheet({ SF: [3, 1], VFM: [5], 'GAP-NEED': [0] }), [
        { criterion: 'SF', score: 5 },
      ]);
      expect(weightedScore(criteria, final)).to.deep.equal({ numerator: 250, denominator: 3, percent: 83.33 });
    });

    it('stays exact when weights are too large to work in numbers', () => {
      // Weights of 2^45: Σ weight × score = 2^45 × (5 + 3) = 2^48, but 100 × 2^48 is past the safe integers.
      // 100 × 2^48 ÷ (2^46 × 5) = 80 exactly.
      const huge = [
        { code: 'A', weight: 2 ** 45 },
        { code: 'B', weight: 2 ** 45 },
      ];
      const final = finalScores(huge, [
        { criterion: 'A', score: 5 },
        { criterion: 'B', score: 3 },
      ]);
      expect(weightedScore(huge, final)).to.deep.equal({ numerator: 80, denominator: 1, percent: 80 });
    });

    it('is null until every weighted criterion has a final score', () => {
      const final = finalScores(criteria, sheet({ SF: [4], VFM: [4] }));
      expect(weightedScore(criteria, final)).to.equal(null);
    });
  });

  describe('quality thresholds', () => {
    it('fails a mean of 2 and 3 = 2.5 against a minimum of 3, exactly', () => {
      const final = finalScores(criteria, sheet({ SF: [2, 3], VFM: [2, 2], 'GAP-NEED': [0, 0] }));
      const result = meetsThresholds(criteria, final);
      expect(result.meets).to.equal(false);
      expect(result.failed).to.deep.equal([{ criterion: 'SF', minimumScore: 3, score: fraction(5, 2) }]);
    });

    it('passes a score equal to the minimum; gap criteria have no threshold', () => {
      // SF 3 = 3, VFM 2 = 2, GAP 0 (no minimum).
      const final = finalScores(criteria, sheet({ SF: [3, 3], VFM: [1, 3], 'GAP-NEED': [0, 0] }));
      expect(meetsThresholds(criteria, final)).to.deep.equal({ meets: true, failed: [] });
    });

    it('lets moderation lift a criterion over its threshold', () => {
      const { thresholds } = appraiseBid(criteria, sheet({ SF: [2, 3], VFM: [2, 2], 'GAP-NEED': [1, 1] }), [
        { criterion: 'SF', score: 3 },
      ]);
      expect(thresholds.meets).to.equal(true);
    });

    it('does not let an unscored criterion pass its threshold', () => {
      const result = meetsThresholds(criteria, finalScores(criteria, sheet({ SF: [5] })));
      expect(result.failed.map((f) => f.criterion)).to.deep.equal(['VFM']);
    });
  });
});
