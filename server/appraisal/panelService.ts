/**
 * The panel's use cases: the officer sets the panel of a closed call (and the call moves to appraisal); an
 * appraiser on it reads their list of bids to appraise, each with their next step, and one bid as it stands there.
 */
import type { Actor, AppContext } from '../context.ts';
import { recordAudit } from '../audit/repository.ts';
import * as access from '../access/index.ts';
import { setStage } from '../calls/repository.ts';
import { callStatus } from '../calls/status.ts';
import { listBids } from '../bids/repository.ts';
import { mailLink, queueMail } from '../mail/outbox.ts';
import { Conflict, Validation } from '../errors.ts';
import { User } from '../models/identity.ts';
import { validate } from '../validation.ts';
import { panelAtWork } from './appraised.ts';
import * as repository from './repository.ts';

/** The officer sets the panel of a closed call; the call moves to appraisal. Appraisers who scored stay. */
export async function setPanel(ctx: AppContext, actor: Actor, callId: string, body: unknown) {
  const { call } = await access.manageCall(ctx, actor, callId);
  const { appraiserIds } = validate<{ appraiserIds: string[] }>('panel.schema.json', body);
  const status = callStatus(call.stage, call.closesAt, ctx.clock.now());
  if (status !== 'closed' && status !== 'appraisal')
    throw new Conflict(`The panel is set once the call has closed; this call is ${status}`);
  const appraisers = await User.query(ctx.knex)
    .whereIn('id', appraiserIds)
    .where({ role: 'appraiser', funderId: call.funderId });
  const known = new Set(appraisers.map((a) => a.id));
  const unknown = appraiserIds.map((id, i) => ({ id, i })).filter(({ id }) => !known.has(id));
  if (unknown.length > 0)
    throw new Validation(
      'The panel has problems',
      unknown.map(({ i }) => ({ path: `/appraiserIds/${i}`, message: 'Not an appraiser of your funder' })),
    );
  await ctx.knex.transaction(async (trx) => {
    const before = (await repository.panelOf(trx, call.id)).map((m) => m.appraiserId);
    const scored = await repository.appraisersWithSubmittedScores(trx, call.id);
    const dropped = scored.filter((id) => !appraiserIds.includes(id));
    if (dropped.length > 0) throw new Conflict('An appraiser who has submitted scores cannot leave the panel');
    await repository.replacePanel(trx, call.id, appraiserIds, actor.id);
    if (call.stage !== 'appraisal') await setStage(trx, call.id, 'appraisal');
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'call.panel-set',
      callId: call.id,
      before: { appraiserIds: before },
      after: { appraiserIds },
    });
    // Each appraiser new to the panel is told, in the same transaction; one who stays is not told again.
    for (const appraiser of appraisers.filter((a) => !before.includes(a.id)))
      await queueMail(ctx, trx, {
        to: appraiser.email,
        template: 'panel-place',
        data: {
          recipientName: appraiser.name,
          callTitle: call.title,
          callReference: call.reference,
          link: mailLink(ctx, `/appraisal/calls/${call.id}`),
        },
        callId: call.id,
      });
  });
  return { callId: call.id, status: 'appraisal', panel: await repository.panelOf(ctx.knex, call.id) };
}

/** The bids an appraiser on the panel has to appraise, with their next step; conflicted bids leave the list. */
export async function appraiserBidList(ctx: AppContext, actor: Actor, callId: string) {
  return (await appraiserCall(ctx, actor, callId)).bids;
}

/** A call on the appraiser's panel, as read to check it is, with the bids on their list (appraiserBidList). */
export async function appraiserCall(ctx: AppContext, actor: Actor, callId: string) {
  const { call } = await access.panelCall(ctx, actor, callId);
  if (!panelAtWork(call)) return { call, bids: [] };
  const rows = await listBids(ctx.knex, call.id);
  const declarations = new Map(
    (await repository.declarationsOnCall(ctx.knex, call.id, actor.id)).map((d) => [d.bidId, d]),
  );
  const sheets = new Map((await repository.sheetsOnCall(ctx.knex, call.id, actor.id)).map((s) => [s.bidId, s]));
  return {
    call,
    bids: rows.flatMap(
      ({ bid, version }) => access.appraiserListEntry(bid, version, declarations.get(bid.id), sheets.get(bid.id)) ?? [],
    ),
  };
}

/** One bid as it stands on the appraiser's list: access.listedBid, the list's rule, decides who reaches it. */
export async function appraiserListedBid(ctx: AppContext, actor: Actor, bidId: string): Promise<access.ListedBid> {
  return access.listedBid(ctx, actor, bidId);
}
