/**
 * The officer's and the panel's clarification pages, as use cases over bids/clarifications.ts (the API's service):
 * the question form (and why it cannot be asked now), sending it, and what each answer changed, with which
 * version each appraiser scored.
 */
import type { Actor, AppContext } from '../context.ts';
import * as access from '../access/index.ts';
import { clarificationRow, changeRows } from '../bids/clarificationPageModels.ts';
import * as clarifications from '../bids/clarifications.ts';
import { versionContent } from '../bids/presenter.ts';
import { staffOfFunder } from '../identity/service.ts';
import { appraisedVersion } from './appraised.ts';
import { bidScores } from './moderationService.ts';
import { mySheet } from './sheetService.ts';
import { scoredVersions } from './clarificationPageModels.ts';

/** The officer's bid for the question form: refused (409, with why) when no question can be asked on it now. */
export async function viewRaiseClarification(ctx: AppContext, actor: Actor, bidId: string) {
  const read = access.officerBid(
    await access.readBid(ctx, actor, bidId),
    'Only officers of the call ask for clarification',
  );
  const version = await appraisedVersion(ctx.knex, read.bid.id);
  const title = (version && versionContent(version).fields.title) || 'Untitled bid';
  const bid = { id: read.bid.id, reference: read.bid.reference, title };
  return { read, bid, refusal: await clarifications.whyNoClarification(ctx, read) };
}

/** The officer sends the question (the API's use case, with its rules): the clarification as the API shows it. */
export async function submitClarification(ctx: AppContext, actor: Actor, bidId: string, body: unknown) {
  return clarifications.raiseClarification(ctx, actor, bidId, body);
}

/** One clarification of the officer's bid, for its confirmation page. */
export async function viewSentClarification(ctx: AppContext, actor: Actor, bidId: string, id: string) {
  const read = access.officerBid(await access.readBid(ctx, actor, bidId), 'Only officers of the call read this');
  return clarificationRow((await clarifications.findClarificationFor(ctx, read, id)).view);
}

/** A bid's clarifications as its pages list them, each answered one with what it changed, field by field. */
export async function viewClarificationsOfBid(ctx: AppContext, read: access.ReadBid) {
  return (await clarifications.clarificationsWithChanges(ctx, read)).map(({ clarification, changes }) => ({
    ...clarificationRow(clarification),
    changes: changeRows(changes),
  }));
}

/**
 * For the officer, which appraiser (by name) scored which version of the bid; earlier versions marked. `scores` are
 * the bid's scores as the page has read them already (bidScores).
 */
export async function viewScoredVersions(ctx: AppContext, actor: Actor, scores: Awaited<ReturnType<typeof bidScores>>) {
  const names = new Map((await staffOfFunder(ctx, actor, 'appraiser')).map((a) => [a.id, a.name]));
  return scoredVersions(scores.appraisers, names, scores.appraisedVersion);
}

/**
 * For an appraiser on the bid's panel (declared, not conflicted): the bid's clarifications with what each answer
 * changed, and whether their own submitted sheet was on an earlier version than the one appraised now.
 */
export async function viewPanelClarifications(ctx: AppContext, actor: Actor, bidId: string) {
  const read = await access.readBid(ctx, actor, bidId);
  const sheet = await mySheet(ctx, access.sheetOfReader(actor, read, 'Only appraisers on the panel read this'));
  return {
    clarifications: await viewClarificationsOfBid(ctx, read),
    earlierVersion: sheet.onEarlierVersion
      ? `You scored version ${sheet.submittedVersion}; the appraised version is ${sheet.appraisedVersion}`
      : undefined,
  };
}
