/** Which bids the panel appraises, and when a call's panel is at work: the appraisal's rules over bids and calls. */
import type { Knex } from 'knex';
import { latestVersion } from '../bids/repository.ts';
import { appraisedAs, submittedByDeadline } from '../bids/status.ts';
import type { BidRow, BidVersionRow } from '../models/bids.ts';
import type { CallRow } from '../models/calls.ts';

/**
 * The version of a bid the panel appraises, ranks, plans and exports: the newest one submitted, which after the
 * deadline is the answer to its latest clarification, if it has had one. Older versions stay readable.
 */
export async function appraisedVersion(db: Knex | Knex.Transaction, bidId: string): Promise<BidVersionRow | undefined> {
  return latestVersion(db, bidId);
}

/** Of a bid's versions (any order), the number of the one appraised (appraisedVersion's rule), if any. */
export function appraisedVersionNumber(versions: readonly Pick<BidVersionRow, 'version'>[]): number | undefined {
  return versions.length === 0 ? undefined : Math.max(...versions.map((v) => v.version));
}

/** Whether a bid is one the panel appraises (appraisedAs), reading its newest version only when its status allows. */
export async function isAppraised(db: Knex | Knex.Transaction, bid: Pick<BidRow, 'id' | 'status'>): Promise<boolean> {
  return submittedByDeadline(bid) && appraisedAs(bid, await appraisedVersion(db, bid.id));
}

/** Whether the call's panel is at work (or has been): appraisers reach its bids only then. */
export function panelAtWork(call: Pick<CallRow, 'stage'>): boolean {
  return call.stage === 'appraisal' || call.stage === 'decided';
}
