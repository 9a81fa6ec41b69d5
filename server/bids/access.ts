/**
 * Who may see and change a bid. An applicant reaches only its own organisation's bids, an officer only bids
 * on its funder's calls, an appraiser only bids on their panel with no conflict declared; anything else is not found.
 */
import type { Actor, AppContext } from '../context.ts';
import { Forbidden, NotFound, Unauthorised } from '../errors.ts';
import { appraiserStanding } from '../appraisal/access.ts';
import type { BidRow } from '../models/bids.ts';
import type { CallRow } from '../models/calls.ts';
import { findCall } from '../calls/repository.ts';
import { findBid } from './repository.ts';

export type BidViewer = 'own' | 'officer' | 'appraiser';

export interface ReachableBid {
  bid: BidRow;
  call: CallRow;
  viewer: BidViewer;
}

async function load(ctx: AppContext, id: string, forUpdate = false): Promise<{ bid: BidRow; call: CallRow } | undefined> {
  const bid = await findBid(ctx.knex, id, { forUpdate });
  if (!bid) return undefined;
  return { bid, call: (await findCall(ctx.knex, bid.callId))! };
}

/** A bid the actor may read, and as whom; 401 when nobody is signed in, otherwise 404 when out of reach. */
export async function findReadableBid(ctx: AppContext, actor: Actor | undefined, id: string): Promise<ReachableBid> {
  if (!actor) throw new Unauthorised();
  const found = await load(ctx, id);
  if (!found) throw new NotFound('Bid');
  const { bid, call } = found;
  if (actor.role === 'applicant' && bid.organisationId === actor.organisationId) return { ...found, viewer: 'own' };
  if (actor.role === 'officer' && call.funderId === actor.funderId) return { ...found, viewer: 'officer' };
  if (actor.role === 'appraiser' && call.funderId === actor.funderId) {
    const standing = await appraiserStanding(ctx.knex, actor.id, bid, call);
    if (standing === 'clear') return { ...found, viewer: 'appraiser' };
    // The bid is on their list, so its existence is no secret; its contents wait for the declaration.
    if (standing === 'undeclared') throw new Forbidden('Declare whether you have a conflict of interest before reading this bid');
  }
  throw new NotFound('Bid');
}

/** A bid of the actor's own organisation, for changing it; officers and appraisers are refused. */
export async function findOwnBid(ctx: AppContext, actor: Actor, id: string): Promise<{ bid: BidRow; call: CallRow }> {
  if (actor.role !== 'applicant') throw new Forbidden('Only the bidding organisation changes its bid');
  const found = await load(ctx, id);
  if (!found || found.bid.organisationId !== actor.organisationId) throw new NotFound('Bid');
  return found;
}
