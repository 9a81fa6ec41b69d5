/**
 * Who reaches a bid. The bidding organisation reaches its own bids and alone changes them; an officer reads
 * the bids on its funder's calls; an appraiser reads a bid on their panel once they have declared no conflict.
 * Anything else is not found, except an appraiser's undeclared bid (it is on their list: no secret) and a role
 * that never changes bids (refused outright).
 */
import type { Actor, AppContext } from '../context.ts';
import { Forbidden, NotFound, Unauthorised } from '../errors.ts';
import type { BidRow } from '../models/bids.ts';
import type { CallRow } from '../models/calls.ts';
import { findCall } from '../calls/repository.ts';
import { findBid, type LockedBid } from '../bids/repository.ts';
import { appraiserStanding } from './appraisal.ts';
import { readCall } from './calls.ts';
import { grant, type Reached } from './grant.ts';
import { actsForPartner, isAppraiserOf, isMemberOf, isOfficerOf, isPartnerIn } from './membership.ts';

/** `partner`: a member of a delivery partner's organisation, who reads the bid as its own organisation does. */
export type BidViewer = 'own' | 'partner' | 'officer' | 'appraiser';

export interface ReachableBid {
  bid: BidRow;
  call: CallRow;
  viewer: BidViewer;
}

/** A bid the actor may read, and as whom. */
export type ReadBid = Reached<'readBid', ReachableBid>;
/** A bid of the actor's own organisation, which they may change (while the deadline lock allows). */
export type OwnBid<T extends { bid: BidRow; call: CallRow } = { bid: BidRow; call: CallRow }> = Reached<'ownBid', T>;
/** A call the actor may start a bid on, for their organisation. */
export type BidStart = Reached<'startBid', { call: CallRow; organisationId: string }>;
/** The bids on a call the actor may list: all of them, or one organisation's. */
export type BidList = Reached<'listBids', { call: CallRow; organisationId?: string }>;

async function load(ctx: AppContext, id: string): Promise<{ bid: BidRow; call: CallRow } | undefined> {
  const bid = await findBid(ctx.knex, id);
  if (!bid) return undefined;
  return { bid, call: (await findCall(ctx.knex, bid.callId))! };
}

/** A bid the actor may read, and as whom; 401 when nobody is signed in, otherwise 404 when out of reach. */
export async function readBid(ctx: AppContext, actor: Actor | undefined, id: string): Promise<ReadBid> {
  if (!actor) throw new Unauthorised();
  const found = await load(ctx, id);
  if (!found) throw new NotFound('Bid');
  const { bid, call } = found;
  if (isMemberOf(actor, bid.organisationId)) return grant('readBid', { ...found, viewer: 'own' });
  if (isPartnerIn(actor, bid.draft.partners)) return grant('readBid', { ...found, viewer: 'partner' });
  if (isOfficerOf(actor, call.funderId)) return grant('readBid', { ...found, viewer: 'officer' });
  if (isAppraiserOf(actor, call.funderId)) {
    const standing = await appraiserStanding(ctx.knex, actor.id, bid, call);
    if (standing === 'clear') return grant('readBid', { ...found, viewer: 'appraiser' });
    // The bid is on their list, so its existence is no secret; its contents wait for the declaration.
    if (standing === 'undeclared')
      throw new Forbidden('Declare whether you have a conflict of interest before reading this bid');
  }
  throw new NotFound('Bid');
}

/** Refuses a role that never changes bids: only the bidding organisation changes its bid. */
export function refuseUnlessBidder(actor: Actor): void {
  if (actor.role !== 'applicant') throw new Forbidden('Only the bidding organisation changes its bid');
}

/** A bid of the actor's own organisation, for changing it; officers and appraisers are refused. */
export async function ownBid(ctx: AppContext, actor: Actor, id: string): Promise<OwnBid> {
  refuseUnlessBidder(actor);
  const found = await load(ctx, id);
  if (!found || !isMemberOf(actor, found.bid.organisationId)) throw new NotFound('Bid');
  return grant('ownBid', found);
}

/** The actor's own bid from one they have read (readBid), for changing it: ownBid's rule, without reading it again. */
export function ownReadBid(actor: Actor, read: ReadBid): OwnBid {
  refuseUnlessBidder(actor);
  if (!isMemberOf(actor, read.bid.organisationId)) throw new NotFound('Bid');
  return grant('ownBid', { bid: read.bid, call: read.call });
}

