import { expect } from 'chai';
import {
  criteriaOf,
  esfRateText,
  readScoreForm,
  runningScore,
  scoreFormValues,
  scoreFormView,
} from '../../../server/appraisal/pageModels.ts';
import {
  moderationCriteria,
  readDecisionForm,
  readModerationForm,
  uniqueErrors,
} from '../../../server/appraisal/officerPageModels.ts';
import { d2n2HealthAndWellbeingCall } from '../../../server/demo/d2n2.ts';
import { CRITERIA } from '../../support/builders.ts';

const criteria = criteriaOf(d2n2HealthAndWellbeingCall(new Date(), new Date()));

describe("the appraiser's score sheet", () => {
  it('lists core criteria with their minimums, then the gaps, as the panel scores them', () => {
    expect(criteria.map((c) => c.code)).to.deep.equal(CRITERIA);
    expect(criteria[0]).to.include({ kind: 'core', minimumScore: 3 });
    expect(criteria[5]).to.include({ kind: 'gap', minimumScore: null });
  });

  it(
    'reads every criterion in order: blank scores as null, blank comments left out, anything but 0–5 a ' + 'problem',
    () => {
      const { reader, body } = readScoreForm(
        { 'scores-0-score': '2', 'scores-0-comment': ' Thin ', 'scores-1-score': '7' },
        criteria,
        true,
      );
      expect(body.submit).to.equal(true);
      expect(body.scores[0]).to.deep.equal({ criterion: 'SF', score: 2, comment: 'Thin' });
      expect(body.scores[2]).to.deep.equal({ criterion: 'MC', score: null });
      expect(body.scores).to.have.length(10);
      expect(reader.problems).to.deep.equal([{ path: '/scores/1/score', message: 'Choose a score from 0 to 5' }]);
    },
  );

  it('fills the form from a saved sheet, the chosen radio checked and the first radio carrying the field id', () => {
    const values = scoreFormValues(criteria, [{ criterion: 'VFM', score: 4, comment: 'Good' }]);
    const view = scoreFormView(criteria, values, [{ field: 'scores-1-comment', message: 'x' }]);
    expect(view[1].radios.find((r) => r.checked)).to.include({ value: '4', text: '4 – Good', id: 'scores-1-score-4' });
    expect(view[1].radios[0].id).to.equal('scores-1-score');
    expect(view[1].comment).to.deep.equal({ id: 'scores-1-comment', value: 'Good', error: 'x' });
    expect(view[0].chosenText).to.equal('Not scored');
  });

  it('works out the weighted score of the saved scores so far, and which are below their minimum', () => {
    expect(runningScore(criteria, [])).to.deep.equal({ scored: 0, of: 10, complete: false, percent: null, below: [] });
    // SF 2 × weight 3 and VFM 4 × weight 3: 18 of 30 = 60%.
    const partial = runningScore(criteria, [
      { criterion: 'SF', score: 2, comment: null },
      { criterion: 'VFM', score: 4, comment: null },
      { criterion: 'MC', score: null, comment: null },
    ]);
    expect(partial).to.deep.equal({ scored: 2, of: 10, complete: false, percent: 60, below: ['Strategic fit'] });
    const full = runningScore(
      criteria,
      criteria.map((c) => ({ criterion: c.code, score: 5, comment: null })),
    );
    expect(full).to.include({ complete: true, percent: 100 });
  });

  it('shows ESF as a share of the total to two places, exactly', () => {
    expect(esfRateText(60_000_000, 120_000_000)).to.equal('50.00%');
    expect(esfRateText(1, 3)).to.equal('33.33%');
    expect(esfRateText(1, undefined)).to.equal('Not known');
  });
});

describe("the officer's moderation and decision forms", () => {
  const scores = {
    appraisers: [
      {
        label: 'Appraiser 1',
        submittedAt: '',
        scores: [
          { criterion: 'SF', score: 4, comment: null },
          { criterion: 'DEL', score: 4, comment: null },
        ],
      },
      {
        label: 'Appraiser 2',
        submittedAt: '',
        scores: [
          { criterion: 'SF', score: 4, comment: null },
          { criterion: 'DEL', score: 2, comment: 'Thin' },
        ],
      },
    ],
    moderated: [],
    final: criteria.map((c) => ({
      criterion: c.code,
      score: 4,
      flagged: c.code === 'DEL' || c.code === 'GAP-FUTURE',
      moderated: false,
    })),
  };

  it("puts flagged criteria first, in the call's order, then the rest", () => {
    const rows = moderationCriteria(criteria, scores);
    expect(rows.map((r) => r.code).slice(0, 3)).to.deep.equal(['DEL', 'GAP-FUTURE', 'SF']);
    expect(rows[0].appraisers).to.deep.equal([
      { label: 'Appraiser 1', score: 4, comment: '' },
      { label: 'Appraiser 2', score: 2, comment: 'Thin' },
    ]);
  });

  it('sends only rows with a score or a rationale, blank rationale included so the schema names it', () => {
    const { body } = readModerationForm({
      'scores-0-criterion': 'DEL',
      'scores-0-score': '3',
      'scores-0-rationale': '',
      'scores-1-criterion': 'SF',
      'scores-1-score': '',
      'scores-1-rationale': '',
    });
    expect(body).to.deep.equal({ scores: [{ criterion: 'DEL', score: 3, rationale: '' }] });
  });

  it('sends conditions or a reason only with the decision they belong to', () => {
    expect(readDecisionForm({ decision: 'approved', conditions: 'x', reason: 'y' }).body).to.deep.equal({
      decision: 'approved',
    });
    expect(readDecisionForm({ decision: 'rejected', conditions: 'x' }).body).to.deep.equal({
      decision: 'rejected',
      reason: '',
    });
    expect(readDecisionForm({}).body).to.deep.equal({});
  });

  it('says each problem once', () => {
    expect(
      uniqueErrors([
        { field: 'a', message: 'Must not be blank' },
        { field: 'a', message: 'Must not be blank' },
        { field: 'b', message: 'Must not be blank' },
      ]),
    ).to.have.length(2);
  });
});
