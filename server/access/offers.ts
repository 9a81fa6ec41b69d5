/**
 * Who reaches partnership offers. Any applicant with an organisation may offer on a published call, and every
 * signed-in applicant reads a call's offers (finding partners is their point); so do the call's officers. Only a
 * member of the offering organisation withdraws an offer; to anyone else it is not found.
 */
import type { Actor, AppContext } from '../context.ts';
import { Forbidden, NotFound, Unauthorised } from '../errors.ts';
import type { CallRow } from '../models/calls.ts';
import type { OfferRow } from '../models/offers.ts';
import { findListedOffer, findOffer, type ListedOffer } from '../consortium/repository.ts';
import { readCall } from './calls.ts';
import { grant, type Reached } from './grant.ts';
import { isMemberOf, isOfficerOf } from './membership.ts';

/** A call the actor may make an offer on, for their organisation. */
export type OfferStart = Reached<'offerOn', { call: CallRow; organisationId: string }>;
/** A call whose offers the actor may read. */
export type OfferList = Reached<'readOffers', { call: CallRow }>;
/** An offer of the actor's own organisation. */
export type OwnOffer = Reached<'ownOffer', { offer: OfferRow }>;
/** An offer on a call that the actor may take up for one of their organisation's bids on it. */
export type OfferToTake = Reached<'offerToTake', { call: CallRow; offer: ListedOffer; organisationId: string }>;

/** A call an applicant may offer on for their organisation; anyone else is refused, a draft call not found. */
export async function offerOn(ctx: AppContext, actor: Actor, callId: string): Promise<OfferStart> {
  if (actor.role !== 'applicant' || !actor.organisationId) throw new Forbidden('Only applicants offer partnership');
  const { call } = await readCall(ctx, actor, callId);
  return grant('offerOn', { call, organisationId: actor.organisationId });
}

/** A call whose offers the actor reads: any signed-in applicant, the call's officers; 401 for nobody signed in. */
export async function readOffers(ctx: AppContext, actor: Actor | undefined, callId: string): Promise<OfferList> {
  if (!actor) throw new Unauthorised();
  const { call } = await readCall(ctx, actor, callId);
  if (actor.role === 'applicant' || isOfficerOf(actor, call.funderId)) return grant('readOffers', { call });
  if (actor.role === 'officer') throw new NotFound('Call');
  throw new Forbidden("Partnership offers are for applicants and the call's officers");
}

/** An offer of the actor's own organisation, to withdraw it; anyone else's is not found. */
export async function ownOffer(ctx: AppContext, actor: Actor, offerId: string): Promise<OwnOffer> {
  if (actor.role !== 'applicant') throw new Forbidden('Only the offering organisation withdraws its offer');
  const offer = await findOffer(ctx.knex, offerId);
  if (!offer || !isMemberOf(actor, offer.organisationId)) throw new NotFound('Offer');
  return grant('ownOffer', { offer });
}

/**
 * An offer on a call that an applicant may take up into their organisation's bid ("invite to my bid"): any applicant
 * who reads the call's offers; which bid is the bids' rule (ownBid). An offer not on this call is not found.
 */
export async function offerToTake(
  ctx: AppContext,
  actor: Actor,
  callId: string,
  offerId: string,
): Promise<OfferToTake> {
  if (actor.role !== 'applicant') throw new Forbidden('Only applicants invite partners to their bids');
  if (!actor.organisationId) throw new Forbidden('You belong to no organisation: ask an admin of one to invite you');
  const { call } = await readCall(ctx, actor, callId);
  const offer = await findListedOffer(ctx.knex, offerId);
  if (!offer || offer.callId !== call.id) throw new NotFound('Offer');
  return grant('offerToTake', { call, offer, organisationId: actor.organisationId });
}
