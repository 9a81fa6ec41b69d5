import { expect } from 'chai';
import { budget } from '../../../../server/bids/sections/budget.ts';
import { call, draft, owned, readForm, viewOf } from './support.ts';

describe('the budget section', () => {
  it("puts each priority's ESF beside the call's priority it is for, and reads it back exactly", () => {
    const values = budget.values(draft, call);
    // the call's priorities are 1.1, 1.4 and 2.1: the draft asks nothing of 1.4
    expect(values).to.deep.equal({
      'priorities-0-esfPence': '450,000.00',
      'priorities-2-esfPence': '150,000.00',
      totalEligibleCostPence: '1,200,000.00',
    });
    const { part, problems } = readForm(budget, values);
    expect(problems).to.deep.equal([]);
    expect(part).to.deep.equal(owned(budget, draft));
  });

  it("ignores a row beyond the call's priorities, and answers a typo in pounds on its field", () => {
    const { part, problems } = readForm(budget, {
      'priorities-1-esfPence': '100',
      'priorities-5-esfPence': '9',
      totalEligibleCostPence: '1.234',
    });
    expect(part).to.deep.equal({ priorities: [{ code: '1.4', esfPence: 10_000 }], totalEligibleCostPence: undefined });
    expect(problems.map((p) => p.path)).to.deep.equal(['/totalEligibleCostPence']);
  });

  it("labels each priority with its allocation and the total with the call's intervention rate", () => {
    const view = viewOf(budget, {}) as { priorities: { label: string; hint: string }[]; totalHint: string };
    expect(view.priorities.map((p) => p.label.split(':')[0])).to.deep.equal([
      'Priority 1.1',
      'Priority 1.4',
      'Priority 2.1',
    ]);
    expect(view.priorities[0].hint).to.equal('ESF under this priority, in pounds. Its allocation is £800,000.00.');
    expect(view.totalHint).to.contain(`at most ${call.interventionRatePercent}%`);
  });
});
