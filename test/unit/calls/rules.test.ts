import { expect } from 'chai';
import { callWarnings, publishProblems } from '../../../server/calls/rules.ts';
import type { CallFields, Indicator } from '../../../server/calls/types.ts';
import { INDICATORS } from '../../../migrations/20261123120100_create-indicators.ts';
import { aCallBody } from '../../support/builders.ts';

const catalogue: Indicator[] = INDICATORS.map((i) => ({
  code: i.code,
  kind: i.kind as Indicator['kind'],
  title: i.title,
  baseCohort: i.base_cohort,
}));
const now = new Date();

function problemsOf(call: CallFields) {
  return publishProblems(call, catalogue, now);
}

describe('publishing a call', () => {
  it('has no problems for the worked example', () => {
    expect(problemsOf(aCallBody())).to.deep.equal([]);
  });

  it('refuses a call with no priorities', () => {
    expect(problemsOf(aCallBody({ priorities: [] }))).to.deep.include({
      path: '/priorities',
      message: 'A call needs at least one investment priority',
    });
  });

  it('refuses a closing time equal to the opening time, and accepts one a second later', () => {
    const opensAt = new Date(now.getTime() + 3600_000).toISOString();
    const same = problemsOf(aCallBody({ opensAt, closesAt: opensAt }));
    expect(same).to.deep.include({ path: '/closesAt', message: 'The closing time must be after the opening time' });
    const later = problemsOf(aCallBody({ opensAt, closesAt: new Date(Date.parse(opensAt) + 1000).toISOString() }));
    expect(later).to.deep.equal([]);
  });

  it('refuses unknown indicator codes, naming where they are', () => {
    const call = aCallBody();
    call.priorities[0].participantIndicators.push('P-MARTIANS');
    call.priorities[2].resultIndicators.push('R-NOPE');
    const problems = problemsOf(call);
    expect(problems).to.deep.include({
      path: '/priorities/0/participantIndicators/8',
      message: 'Unknown indicator code P-MARTIANS',
    });
    expect(problems).to.deep.include({
      path: '/priorities/2/resultIndicators/4',
      message: 'Unknown indicator code R-NOPE',
    });
  });

  it('refuses a result indicator listed as a participant indicator', () => {
    const call = aCallBody();
    call.priorities[1].participantIndicators.push('R-EDTRAIN');
    expect(problemsOf(call).map((p) => p.message)).to.include('R-EDTRAIN is a result indicator, not a participant one');
  });

  it('refuses duplicate priority codes', () => {
    const call = aCallBody();
    call.priorities[2].code = '1.1';
    expect(problemsOf(call)).to.deep.include({
      path: '/priorities',
      message: 'Priority code 1.1 is used more than once',
    });
  });

  it('refuses duplicate criterion codes across core and gap criteria', () => {
    const call = aCallBody();
    call.gapCriteria[0].code = 'SF';
    expect(problemsOf(call)).to.deep.include({
      path: '/appraisalCriteria',
      message: 'Criterion code SF is used more than once',
    });
  });

  it('refuses a zero or negative allocation and accepts one penny', () => {
    for (const allocationPence of [0, -1]) {
      const call = aCallBody();
      call.priorities[1].allocationPence = allocationPence;
      expect(problemsOf(call).map((p) => p.path)).to.include('/priorities/1/allocationPence');
    }
    const call = aCallBody();
    call.priorities[1].allocationPence = 1;
    expect(problemsOf(call).map((p) => p.path)).not.to.include('/priorities/1/allocationPence');
  });

  it('refuses a call whose priorities together cannot reach the floor', () => {
    const call = aCallBody({ minProjectEsfPence: 200_000_001 });
    expect(problemsOf(call).map((p) => p.path)).to.include('/minProjectEsfPence');
    expect(problemsOf(aCallBody({ minProjectEsfPence: 200_000_000 })).map((p) => p.path)).not.to.include(
      '/minProjectEsfPence',
    );
  });

  it('refuses a call with no gap or appraisal criteria', () => {
    const paths = problemsOf(aCallBody({ gapCriteria: [], appraisalCriteria: [] })).map((p) => p.path);
    expect(paths).to.include.members(['/gapCriteria', '/appraisalCriteria']);
  });
});

describe('warnings on a risky call', () => {
  it('warns that D2N2 priority 2.1 (£400,000) is below the £500,000 floor, and only that one', () => {
    const warnings = callWarnings(aCallBody());
    expect(warnings).to.have.length(1);
    expect(warnings[0].code).to.equal('CALL-ALLOCATION-BELOW-FLOOR');
    expect(warnings[0].message).to.contain('Priority 2.1').and.contain('£400,000.00').and.contain('£500,000.00');
  });

  it('warns at one penny below the floor and not at the floor itself', () => {
    const call = aCallBody();
    call.priorities[2].allocationPence = 49_999_999;
    expect(callWarnings(call).map((w) => w.message)[0]).to.contain('£499,999.99');
    call.priorities[2].allocationPence = 50_000_000;
    expect(callWarnings(call)).to.deep.equal([]);
  });
});
