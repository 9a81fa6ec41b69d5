/** Who reads the e-mail the system sent about a call: the officers of its funder alone. */
import type { Actor, AppContext } from '../context.ts';
import { Forbidden, NotFound } from '../errors.ts';
import type { CallRow } from '../models/calls.ts';
import { findCall } from '../calls/repository.ts';
import { grant, type Reached } from './grant.ts';
import { isOfficerOf } from './membership.ts';

/** A call whose outbox the actor may read. */
export type CallMailReader = Reached<'readCallMail', { call: CallRow }>;

/** The call whose e-mail an officer of its funder reads; anyone else is refused, another funder's call not found. */
export async function readCallMail(ctx: AppContext, actor: Actor, callId: string): Promise<CallMailReader> {
  if (actor.role !== 'officer') throw new Forbidden('Only officers read the mail about their calls');
  const call = await findCall(ctx.knex, callId);
  if (!call || !isOfficerOf(actor, call.funderId)) throw new NotFound('Call');
  return grant('readCallMail', { call });
}
