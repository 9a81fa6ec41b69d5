/**
 * An exact search for the funding plan's programme: choose items (bids) to maximise Σ value within a few knapsack
 * rows (one per priority, Σ weight ≤ capacity), every value, weight and capacity a whole number. A 0/1
 * multi-dimensional knapsack with few rows, which a general MIP solver proves slowly (on 200 bids over 3
 * priorities HiGHS finds the optimum early and then spends seconds and many thousand nodes proving it).
 *
 * How: the LP relaxation gives prices λ ≥ 0 for the rows, and with them every plan x satisfies, exactly,
 *
 *     value(x) = U − Σ_{j: x_j ≠ x̄_j} |d_j| − λ·slack(x),   U = λ·capacity + Σ_j max(0, d_j),  d_j = v_j − λ·w_j
 *
 * where x̄ takes exactly the items with d_j > 0. Slack and |d_j| are never negative, so a plan worth more than the
 * incumbent z can move away from x̄ only by items whose |d_j| sum to at most U − z − 1: items with a larger |d_j|
 * are fixed, and a depth-first search over the rest (largest |d_j| first) enumerates every set of moves within
 * that budget, pruned by the capacities and by a lower bound on the slack it must leave. This holds for any
 * λ ≥ 0, so the floating-point LP only decides how small the search is, never whether its answer is right.
 *
 * What makes the answer a proof: feasibility and values are summed in whole numbers (exact in doubles while every
 * sum stays within 2^53, which `exactlySearchable` checks), and the only floating-point quantity, the bound, is
 * widened by a margin far above its rounding error. A search cut short by its deadline, or stopped within the
 * relative gap it was given, still returns its best plan and a proven bound (U rounded down), just not `proven`.
 */

export interface KnapsackProblem {
  /** Positive whole values, one per item; their sum a safe integer. */
  values: readonly number[];
  /** One row per constraint: a whole weight per item (0 where the item does not take part) and the capacity. */
  rows: readonly { weights: readonly number[]; capacity: number }[];
}

export interface KnapsackResult {
  /** The items of the best plan found, ascending. */
  chosen: number[];
  value: number;
  /** True when the search finished: no plan is worth more than `value`. */
  proven: boolean;
  /** A proven upper bound on any plan's value (whole): `value` when proven. */
  bound: number;
  /** Search nodes visited, for measurement. */
  nodes: number;
}

export interface KnapsackOptions {
  /** `performance.now()` after which the search stops with what it has. */
  deadline?: number;
  /**
   * Stop as soon as the best plan is within this fraction of the proven bound, (bound − value) ≤ relativeGap ×
   * value, as HiGHS's mip_rel_gap does; 0 (the default) searches until the optimum is proven.
   */
  relativeGap?: number;
}

/** Whether the search can work on the problem exactly: whole, non-negative numbers whose sums stay below 2^53. */
export function exactlySearchable(problem: KnapsackProblem): boolean {
  const safe = (xs: readonly number[], plus: number) => {
    let sum = plus;
    for (const x of xs) {
      if (!Number.isSafeInteger(x) || x < 0) return false;
      sum += x;
    }
    return Number.isSafeInteger(plus) && plus >= 0 && sum <= Number.MAX_SAFE_INTEGER;
  };
  return (
    safe(problem.values, 0) &&
    problem.rows.every((row) => row.weights.length === problem.values.length && safe(row.weights, row.capacity))
  );
}

