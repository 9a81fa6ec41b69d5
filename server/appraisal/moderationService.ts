/**
 * Moderation: the panel's scores on a bid as each reader may see them, and the officer, as panel chair, setting
 * moderated scores with a rationale for each.
 */
import type { Actor, AppContext } from '../context.ts';
import { recordAudit } from '../audit/repository.ts';
import * as access from '../access/index.ts';
import { findBid } from '../bids/repository.ts';
import { Conflict, Validation } from '../errors.ts';
import { validate } from '../validation.ts';
import { appraisedVersion, isAppraised } from './appraised.ts';
import * as repository from './repository.ts';
import { appraiseBid } from './scoring.ts';
import { scoringCriteria } from './summary.ts';

/**
 * The scores on a bid, for whoever access.readScores let read them (the officer always, an appraiser once their
 * own are submitted, the bid's organisation once its decision is made): without the appraisers' identities to
 * the organisation.
 */
export async function bidScores(ctx: AppContext, { bid, call, viewer }: access.ScoresOfBid) {
  const { sheets, scores } = await repository.submittedScoresFor(ctx.knex, [bid.id]);
  const moderations = await repository.moderationsFor(ctx.knex, [bid.id]);
  const appraised = (await appraisedVersion(ctx.knex, bid.id))?.version ?? null;
  const criteria = scoringCriteria(call);
  const appraisal = appraiseBid(
    criteria,
    scores.filter((s) => s.score !== null).map((s) => ({ criterion: s.criterion, score: s.score! })),
    moderations.map((m) => ({ criterion: m.criterion, score: m.score })),
  );
  return {
    appraisers: sheets.map((sheet, i) => ({
      appraiserId: viewer === 'own' || viewer === 'partner' ? null : sheet.appraiserId,
      label: `Appraiser ${i + 1}`,
      submittedAt: sheet.submittedAt!.toISOString(),
      // Which version the appraiser scored: one before the appraised version (a clarification since) is marked.
      version: sheet.submittedVersion,
      onEarlierVersion: sheet.submittedVersion !== null && appraised !== null && sheet.submittedVersion < appraised,
      scores: scores
        .filter((s) => s.appraiserId === sheet.appraiserId)
        .map(({ criterion, score, comment }) => ({ criterion, score, comment })),
    })),
    moderated: moderations.map(({ criterion, score, rationale, moderatedAt }) => ({
      criterion,
      score,
      rationale,
      moderatedAt: moderatedAt.toISOString(),
    })),
    final: appraisal.final.map(({ criterion, display, flagged, moderated }) => ({
      criterion,
      score: display,
      flagged,
      moderated,
    })),
    weightedScorePercent: appraisal.weighted?.percent ?? null,
    appraisedVersion: appraised,
    meetsThresholds: appraisal.thresholds.meets,
    thresholdFailures: appraisal.thresholds.failed.map((f) => f.criterion),
  };
}

/** The officer, as panel chair, sets moderated scores with a rationale for each. */
export async function moderate(ctx: AppContext, actor: Actor, bidId: string, body: unknown) {
  const officer = access.officerBid(await access.readBid(ctx, actor, bidId), 'Only officers moderate scores');
  const { bid, call } = officer;
  const input = validate<{ scores: { criterion: string; score: number; rationale: string }[] }>(
    'moderation.schema.json',
    body,
  );
  if (call.stage !== 'appraisal') throw new Conflict('Scores are moderated while the call is in appraisal');
  if (!(await isAppraised(ctx.knex, bid))) throw new Conflict('Only bids that passed the gateway are scored');
  const known = new Set(scoringCriteria(call).map((c) => c.code));
  const unknown = input.scores.map((s, i) => ({ s, i })).filter(({ s }) => !known.has(s.criterion));
  if (unknown.length > 0)
    throw new Validation(
      'The moderation has problems',
      unknown.map(({ i, s }) => ({ path: `/scores/${i}/criterion`, message: `Unknown criterion ${s.criterion}` })),
    );
  const now = ctx.clock.now();
  await ctx.knex.transaction(async (trx) => {
    // The bid's row lock, as a decision takes it: a decision judging the scores waits for this moderation.
    await findBid(trx, bid.id, { forUpdate: true });
    const before = (await repository.moderationsFor(trx, [bid.id])).filter((m) =>
      input.scores.some((s) => s.criterion === m.criterion),
    );
    await repository.saveModerations(
      trx,
      input.scores.map((s) => ({
        bidId: bid.id,
        criterion: s.criterion,
        score: s.score,
        rationale: s.rationale,
        moderatedBy: actor.id,
        moderatedAt: now,
      })),
    );
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'scores.moderated',
      callId: call.id,
      bidId: bid.id,
      before: before.map(({ criterion, score, rationale }) => ({ criterion, score, rationale })),
      after: input.scores,
      at: now,
    });
  });
  return bidScores(ctx, await access.readScores(ctx, actor, officer));
}
