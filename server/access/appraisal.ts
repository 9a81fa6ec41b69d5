/**
 * Where an appraiser or officer stands with a bid under appraisal. Appraisers reach only gateway-passing bids of
 * calls whose panel they sit on; before reading one they declare any conflict of interest, and a conflicted
 * appraiser never reaches it again. Each sees the others' scores once their own are submitted; the bidding
 * organisation sees them once the decision is made; the officer always, and alone moderates and decides.
 */
import type { Knex } from 'knex';
import type { Actor, AppContext } from '../context.ts';
import { Forbidden, NotFound } from '../errors.ts';
import type { BidRow, BidVersionRow } from '../models/bids.ts';
import type { CallRow } from '../models/calls.ts';
import { findCall } from '../calls/repository.ts';
import { findBid, latestVersion } from '../bids/repository.ts';
import { appraisedAs } from '../bids/status.ts';
import { isAppraised, panelAtWork } from '../appraisal/appraised.ts';
import { findDecision, findDeclaration, findSheetRow, isOnPanel, type Decision } from '../appraisal/repository.ts';
import type { ReadBid } from './bids.ts';
import { panelCall } from './calls.ts';
import { grant, type Reached } from './grant.ts';
import { isAppraiserOf } from './membership.ts';

export type AppraiserStanding = 'out-of-reach' | 'undeclared' | 'conflicted' | 'clear';

export type NextStep = 'declare' | 'score' | 'done';

/** A bid on an appraiser's list, with their next step on it. */
export interface ListEntry<B, V> {
  bid: B;
  version: V;
  appraisal: { declared: boolean; submitted: boolean; nextStep: NextStep };
}

/** A bid on the appraiser's list, with its call, as the list's rule reached it. */
export type ListedBid = Reached<'listedBid', ListEntry<BidRow, BidVersionRow> & { call: CallRow }>;
/** A bid an appraiser may declare their interest in. */
export type DeclarableBid = Reached<'declare', { bid: BidRow; call: CallRow; appraiserId: string }>;
/** An appraiser's own score sheet on a bid they may score. */
export type SheetOnBid = Reached<'sheet', { bid: Pick<BidRow, 'id'>; call: CallRow; appraiserId: string }>;
/** A bid whose scores the actor may read, and as whom. */
export type ScoresOfBid = Reached<'readScores', { bid: BidRow; call: CallRow; viewer: ReadBid['viewer'] }>;
/** A bid the actor handles as the officer of its call (panel chair): moderation, ranking, decision. */
export type OfficerBid<T extends ReadBid = ReadBid> = Reached<'officerBid', T>;

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
): ListEntry<B, V> | undefined {
  if (!version || !appraisedAs(bid, version)) return undefined;
  if (declaration?.conflict === true) return undefined;
  const declared = declaration !== undefined;
  const submitted = sheet?.submittedAt != null;
  const nextStep: NextStep = !declared ? 'declare' : submitted ? 'done' : 'score';
  return { bid, version, appraisal: { declared, submitted, nextStep } };
}

/** Where the appraiser stands with the bid. */
export async function appraiserStanding(
  db: Knex,
  appraiserId: string,
  bid: BidRow,
  call: CallRow,
): Promise<AppraiserStanding> {
  if (!panelAtWork(call)) return 'out-of-reach';
  if (!(await isOnPanel(db, call.id, appraiserId))) return 'out-of-reach';
  if (!(await isAppraised(db, bid))) return 'out-of-reach';
  const declaration = await findDeclaration(db, bid.id, appraiserId);
  if (!declaration) return 'undeclared';
  return declaration.conflict ? 'conflicted' : 'clear';
}

/** A bid the appraiser may declare an interest in: on their panel, appraised, and not declared conflicted. */
export async function declarableBid(ctx: AppContext, actor: Actor, bidId: string): Promise<DeclarableBid> {
  if (actor.role !== 'appraiser') throw new Forbidden('Only appraisers on the panel do that');
  const bid = await findBid(ctx.knex, bidId);
  const call = bid ? await findCall(ctx.knex, bid.callId) : undefined;
  if (!bid || !call || !isAppraiserOf(actor, call.funderId)) throw new NotFound('Bid');
  const standing = await appraiserStanding(ctx.knex, actor.id, bid, call);
  if (standing === 'out-of-reach' || standing === 'conflicted') throw new NotFound('Bid');
  return grant('declare', { bid, call, appraiserId: actor.id });
}