/** The best plan for the programme, proven optimal unless the deadline came first. */
export function solveKnapsack(problem: KnapsackProblem, options: KnapsackOptions = {}): KnapsackResult {
  if (!exactlySearchable(problem)) throw new RangeError('The programme is not whole numbers within 2^53');
  const deadline = options.deadline ?? Infinity;
  const relativeGap = options.relativeGap ?? 0;
  const all = problem.values.length;

  // Items that cannot fit alone are never chosen; rows the remaining items cannot fill never bind.
  const items: number[] = [];
  for (let j = 0; j < all; j++) {
    if (problem.values[j] > 0 && problem.rows.every((r) => r.weights[j] <= r.capacity)) items.push(j);
  }
  const rows = problem.rows
    .map((r) =>
      divideByGcd(
        items.map((j) => r.weights[j]),
        r.capacity,
      ),
    )
    .filter((r) => r.weights.reduce((a, b) => a + b, 0) > r.capacity);
  const values = items.map((j) => problem.values[j]);
  const n = values.length;
  const m = rows.length;
  const original = (chosen: number[]) => chosen.map((k) => items[k]).sort((a, b) => a - b);
  const sum = (chosen: readonly number[]) => chosen.reduce((s, k) => s + values[k], 0);

  if (m === 0) {
    // Everything that fits alone fits together.
    const chosen = Array.from({ length: n }, (_, k) => k);
    const value = sum(chosen);
    return { chosen: original(chosen), value, proven: true, bound: value, nodes: 0 };
  }

  const weights = rows.map((r) => Float64Array.from(r.weights));
  const capacity = Float64Array.from(rows, (r) => r.capacity);

  // Prices from the LP relaxation, and the reduced costs and bound U they give.
  const prices = lpRelaxation(values, weights, capacity);
  const reduced = new Float64Array(n);
  let bound = 0;
  let magnitude = 0;
  for (let i = 0; i < m; i++) {
    bound += prices[i] * capacity[i];
    magnitude += prices[i] * capacity[i];
  }
  for (let k = 0; k < n; k++) {
    let d = values[k];
    let priced = 0;
    for (let i = 0; i < m; i++) priced += prices[i] * weights[i][k];
    d -= priced;
    reduced[k] = d;
    if (d > 0) bound += d;
    magnitude += values[k] + priced;
  }
  // Rounding error in these sums is below 2^-52 × (number of terms) × magnitude; the margin is far wider.
  const ceiling = bound + magnitude * 1e-9 + 1e-6;

  // A first plan: the LP's whole items, then the rest by reduced cost while they fit.
  let best = greedy(
    Array.from({ length: n }, (_, k) => k).sort((a, b) => reduced[b] - reduced[a]),
    weights,
    capacity,
  );
  let bestValue = sum(best);
  const byDensity = greedy(
    Array.from({ length: n }, (_, k) => k).sort((a, b) => density(b) - density(a)),
    weights,
    capacity,
  );
  function density(k: number): number {
    let w = 0;
    for (let i = 0; i < m; i++) w += weights[i][k] / capacity[i];
    return values[k] / (w + 1e-12);
  }
  if (sum(byDensity) > bestValue) [best, bestValue] = [byDensity, sum(byDensity)];

  if (bestValue + 1 > ceiling) {
    return { chosen: original(best), value: bestValue, proven: true, bound: bestValue, nodes: 0 };
  }
  const withinGap = (value: number) => relativeGap > 0 && Math.floor(ceiling) - value <= relativeGap * value;
  if (withinGap(bestValue)) {
    return { chosen: original(best), value: bestValue, proven: false, bound: Math.floor(ceiling), nodes: 0 };
  }

  // Items whose move costs more than the budget stay as in x̄; the others (the core) are searched, dearest first.
  const cost = Float64Array.from(reduced, Math.abs);
  const preferred = Uint8Array.from(reduced, (d) => (d > 0 ? 1 : 0));
  const budget0 = ceiling - bestValue - 1;
  const core: number[] = [];
  const used = new Float64Array(m);
  let fixedValue = 0;
  for (let k = 0; k < n; k++) {
    if (cost[k] <= budget0) core.push(k);
    else if (preferred[k] === 1) {
      fixedValue += values[k];
      for (let i = 0; i < m; i++) used[i] += weights[i][k];
    }
  }
  // x̄ restricted to its fixed items may not fit: then no plan keeps them all, and nothing beats the incumbent.
  for (let i = 0; i < m; i++) {
    if (used[i] > capacity[i]) {
      return { chosen: original(best), value: bestValue, proven: true, bound: bestValue, nodes: 0 };
    }
  }
  // Identical items (same value and weights) sit together, and are taken first to last: of plans that differ
  // only in which of them they take, one is searched.
  const kinds = new Map<string, number>();
  const kind = Int32Array.from({ length: n }, (_, k) => {
    const key = [values[k], ...weights.map((w) => w[k])].join(' ');
    if (!kinds.has(key)) kinds.set(key, kinds.size);
    return kinds.get(key)!;
  });
  core.sort((a, b) => cost[b] - cost[a] || kind[a] - kind[b]);
  const size = core.length;
  const afterTwin = Uint8Array.from(core, (k, t) => (t > 0 && kind[core[t - 1]] === kind[k] ? 1 : 0));
  // Weight of the core from position t on, per row: what the rest of the search could still add.
  const rest = weights.map((w) => {
    const out = new Float64Array(size + 1);
    for (let t = size - 1; t >= 0; t--) out[t] = out[t + 1] + w[core[t]];
    return out;
  });

  const taken = new Uint8Array(n);
  let nodes = 0;
  let stopped = false;

  const search = (t: number, moved: number, value: number): void => {
    nodes++;
    if ((nodes & 0x3fff) === 1 && performance.now() > deadline) stopped = true;
    if (stopped) return;
    // What moves and slack a plan may still afford and be worth more than the incumbent.
    const limit = ceiling - bestValue - 1;
    // The slack this plan must leave, whatever the rest of the core does, is paid for at the row's price.
    let leftover = moved;
    for (let i = 0; i < m; i++) {
      const slack = capacity[i] - used[i] - rest[i][t];
      if (slack > 0) leftover += prices[i] * slack;
    }
    if (leftover > limit) return;
    if (t === size) {
      if (value > bestValue) {
        bestValue = value;
        best = [];
        for (let k = 0; k < n; k++) if (taken[k] === 1 || (preferred[k] === 1 && cost[k] > budget0)) best.push(k);
        if (withinGap(bestValue)) stopped = true;
      }
      return;
    }
    const k = core[t];
    const moveCost = cost[k];
    let fits = afterTwin[t] === 0 || taken[core[t - 1]] === 1;
    for (let i = 0; i < m; i++) if (used[i] + weights[i][k] > capacity[i]) fits = false;
    if (preferred[k] === 1) {
      if (fits) take(t, k, moved, value);
      if (moved + moveCost <= ceiling - bestValue - 1) search(t + 1, moved + moveCost, value);
    } else {
      search(t + 1, moved, value);
      if (fits && moved + moveCost <= ceiling - bestValue - 1) take(t, k, moved + moveCost, value);
    }
  };
  const take = (t: number, k: number, moved: number, value: number): void => {
    for (let i = 0; i < m; i++) used[i] += weights[i][k];
    taken[k] = 1;
    search(t + 1, moved, value + values[k]);
    taken[k] = 0;
    for (let i = 0; i < m; i++) used[i] -= weights[i][k];
  };

  search(0, 0, fixedValue);
  return stopped
    ? {
        chosen: original(best),
        value: bestValue,
        proven: false,
        bound: Math.max(bestValue, Math.floor(ceiling)),
        nodes,
      }
    : { chosen: original(best), value: bestValue, proven: true, bound: bestValue, nodes };
}

