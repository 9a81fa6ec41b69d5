import { expect } from 'chai';
import fc from 'fast-check';
import type { Highs } from 'highs';
import {
  exactlySearchable,
  solveKnapsack,
  type KnapsackProblem,
} from '../../../../server/appraisal/solver/knapsackSearch.ts';
import { loadHighs, solveWithHighs } from '../../../../server/appraisal/solver/worker.ts';

/** Whether the items fit every row, in BigInt, so no rounding can hide an overspend. */
function fitsExactly(problem: KnapsackProblem, chosen: readonly number[]): boolean {
  return problem.rows.every(
    (row) => chosen.reduce((sum, j) => sum + BigInt(row.weights[j]), 0n) <= BigInt(row.capacity),
  );
}

function valueOf(problem: KnapsackProblem, chosen: readonly number[]): bigint {
  return chosen.reduce((sum, j) => sum + BigInt(problem.values[j]), 0n);
}

/** Every subset: the best value there is. */
function bruteForceBest(problem: KnapsackProblem): bigint {
  const n = problem.values.length;
  let best = 0n;
  for (let mask = 0; mask < 1 << n; mask++) {
    const chosen = Array.from({ length: n }, (_, j) => j).filter((j) => mask & (1 << j));
    if (fitsExactly(problem, chosen)) {
      const value = valueOf(problem, chosen);
      if (value > best) best = value;
    }
  }
  return best;
}

/** Checks a result as a proof would be checked: feasible in whole numbers, its value summed again, sorted items. */
function expectSound(problem: KnapsackProblem, result: ReturnType<typeof solveKnapsack>): void {
  expect(fitsExactly(problem, result.chosen)).to.equal(true);
  expect(valueOf(problem, result.chosen)).to.equal(BigInt(result.value));
  expect(result.chosen).to.deep.equal([...new Set(result.chosen)].sort((a, b) => a - b));
  expect(result.bound).to.be.at.least(result.value);
  if (result.proven) expect(result.bound).to.equal(result.value);
}

const problemArb = (maxItems: number, maxWeight: number, maxCapacity: number) =>
  fc.integer({ min: 1, max: 3 }).chain((rows) =>
    fc
      .array(
        fc.record({
          value: fc.integer({ min: 1, max: 100 }),
          // Many zeros: bids that spend nothing in a priority, and some in none at all.
          weights: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: maxWeight })), {
            minLength: rows,
            maxLength: rows,
          }),
        }),
        { minLength: 0, maxLength: maxItems },
      )
      .chain((items) =>
        fc
          .array(fc.integer({ min: 0, max: maxCapacity }), { minLength: rows, maxLength: rows })
          .map((capacities): KnapsackProblem => ({
            values: items.map((item) => item.value),
            rows: capacities.map((capacity, i) => ({ capacity, weights: items.map((item) => item.weights[i]) })),
          })),
      ),
  );

/** A funding call's programme: scores 40–100 in thirds, ESF in round thousands, allocations a third of demand. */
function randomProblem(count: number, seed: number, rows = 3): KnapsackProblem {
  let state = seed;
  const random = () => (state = (state * 48_271) % 2_147_483_647) / 2_147_483_647;
  const values = Array.from({ length: count }, () => 120 + Math.floor(random() * 181));
  const weights = Array.from({ length: rows }, () => new Array<number>(count).fill(0));
  for (let j = 0; j < count; j++) {
    const esf = 500 + Math.floor(random() * 1_500);
    const spanned = Array.from({ length: rows }, (_, i) => i).filter(() => random() < 0.5);
    if (spanned.length === 0) spanned.push(Math.floor(random() * rows));
    let left = esf;
    spanned.forEach((i, k) => {
      const part = k === spanned.length - 1 ? left : Math.floor(left * random());
      weights[i][j] = part * 100_000;
      left -= part;
    });
  }
  return {
    values,
    rows: weights.map((w) => ({ weights: w, capacity: Math.floor(w.reduce((a, b) => a + b, 0) / 3) })),
  };
}

/** The search proves the best plan brute force finds, feasibly in whole numbers. */
function expectProvenBest(problem: KnapsackProblem): void {
  const result = solveKnapsack(problem);
  expectSound(problem, result);
  expect(result.proven).to.equal(true);
  expect(BigInt(result.value)).to.equal(bruteForceBest(problem));
}

