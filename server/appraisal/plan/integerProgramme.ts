/**
 * The optimal plan's 0/1 integer programme: maximise the objective (total weighted score, or participants) over
 * the bids within every priority's allocation. The objective is given to the solvers in exact integers, each
 * knapsack row divided by the gcd of its coefficients (exact, and it keeps numbers small); optimal.ts checks what
 * they answer against the exact figures again.
 */
import type { KnapsackProblem } from '../solver/knapsackSearch.ts';
import { allocationsOf, candidatesOf, fits, type Candidate } from './candidates.ts';
import type { PlanBid, PlanObjective, PriorityAllocation } from './types.ts';

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/**
 * Integer objective coefficients: weighted scores over their common denominator (or participants), divided by
 * their common factor. Proportional to the true objective, so the same sets are optimal.
 */
export function objectiveCoefficients(candidates: readonly Candidate[], objective: PlanObjective): bigint[] {
  let coefficients: bigint[];
  if (objective === 'participants') {
    coefficients = candidates.map((c) => BigInt(c.bid.participants));
  } else {
    const lcm = candidates.reduce((l, c) => {
      const d = BigInt(c.weighted.denominator);
      return (l / gcd(l, d)) * d;
    }, 1n);
    coefficients = candidates.map((c) => BigInt(c.weighted.numerator) * (lcm / BigInt(c.weighted.denominator)));
  }
  const common = coefficients.reduce((g, v) => gcd(g, v), 0n) || 1n;
  const scaled = coefficients.map((v) => v / common);
  // HiGHS reads coefficients as doubles: beyond 2^53 they would no longer be the exact objective.
  if (scaled.reduce((sum, v) => sum + v, 0n) > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError('Objective too large to give the solver exactly');
  }
  return scaled;
}

/**
 * The 0/1 knapsack programme over the model's bids, one row per priority some bid spends in. Dividing a row
 * through by the gcd of its weights and flooring its capacity is exact for 0/1 choices, and keeps numbers small.
 */
export function knapsackProblem(
  values: readonly bigint[],
  weights: readonly ReadonlyMap<string, bigint>[],
  allocations: ReadonlyMap<string, bigint>,
): KnapsackProblem {
  const rows: KnapsackProblem['rows'][number][] = [];
  for (const [code, allocation] of allocations) {
    const row = weights.map((w) => w.get(code) ?? 0n);
    const g = row.reduce((acc, v) => gcd(acc, v), 0n);
    if (g === 0n) continue;
    // Every bid in the model fits its allocations alone, so each weight, and the capacity, is a safe integer.
    rows.push({ weights: row.map((v) => Number(v / g)), capacity: Number(allocation / g) });
  }
  return { values: values.map(Number), rows };
}

/**
 * The programme `optimalPlan` gives its solver for these bids, or null when it needs none (no bid adds value, or
 * every bid fits): for measuring the solvers on their own, as bench/planReplay.ts does.
 */
export function fundingProgramme(
  bids: readonly PlanBid[],
  priorities: readonly PriorityAllocation[],
  objective: PlanObjective = 'score',
): KnapsackProblem | null {
  const allocations = allocationsOf(priorities);
  const candidates = candidatesOf(bids);
  const values = objectiveCoefficients(candidates, objective);
  const model = candidates.flatMap((c, i) => (values[i] > 0n && fits([c], allocations) ? [i] : []));
  if (
    model.length === 0 ||
    fits(
      model.map((i) => candidates[i]),
      allocations,
    )
  )
    return null;
  return knapsackProblem(
    model.map((i) => values[i]),
    model.map((i) => candidates[i].esf),
    allocations,
  );
}
