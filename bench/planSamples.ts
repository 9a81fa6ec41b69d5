/**
 * The 200-bid funding-plan figure's inputs, made the same way wherever they are solved: run.ts times them and
 * planReplay.ts replays them from plan-input.json.
 */
import type { PriorityAllocation } from '../server/appraisal/plan/types.ts';

/**
 * Five samples of 200 ranked bids (every 10th ranked bid, at five offsets) over the call's priorities with a tenth
 * of their allocations, so that each sample competes for its money as the whole call does.
 */
export function planSamples<B>(
  ranked: readonly B[],
  priorities: readonly PriorityAllocation[],
): { samples: B[][]; allocations: PriorityAllocation[] } {
  return {
    samples: Array.from({ length: 5 }, (_, offset) => ranked.filter((_, i) => i % 10 === offset).slice(0, 200)),
    allocations: priorities.map((p) => ({ code: p.code, allocationPence: Math.round(p.allocationPence / 10) })),
  };
}
