/**
 * The ranking of a call's bids (DESIGN.md, Appraisal): gateway-passing, threshold-meeting bids by weighted score,
 * then lower ESF per participant, then earlier submission; the bid reference (then id) settles the rest so the
 * order never depends on how the database happened to return rows. Every key is compared exactly.
 */
import { compareFractions, type Fraction } from './fractions.ts';

export interface RankableBid {
  bidId: string;
  reference: string;
  gatewayPassed: boolean;
  meetsThresholds: boolean;
  /** Exact weighted score (a WeightedScore will do); null while the bid is not fully scored. */
  weighted: Fraction | null;
  esfPence: number;
  participants: number;
  submittedAt: Date;
  priorities: readonly { code: string; esfPence: number }[];
}

export type Ranked<T> = T & { rank: number | null };

/** Whether a bid takes part in the ranking at all. */
export function isRankable(bid: RankableBid): boolean {
  return bid.gatewayPassed && bid.meetsThresholds && bid.weighted !== null;
}

/** Compares ESF per participant (esfA/pA vs esfB/pB) by cross-multiplication; no participants sorts last. */
export function compareEsfPerParticipant(
  a: Pick<RankableBid, 'esfPence' | 'participants'>,
  b: Pick<RankableBid, 'esfPence' | 'participants'>,
): -1 | 0 | 1 {
  const aNone = a.participants <= 0;
  const bNone = b.participants <= 0;
  if (aNone || bNone) return aNone === bNone ? 0 : aNone ? 1 : -1;
  const left = BigInt(a.esfPence) * BigInt(b.participants);
  const right = BigInt(b.esfPence) * BigInt(a.participants);
  return left < right ? -1 : left > right ? 1 : 0;
}

function compareText(a: string, b: string): number {
  // Code-unit order, not localeCompare: the same on every server whatever its locale.
  return a < b ? -1 : a > b ? 1 : 0;
}

function time(date: Date): number {
  const t = date.getTime();
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/** Orders two rankable bids, best first. */
export function compareForRanking(a: RankableBid, b: RankableBid): number {
  return (
    compareFractions(b.weighted!, a.weighted!) ||
    compareEsfPerParticipant(a, b) ||
    time(a.submittedAt) - time(b.submittedAt) ||
    compareText(a.reference, b.reference) ||
    compareText(a.bidId, b.bidId)
  );
}

/**
 * Ranks the bids: ranked ones first, numbered 1, 2, 3 … with no shared places (the tie-breaks are total), then
 * the rest with rank null, in reference order.
 */
export function rankBids<T extends RankableBid>(bids: readonly T[]): Ranked<T>[] {
  for (const bid of bids) {
    if (!Number.isSafeInteger(bid.esfPence)) throw new RangeError(`Bid ${bid.reference}: ESF must be whole pence`);
    if (!Number.isSafeInteger(bid.participants)) {
      throw new RangeError(`Bid ${bid.reference}: participants must be a whole number`);
    }
  }
  const ranked = bids.filter(isRankable).sort(compareForRanking);
  const others = bids
    .filter((b) => !isRankable(b))
    .sort((a, b) => compareText(a.reference, b.reference) || compareText(a.bidId, b.bidId));
  return [...ranked.map((bid, i) => ({ ...bid, rank: i + 1 })), ...others.map((bid) => ({ ...bid, rank: null }))];
}
