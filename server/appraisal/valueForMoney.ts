/**
 * Value for money per bid, each figure beside the median of the call's gateway-passing bids.
 *
 * Figures are worked out as exact fractions of pence, medians are taken over those exact values (the mean of the
 * two middle ones for an even count), and only then is each figure rounded half-up to whole pence for the
 * `...Pence` fields. `versusMedian` compares the exact values, so a bid £0.004 above the median is 'above' even
 * though both round to the same penny.
 */
import {
  addFractions,
  compareFractions,
  fraction,
  fractionFromBig,
  roundFraction,
  type Fraction,
} from './fractions.ts';

export const PARTICIPANTS_INDICATOR = 'P-TOTAL';

export interface ValueForMoneyBid {
  bidId: string;
  gatewayPassed: boolean;
  esfPence: number;
  totalEligibleCostPence: number;
  outputTargets: readonly { indicator: string; target: number }[];
  resultTargets: readonly { indicator: string; target: number }[];
}

export interface VfmFigure {
  /** Whole pence, rounded half-up from the exact value; null when the divisor is zero or missing. */
  pence: number | null;
  /** Median over the call's gateway-passing bids that have this figure, in whole pence; null when none do. */
  medianPence: number | null;
  /** Exact comparison with the median: cheaper per head is 'below'. */
  versusMedian: 'below' | 'at' | 'above' | null;
  /** The exact value in pence, for anyone who must compare further. */
  exact: Fraction | null;
}

export interface ResultFigure extends VfmFigure {
  indicator: string;
  target: number;
}

export interface ValueForMoney {
  bidId: string;
  participants: number;
  esfPerParticipant: VfmFigure;
  totalCostPerParticipant: VfmFigure;
  esfPerResult: ResultFigure[];
}

function perUnit(pence: number, units: number): Fraction | null {
  if (!Number.isSafeInteger(pence)) throw new RangeError(`Money must be whole pence, got ${pence}`);
  if (!Number.isSafeInteger(units)) throw new RangeError(`Targets are whole numbers, got ${units}`);
  // No participants or a zero target has no cost per head: null, never Infinity.
  if (units <= 0) return null;
  return fraction(pence, units);
}

/**
 * Puts the k-th smallest of `xs` (from 0) at index k, every smaller-or-equal one before it and every
 * greater-or-equal one after it, in about 2n exact comparisons (quickselect, the middle element as pivot):
 * a median needs no full sort, which took a national call's summary some 130,000 comparisons per read.
 */
function selectInPlace(xs: Fraction[], k: number): void {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const pivot = xs[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (compareFractions(xs[i], pivot) < 0) i++;
      while (compareFractions(xs[j], pivot) > 0) j--;
      if (i <= j) {
        const swapped = xs[i];
        xs[i++] = xs[j];
        xs[j--] = swapped;
      }
    }
    // Now xs[lo..j] <= pivot <= xs[i..hi], and anything between them equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** Exact median (mean of the two middle values for an even count); null for none. */
export function medianOf(values: readonly Fraction[]): Fraction | null {
  if (values.length === 0) return null;
  const xs = [...values];
  const mid = Math.floor(xs.length / 2);
  selectInPlace(xs, mid);
  if (xs.length % 2 === 1) return xs[mid];
  // The other middle value is the largest of those before the median.
  let below = xs[0];
  for (let i = 1; i < mid; i++) if (compareFractions(xs[i], below) > 0) below = xs[i];
  const sum = addFractions(below, xs[mid]);
  return fractionFromBig(BigInt(sum.numerator), BigInt(sum.denominator) * 2n);
}

function figure(exact: Fraction | null, median: Fraction | null): VfmFigure {
  let versusMedian: VfmFigure['versusMedian'] = null;
  if (exact !== null && median !== null) {
    const c = compareFractions(exact, median);
    versusMedian = c < 0 ? 'below' : c > 0 ? 'above' : 'at';
  }
  return {
    pence: exact === null ? null : roundFraction(exact),
    medianPence: median === null ? null : roundFraction(median),
    versusMedian,
    exact,
  };
}

function targetOf(targets: readonly { indicator: string; target: number }[], indicator: string): number {
  // A bid may list an indicator more than once while drafting; what it commits to is the total.
  return targets.filter((t) => t.indicator === indicator).reduce((sum, t) => sum + t.target, 0);
}

/** Value-for-money figures for every bid given, each beside the median of the gateway-passing ones. */
export function valueForMoney(bids: readonly ValueForMoneyBid[]): ValueForMoney[] {
  const rows = bids.map((bid) => {
    const participants = targetOf(bid.outputTargets, PARTICIPANTS_INDICATOR);
    const resultIndicators = [...new Set(bid.resultTargets.map((t) => t.indicator))];
    return {
      bid,
      participants,
      esfPerParticipant: perUnit(bid.esfPence, participants),
      costPerParticipant: perUnit(bid.totalEligibleCostPence, participants),
      perResult: resultIndicators.map((indicator) => {
        const target = targetOf(bid.resultTargets, indicator);
        return { indicator, target, exact: perUnit(bid.esfPence, target) };
      }),
    };
  });

  const passing = rows.filter((r) => r.bid.gatewayPassed);
  const present = (values: (Fraction | null)[]) => values.filter((v): v is Fraction => v !== null);
  const esfMedian = medianOf(present(passing.map((r) => r.esfPerParticipant)));
  const costMedian = medianOf(present(passing.map((r) => r.costPerParticipant)));
  const resultMedians = new Map<string, Fraction | null>();
  for (const indicator of new Set(rows.flatMap((r) => r.perResult.map((p) => p.indicator)))) {
    const values = passing.flatMap((r) => r.perResult.filter((p) => p.indicator === indicator).map((p) => p.exact));
    resultMedians.set(indicator, medianOf(present(values)));
  }

  return rows.map((r) => ({
    bidId: r.bid.bidId,
    participants: r.participants,
    esfPerParticipant: figure(r.esfPerParticipant, esfMedian),
    totalCostPerParticipant: figure(r.costPerParticipant, costMedian),
    esfPerResult: r.perResult.map((p) => ({
      indicator: p.indicator,
      target: p.target,
      ...figure(p.exact, resultMedians.get(p.indicator) ?? null),
    })),
  }));
}
