/**
 * The use cases of finding partners and seeing a call's consortia whole: organisations offer partnership on an
 * open call and applicants browse the offers; officers see how many offers ended up in a bid, and which
 * organisations appear in more than one submitted bid.
 */
import type { Actor, AppContext } from '../context.ts';
import * as access from '../access/index.ts';
import { recordAudit } from '../audit/repository.ts';
import { callStatus } from '../calls/status.ts';
import { Conflict, Validation } from '../errors.ts';
import type { CallRow } from '../models/calls.ts';
import { validate } from '../validation.ts';
import { submittedPartnersOfCall } from '../bids/repository.ts';
import { findOverlaps, type Overlap } from '../bids/overlaps.ts';
import { addOfferedPartner, listBidsForCall } from '../bids/service.ts';
import type { BidRow } from '../models/bids.ts';
import * as repository from './repository.ts';

export interface OfferFields {
  summary: string;
  activities: string;
  geography: string[];
  priorities: string[];
  indicativeEsfPence: number;
  contactEmail: string;
}

/** An offer as the API shows it. */
export function presentOffer(offer: repository.ListedOffer) {
  return {
    id: offer.id,
    organisation: { name: offer.organisationName, type: offer.organisationType },
    summary: offer.summary,
    activities: offer.activities,
    geography: offer.geography,
    priorities: offer.priorities,
    indicativeEsfPence: offer.indicativeEsfPence,
    contactEmail: offer.contactEmail,
    createdAt: offer.createdAt.toISOString(),
  };
}

/** Refuses (409) what is done only while a call is open, saying so. */
function refuseUnlessOpen(ctx: AppContext, call: CallRow, why: string): void {
  if (callStatus(call.stage, call.closesAt, ctx.clock.now()) !== 'open')
    throw new Conflict(`The call "${call.title}" is not open: ${why}`);
}

/** The call an applicant is about to offer partnership on, for the offer's form; 409 once it is not open. */
export async function viewNewOffer(ctx: AppContext, actor: Actor, callId: string): Promise<CallRow> {
  const { call } = await access.offerOn(ctx, actor, callId);
  refuseUnlessOpen(ctx, call, 'partnership offers are made while it is');
  return call;
}

/** An applicant's organisation offers partnership on an open call (409 when it is not open). */
export async function createOffer(
  ctx: AppContext,
  actor: Actor,
  callId: string,
  body: unknown,
): Promise<repository.ListedOffer> {
  const { call, organisationId } = await access.offerOn(ctx, actor, callId);
  refuseUnlessOpen(ctx, call, 'partnership offers are made while it is');
  const fields = validate<OfferFields>('offer.create.schema.json', body ?? {});
  const codes = new Set((call.publishedFields?.priorities ?? []).map((priority) => priority.code));
  const unknown = fields.priorities.flatMap((code, i) =>
    codes.has(code) ? [] : [{ path: `/priorities/${i}`, message: `The call has no priority ${code}` }],
  );
  if (unknown.length > 0) throw new Validation('The offer has problems', unknown);
  const id = await ctx.knex.transaction(async (trx) => {
    const offer = await repository.insertOffer(trx, {
      callId: call.id,
      organisationId,
      ...fields,
      createdBy: actor.id,
    });
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'offer.created',
      callId: call.id,
      after: { id: offer.id, ...fields },
    });
    return offer.id;
  });
  return (await repository.offersOnCall(ctx.knex, call.id)).find((offer) => offer.id === id)!;
}

/** The offers on a call, for signed-in applicants and the call's officers. */
export async function listOffers(
  ctx: AppContext,
  actor: Actor | undefined,
  callId: string,
): Promise<repository.ListedOffer[]> {
  const { call } = await access.readOffers(ctx, actor, callId);
  return repository.offersOnCall(ctx.knex, call.id);
}

/** A member of the offering organisation withdraws its offer. */
export async function deleteOffer(ctx: AppContext, actor: Actor, offerId: string): Promise<void> {
  const { offer } = await access.ownOffer(ctx, actor, offerId);
  await ctx.knex.transaction(async (trx) => {
    await repository.deleteOffer(trx, offer.id);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'offer.deleted',
      callId: offer.callId,
      before: { id: offer.id, summary: offer.summary },
    });
  });
}

