import { expect } from 'chai';
import { rankBids, type RankableBid } from '../../../server/appraisal/ranking.ts';
import { fraction } from '../../../server/appraisal/fractions.ts';

function bid(overrides: Partial<RankableBid> & Pick<RankableBid, 'bidId'>): RankableBid {
  return {
    reference: `REF-${overrides.bidId}`,
    gatewayPassed: true,
    meetsThresholds: true,
    weighted: fraction(70),
    esfPence: 60_000_000,
    participants: 600,
    submittedAt: new Date('2027-02-01T12:00:00Z'),
    priorities: [{ code: '1.1', esfPence: 60_000_000 }],
    ...overrides,
  };
}

const order = (bids: RankableBid[]) => rankBids(bids).map((b) => [b.bidId, b.rank]);

describe('appraisal ranking', () => {
  it('ranks by weighted score, highest first, exactly', () => {
    // 125/3 = 41.666… ranks above 41.66 and below 41.67, though all three show as 41.67 or thereabouts.
    const ranked = order([
      bid({ bidId: 'a', weighted: fraction(4166, 100) }),
      bid({ bidId: 'b', weighted: fraction(125, 3) }),
      bid({ bidId: 'c', weighted: fraction(4167, 100) }),
    ]);
    expect(ranked).to.deep.equal([
      ['c', 1],
      ['b', 2],
      ['a', 3],
    ]);
  });

  it('breaks a tie on score by lower ESF per participant', () => {
    // a: 60,000,000 / 600 = 100,000p per participant; b: 50,000,000 / 400 = 125,000p. a first although b
    // asks for less ESF in total.
    expect(
      order([
        bid({ bidId: 'b', esfPence: 50_000_000, participants: 400 }),
        bid({ bidId: 'a', esfPence: 60_000_000, participants: 600 }),
      ]),
    ).to.deep.equal([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('compares ESF per participant by cross-multiplication, not division', () => {
    // (2^53 − 1)/(2^53 − 2) and (2^53 − 2)/(2^53 − 3) are the same double, but a's is the smaller.
    const a = bid({ bidId: 'a', reference: 'Z', esfPence: 2 ** 53 - 1, participants: 2 ** 53 - 2 });
    const b = bid({ bidId: 'b', reference: 'A', esfPence: 2 ** 53 - 2, participants: 2 ** 53 - 3 });
    expect(order([b, a]).map(([id]) => id)).to.deep.equal(['a', 'b']);
  });

  it('breaks a tie on score and ESF per participant by earlier submission, then by reference', () => {
    const early = new Date('2027-02-01T09:00:00Z');
    const late = new Date('2027-02-06T23:59:00Z');
    expect(
      order([
        // Same ESF per participant as the others: 30,000,000 / 300 = 100,000p.
        bid({ bidId: 'late', submittedAt: late, esfPence: 30_000_000, participants: 300 }),
        bid({ bidId: 'early', submittedAt: early }),
        bid({ bidId: 'y', reference: 'OC-2', submittedAt: late }),
        bid({ bidId: 'x', reference: 'OC-10', submittedAt: late }),
      ]),
    ).to.deep.equal([
      ['early', 1],
      ['x', 2],
      ['y', 3],
      ['late', 4],
    ]);
  });

  it('ranks no bid that failed the gateway, failed a threshold or is not fully scored', () => {
    const ranked = rankBids([
      bid({ bidId: 'fail-gateway', reference: 'C', gatewayPassed: false, weighted: fraction(99) }),
      bid({ bidId: 'fail-threshold', reference: 'B', meetsThresholds: false, weighted: fraction(98) }),
      bid({ bidId: 'unscored', reference: 'A', weighted: null }),
      bid({ bidId: 'ok', weighted: fraction(10) }),
    ]);
    expect(ranked.map((b) => [b.bidId, b.rank])).to.deep.equal([
      ['ok', 1],
      ['unscored', null],
      ['fail-threshold', null],
      ['fail-gateway', null],
    ]);
  });

  it('puts a bid with no participants after every bid with some, on equal scores', () => {
    expect(
      order([bid({ bidId: 'none', participants: 0 }), bid({ bidId: 'costly', esfPence: 99_000_000, participants: 1 })]),
    ).to.deep.equal([
      ['costly', 1],
      ['none', 2],
    ]);
  });

  it('keeps the caller’s fields on each ranked bid', () => {
    const [first] = rankBids([{ ...bid({ bidId: 'a' }), title: 'Working Well Together' }]);
    expect(first).to.include({ bidId: 'a', rank: 1, title: 'Working Well Together' });
  });
});
