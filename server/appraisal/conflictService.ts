/**
 * Conflicts of interest: an appraiser on the panel declares a conflict, or none, in a bid before reading it. A
 * conflict is final: the bid leaves their list and they never reach it again.
 */
import type { Actor, AppContext } from '../context.ts';
import { recordAudit } from '../audit/repository.ts';
import * as access from '../access/index.ts';
import { Conflict } from '../errors.ts';
import { validate } from '../validation.ts';
import * as repository from './repository.ts';

/** An appraiser declares a conflict of interest, or none, before reading a bid; a conflict is final. */
export async function declareConflict(ctx: AppContext, actor: Actor, bidId: string, body: unknown) {
  const { bid, call } = await access.declarableBid(ctx, actor, bidId);
  const input = validate<{ conflict: boolean; details?: string }>('conflict.schema.json', body);
  if (call.stage !== 'appraisal') throw new Conflict('The appraisal of this call is over');
  const now = ctx.clock.now();
  await ctx.knex.transaction(async (trx) => {
    const before = await repository.findDeclaration(trx, bid.id, actor.id);
    await repository.saveDeclaration(trx, {
      bidId: bid.id,
      appraiserId: actor.id,
      conflict: input.conflict,
      details: input.details ?? null,
      declaredAt: now,
    });
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'conflict.declared',
      callId: call.id,
      bidId: bid.id,
      before: before ? { conflict: before.conflict } : null,
      after: { conflict: input.conflict, details: input.details ?? null },
      at: now,
    });
    // A conflict declared after scoring sets the sheet aside (repository.ts, whereSheetCounts); the officer is told.
    const sheet = input.conflict ? await repository.findSheetRow(trx, bid.id, actor.id) : undefined;
    if (sheet?.submittedAt)
      await recordAudit(trx, {
        actorId: actor.id,
        action: 'scores.set-aside',
        callId: call.id,
        bidId: bid.id,
        before: { counted: true, submittedAt: sheet.submittedAt.toISOString() },
        after: { counted: false, reason: 'A conflict of interest was declared after the scores were submitted' },
        at: now,
      });
  });
  return { bidId: bid.id, conflict: input.conflict, declaredAt: now.toISOString() };
}
