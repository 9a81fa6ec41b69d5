import { expect } from 'chai';
import { greedyPlan, recommendations } from '../../../../server/appraisal/plan/greedy.ts';
import type { PlanBid } from '../../../../server/appraisal/plan/types.ts';
import { fraction } from '../../../../server/appraisal/fractions.ts';
import { bid } from './fixtures.ts';

describe('the greedy funding plan', () => {
  it('recommends bids in rank order while every priority they span has room', () => {
    const priorities = [
      { code: '1.1', allocationPence: 100 },
      { code: '2.1', allocationPence: 40 },
    ];
    const bids = [
      bid('a', fraction(90), { '1.1': 50, '2.1': 30 }), // fits: 1.1 has 50 left, 2.1 has 10
      bid('b', fraction(80), { '1.1': 30, '2.1': 20 }), // 1.1 has room, 2.1 does not: reserve
      bid('c', fraction(70), { '1.1': 50 }), // exactly fills 1.1
      bid('d', fraction(60), { '2.1': 10 }), // exactly fills 2.1
    ];
    const plan = greedyPlan(bids, priorities);
    expect(plan).to.deep.equal({
      bidIds: ['a', 'c', 'd'],
      totalWeightedScore: 220,
      totalWeightedScoreExact: fraction(220),
      totalParticipants: 300,
      priorities: [
        { code: '1.1', allocationPence: 100, fundedPence: 100, remainingPence: 0 },
        { code: '2.1', allocationPence: 40, fundedPence: 40, remainingPence: 0 },
      ],
    });
  });

  it('follows numbered ranks, leaves unranked bids out and never funds a priority the call lacks', () => {
    const bids: PlanBid[] = [
      { ...bid('second', fraction(50), { '1.1': 60 }), rank: 2 },
      { ...bid('first', fraction(80), { '1.1': 60 }), rank: 1 },
      { ...bid('unranked', fraction(99), { '1.1': 1 }), rank: null },
      { ...bid('elsewhere', fraction(40), { '9.9': 1 }), rank: 3 },
    ];
    const plan = greedyPlan(bids, [{ code: '1.1', allocationPence: 100 }]);
    expect(plan.bidIds).to.deep.equal(['first']);
    const ranks = bids.map((b) => ({ bidId: b.bidId, rank: b.rank ?? null }));
    expect(Object.fromEntries(recommendations(ranks, plan))).to.deep.equal({
      second: 'reserve',
      first: 'recommended',
      unranked: 'not-fundable',
      elsewhere: 'reserve',
    });
  });
});
