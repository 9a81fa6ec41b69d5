/**
 * Score sheets: an appraiser reads their own sheet on a bid, saves it as a draft and submits it once; submitted
 * scores are final.
 */
import type { Actor, AppContext } from '../context.ts';
import { recordAudit } from '../audit/repository.ts';
import * as access from '../access/index.ts';
import { Conflict, Validation } from '../errors.ts';
import { validate } from '../validation.ts';
import * as repository from './repository.ts';
import { checkScoreSheet, type ScoreSheetEntry } from './scoreSheet.ts';
import { scoringCriteria } from './summary.ts';
import { appraisedVersion } from './appraised.ts';
import { findBid } from '../bids/repository.ts';
import { isDecided } from '../bids/status.ts';

/**
 * An appraiser's own sheet for a bid (a draft until submitted), as the access rule reached it: through the bid
 * (access.sheetOfReader) or through their list (access.sheetOfListed), neither of which is read again here.
 */
export async function mySheet(ctx: AppContext, { bid, call, appraiserId }: access.SheetOnBid) {
  const [found, appraised] = await Promise.all([
    repository.findSheet(ctx.knex, bid.id, appraiserId),
    appraisedVersion(ctx.knex, bid.id),
  ]);
  const submittedVersion = found?.sheet.submittedVersion ?? null;
  return {
    bidId: bid.id,
    criteria: scoringCriteria(call),
    submittedAt: found?.sheet.submittedAt?.toISOString() ?? null,
    submittedVersion,
    appraisedVersion: appraised?.version ?? null,
    onEarlierVersion: submittedVersion !== null && appraised !== undefined && submittedVersion < appraised.version,
    scores: (found?.scores ?? []).map(({ criterion, score, comment }) => ({ criterion, score, comment })),
  };
}

/** An appraiser saves their scores as a draft, or submits them once; submitted scores are final. */
export async function saveMyScores(ctx: AppContext, actor: Actor, bidId: string, body: unknown) {
  const sheet = access.sheetOfReader(
    actor,
    await access.readBid(ctx, actor, bidId),
    'Only appraisers on the panel score bids',
  );
  const { bid, call } = sheet;
  const input = validate<{ scores: ScoreSheetEntry[]; submit: boolean }>('scores.schema.json', body);
  if (call.stage !== 'appraisal') throw new Conflict('The appraisal of this call is over');
  const check = checkScoreSheet(scoringCriteria(call), input.scores, { submit: input.submit });
  if (check.problems.length > 0) throw new Validation('The scores have problems', check.problems);
  const now = ctx.clock.now();
  const scores = input.scores.map((entry) => ({
    criterion: entry.criterion,
    score: entry.score ?? null,
    comment: entry.comment !== undefined && entry.comment.trim() !== '' ? entry.comment : null,
  }));
  await ctx.knex.transaction(async (trx) => {
    // The bid's row lock, as a decision takes it: a decision judges the scores as they stand under that lock, so a
    // sheet submitted meanwhile waits for it, and is refused once the bid is decided.
    const locked = (await findBid(trx, bid.id, { forUpdate: true }))!;
    if (input.submit && isDecided(locked))
      throw new Conflict('The bid has its decision: scores submitted now would not be the ones it was judged on');
    const existing = await repository.findSheet(trx, bid.id, actor.id, { forUpdate: true });
    if (existing?.sheet.submittedAt) throw new Conflict('Your scores for this bid are submitted and final');
    // The version scored is the one appraised as the sheet is submitted: a later clarification's answer marks it.
    const scored = input.submit ? (await appraisedVersion(trx, bid.id))!.version : null;
    await repository.saveSheet(trx, bid.id, actor.id, scores, {
      updatedAt: now,
      submittedAt: input.submit ? now : null,
      submittedVersion: scored,
    });
    if (input.submit)
      await recordAudit(trx, {
        actorId: actor.id,
        action: 'scores.submitted',
        callId: call.id,
        bidId: bid.id,
        before: null,
        after: { scores, version: scored },
        at: now,
      });
  });
  return mySheet(ctx, sheet);
}
