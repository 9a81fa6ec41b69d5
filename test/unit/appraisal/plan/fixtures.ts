/** Funding-plan test fixtures: bids, a brute-force optimum to hold the solver to, and a deterministic 200-bid call. */
import type { FundingPlan, PlanBid, PriorityAllocation } from '../../../../server/appraisal/plan/types.ts';
import { addFractions, compareFractions, fraction, type Fraction } from '../../../../server/appraisal/fractions.ts';

export function bid(
  bidId: string,
  weighted: Fraction,
  priorities: Record<string, number>,
  participants = 100,
): PlanBid {
  return {
    bidId,
    weighted,
    participants,
    priorities: Object.entries(priorities).map(([code, esfPence]) => ({ code, esfPence })),
  };
}

/** Every subset, exactly: the best objective value there is, to hold the solver to. */
export function bruteForceBest(
  bids: readonly PlanBid[],
  priorities: readonly PriorityAllocation[],
  objective: 'score' | 'participants',
): Fraction {
  let best = fraction(0);
  for (let mask = 0; mask < 1 << bids.length; mask++) {
    const chosen = bids.filter((_, i) => mask & (1 << i));
    if (!isFeasible(chosen, priorities)) continue;
    const value =
      objective === 'score'
        ? addFractions(...chosen.map((b) => b.weighted!))
        : fraction(chosen.reduce((sum, b) => sum + b.participants, 0));
    if (compareFractions(value, best) > 0) best = value;
  }
  return best;
}

export function isFeasible(chosen: readonly PlanBid[], priorities: readonly PriorityAllocation[]): boolean {
  const allocation = new Map(priorities.map((p) => [p.code, p.allocationPence]));
  const used = new Map<string, number>();
  for (const b of chosen) for (const p of b.priorities) used.set(p.code, (used.get(p.code) ?? 0) + p.esfPence);
  return [...used].every(([code, pence]) => pence <= (allocation.get(code) ?? 0));
}

export function planValue(plan: FundingPlan, objective: 'score' | 'participants'): Fraction {
  return objective === 'score' ? plan.totalWeightedScoreExact : fraction(plan.totalParticipants);
}

export function chosenBids(plan: FundingPlan, bids: readonly PlanBid[]): PlanBid[] {
  return plan.bidIds.map((id) => bids.find((b) => b.bidId === id)!);
}

/** A small deterministic generator, so the 200-bid call is the same call on every run. */
export function randomCall(count: number, seed: number) {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const codes = ['1.1', '1.4', '2.1'];
  const totals = [0, 0, 0];
  const bids: PlanBid[] = [];
  for (let i = 0; i < count; i++) {
    // Two appraisers and weights summing to 15: weighted scores are multiples of 2/3 between 40 and 100.
    const weighted = fraction(2 * (60 + Math.floor(random() * 91)), 3);
    const esf = (500 + Math.floor(random() * 1_500)) * 100_000;
    const span = random() < 0.6 ? 1 : random() < 0.75 ? 2 : 3;
    const chosen = [...codes].sort(() => random() - 0.5).slice(0, span);
    const priorities: Record<string, number> = {};
    let left = esf;
    chosen.forEach((code, k) => {
      const part = k === chosen.length - 1 ? left : Math.round((left * random()) / 100_000) * 100_000;
      left -= part;
      priorities[code] = part;
      totals[codes.indexOf(code)] += part;
    });
    bids.push({ ...bid(`b${i}`, weighted, priorities, 100 + Math.floor(random() * 900)), rank: i + 1 });
  }
  const allocations = codes.map((code, k) => ({ code, allocationPence: Math.floor(totals[k] / 3) }));
  return { bids, allocations };
}
