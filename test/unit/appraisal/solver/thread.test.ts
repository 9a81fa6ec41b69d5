import { threadId } from 'node:worker_threads';
import { expect } from 'chai';
import { greedyPlan } from '../../../../server/appraisal/plan/greedy.ts';
import { optimalPlan } from '../../../../server/appraisal/plan/optimal.ts';
import {
  setSolverIdleMillis,
  solverWorkerThreadId,
  terminateSolverWorker,
  workerEntry,
} from '../../../../server/appraisal/solver/thread.ts';
import { fraction } from '../../../../server/appraisal/fractions.ts';
import { bid, isFeasible, chosenBids, randomCall } from '../plan/fixtures.ts';

describe('the solver thread', () => {
  it("starts the worker beside its own module, with the module's extension: .ts under tsx, .js once compiled", () => {
    const fromSource = workerEntry('file:///app/server/appraisal/solver/thread.ts');
    expect(fromSource.url.href).to.equal('file:///app/server/appraisal/solver/worker.ts');
    expect(fromSource.typescript).to.equal(true);
    const compiled = workerEntry('file:///app/dist/server/appraisal/solver/thread.js');
    expect(compiled.url.href).to.equal('file:///app/dist/server/appraisal/solver/worker.js');
    expect(compiled.typescript).to.equal(false);
  });

  const small = () => ({
    bids: [
      bid('a', fraction(90), { '1.1': 60 }),
      bid('b', fraction(80), { '1.1': 50 }),
      bid('c', fraction(70), { '1.1': 50 }),
    ],
    priorities: [{ code: '1.1', allocationPence: 100 }],
  });

  it('solves on one reused worker thread, not on the main thread', async () => {
    const { bids, priorities } = small();
    await optimalPlan(bids, priorities);
    const worker = solverWorkerThreadId();
    expect(worker).to.be.a('number').and.to.not.equal(threadId);
    await optimalPlan(bids, priorities, { objective: 'participants' });
    expect(solverWorkerThreadId()).to.equal(worker);
  });

  it('ends its thread once it has been idle for the set time, and the next solve starts another', async () => {
    const previous = setSolverIdleMillis(200);
    try {
      const { bids, priorities } = small();
      await optimalPlan(bids, priorities);
      const first = solverWorkerThreadId();
      expect(first).to.be.a('number');
      // A solve within the idle time keeps the same thread.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await optimalPlan(bids, priorities);
      expect(solverWorkerThreadId()).to.equal(first);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(solverWorkerThreadId()).to.equal(null);
      expect(await optimalPlan(bids, priorities)).to.include({ provenOptimal: true, source: 'solver' });
      expect(solverWorkerThreadId()).to.be.a('number').and.to.not.equal(first);
    } finally {
      setSolverIdleMillis(previous);
    }
  });

  it('keeps the event loop turning while a long solve runs', async function () {
    this.timeout(60_000);
    const { bids, allocations } = randomCall(2_000, 7);
    // Started first, so that compiling the solver on a fresh thread is not part of what is measured.
    const { bids: few, priorities } = small();
    await optimalPlan(few, priorities);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 50);
    const started = performance.now();
    let elapsed: number;
    try {
      // Proving the optimum takes over a second on this call here: the thread, not the solver, is what is tested.
      const optimal = await optimalPlan(bids, allocations, { timeLimitSeconds: 2, relativeGap: 0 });
      elapsed = performance.now() - started;
      expect(isFeasible(chosenBids(optimal, bids), allocations)).to.equal(true);
    } finally {
      clearInterval(timer);
    }
    // Blocked, the timer could not tick until the solve returned, and then once at most. Turning, it ticks every
    // 50 ms: at least half of those ticks are asked for, however fast or slow the machine solves.
    expect(ticks).to.be.at.least(Math.max(2, Math.floor(elapsed / 50 / 2)));
  });

  it(
    'recovers when the worker dies: the solve in progress falls back to greedy, queued and ' + 'later ones are solved',
    async function () {
      this.timeout(60_000);
      const { bids, allocations } = randomCall(2_000, 7);
      const { bids: few, priorities } = small();
      await optimalPlan(few, priorities);
      const before = solverWorkerThreadId();
      // A proof of the optimum for 2,000 bids: over a second of the exact search's work (within a gap it now stops
      // in a fraction of that), still running when the thread is ended.
      const long = optimalPlan(bids, allocations, { timeLimitSeconds: 10, relativeGap: 0 });
      // Queued behind the long solve, on the thread that is about to die.
      const queued = optimalPlan(few, priorities);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await terminateSolverWorker();
      const interrupted = await long;
      expect(interrupted).to.include({ provenOptimal: false, gapPercent: null, source: 'greedy' });
      expect(interrupted.solverStatus).to.match(/^Solver failed: /);
      expect(interrupted.bidIds).to.deep.equal(greedyPlan(bids, allocations).bidIds);
      const afterCrash = await queued;
      expect(afterCrash).to.include({ provenOptimal: true, source: 'solver' });
      expect(afterCrash.bidIds).to.deep.equal(['b', 'c']);
      const replacement = solverWorkerThreadId();
      expect(replacement).to.be.a('number').and.to.not.equal(before);

      // Ended while idle, it is simply started again.
      await terminateSolverWorker();
      expect(solverWorkerThreadId()).to.equal(null);
      const again = await optimalPlan(few, priorities);
      expect(again).to.include({ provenOptimal: true, totalWeightedScore: 150 });
      expect(solverWorkerThreadId()).to.be.a('number').and.to.not.equal(replacement);
    },
  );
});