/** One partner's part of a bid, which the actor may change: its row and the match lines it declares. */
export type OwnPart = Reached<'ownPart', { bid: BidRow; call: CallRow; partnerId: string }>;

/**
 * A partner's part of a bid, for changing it: members of the lead organisation change any part, a member of a
 * partner's organisation only that partner's. A partner of the bid reads it, so another part is refused (403);
 * anyone else finds no bid.
 */
export async function ownPart(ctx: AppContext, actor: Actor, id: string, partnerId: string): Promise<OwnPart> {
  refuseUnlessBidder(actor);
  const found = await load(ctx, id);
  if (!found) throw new NotFound('Bid');
  if (stillOwnsPart(actor, found.bid, partnerId)) return grant('ownPart', { ...found, partnerId });
  if (isPartnerIn(actor, found.bid.draft.partners))
    throw new Forbidden("You change only your own organisation's part of this bid");
  throw new NotFound('Bid');
}

/**
 * Whether this actor may change a partner's part of the bid as its row stands (ownPart's rule, asked again on the
 * row as a transaction locked it): a member of the lead organisation, or one who acts for that partner
 * (actsForPartner).
 */
export function stillOwnsPart(actor: Actor, bid: BidRow, partnerId: string): boolean {
  if (isMemberOf(actor, bid.organisationId)) return true;
  return (bid.draft.partners ?? []).some((p) => p.id === partnerId && actsForPartner(actor, p));
}

/** The actor's own bid as a transaction locked it (lockBidWithCall), for changing it; another's is not found. */
export function ownLockedBid(actor: Actor, locked: LockedBid | undefined): OwnBid<LockedBid> {
  refuseUnlessBidder(actor);
  if (!locked || !isMemberOf(actor, locked.bid.organisationId)) throw new NotFound('Bid');
  return grant('ownBid', locked);
}

/** The actor's own bid (or part of one) read as its organisation reads it, or as a partner's member does. */
export function readOwn(own: OwnBid | OwnPart, actor?: Actor): ReadBid {
  const viewer = actor && !isMemberOf(actor, own.bid.organisationId) ? ('partner' as const) : ('own' as const);
  return grant('readBid', { bid: own.bid, call: own.call, viewer });
}

/** What an applicant who belongs to no organisation (removed from theirs) is told. */
const NO_ORGANISATION = 'You belong to no organisation: ask an admin of one to invite you';

/** A call an applicant may start a bid on, for their organisation; anyone else is refused. */
export async function startBid(ctx: AppContext, actor: Actor, callId: string): Promise<BidStart> {
  if (actor.role !== 'applicant') throw new Forbidden('Only applicants start bids');
  if (!actor.organisationId) throw new Forbidden(NO_ORGANISATION);
  const { call } = await readCall(ctx, actor, callId);
  return grant('startBid', { call, organisationId: actor.organisationId });
}

/**
 * The bids on a call the actor may list: an officer of its funder all of them, an applicant its own
 * organisation's; appraisers have their own list (appraiserCall), and another funder's call is not found.
 */
export async function listBidsOnCall(ctx: AppContext, actor: Actor, callId: string): Promise<BidList> {
  const { call } = await readCall(ctx, actor, callId);
  if (actor.role === 'officer') {
    if (!isOfficerOf(actor, call.funderId)) throw new NotFound('Call');
    return grant('listBids', { call });
  }
  if (actor.role === 'applicant') {
    // No organisation is no bids, never everyone's: an absent organisationId would list them all.
    if (!actor.organisationId) throw new Forbidden(NO_ORGANISATION);
    return grant('listBids', { call, organisationId: actor.organisationId });
  }
  throw new Forbidden();
}

/** The organisation whose bids across every call an applicant lists; anyone else is refused. */
export function ownOrganisation(actor: Actor): Reached<'ownBids', { organisationId: string }> {
  if (actor.role !== 'applicant') throw new Forbidden('Only applicants have bids');
  if (!actor.organisationId) throw new Forbidden(NO_ORGANISATION);
  return grant('ownBids', { organisationId: actor.organisationId });
}
