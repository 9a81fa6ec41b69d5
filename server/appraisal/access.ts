/**
 * Where an appraiser stands with a bid. They reach only gateway-passing bids of calls whose panel they sit
 * on; before reading one they declare any conflict of interest; a conflicted appraiser never reaches it again.
 */
import type { Knex } from 'knex';
import type { BidRow, BidVersionRow } from '../models/bids.ts';
import type { CallRow } from '../models/calls.ts';
import { latestVersion } from '../bids/repository.ts';
import { findDeclaration, isOnPanel } from './repository.ts';

export type AppraiserStanding = 'out-of-reach' | 'undeclared' | 'conflicted' | 'clear';

/** Bid statuses that were submitted when the call closed and so are appraised. */
export const APPRAISED_STATUSES = ['submitted', 'approved', 'approved_with_conditions', 'rejected'] as const;

/** Whether a bid's status says it was submitted when its call closed (through the gateway or not). */
export function submittedByDeadline(bid: { status: string }): boolean {
  return (APPRAISED_STATUSES as readonly string[]).includes(bid.status);
}

/** Whether a bid whose newest version is `version` is one the panel appraises: submitted by the deadline and through the gateway. */
export function appraisedAs(bid: Pick<BidRow, 'status'>, version: Pick<BidVersionRow, 'gatewayPassed'> | undefined): boolean {
  return submittedByDeadline(bid) && version?.gatewayPassed === true;
}

/** Whether a bid is one the panel appraises (appraisedAs), reading its newest version only when its status allows. */
export async function isAppraised(db: Knex, bid: BidRow): Promise<boolean> {
  return submittedByDeadline(bid) && appraisedAs(bid, await latestVersion(db, bid.id));
}

/** Whether the call's panel is at work (or has been): appraisers reach its bids only then. */
export function panelAtWork(call: Pick<CallRow, 'stage'>): boolean {
  return call.stage === 'appraisal' || call.stage === 'decided';
}

export type NextStep = 'declare' | 'score' | 'done';

/**
 * A bid's line on the list of an appraiser on its call's panel, with their next step, or undefined when it is not
 * on the list: only bids submitted on time and through the gateway are appraised (their newest version passed),
 * and a bid the appraiser declared a conflict on never comes back. The declaration and sheet are theirs, if any.
 */
export function appraiserListEntry<B extends Pick<BidRow, 'status'>, V extends Pick<BidVersionRow, 'gatewayPassed'>>(
  bid: B,
  version: V | undefined,
  declaration: { conflict: boolean } | undefined,
  sheet: { submittedAt: Date | null } | undefined,
): { bid: B; version: V; appraisal: { declared: boolean; submitted: boolean; nextStep: NextStep } } | undefined {
  if (!version || !appraisedAs(bid, version)) return undefined;
  if (declaration?.conflict === true) return undefined;
  const declared = declaration !== undefined;
  const submitted = sheet?.submittedAt != null;
  return { bid, version, appraisal: { declared, submitted, nextStep: !declared ? 'declare' : submitted ? 'done' : 'score' } };
}

/** Where the appraiser stands with the bid. */
export async function appraiserStanding(db: Knex, appraiserId: string, bid: BidRow, call: CallRow): Promise<AppraiserStanding> {
  if (!panelAtWork(call)) return 'out-of-reach';
  if (!(await isOnPanel(db, call.id, appraiserId))) return 'out-of-reach';
  if (!(await isAppraised(db, bid))) return 'out-of-reach';
  const declaration = await findDeclaration(db, bid.id, appraiserId);
  if (!declaration) return 'undeclared';
  return declaration.conflict ? 'conflicted' : 'clear';
}
