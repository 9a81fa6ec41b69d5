/**
 * The officer's and the panel's clarification pages, as use cases over bids/clarifications.ts (the API's service):
 * the question form (and why it cannot be asked now), sending it, and what each answer changed, with which
 * version each appraiser scored.
 */
import type { Actor, AppContext } from '../context.ts';
import * as access from '../access/index.ts';
import { clarificationRow, changeRows } from '../bids/clarificationPageModels.ts';
import * as clarifications from '../bids/clarifications.ts';
import type { Clarification } from '../bids/clarifications.ts';
import { versionContent } from '../bids/presenter.ts';
import { staffOfFunder } from '../identity/service.ts';
import { appraisedVersion } from './appraised.ts';
import { bidScores } from './moderationService.ts';
import { mySheet } from './sheetService.ts';
import { scoredVersions } from './clarificationPageModels.ts';

/** The officer's bid, for the clarification pages: only officers of its call read them. */
async function officerBid(ctx: AppContext, actor: Actor, bidId: string) {
  return access.officerBid(await access.readBid(ctx, actor, bidId), 'Only officers of the call ask for clarification');
}

/** The bid as the clarification pages head it: its reference and its appraised version's title. */
async function bidHeading(ctx: AppContext, read: access.ReadBid) {
  const version = await appraisedVersion(ctx.knex, read.bid.id);
  const title = (version && versionContent(version).fields.title) || 'Untitled bid';
  return { id: read.bid.id, reference: read.bid.reference, title };
}

/** The officer's bid for the question form: refused (409, with why) when no question can be asked on it now. */
export async function viewRaiseClarification(ctx: AppContext, actor: Actor, bidId: string) {
  const read = await officerBid(ctx, actor, bidId);
  const bid = await bidHeading(ctx, read);
  return { read, bid, refusal: await clarifications.whyNoClarification(ctx, read) };
}

/** The question form's bid and why no question can be asked on it now, as viewRaiseClarification read them. */
export type RaiseView = Awaited<ReturnType<typeof viewRaiseClarification>>;

/** The officer sends the question (the API's use case, with its rules): the clarification as the API shows it. */
export async function submitClarification(ctx: AppContext, actor: Actor, bidId: string, body: unknown) {
  return clarifications.raiseClarification(ctx, actor, bidId, body);
}

/** One clarification of the officer's bid, for its confirmation page, with the bid as the page heads it. */
export async function viewSentClarification(ctx: AppContext, actor: Actor, bidId: string, id: string) {
  const read = await officerBid(ctx, actor, bidId);
  const [bid, { view }] = await Promise.all([
    bidHeading(ctx, read),
    clarifications.findClarificationFor(ctx, read, id),
  ]);
  return { bid, clarification: clarificationRow(view) };
}

/**
 * A bid's clarifications as its pages list them, each answered one with what it changed, field by field. `rows` are
 * the bid's clarifications when the page has read them already.
 */
export async function viewClarificationsOfBid(ctx: AppContext, read: access.ReadBid, rows?: readonly Clarification[]) {
  return (await clarifications.clarificationsWithChanges(ctx, read, rows)).map(({ clarification, changes }) => ({
    ...clarificationRow(clarification),
    changes: changeRows(changes),
  }));
}

/**
 * For the officer's bid page: its clarifications as viewClarificationsOfBid lists them, and whether another may be
 * asked now (whyNoClarification), from one read of the bid's clarifications.
 */
export async function viewOfficerClarifications(ctx: AppContext, read: access.ReadBid) {
  const rows = await clarifications.clarificationsOfBid(ctx, read);
  const [list, refusal] = await Promise.all([
    viewClarificationsOfBid(ctx, read, rows),
    clarifications.whyNoClarification(ctx, read, rows),
  ]);
  return { clarifications: list, canAsk: refusal === undefined };
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
