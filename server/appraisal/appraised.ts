/** Which bids the panel appraises, and when a call's panel is at work: the appraisal's rules over bids and calls. */
import type { Knex } from 'knex';
import { latestVersion } from '../bids/repository.ts';
import { appraisedAs, submittedByDeadline } from '../bids/status.ts';
import type { BidRow } from '../models/bids.ts';
import type { CallRow } from '../models/calls.ts';

/** Whether a bid is one the panel appraises (appraisedAs), reading its newest version only when its status allows. */
export async function isAppraised(db: Knex | Knex.Transaction, bid: Pick<BidRow, 'id' | 'status'>): Promise<boolean> {
  return submittedByDeadline(bid) && appraisedAs(bid, await latestVersion(db, bid.id));
}

/** Whether the call's panel is at work (or has been): appraisers reach its bids only then. */
export function panelAtWork(call: Pick<CallRow, 'stage'>): boolean {
  return call.stage === 'appraisal' || call.stage === 'decided';
}
