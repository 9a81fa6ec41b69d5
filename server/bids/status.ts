/** What a bid's status says: whether it was submitted when its call closed, and whether it has had its decision. */
import type { BidStatus } from './types.ts';

/** Bid statuses that were submitted when the call closed and so are appraised. */
export const APPRAISED_STATUSES = ['submitted', 'approved', 'approved_with_conditions', 'rejected'] as const;

/** Bid statuses a decision gives: a bid with one of them never changes again. */
export const DECIDED_STATUSES = ['approved', 'approved_with_conditions', 'rejected'] as const;

/** Whether a bid's status says it was submitted when its call closed (through the gateway or not). */
export function submittedByDeadline(bid: { status: string }): boolean {
  return (APPRAISED_STATUSES as readonly string[]).includes(bid.status);
}

/** Whether a bid has had its decision. */
export function isDecided(bid: { status: BidStatus | string }): boolean {
  return (DECIDED_STATUSES as readonly string[]).includes(bid.status);
}

/** Whether a bid whose newest version is `version` is one the panel appraises: on time and through the gateway. */
export function appraisedAs(bid: { status: string }, version: { gatewayPassed: boolean } | undefined): boolean {
  return submittedByDeadline(bid) && version?.gatewayPassed === true;
}