/** A row divided through by the gcd of its weights, its capacity floored: exact for 0/1 choices. */
function divideByGcd(weights: number[], capacity: number): { weights: number[]; capacity: number } {
  let g = 0;
  for (let w of weights) {
    let a = g;
    while (w !== 0) [a, w] = [w, a % w];
    g = a;
  }
  return g <= 1 ? { weights, capacity } : { weights: weights.map((w) => w / g), capacity: Math.floor(capacity / g) };
}

/** In the given order, each item that still fits. */
function greedy(order: readonly number[], weights: readonly Float64Array[], capacity: Float64Array): number[] {
  const used = new Float64Array(capacity.length);
  const chosen: number[] = [];
  for (const k of order) {
    let fits = true;
    for (let i = 0; i < capacity.length; i++) if (used[i] + weights[i][k] > capacity[i]) fits = false;
    if (!fits) continue;
    for (let i = 0; i < capacity.length; i++) used[i] += weights[i][k];
    chosen.push(k);
  }
  return chosen;
}

/**
 * The LP relaxation, max Σ v_k x_k with Σ_k w_ik x_k ≤ c_i and 0 ≤ x ≤ 1, by a bounded primal simplex with an
 * explicit basis inverse (the basis is only as large as the number of rows). Rows are scaled to capacity 1 and
 * values to at most 1, for the tolerances' sake. Returns the row prices (the dual, λ ≥ 0, in the problem's own
 * units); any λ ≥ 0 gives a valid bound, so an imperfect answer costs only search time.
 */
