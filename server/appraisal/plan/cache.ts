/**
 * Optimal plans solved once: a plan the solver finished (proven, or within its gap: solvedAsFarAsAsked) is kept
 * in Postgres under the SHA-256 of its input, so later reads find it instead of re-solving. The input is the
 * ranked bids' scores and figures, the allocations and the solver's options: any change to a score (a new sheet,
 * a moderation, a sheet set aside by a late conflict) is a new input and a new solve.
 */
import type { Knex } from 'knex';
import { canonicalJson, sha256Hex } from '../../bids/receipt.ts';
import { optimalPlan, solvedAsFarAsAsked } from './optimal.ts';
import type { OptimalFundingPlan, PlanBid, PlanObjective, PriorityAllocation } from './types.ts';

/**
 * The optimal plan for exactly these ranked bids and allocations, from the cache or solved and kept there. A plan
 * cut short by the time limit further from the bound is not kept: a later solve may do better.
 */
export async function cachedOptimalPlan(
  cache: Knex,
  callId: string,
  ranked: readonly PlanBid[],
  priorities: readonly PriorityAllocation[],
  solverOptions: { objective: PlanObjective; timeLimitSeconds: number; relativeGap: number },
): Promise<OptimalFundingPlan> {
  const input = canonicalJson({
    solverOptions,
    priorities,
    bids: ranked
      .filter((b) => b.rank !== null && b.rank !== undefined)
      .map((b) => ({ bidId: b.bidId, weighted: b.weighted, participants: b.participants, priorities: b.priorities })),
  });
  const inputSha256 = sha256Hex(input);
  const found = await cache('fundingPlanCache').where({ callId, inputSha256 }).first();
  if (found) return found.plan as OptimalFundingPlan;
  const plan = await optimalPlan(ranked, priorities, solverOptions);
  if (solvedAsFarAsAsked(plan, solverOptions.relativeGap))
    await cache('fundingPlanCache')
      .insert({ callId, inputSha256, plan: JSON.stringify(plan) })
      .onConflict(['callId', 'inputSha256'])
      .ignore();
  return plan;
}
