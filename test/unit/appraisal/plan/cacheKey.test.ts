import { expect } from 'chai';
import { planInput } from '../../../../server/appraisal/plan/cache.ts';
import { fraction } from '../../../../server/appraisal/fractions.ts';
import type { PlanBid, PlanObjective } from '../../../../server/appraisal/plan/types.ts';
import { bid } from './fixtures.ts';

describe('the text a solved plan is kept under (planInput)', () => {
  const options: { objective: PlanObjective; timeLimitSeconds: number; relativeGap: number } = {
    objective: 'score',
    timeLimitSeconds: 5,
    relativeGap: 0,
  };
  const allocations = [{ code: '1.1', allocationPence: 100_000_000 }];
  // a WeightedScore, as the summary passes it: its percent is for people and is not part of the key
  const weighted = { ...fraction(7, 10), percent: 70 };
  const ranked = (): PlanBid[] => [
    { ...bid('a', weighted, { '1.1': 60_000_000 }, 120), rank: 1 },
    { ...bid('b', fraction(13, 20), { '1.1': 50_000_000 }, 90), rank: 2 },
    { ...bid('c', fraction(1, 2), { '1.1': 50_000_000 }), rank: null },
  ];
  const key = (bids = ranked(), priorities = allocations, solver = options) => planInput(bids, priorities, solver);

  it('is the same for the same input, whatever order each object was built in or what else it carries', () => {
    const reordered = ranked().map((b) => ({
      rank: b.rank,
      priorities: b.priorities.map((p) => ({ esfPence: p.esfPence, code: p.code })),
      weighted: b.weighted && { denominator: b.weighted.denominator, numerator: b.weighted.numerator },
      participants: b.participants,
      bidId: b.bidId,
    }));
    expect(
      key(reordered, [{ allocationPence: 100_000_000, code: '1.1' }], {
        relativeGap: 0,
        timeLimitSeconds: 5,
        objective: 'score',
      }),
    ).to.equal(key());
  });

  it('leaves out the bids that are not ranked, and nothing a solve depends on', () => {
    const withoutUnranked = ranked().slice(0, 2);
    expect(key(withoutUnranked)).to.equal(key());
    const changes: [string, () => string][] = [
      ['a weighted score', () => key(ranked().map((b) => (b.bidId === 'b' ? { ...b, weighted: fraction(2, 3) } : b)))],
      ['participants', () => key(ranked().map((b) => (b.bidId === 'a' ? { ...b, participants: 121 } : b)))],
      [
        'ESF asked of a priority',
        () =>
          key(
            ranked().map((b) => (b.bidId === 'a' ? { ...b, priorities: [{ code: '1.1', esfPence: 60_000_001 }] } : b)),
          ),
      ],
      [
        'a priority code',
        () =>
          key(
            ranked().map((b) => (b.bidId === 'a' ? { ...b, priorities: [{ code: '1.4', esfPence: 60_000_000 }] } : b)),
          ),
      ],
      ['the rank order', () => key([ranked()[1], ranked()[0]])],
      ['an allocation', () => key(ranked(), [{ code: '1.1', allocationPence: 99_999_999 }])],
      ['the objective', () => key(ranked(), allocations, { ...options, objective: 'participants' })],
      ['the relative gap', () => key(ranked(), allocations, { ...options, relativeGap: 0.0001 })],
      ['the time limit', () => key(ranked(), allocations, { ...options, timeLimitSeconds: 1 })],
    ];
    for (const [what, changed] of changes) expect(changed(), what).to.not.equal(key());
  });
});
