/**
 * The greedy funding plan, DESIGN.md's rule: in rank order, a bid is recommended if every priority it spans still
 * has room for its ESF. Each bid's recommendation (API.md) follows it.
 */
import { allocationsOf, buildPlan, candidatesOf, type Candidate } from './candidates.ts';
import type { FundingPlan, PlanBid, PriorityAllocation, Recommendation } from './types.ts';

/** The greedy rule over candidates already in rank order: the set it funds. */
export function greedySet(candidates: readonly Candidate[], allocations: Map<string, bigint>): Candidate[] {
  const remaining = new Map(allocations);
  const chosen: Candidate[] = [];
  for (const c of candidates) {
    const room = [...c.esf].every(([code, pence]) => pence === 0n || pence <= (remaining.get(code) ?? 0n));
    if (!room) continue;
    for (const [code, pence] of c.esf) if (pence > 0n) remaining.set(code, remaining.get(code)! - pence);
    chosen.push(c);
  }
  return chosen;
}

/** The greedy plan: in rank order, a bid is recommended if every priority it spans still has room for its ESF. */
export function greedyPlan(rankedBids: readonly PlanBid[], priorities: readonly PriorityAllocation[]): FundingPlan {
  const allocations = allocationsOf(priorities);
  return buildPlan(greedySet(candidatesOf(rankedBids), allocations), priorities);
}

/** Each bid's recommendation per API.md: recommended in the greedy plan, reserve if ranked, else not fundable. */
export function recommendations(
  bids: readonly { bidId: string; rank: number | null }[],
  greedy: Pick<FundingPlan, 'bidIds'>,
): Map<string, Recommendation> {
  const funded = new Set(greedy.bidIds);
  return new Map(
    bids.map((b) => [b.bidId, funded.has(b.bidId) ? 'recommended' : b.rank !== null ? 'reserve' : 'not-fundable']),
  );
}
