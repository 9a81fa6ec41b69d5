/**
 * The lead's clarification pages as use cases over clarifications.ts (the API's service): the bid's questions from
 * the funder, one question with the named sections' fields to answer it, what the answer will change, sending it
 * and its receipt. Who may answer (the lead's members, by the reply-by instant) is the service's rule.
 */
import type { Actor, AppContext } from '../context.ts';
import * as access from '../access/index.ts';
import { appraisedVersion } from '../appraisal/appraised.ts';
import { toCall } from '../calls/presenter.ts';
import * as calls from '../calls/service.ts';
import { NotFound } from '../errors.ts';
import { clarificationRow } from './clarificationPageModels.ts';
import { clarificationStatus } from './clarificationRules.ts';
import * as clarificationRepository from './clarificationRepository.ts';
import * as clarifications from './clarifications.ts';
import { versionContent } from './presenter.ts';
import * as repository from './repository.ts';

/** The bid's questions from the funder, for its organisations' page: each with a link to answer or read it. */
export async function viewQuestionsOfBid(ctx: AppContext, read: access.ReadBid) {
  const rows = await clarificationRepository.clarificationsOf(ctx.knex, read.bid.id);
  const now = ctx.clock.now();
  return rows.map((c) => ({
    ...clarificationRow(clarifications.presentClarification(c, now)),
    href: `/bids/${read.bid.id}/clarifications/${c.id}`,
    // Only the lead's members answer; a partner's members read it.
    answerable: read.viewer === 'own' && clarificationStatus(c, now) === 'open',
  }));
}

/**
 * One question on the reader's bid (its organisations only; anyone else 404): the question, the version it was
 * asked about, the files uploaded for it, and whether this reader may answer it now (the lead's members, while open).
 */
export async function viewAnswer(ctx: AppContext, actor: Actor, bidId: string, clarificationId: string) {
  const read = await access.readBid(ctx, actor, bidId);
  if (read.viewer !== 'own' && read.viewer !== 'partner') throw new NotFound('Bid');
  const { clarification, view } = await clarifications.findClarificationFor(ctx, read, clarificationId);
  const now = ctx.clock.now();
  const [version, catalogue, uploaded] = await Promise.all([
    appraisedVersion(ctx.knex, read.bid.id),
    calls.indicators(ctx),
    clarificationRepository.filesForClarification(ctx.knex, clarification.id),
  ]);
  const appraised = version!;
  const base = versionContent(appraised);
  return {
    read,
    call: toCall(read.call, now),
    clarification,
    row: clarificationRow(view),
    appraised,
    base,
    catalogue,
    uploaded,
    title: base.fields.title || 'Untitled bid',
    canAnswer: read.viewer === 'own' && view.status === 'open' && read.bid.status === 'submitted',
  };
}

/** The question as viewAnswer read it, for the pages that go on from it. */
export type AnswerView = Awaited<ReturnType<typeof viewAnswer>>;

/**
 * What sending the answer would change, field by field, on the question as the page read it: the send's own
 * checks (the service's rules; nothing written).
 */
export function checkAnswer(ctx: AppContext, actor: Actor, answer: AnswerView, body: clarifications.AnswerBody) {
  const { clarification, appraised, uploaded } = answer;
  return clarifications.previewAnswer(
    ctx,
    access.ownReadBid(actor, answer.read),
    { clarification, appraised, uploaded },
    body,
  );
}

/** The lead's member sends the answer to the question the page read: the API's use case, which makes the version. */
export async function submitAnswer(
  ctx: AppContext,
  actor: Actor,
  answer: AnswerView,
  body: { answer: string; changes: Record<string, unknown> },
) {
  return clarifications.sendAnswer(ctx, actor, access.ownReadBid(actor, answer.read), answer.clarification.id, body);
}

/** The version an answered question made, for its receipt page. */
export async function viewAnswerReceipt(ctx: AppContext, actor: Actor, bidId: string, clarificationId: string) {
  const answer = await viewAnswer(ctx, actor, bidId, clarificationId);
  const number = answer.clarification.answeredVersion;
  // The answer's version is the appraised one until another answer follows it: read already, then.
  const version =
    number === null
      ? undefined
      : number === answer.appraised.version
        ? answer.appraised
        : await repository.findVersion(ctx.knex, answer.read.bid.id, number);
  return { ...answer, version };
}