function lpRelaxation(
  values: readonly number[],
  weights: readonly Float64Array[],
  capacity: Float64Array,
): Float64Array {
  const m = capacity.length;
  const n = values.length;
  const top = values.reduce((a, b) => Math.max(a, b), 0);
  const c = Float64Array.from(values, (v) => v / top);
  const a = weights.map((w, i) => Float64Array.from(w, (x) => x / capacity[i]));
  const tolerance = 1e-11;

  // Variables 0 … n-1 are the items (bounds 0 and 1), n … n+m-1 the rows' slacks (0 and ∞). Slacks start basic.
  const basis = Int32Array.from({ length: m }, (_, i) => n + i);
  const position = new Int32Array(n + m).fill(-1);
  for (let i = 0; i < m; i++) position[n + i] = i;
  const atUpper = new Uint8Array(n);
  const inverse = Array.from({ length: m }, (_, i) => Float64Array.from({ length: m }, (_, k) => (i === k ? 1 : 0)));
  const basic = new Float64Array(m).fill(1);
  const y = new Float64Array(m);
  const alpha = new Float64Array(m);
  const costOf = (j: number) => (j < n ? c[j] : 0);

  for (let iteration = 0; iteration < 50 * (n + m) + 100; iteration++) {
    for (let k = 0; k < m; k++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += costOf(basis[i]) * inverse[i][k];
      y[k] = s;
    }
    // Dantzig's rule: the most attractive nonbasic variable.
    let entering = -1;
    let score = tolerance;
    for (let j = 0; j < n + m; j++) {
      if (position[j] !== -1) continue;
      let d: number;
      if (j < n) {
        d = c[j];
        for (let i = 0; i < m; i++) d -= y[i] * a[i][j];
      } else {
        d = -y[j - n];
      }
      const gain = j < n && atUpper[j] === 1 ? -d : d;
      if (gain > score) [entering, score] = [j, gain];
    }
    if (entering === -1) break;
    const direction = entering < n && atUpper[entering] === 1 ? -1 : 1;
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += inverse[i][k] * (entering < n ? a[k][entering] : k === entering - n ? 1 : 0);
      alpha[i] = s;
    }
    let step = entering < n ? 1 : Infinity;
    let leaving = -1;
    let leavesAtUpper = false;
    for (let i = 0; i < m; i++) {
      const change = direction * alpha[i];
      if (change > tolerance) {
        const t = basic[i] / change;
        if (t < step) [step, leaving, leavesAtUpper] = [t, i, false];
      } else if (change < -tolerance && basis[i] < n) {
        const t = (1 - basic[i]) / -change;
        if (t < step) [step, leaving, leavesAtUpper] = [t, i, true];
      }
    }
    if (!Number.isFinite(step)) break; // cannot happen with bounded items; stop rather than loop
    step = Math.max(0, step);
    for (let i = 0; i < m; i++) basic[i] -= direction * step * alpha[i];
    if (leaving === -1) {
      atUpper[entering] ^= 1;
      continue;
    }
    const out = basis[leaving];
    position[out] = -1;
    if (out < n) atUpper[out] = leavesAtUpper ? 1 : 0;
    const start = entering < n && atUpper[entering] === 1 ? 1 : 0;
    if (entering < n) atUpper[entering] = 0;
    basis[leaving] = entering;
    position[entering] = leaving;
    basic[leaving] = start + direction * step;
    const pivot = alpha[leaving];
    const row = inverse[leaving];
    for (let k = 0; k < m; k++) row[k] /= pivot;
    for (let i = 0; i < m; i++) {
      if (i === leaving || alpha[i] === 0) continue;
      const factor = alpha[i];
      const other = inverse[i];
      for (let k = 0; k < m; k++) other[k] -= factor * row[k];
    }
  }

  // Back to the problem's units: λ_i = top × y_i / capacity_i, never negative.
  return Float64Array.from(y, (v, i) => (Math.max(0, v) * top) / capacity[i]);
}