/**
 * One bid as it stands on the appraiser's list (appraiserListEntry, the list's rule), reading that bid alone: not on
 * the panel, not appraised or declared conflicted are all "not found", as they are off the list.
 */
export async function listedBid(ctx: AppContext, actor: Actor, bidId: string): Promise<ListedBid> {
  const bid = await findBid(ctx.knex, bidId);
  if (!bid) throw new NotFound('Bid');
  const { call } = await panelCall(ctx, actor, bid.callId);
  if (!panelAtWork(call)) throw new NotFound('Bid');
  const [version, declaration, sheet] = await Promise.all([
    latestVersion(ctx.knex, bid.id),
    findDeclaration(ctx.knex, bid.id, actor.id),
    findSheetRow(ctx.knex, bid.id, actor.id),
  ]);
  const entry = appraiserListEntry(bid, version, declaration, sheet);
  if (!entry) throw new NotFound('Bid');
  return grant('listedBid', { ...entry, call });
}

/** The reader's own sheet on a bid they read as an appraiser on its panel; anyone else is refused with `refusal`. */
export function sheetOfReader(actor: Actor, read: ReadBid, refusal: string): SheetOnBid {
  if (read.viewer !== 'appraiser') throw new Forbidden(refusal);
  return grant('sheet', { bid: read.bid, call: read.call, appraiserId: actor.id });
}

/** The appraiser's own sheet on a bid on their list, once they have declared no conflict in it. */
export function sheetOfListed(actor: Actor, listed: ListedBid): SheetOnBid {
  if (!listed.appraisal.declared)
    throw new Forbidden('Declare whether you have a conflict of interest before scoring this bid');
  return grant('sheet', { bid: listed.bid, call: listed.call, appraiserId: actor.id });
}

/**
 * Whether the decisions on a call reach the bidding organisations at `at`: from its release instant on, or as each
 * is recorded when the call has none. Officers and the panel see a decision once it is recorded.
 */
export function decisionsReleased(call: Pick<CallRow, 'releaseDecisionsAt'>, at: Date): boolean {
  return !call.releaseDecisionsAt || at.getTime() >= call.releaseDecisionsAt.getTime();
}

/**
 * Whether the reader sees the bid's decision at `at`: its organisations (the lead's and a partner's members alike)
 * only once released (decisionsReleased).
 */
export function seesDecision(read: Pick<ReadBid, 'viewer' | 'call'>, at: Date): boolean {
  return (read.viewer !== 'own' && read.viewer !== 'partner') || decisionsReleased(read.call, at);
}

/**
 * The scores on a bid the actor reads: the officer always; an appraiser once their own are submitted; the bid's
 * organisation once its decision is made and released. A caller that has read the decision already passes it in
 * `read` (undefined when the reader does not see it yet).
 */
export async function readScores(
  ctx: AppContext,
  actor: Actor,
  read: ReadBid & { decision?: Decision },
): Promise<ScoresOfBid> {
  const { bid, call, viewer } = read;
  if (viewer === 'appraiser') {
    const own = await findSheetRow(ctx.knex, bid.id, actor.id);
    if (!own?.submittedAt) throw new Forbidden("Submit your own scores for this bid before seeing anyone else's");
  }
  if (viewer === 'own' || viewer === 'partner') {
    const decision = 'decision' in read ? read.decision : await findDecision(ctx.knex, bid.id);
    if (!decision || !seesDecision(read, ctx.clock.now()))
      throw new Forbidden('Scores are shared with the applicant once the decision is made');
  }
  return grant('readScores', { bid, call, viewer });
}

/** A bid read by the officer of its call, for what only the officer does (`refusal` tells anyone else why not). */
export function officerBid<T extends ReadBid>(read: T, refusal: string): OfficerBid<T> {
  if (read.viewer !== 'officer') throw new Forbidden(refusal);
  return grant('officerBid', read);
}

/** A bid whose audit trail the reader may see: its officer and the bidding organisation, never an appraiser. */
export function auditReader(read: ReadBid): Reached<'readAudit', ReadBid> {
  // A partner's members read the bid, not the lead organisation's own trail of it.
  if (read.viewer === 'appraiser' || read.viewer === 'partner')
    throw new Forbidden('The audit trail is for officers and the bidding organisation');
  return grant('readAudit', read);
}