describe('the exact knapsack search', () => {
  it(
    'finds the brute-force best on small programmes, feasibly in whole numbers, and proves it ' + '(property-based)',
    () => {
      fc.assert(
        fc.property(problemArb(12, 60, 150), (problem) => {
          expectProvenBest(problem);
        }),
        { numRuns: 400 },
      );
    },
  );

  it('finds the brute-force best when weights are large and nearly equal, where ties and pennies decide', () => {
    fc.assert(
      fc.property(problemArb(12, 3, 10), fc.integer({ min: 1, max: 1_000_000_000 }), (small, scale) => {
        // Weights of scale + a few pence against capacities of a few × scale + a few pence: only exact sums tell.
        const problem: KnapsackProblem = {
          values: small.values.map((v) => (v % 3) + 1),
          rows: small.rows.map((row) => ({
            weights: row.weights.map((w) => (w === 0 ? 0 : w * scale + (w % 2))),
            capacity: row.capacity * scale + (row.capacity % 3),
          })),
        };
        expectProvenBest(problem);
      }),
      { numRuns: 300 },
    );
  });

  describe('against HiGHS', () => {
    let highs: Highs;
    before(async function () {
      this.timeout(30_000);
      highs = await loadHighs();
    });

    /** The search proves the optimum HiGHS proves (given `seconds`), feasibly in whole numbers. */
    function expectHighsOptimum(problem: KnapsackProblem, seconds: number): void {
      const result = solveKnapsack(problem);
      const reference = solveWithHighs(highs, problem, seconds, 0);
      expect(reference.status).to.equal('Optimal');
      expectSound(problem, result);
      expect(result.proven).to.equal(true);
      expect(BigInt(result.value)).to.equal(valueOf(problem, reference.chosen!));
    }

    it('reaches the optimum HiGHS proves on calls of 30 to 120 bids (property-based)', function () {
      this.timeout(120_000);
      fc.assert(
        fc.property(
          fc.integer({ min: 30, max: 120 }),
          fc.integer({ min: 1, max: 2 ** 30 }),
          fc.integer({ min: 1, max: 4 }),
          (count, seed, rows) => {
            expectHighsOptimum(randomProblem(count, seed, rows), 60);
          },
        ),
        { numRuns: 40 },
      );
    });

    it('reaches the optimum HiGHS proves on a call of 200 bids over 3 priorities', function () {
      this.timeout(120_000);
      for (const seed of [1, 2, 3]) {
        expectHighsOptimum(randomProblem(200, seed), 100);
      }
    });
  });

  describe('edge cases', () => {
    it('takes a bid spanning every row when it is worth more than what it displaces', () => {
      const problem: KnapsackProblem = {
        values: [100, 40, 40, 40],
        rows: [
          { weights: [10, 10, 0, 0], capacity: 10 },
          { weights: [10, 0, 10, 0], capacity: 10 },
          { weights: [10, 0, 0, 10], capacity: 10 },
        ],
      };
      // {1, 2, 3} is worth 120 > 100: the spanning bid loses; worth 130, it wins.
      expect(solveKnapsack(problem)).to.include({ value: 120, proven: true });
      const worthMore = { ...problem, values: [130, 40, 40, 40] };
      expect(solveKnapsack(worthMore)).to.deep.include({ chosen: [0], value: 130, proven: true });
    });

    it('always takes bids that spend nothing, even in a call with no room at all', () => {
      const problem: KnapsackProblem = {
        values: [5, 7, 9],
        rows: [
          { weights: [0, 3, 0], capacity: 0 },
          { weights: [0, 0, 0], capacity: 0 },
        ],
      };
      expect(solveKnapsack(problem)).to.deep.include({ chosen: [0, 2], value: 14, proven: true });
    });

    it('funds a bid that exactly fills a row, and not one a penny over', () => {
      const exact: KnapsackProblem = {
        values: [13, 6, 6],
        rows: [{ weights: [1_000_001, 500_000, 500_000], capacity: 1_000_001 }],
      };
      expect(solveKnapsack(exact)).to.deep.include({ chosen: [0], value: 13, proven: true });
      const pennyOver: KnapsackProblem = {
        values: [13, 6, 6],
        rows: [{ weights: [1_000_002, 500_000, 500_000], capacity: 1_000_001 }],
      };
      expect(solveKnapsack(pennyOver)).to.deep.include({ chosen: [1, 2], value: 12, proven: true });
      const bothFill: KnapsackProblem = {
        values: [10, 6, 6],
        rows: [{ weights: [1_000_000, 500_000, 500_001], capacity: 1_000_001 }],
      };
      // 500,000 + 500,001 = 1,000,001 fills the row exactly: 12 beats 10.
      expect(solveKnapsack(bothFill)).to.deep.include({ chosen: [1, 2], value: 12, proven: true });
      const onePennyOver: KnapsackProblem = {
        values: [10, 6, 6],
        rows: [{ weights: [1_000_000, 500_000, 500_002], capacity: 1_000_001 }],
      };
      expect(solveKnapsack(onePennyOver)).to.deep.include({ chosen: [0], value: 10, proven: true });
    });

    it('proves the optimum among many equal bids (ties), whichever of them it takes', function () {
      this.timeout(10_000);
      // 40 equal bids, room for 9 and 99.99% of a tenth: the LP bound is almost 10 bids' worth, so only
      // not searching the ways to pick 9 of 40 identical bids (273 million) lets the proof finish.
      const equal: KnapsackProblem = {
        values: new Array<number>(40).fill(10),
        rows: [{ weights: new Array<number>(40).fill(300_001), capacity: 3_000_000 }],
      };
      const result = solveKnapsack(equal);
      expectSound(equal, result);
      expect(result).to.include({ value: 90, proven: true });
      // Equal bids in two sizes whose weights share a factor (3): the row divided by it proves the optimum.
      const shared: KnapsackProblem = {
        values: [...new Array<number>(30).fill(7), ...new Array<number>(30).fill(14)],
        rows: [{ weights: [...new Array<number>(30).fill(3), ...new Array<number>(30).fill(6)], capacity: 100 }],
      };
      expect(solveKnapsack(shared)).to.include({ value: 33 * 7, proven: true });
    });

    it('answers the empty programme and one where every bid fits', () => {
      expect(solveKnapsack({ values: [], rows: [{ weights: [], capacity: 5 }] })).to.deep.include({
        chosen: [],
        value: 0,
        proven: true,
      });
      const roomy: KnapsackProblem = { values: [1, 2], rows: [{ weights: [2, 3], capacity: 5 }] };
      expect(solveKnapsack(roomy)).to.deep.include({ chosen: [0, 1], value: 3, proven: true });
    });

    it('refuses numbers it cannot sum exactly, so the worker can leave them to HiGHS', () => {
      const huge: KnapsackProblem = {
        values: [1, 1],
        rows: [{ weights: [Number.MAX_SAFE_INTEGER - 1, 2], capacity: 5 }],
      };
      expect(exactlySearchable(huge)).to.equal(false);
      expect(exactlySearchable({ values: [1.5], rows: [] })).to.equal(false);
      expect(exactlySearchable({ values: [1], rows: [{ weights: [-1], capacity: 5 }] })).to.equal(false);
      expect(() => solveKnapsack(huge)).to.throw(RangeError);
    });

    it('given a relative gap, stops once its plan is within that gap of its proven bound', function () {
      this.timeout(60_000);
      const problem = randomProblem(2_000, 11);
      const finished = solveKnapsack(problem);
      for (const relativeGap of [0.5, 0.0005, 0.0001]) {
        const withinGap = solveKnapsack(problem, { relativeGap });
        expectSound(problem, withinGap);
        expect(withinGap.bound).to.be.at.least(finished.value);
        expect(withinGap.bound - withinGap.value).to.be.at.most(relativeGap * withinGap.value);
        if (!withinGap.proven) expect(withinGap.nodes).to.be.below(finished.nodes);
      }
      // A gap the first plan already meets needs no search at all.
      expect(solveKnapsack(problem, { relativeGap: 0.5 }).nodes).to.equal(0);
    });

    it('stopped by its deadline, still answers a sound plan and a bound no plan exceeds', function () {
      this.timeout(60_000);
      const problem = randomProblem(2_000, 11);
      const stopped = solveKnapsack(problem, { deadline: performance.now() });
      expectSound(problem, stopped);
      const finished = solveKnapsack(problem);
      expect(finished.proven).to.equal(true);
      expect(stopped.bound).to.be.at.least(finished.value);
      if (!stopped.proven) expect(stopped.value).to.be.at.most(finished.value);
    });
  });
});
