/**
 * The bookkeeping every funding plan shares: the bids that take part (ranked and scored) in rank order with their
 * ESF per priority in whole pence, the allocations, whether a set fits them (in integers), and a set as a plan.
 */
import { addFractions, fractionToNumber, type Fraction } from '../fractions.ts';
import type { FundingPlan, PlanBid, PriorityAllocation } from './types.ts';

/** A bid that takes part in a plan. */
export interface Candidate {
  bid: PlanBid;
  weighted: Fraction;
  /** ESF per priority code, duplicates merged. */
  esf: Map<string, bigint>;
}

/** The bids that take part in a plan, in rank order, their figures checked. */
export function candidatesOf(bids: readonly PlanBid[]): Candidate[] {
  const eligible = bids.filter((b) => b.rank !== null && b.weighted !== null);
  const seen = new Set<string>();
  for (const b of eligible) {
    if (seen.has(b.bidId)) throw new RangeError(`Bid ${b.bidId} appears twice`);
    seen.add(b.bidId);
    if (!Number.isSafeInteger(b.participants) || b.participants < 0) {
      throw new RangeError(`Bid ${b.bidId}: participants must be a whole number`);
    }
  }
  // Numbered ranks are authoritative; otherwise the caller's order is taken as the rank order.
  const ordered = eligible.every((b) => typeof b.rank === 'number')
    ? [...eligible].sort((a, b) => (a.rank as number) - (b.rank as number))
    : eligible;
  return ordered.map((bid) => {
    const esf = new Map<string, bigint>();
    for (const p of bid.priorities) {
      if (!Number.isSafeInteger(p.esfPence) || p.esfPence < 0) {
        throw new RangeError(`Bid ${bid.bidId}: ESF in ${p.code} must be whole, non-negative pence`);
      }
      esf.set(p.code, (esf.get(p.code) ?? 0n) + BigInt(p.esfPence));
    }
    return { bid, weighted: bid.weighted!, esf };
  });
}

/** Each priority's allocation in whole pence, checked. */
export function allocationsOf(priorities: readonly PriorityAllocation[]): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const p of priorities) {
    if (out.has(p.code)) throw new RangeError(`Priority ${p.code} is listed twice`);
    if (!Number.isSafeInteger(p.allocationPence) || p.allocationPence < 0) {
      throw new RangeError(`Priority ${p.code}: allocation must be whole, non-negative pence`);
    }
    out.set(p.code, BigInt(p.allocationPence));
  }
  return out;
}

/** Whether the set fits every allocation, in integers; a priority the call lacks has no room at all. */
export function fits(set: readonly Candidate[], allocations: Map<string, bigint>): boolean {
  const used = new Map<string, bigint>();
  for (const c of set) {
    for (const [code, pence] of c.esf) used.set(code, (used.get(code) ?? 0n) + pence);
  }
  for (const [code, pence] of used) {
    if (pence > (allocations.get(code) ?? 0n)) return false;
  }
  return true;
}

/** A chosen set as a plan: its totals and what is funded and left of each priority. */
export function buildPlan(chosen: readonly Candidate[], priorities: readonly PriorityAllocation[]): FundingPlan {
  const total = addFractions(...chosen.map((c) => c.weighted));
  return {
    bidIds: chosen.map((c) => c.bid.bidId),
    totalWeightedScore: fractionToNumber(total, 2),
    totalWeightedScoreExact: total,
    totalParticipants: chosen.reduce((sum, c) => sum + c.bid.participants, 0),
    priorities: priorities.map((p) => {
      const funded = chosen.reduce((sum, c) => sum + (c.esf.get(p.code) ?? 0n), 0n);
      return {
        code: p.code,
        allocationPence: p.allocationPence,
        fundedPence: Number(funded),
        remainingPence: Number(BigInt(p.allocationPence) - funded),
      };
    }),
  };
}
