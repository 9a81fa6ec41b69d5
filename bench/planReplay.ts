/**
 * Replays the funding-plan figures of `npm run bench` from the solver input it saved, without building the
 * national call: as run.ts does, a first time-limited solve of all ranked bids (the appraisal that starts the
 * solver's thread), then the five "plan, 200 bids" samples (every 10th ranked bid, offsets 0–4, allocations a
 * tenth), each timed as optimalPlan is called there. With several runs it prints each sample's median.
 *
 * Then, on this thread and not timed as the figure is, each sample's programme is solved by the exact search
 * alone (its node count and time) and, with PLAN_HIGHS=1, by HiGHS alone as it solved the samples before the
 * search (its time), so the two can be compared on the same run of a shared machine.
 *
 * `node --import tsx bench/planReplay.ts [runs] [input.json]` — runs defaults to 5, the input to
 * bench/results/plan-input.json. PLAN_ALL=1 also times the all-bids plan under optimalPlanPolicy.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fundingProgramme } from '../server/appraisal/plan/integerProgramme.ts';
import { optimalPlan } from '../server/appraisal/plan/optimal.ts';
import type { PlanBid, PriorityAllocation } from '../server/appraisal/plan/types.ts';
import { solveKnapsack } from '../server/appraisal/solver/knapsackSearch.ts';
import { terminateSolverWorker } from '../server/appraisal/solver/thread.ts';
import { loadHighs, solveWithHighs } from '../server/appraisal/solver/worker.ts';
import { optimalPlanPolicy } from '../server/appraisal/summary.ts';
import { planSamples } from './planSamples.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const runs = Number(process.argv[2] ?? 5);
const file = process.argv[3] ?? path.join(here, 'results', 'plan-input.json');
const { priorities, bids } = JSON.parse(fs.readFileSync(file, 'utf8')) as {
  priorities: PriorityAllocation[];
  bids: PlanBid[];
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const seconds = (since: number) => (performance.now() - since) / 1000;

// run.ts's appraisal gives the solver 0.05 s; it starts the solver's thread before the samples are timed.
let t = performance.now();
await optimalPlan(bids, priorities, { ...optimalPlanPolicy(bids.length), timeLimitSeconds: 0.05 });
console.log(`first solve, all ${bids.length} bids for 0.05 s (thread start included): ${seconds(t).toFixed(2)} s`);

const { samples, allocations: small } = planSamples(bids, priorities);
const times: number[][] = samples.map(() => []);
for (let r = 0; r < runs; r++) {
  for (const [k, sample] of samples.entries()) {
    t = performance.now();
    const plan = await optimalPlan(sample, small, { timeLimitSeconds: 10 });
    times[k].push(seconds(t));
    if (!plan.provenOptimal)
      console.log(`  sample ${k}, run ${r + 1}: not proven (${plan.solverStatus}, gap ${plan.gapPercent}%)`);
  }
  const run = times.map((ts) => ts[r]);
  const mean = run.reduce((a, b) => a + b, 0) / run.length;
  console.log(
    `run ${r + 1}: ${run.map((s) => s.toFixed(2)).join(', ')}  (mean ${mean.toFixed(2)}, worst ${Math.max(...run).toFixed(2)})`,
  );
}
const medians = times.map(median);
console.log(
  `median of ${runs} runs per sample: ${medians.map((s) => s.toFixed(2)).join(', ')}` +
    `  (mean ${(medians.reduce((a, b) => a + b, 0) / medians.length).toFixed(2)}, worst ${Math.max(...medians).toFixed(2)})`,
);

const highs = process.env.PLAN_HIGHS === '1' ? await loadHighs() : null;
for (const [k, sample] of samples.entries()) {
  const problem = fundingProgramme(sample, small);
  if (problem === null) continue;
  t = performance.now();
  const search = solveKnapsack(problem);
  const line = [
    `sample ${k}: search ${(seconds(t) * 1000).toFixed(0)} ms, ${search.nodes.toLocaleString('en-GB')} nodes`,
  ];
  line.push(search.proven ? `value ${search.value} proven` : `value ${search.value}, bound ${search.bound}`);
  if (highs !== null) {
    t = performance.now();
    const outcome = solveWithHighs(highs, problem, 100, 0);
    const value = (outcome.chosen ?? []).reduce((sum, j) => sum + problem.values[j], 0);
    line.push(`HiGHS ${(seconds(t) * 1000).toFixed(0)} ms, value ${value} (${outcome.status})`);
  }
  console.log(line.join('; '));
}

if (process.env.PLAN_ALL === '1') {
  t = performance.now();
  const plan = await optimalPlan(bids, priorities, optimalPlanPolicy(bids.length));
  const status = `${plan.solverStatus}${plan.provenOptimal ? ', proven' : ''}`;
  console.log(
    `all ${bids.length} bids under the policy: ${seconds(t).toFixed(2)} s, gap ${plan.gapPercent}% (${status})`,
  );
}
await terminateSolverWorker();
