/**
 * Where an appraiser stands with a bid. They reach only gateway-passing bids of calls whose panel they sit
 * on; before reading one they declare any conflict of interest; a conflicted appraiser never reaches it again.
 */
import type { Knex } from 'knex';
import type { BidRow } from '../models/bids.ts';
import type { CallRow } from '../models/calls.ts';
import { latestVersion } from '../bids/repository.ts';
import { findDeclaration, isOnPanel } from './repository.ts';

export type AppraiserStanding = 'out-of-reach' | 'undeclared' | 'conflicted' | 'clear';

/** Bid statuses that were submitted when the call closed and so are appraised. */
export const APPRAISED_STATUSES = ['submitted', 'approved', 'approved_with_conditions', 'rejected'] as const;

/** Whether a bid is one the panel appraises: submitted by the deadline and through the gateway. */
export async function isAppraised(db: Knex, bid: BidRow): Promise<boolean> {
  if (!(APPRAISED_STATUSES as readonly string[]).includes(bid.status)) return false;
  return (await latestVersion(db, bid.id))?.gatewayPassed === true;
}

/** Where the appraiser stands with the bid. */
export async function appraiserStanding(db: Knex, appraiserId: string, bid: BidRow, call: CallRow): Promise<AppraiserStanding> {
  if (call.stage !== 'appraisal' && call.stage !== 'decided') return 'out-of-reach';
  if (!(await isOnPanel(db, call.id, appraiserId))) return 'out-of-reach';
  if (!(await isAppraised(db, bid))) return 'out-of-reach';
  const declaration = await findDeclaration(db, bid.id, appraiserId);
  if (!declaration) return 'undeclared';
  return declaration.conflict ? 'conflicted' : 'clear';
}