/** An offer of the actor's own organisation, as its withdrawal's confirmation page shows it. */
export async function viewOwnOffer(ctx: AppContext, actor: Actor, offerId: string): Promise<repository.ListedOffer> {
  const { offer } = await access.ownOffer(ctx, actor, offerId);
  return (await repository.findListedOffer(ctx.knex, offer.id))!;
}

/** An offer that an applicant takes up into one of their organisation's draft bids on the call. */
export interface OfferToTake {
  call: CallRow;
  offer: repository.ListedOffer;
  /** The organisation's draft bids on the call: where the offering organisation may be added. */
  bids: BidRow[];
}

/**
 * What "invite to my bid" starts from: the offer and the actor's organisation's draft bids on its call. Refused
 * (409, saying why) for an organisation's own offer, a call that is not open, or an organisation with no draft bid
 * on the call.
 */
export async function viewOfferToTake(
  ctx: AppContext,
  actor: Actor,
  callId: string,
  offerId: string,
): Promise<OfferToTake> {
  const { call, offer, organisationId } = await access.offerToTake(ctx, actor, callId, offerId);
  if (offer.organisationId === organisationId)
    throw new Conflict('This is your own organisation’s offer: an organisation cannot invite itself to its bid');
  refuseUnlessOpen(ctx, call, 'partners are invited from offers while it is');
  const bids = (await listBidsForCall(ctx, actor, call.id))
    .map(({ bid }) => bid)
    .filter((bid) => bid.status === 'draft');
  if (bids.length === 0)
    throw new Conflict(
      `Your organisation has no draft bid on "${call.title}": start a bid on the call, then invite partners to it`,
    );
  return { call, offer, bids };
}

/**
 * The lead takes up an offer: the offering organisation is added to the chosen draft bid as a delivery partner and
 * invited at the offer's contact address, in one transaction (bids/service.ts `addOfferedPartner`). With more than
 * one draft bid the choice is required (422 at `/bidId`).
 */
export async function takeUpOffer(ctx: AppContext, actor: Actor, callId: string, offerId: string, bidId?: string) {
  const { call, offer, bids } = await viewOfferToTake(ctx, actor, callId, offerId);
  const chosen = bidId ?? (bids.length === 1 ? bids[0].id : undefined);
  if (!chosen) throw new Validation('Choose a bid', [{ path: '/bidId', message: 'Choose the bid to invite them to' }]);
  return addOfferedPartner(ctx, actor, chosen, call.id, {
    id: offer.organisationId,
    name: offer.organisationName,
    type: offer.organisationType as OfferedType,
    charityNumber: offer.organisationCharityNumber,
    companyNumber: offer.organisationCompanyNumber,
    email: offer.contactEmail,
  });
}

type OfferedType = Parameters<typeof addOfferedPartner>[4]['type'];

/** The organisations in more than one submitted bid of a call the reader reached (its officers, its panel). */
export async function overlapsOnCall(
  ctx: AppContext,
  reached: access.Reached<string, { call: Pick<CallRow, 'id'> }>,
): Promise<Overlap[]> {
  return findOverlaps(await submittedPartnersOfCall(ctx.knex, reached.call.id));
}

/** The organisations in more than one submitted bid of a call, for its officers. */
export async function callOverlaps(ctx: AppContext, actor: Actor, callId: string): Promise<Overlap[]> {
  return overlapsOnCall(ctx, await access.manageCall(ctx, actor, callId));
}

/**
 * How the call's offers fared: how many there are, from how many organisations, and how many of those are in one of
 * the call's bids (its organisation, or a partner that joined), from the bids the caller has read already.
 */
export async function offerUptake(
  ctx: AppContext,
  managed: access.ManagedCall,
  bids: { organisationId: string; draft: { partners?: { organisationId?: string | null }[] } }[],
): Promise<{ offers: number; organisations: number; inBids: number }> {
  const offers = await repository.offersOnCall(ctx.knex, managed.call.id);
  const offering = new Set(offers.map((offer) => offer.organisationId));
  const inBids = new Set(
    bids.flatMap((bid) => [bid.organisationId, ...(bid.draft.partners ?? []).map((p) => p.organisationId ?? '')]),
  );
  return {
    offers: offers.length,
    organisations: offering.size,
    inBids: [...offering].filter((o) => inBids.has(o)).length,
  };
}
