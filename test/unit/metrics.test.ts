import { expect } from 'chai';
import { solveOnWorker, terminateSolverWorker } from '../../server/appraisal/solver/thread.ts';
import { registry } from '../../server/metrics.ts';

async function solverRuns(): Promise<number> {
  const metric = await registry.getSingleMetric('solver_run_duration_seconds')!.get();
  const count = metric.values.find(
    (value) =>
      (value as { metricName?: string }).metricName === 'solver_run_duration_seconds_count' &&
      value.labels.outcome === 'answered',
  );
  return count?.value ?? 0;
}

describe('solver metrics', () => {
  after(async () => {
    await terminateSolverWorker();
  });

  it("counts a solve on the solver's thread, with its seconds", async function () {
    this.timeout(60_000);
    const before = await solverRuns();
    const problem = { values: [6, 5, 4], rows: [{ weights: [3, 2, 2], capacity: 4 }] };
    await solveOnWorker({ problem, timeLimitSeconds: 5, relativeGap: 0 });
    expect(await solverRuns()).to.equal(before + 1);
    const text = await registry.metrics();
    expect(text).to.match(/solver_run_duration_seconds_sum\{outcome="answered"\} \d/);
  });
});
