/** The use cases of calls: officers write, publish and close them; anyone reads the published ones. */
import type { Actor, AppContext } from '../context.ts';
import * as access from '../access/index.ts';
import { Conflict, NotFound, Validation } from '../errors.ts';
import type { CallRow } from '../models/calls.ts';
import { recordAudit } from '../audit/repository.ts';
import { validate } from '../validation.ts';
import { callFields, publishedCallFromText, toCall } from './presenter.ts';
import * as repository from './repository.ts';
import type { PublishedCallText } from './repository.ts';
import { callWarnings, publishProblems } from './rules.ts';
import type { Call, CallFields, Finding, Indicator } from './types.ts';

export interface CallView {
  call: Call;
  /** Present for the officers of the call's funder. */
  warnings?: Finding[];
}

/**
 * A call the caller has read (and may show the actor) as the actor sees it, with warnings for its funder's officers.
 */
export function callView(ctx: AppContext, actor: Actor | undefined, row: CallRow): CallView {
  const call = toCall(row, ctx.clock.now());
  return access.seesAsOwnOfficer(actor, row) ? { call, warnings: callWarnings(callFields(row)) } : { call };
}

/** The indicator catalogue. */
export function indicators(ctx: AppContext): Promise<Indicator[]> {
  return repository.loadIndicators(ctx.knex);
}

/** An officer writes a new draft call for their funder. */
export async function createCall(ctx: AppContext, actor: Actor, body: unknown): Promise<CallView> {
  const { funderId } = access.writeCalls(actor);
  const fields = validate<CallFields>('call.create.schema.json', body);
  const id = await ctx.knex.transaction(async (trx) => {
    const callId = await repository.insertCall(trx, funderId, fields);
    await recordAudit(trx, { actorId: actor.id, action: 'call.created', callId, after: fields });
    return callId;
  });
  return callView(ctx, actor, (await repository.findCall(ctx.knex, id))!);
}

/** An officer replaces every field of a call that is still a draft; a published call's rules never change. */
export async function replaceCall(ctx: AppContext, actor: Actor, id: string, body: unknown): Promise<CallView> {
  await access.manageCall(ctx, actor, id);
  const fields = validate<CallFields>('call.create.schema.json', body);
  await ctx.knex.transaction(async (trx) => {
    const row = (await repository.findCall(trx, id, { forUpdate: true }))!;
    if (row.stage !== 'draft') throw new Conflict('Only a draft call can be changed; this one is published');
    await repository.replaceCall(trx, id, fields);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'call.replaced',
      callId: id,
      before: callFields(row),
      after: fields,
    });
  });
  return callView(ctx, actor, (await repository.findCall(ctx.knex, id))!);
}

/** An officer publishes a draft call: refused with reasons if it cannot work, allowed with warnings if risky. */
export async function publishCall(ctx: AppContext, actor: Actor, id: string): Promise<CallView> {
  await access.manageCall(ctx, actor, id);
  const catalogue = await repository.loadIndicators(ctx.knex);
  await ctx.knex.transaction(async (trx) => {
    const row = (await repository.findCall(trx, id, { forUpdate: true }))!;
    if (row.stage !== 'draft') throw new Conflict('This call is already published');
    const now = ctx.clock.now();
    const fields = callFields(row);
    const problems = publishProblems(fields, catalogue, now);
    if (problems.length > 0) throw new Validation('The call cannot be published', problems);
    await repository.setStage(trx, id, 'open', { publishedAt: now, publishedFields: fields });
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'call.published',
      callId: id,
      before: { status: 'draft' },
      after: { status: 'open' },
      at: now,
    });
  });
  return callView(ctx, actor, (await repository.findCall(ctx.knex, id))!);
}

/** An officer closes an open call before its deadline; the deadline becomes now, the published one is kept. */
export async function closeCall(ctx: AppContext, actor: Actor, id: string): Promise<CallView> {
  await access.manageCall(ctx, actor, id);
  await ctx.knex.transaction(async (trx) => {
    const row = (await repository.findCall(trx, id, { forUpdate: true }))!;
    const now = ctx.clock.now();
    const status = toCall(row, now).status;
    if (status !== 'open') throw new Conflict(`Only an open call can be closed; this one is ${status}`);
    await repository.setStage(trx, id, 'closed', { closesAt: now, scheduledClosesAt: row.closesAt });
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'call.closed',
      callId: id,
      before: { status, closesAt: row.closesAt.toISOString() },
      after: { status: 'closed', closesAt: now.toISOString() },
      at: now,
    });
  });
  return callView(ctx, actor, (await repository.findCall(ctx.knex, id))!);
}

/** Published calls for everyone; an officer also sees their own funder's drafts. */
export async function listCalls(ctx: AppContext, actor: Actor | undefined): Promise<CallView[]> {
  const rows = await repository.listCalls(ctx.knex, access.draftsListedFor(actor));
  return rows.map((row) => callView(ctx, actor, row));
}

/** A published call with its fields as the JSON text PostgreSQL keeps, for anyone; a draft is not found. */
export async function getPublishedCallText(ctx: AppContext, id: string): Promise<PublishedCallText> {
  const published = await repository.findPublishedCallText(ctx.knex, id);
  if (!published) throw new NotFound('Call');
  return published;
}

/** One call as the actor may see it, with warnings for its funder's officers. */
export async function getCall(ctx: AppContext, actor: Actor | undefined, id: string): Promise<CallView> {
  // Officers may see drafts, and their own funder's calls with warnings; everyone else sees only published
  // calls, read as published from one row.
  if (actor?.role !== 'officer')
    return { call: publishedCallFromText(await getPublishedCallText(ctx, id), ctx.clock.now()) };
  return callView(ctx, actor, (await access.readCall(ctx, actor, id)).call);
}
