/**
 * Who reaches a call. Anyone reads a published call; a draft only its funder's officers. Only those officers
 * manage it (another funder's call is not found to them); appraisers reach a call through its panel.
 */
import type { Actor, AppContext } from '../context.ts';
import { Forbidden, NotFound } from '../errors.ts';
import type { CallRow } from '../models/calls.ts';
import { findCall } from '../calls/repository.ts';
import { isOnPanel } from '../appraisal/repository.ts';
import { grant, type Reached } from './grant.ts';
import { isAppraiserOf, isOfficerOf } from './membership.ts';

/** A call the actor may read. */
export type ReadCall = Reached<'readCall', { call: CallRow }>;
/** A call the actor manages as an officer of its funder. */
export type ManagedCall = Reached<'manageCall', { call: CallRow }>;
/** A call whose panel the actor sits on. */
export type PanelCall = Reached<'panelCall', { call: CallRow }>;
/** The funder an officer writes new calls for. */
export type CallWriter = Reached<'writeCalls', { funderId: string }>;

/** A call the actor may read: drafts only for its funder's officers; anything else is not found. */
export async function readCall(ctx: AppContext, actor: Actor | undefined, id: string): Promise<ReadCall> {
  const call = await findCall(ctx.knex, id);
  if (!call || (call.stage === 'draft' && !isOfficerOf(actor, call.funderId))) throw new NotFound('Call');
  return grant('readCall', { call });
}

/** A call the actor manages as an officer of its funder; another funder's call is not found. */
export async function manageCall(ctx: AppContext, actor: Actor, id: string): Promise<ManagedCall> {
  if (actor.role !== 'officer') throw new Forbidden();
  const call = await findCall(ctx.knex, id);
  if (!call || !isOfficerOf(actor, call.funderId)) throw new NotFound('Call');
  return grant('manageCall', { call });
}

/** The funder an officer writes a new call for; anyone else is refused. */
export function writeCalls(actor: Actor): CallWriter {
  if (actor.role !== 'officer' || !actor.funderId) throw new Forbidden();
  return grant('writeCalls', { funderId: actor.funderId });
}

/** Whether the actor sees a call as its funder's officers do (drafts, warnings). */
export function seesAsOwnOfficer(actor: Actor | undefined, call: Pick<CallRow, 'funderId'>): boolean {
  return isOfficerOf(actor, call.funderId);
}

/** Whose drafts a list of calls shows beside the published ones: an officer's own funder's, nobody else's. */
export function draftsListedFor(actor: Actor | undefined): { ownFunderId?: string } {
  return actor?.role === 'officer' && actor.funderId ? { ownFunderId: actor.funderId } : {};
}

/** The call whose panel the actor sits on; another funder's call, or a panel they are not on, is not found. */
export async function panelCall(ctx: AppContext, actor: Actor, callId: string): Promise<PanelCall> {
  const { call } = await readCall(ctx, actor, callId);
  if (!isAppraiserOf(actor, call.funderId) || !(await isOnPanel(ctx.knex, call.id, actor.id)))
    throw new NotFound('Call');
  return grant('panelCall', { call });
}

/** The appraiser whose panels are listed, and their funder (whose calls alone they sit on); anyone else is refused. */
export function ownPanels(actor: Actor): Reached<'ownPanels', { appraiserId: string; funderId: string | null }> {
  if (actor.role !== 'appraiser') throw new Forbidden('Only appraisers sit on panels');
  return grant('ownPanels', { appraiserId: actor.id, funderId: actor.funderId });
}
