/**
 * Optimal plans solved once: a plan the solver finished (proven, or within its gap: solvedAsFarAsAsked) is kept
 * in Postgres under the SHA-256 of its input, so later reads find it instead of re-solving. The input is the
 * ranked bids' scores and figures, the allocations and the solver's options: any change to a score (a new sheet,
 * a moderation, a sheet set aside by a late conflict) is a new input and a new solve.
 */
import type { Knex } from 'knex';
import { sha256Hex } from '../../bids/receipt.ts';
import { optimalPlan, solvedAsFarAsAsked } from './optimal.ts';
import type { OptimalFundingPlan, PlanBid, PlanObjective, PriorityAllocation } from './types.ts';

/**
 * The text a plan is kept under: everything the solve depends on, each object written out here field by field in a
 * fixed order, so the same input always gives the same text without canonicalising it (which cost a read of a
 * national call's summary some 20 ms). The ranked bids in rank order, each with its exact weighted score,
 * participants and ESF per priority; the allocations; the solver's options.
 */
export function planInput(
  ranked: readonly PlanBid[],
  priorities: readonly PriorityAllocation[],
  solverOptions: { objective: PlanObjective; timeLimitSeconds: number; relativeGap: number },
): string {
  return JSON.stringify({
    solverOptions: {
      objective: solverOptions.objective,
      relativeGap: solverOptions.relativeGap,
      timeLimitSeconds: solverOptions.timeLimitSeconds,
    },
    priorities: priorities.map((p) => ({ allocationPence: p.allocationPence, code: p.code })),
    bids: ranked
      .filter((b) => b.rank !== null && b.rank !== undefined)
      .map((b) => ({
        bidId: b.bidId,
        participants: b.participants,
        priorities: b.priorities.map((p) => ({ code: p.code, esfPence: p.esfPence })),
        weighted: b.weighted && { denominator: b.weighted.denominator, numerator: b.weighted.numerator },
      })),
  });
}

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
  const input = planInput(ranked, priorities, solverOptions);
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
