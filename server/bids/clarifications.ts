/**
 * Clarifications, after the deadline: an officer of the call asks the lead a question on named sections of a
 * submitted bid, with a reply-by instant; the lead's members answer once, by that instant, and the answer is a
 * new immutable version (the appraised one with those sections' fields replaced) with its own receipt and gateway
 * result, which the panel appraises from then on. Every bid's versions stay readable, with what changed.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Actor, AppContext } from '../context.ts';
import * as access from '../access/index.ts';
import { appraisedVersion, appraisedVersionNumber } from '../appraisal/appraised.ts';
import { recordAudit } from '../audit/repository.ts';
import { toPublishedCall } from '../calls/presenter.ts';
import { loadIndicators } from '../calls/repository.ts';
import { callStatus } from '../calls/status.ts';
import { AppError, Conflict, NotFound, Validation, type ErrorDetail } from '../errors.ts';
import type { BidRow, BidVersionRow } from '../models/bids.ts';
import { validate } from '../validation.ts';
import * as clarifications from './clarificationRepository.ts';
import type { Clarification } from './clarificationRepository.ts';
import {
  answeredAttachments,
  answeredFields,
  clarificationStatus,
  fieldsOutsideSections,
  raiseRefusal,
  versionChanges,
  type FieldChange,
} from './clarificationRules.ts';
import { missingForSubmission } from './completeness.ts';
import { changedFields, withPartnerIdentities } from './consortium.ts';
import { refuseClarificationAnswer } from './deadlineLock.ts';
import { bidEsfPence, declaredMatchPence, runGateway } from './gateway.ts';
import { receiptOf, versionContent } from './presenter.ts';
import {
  canonicalJson,
  sha256Hex,
  versionAttachments,
  type VersionAttachment,
  type VersionContent,
} from './receipt.ts';
import { partnerIdentityFlags } from './registeredLead.ts';
import * as repository from './repository.ts';
import { findSection, type SectionKey } from './sections/index.ts';
import { membersOf, officersOf } from './recipients.ts';
import { mailLink, queueMail } from '../mail/outbox.ts';
import type { BidFields } from './types.ts';

export type { Clarification };

/** The named sections in words, as the task list calls them. */
export function sectionTitles(sections: readonly SectionKey[]): string {
  return sections.map((key) => findSection(key)?.title ?? key).join(', ');
}

/** A clarification as the API shows it at `at`. */
export function presentClarification(clarification: Clarification, at: Date) {
  const status = clarificationStatus(clarification, at);
  return {
    id: clarification.id,
    question: clarification.question,
    sections: clarification.sections,
    respondBy: clarification.respondBy.toISOString(),
    status,
    raisedAt: clarification.raisedAt.toISOString(),
    askedOnVersion: clarification.askedOnVersion,
    ...(status === 'answered'
      ? {
          answer: clarification.answer,
          answeredAt: clarification.answeredAt!.toISOString(),
          answeredVersion: clarification.answeredVersion,
        }
      : {}),
  };
}

/**
 * An officer of the call asks the bid's lead a question on named sections, to be answered by `respondBy`: only
 * after the call has closed, on a bid submitted by the deadline that has no decision yet and no question open.
 */
export async function raiseClarification(ctx: AppContext, actor: Actor, bidId: string, body: unknown) {
  const { bid, call } = access.officerBid(
    await access.readBid(ctx, actor, bidId),
    'Only officers of the call ask for clarification',
  );
  const input = validate<{ question: string; sections: SectionKey[]; respondBy: string }>(
    'clarification.create.schema.json',
    body,
  );
  const now = ctx.clock.now();
  const status = callStatus(call.stage, call.closesAt, now);
  const tooEarly = raiseRefusal(status, 'submitted', false);
  if (tooEarly) throw new Conflict(tooEarly);
  const respondBy = new Date(input.respondBy);
  if (respondBy.getTime() <= now.getTime())
    throw new Validation('The clarification has problems', [
      { path: '/respondBy', message: 'The reply-by date and time must be in the future' },
    ]);
  return ctx.knex.transaction(async (trx) => {
    const locked = (await repository.findBid(trx, bid.id, { forUpdate: true }))!;
    const open = (await clarifications.clarificationsOf(trx, bid.id)).some(
      (c) => clarificationStatus(c, now) === 'open',
    );
    const refusal = raiseRefusal(status, locked.status, open);
    if (refusal) throw new Conflict(refusal);
    const version = (await appraisedVersion(trx, bid.id))!;
    const clarification = await clarifications.insertClarification(trx, {
      bidId: bid.id,
      question: input.question,
      sections: input.sections,
      respondBy,
      askedOnVersion: version.version,
      raisedBy: actor.id,
      raisedAt: now,
    });
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'clarification.raised',
      callId: call.id,
      bidId: bid.id,
      after: { id: clarification.id, question: input.question, sections: input.sections, respondBy },
      at: now,
    });
    const title = versionContent(version).fields.title ?? bid.reference;
    for (const member of await membersOf(trx, [bid.organisationId]))
      await queueMail(ctx, trx, {
        to: member.email,
        template: 'clarification-raised',
        data: {
          recipientName: member.name,
          callTitle: call.title,
          title,
          reference: bid.reference,
          question: input.question,
          sections: sectionTitles(input.sections),
          respondBy,
          link: mailLink(ctx, `/bids/${bid.id}`),
        },
        bidId: bid.id,
        callId: call.id,
        dedupeKey: `clarification-raised:${clarification.id}:${member.id}`,
      });
    return presentClarification(clarification, now);
  });
}

/** A bid's clarifications as stored, oldest first, read once by a page that passes them on. */
export async function clarificationsOfBid(ctx: AppContext, read: access.ReadBid): Promise<Clarification[]> {
  return clarifications.clarificationsOf(ctx.knex, read.bid.id);
}

/**
 * Why the officer cannot ask a clarification on the bid now (raiseClarification's rule), or undefined. `rows` are the
 * bid's clarifications when the page has read them already.
 */
export async function whyNoClarification(
  ctx: AppContext,
  read: access.ReadBid,
  rows?: readonly Clarification[],
): Promise<string | undefined> {
  const now = ctx.clock.now();
  const open = (rows ?? (await clarificationsOfBid(ctx, read))).some((c) => clarificationStatus(c, now) === 'open');
  return raiseRefusal(callStatus(read.call.stage, read.call.closesAt, now), read.bid.status, open);
}

/** A bid's clarifications, oldest first, for whoever may read the bid (its organisations, officers, its panel). */
export async function listClarifications(ctx: AppContext, actor: Actor | undefined, bidId: string) {
  const { bid } = await access.readBid(ctx, actor, bidId);
  const now = ctx.clock.now();
  return (await clarifications.clarificationsOf(ctx.knex, bid.id)).map((c) => presentClarification(c, now));
}

/** One clarification of a bid the actor may read, as the API shows it. */
export async function findClarificationFor(ctx: AppContext, read: access.ReadBid, id: string) {
  const clarification = await clarifications.findClarification(ctx.knex, read.bid.id, id);
  if (!clarification) throw new NotFound('Clarification');
  return { clarification, view: presentClarification(clarification, ctx.clock.now()) };
}

/** The bid's clarification whose reply is still awaited (open or past its reply-by instant), if any. */
export async function unansweredClarification(
  db: Knex | Knex.Transaction,
  bidId: string,
): Promise<Clarification | undefined> {
  return (await clarifications.clarificationsOf(db, bidId)).filter((c) => !c.answeredAt).at(-1);
}

/** Problems of the answer's fields, pointed at where they are in its `changes`. */
function asChanges(details: ErrorDetail[]): ErrorDetail[] {
  return details.map((d) => ({ ...d, path: `/changes${d.path}` }));
}

/** Evidence letters the new fields point at that are not files of the version being made. */
function evidenceOutsideVersion(fields: BidFields, attachments: VersionAttachment[]): ErrorDetail[] {
  const files = new Set(attachments.map((a) => a.id));
  return (fields.matchFunding ?? []).flatMap((line, i) =>
    line.evidenceAttachmentId && !files.has(line.evidenceAttachmentId)
      ? [
          {
            path: `/changes/matchFunding/${i}/evidenceAttachmentId`,
            message: 'The evidence letter must be a file of the bid, uploaded while the clarification is open',
          },
        ]
      : [],
  );
}

/** The body of an answer: its reply and the fields it replaces. */
export interface AnswerBody {
  answer: string;
  changes?: Record<string, unknown>;
}

/** An answer's body as clarification.answer.schema.json takes it; refused (422, at its pointers) otherwise. */
function answerBody(body: unknown): AnswerBody {
  return validate<AnswerBody>('clarification.answer.schema.json', body);
}

/** What an answer is judged on: the bid, the clarification, the version the answer replaces fields of, its files. */
export interface AnswerGround {
  bid: Pick<BidRow, 'status' | 'organisationId'>;
  clarification: Clarification;
  /** The appraised version (appraisedVersion). */
  appraised: BidVersionRow;
  /** The files uploaded for the clarification (filesForClarification). */
  uploaded: readonly VersionAttachment[];
}

/**
 * The rules an answer with `changes` meets at `at`, and what it would make of the bid: the appraised version's
 * content, and the new version's fields and files. Refused (409) once answered, after the reply-by, or once the bid
 * has its decision; (422, at the changes' pointers) for a field outside the named sections, fields the schema or a
 * submission refuses, or an evidence letter that is not a file of the new version. Reads and writes nothing (a
 * partner row the answer adds is given a fresh id): the send asks it of what it locked, the check page of what it
 * read, so the check page refuses what the send would.
 */
function answerRules(ground: AnswerGround, changes: Record<string, unknown>, at: Date) {
  const { bid, clarification, appraised } = ground;
  refuseClarificationAnswer(clarification, at);
  if (bid.status !== 'submitted') throw new Conflict('The bid has had its decision and can no longer be changed');

  const outside = fieldsOutsideSections(changes, clarification.sections);
  if (outside.length > 0) throw new Validation('The answer changes fields it was not asked about', outside);

  const base = versionContent(appraised);
  let fields: BidFields;
  try {
    fields = validate<BidFields>('bid.update.schema.json', answeredFields(base.fields, changes));
  } catch (error) {
    if (error instanceof Validation) throw new Validation('The answer has problems', asChanges(error.details));
    throw error;
  }
  // The partners' ids, organisations and completion are the server's, kept from the appraised version's rows of the
  // same id as a draft's PUT keeps them: what the answer sends for them is not read (bid.update.schema.json).
  const identities = withPartnerIdentities(base.fields, fields, bid.organisationId, randomUUID);
  if (identities.problems.length > 0) throw new Validation('The answer has problems', asChanges(identities.problems));
  fields = identities.fields;
  const missing = missingForSubmission(fields);
  if (missing.length > 0) throw new Validation('The answer leaves the bid incomplete', asChanges(missing));
  const uploaded = versionAttachments(ground.uploaded);
  const attachments = answeredAttachments(base.attachments, uploaded, clarification.sections, fields);
  const strayEvidence = evidenceOutsideVersion(fields, attachments);
  if (strayEvidence.length > 0) throw new Validation('The answer has problems', strayEvidence);

  return { base, fields, attachments };
}

/**
 * What the lead's answer would change, field by field, before it is sent (the answer page's check your answers),
 * judged on what the page has read: the send's own checks (the body's schema, then answerRules), nothing written.
 */
export function previewAnswer(
  ctx: AppContext,
  own: access.OwnBid,
  ground: Omit<AnswerGround, 'bid'>,
  body: unknown,
): FieldChange[] {
  const input = answerBody(body);
  const { base, fields, attachments } = answerRules({ ...ground, bid: own.bid }, input.changes ?? {}, ctx.clock.now());
  return versionChanges(base, { fields, attachments });
}

/**
 * A member of the lead organisation answers a clarification: once, by its reply-by instant (the server clock,
 * checked again just before the answer commits), changing only fields of the sections it named. The answer is a
 * new version: the appraised version with those fields replaced, files uploaded for it included, with its own
 * receipt and gateway result; the working draft becomes it. Answers to one clarification queue on the bid's row
 * lock, so however many arrive at once, one makes a version and the others are refused.
 */
export async function answerClarification(
  ctx: AppContext,
  actor: Actor,
  bidId: string,
  clarificationId: string,
  body: unknown,
) {
  return sendAnswer(ctx, actor, await access.ownBid(ctx, actor, bidId), clarificationId, body);
}

/** answerClarification on the actor's own bid as the caller has read it (the answer page). */
export async function sendAnswer(
  ctx: AppContext,
  actor: Actor,
  own: access.OwnBid,
  clarificationId: string,
  body: unknown,
) {
  const { call } = own;
  const input = answerBody(body);
  const changes = input.changes ?? {};
  const catalogue = await loadIndicators(ctx.knex);
  return ctx.knex.transaction(async (trx) => {
    // Read again under the bid's row lock: what a page read before may have changed since.
    const bid = (await repository.findBid(trx, own.bid.id, { forUpdate: true }))!;
    const clarification = await clarifications.findClarification(trx, bid.id, clarificationId, { forUpdate: true });
    if (!clarification) throw new NotFound('Clarification');
    const answeredAt = ctx.clock.now();
    const appraised = (await appraisedVersion(trx, bid.id))!;
    const uploaded = await clarifications.filesForClarification(trx, clarification.id);
    const { fields, attachments } = answerRules({ bid, clarification, appraised, uploaded }, changes, answeredAt);

    const versionNumber = appraised.version + 1;
    const content: VersionContent = {
      bid: { id: bid.id, reference: bid.reference },
      call: { id: call.id, reference: call.reference },
      organisationId: bid.organisationId,
      version: versionNumber,
      submittedAt: answeredAt.toISOString(),
      submittedBy: actor.id,
      fields,
      attachments,
      clarification: { id: clarification.id, question: clarification.question, answer: input.answer },
    };
    const text = canonicalJson(content);
    const sha256 = sha256Hex(text);
    // GW-DEADLINE judges the bid's submission, which a clarification asked after the deadline does not move.
    const rules = toPublishedCall({ ...call, fields: call.publishedFields! }, answeredAt);
    const gateway = runGateway({ call: rules, bid: fields, submittedAt: appraised.submittedAt, indicators: catalogue });
    const version = await clarifications.insertClarificationVersion(trx, {
      bidId: bid.id,
      version: versionNumber,
      submittedAt: answeredAt,
      submittedBy: actor.id,
      canonicalJson: text,
      sha256,
      gateway: gateway.checks,
      gatewayPassed: gateway.passed,
      flags: [...gateway.flags, ...(await partnerIdentityFlags(trx, bid.organisationId, fields.partners))],
      esfPence: bidEsfPence(fields),
      matchPence: declaredMatchPence(fields),
      totalEligibleCostPence: fields.totalEligibleCostPence ?? 0,
      participants: fields.outputTargets?.find((t) => t.indicator === 'P-TOTAL')?.target ?? 0,
    });
    await repository.setBidStatus(trx, bid.id, 'submitted', versionNumber);
    // The working draft becomes the answered version's fields, a change like any other: its revision is raised, so
    // a page or client holding the draft from before the answer cannot write over it (consortium.ts).
    const revision = bid.revision + 1;
    const fieldRevisions = { ...bid.fieldRevisions };
    for (const field of changedFields(bid.draft, fields)) fieldRevisions[field] = revision;
    await repository.saveDraft(trx, bid.id, fields, revision, fieldRevisions);
    await clarifications.recordAnswer(trx, clarification.id, {
      answer: input.answer,
      answeredBy: actor.id,
      answeredAt,
      answeredVersion: versionNumber,
    });
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'clarification.answered',
      callId: call.id,
      bidId: bid.id,
      before: { version: appraised.version, gatewayPassed: appraised.gatewayPassed },
      after: {
        clarificationId: clarification.id,
        answer: input.answer,
        version: versionNumber,
        sha256,
        gatewayPassed: gateway.passed,
        changed: Object.keys(changes),
      },
      at: answeredAt,
    });
    const organisationName = (await membersOf(trx, [bid.organisationId]))[0]?.organisationName ?? bid.reference;
    for (const officer of await officersOf(trx, call.funderId))
      await queueMail(ctx, trx, {
        to: officer.email,
        template: 'clarification-answered',
        data: {
          recipientName: officer.name,
          organisationName,
          callTitle: call.title,
          title: fields.title ?? bid.reference,
          reference: bid.reference,
          question: clarification.question,
          answer: input.answer,
          version: versionNumber,
          answeredAt,
          gatewayPassed: gateway.passed,
          link: mailLink(ctx, `/officer/bids/${bid.id}`),
        },
        bidId: bid.id,
        callId: call.id,
        dedupeKey: `clarification-answered:${clarification.id}:${officer.id}`,
      });
    // The answer must be complete by the reply-by instant: checked last, so a late finish rolls it all back.
    refuseClarificationAnswer({ ...clarification, answeredAt: null }, ctx.clock.now());
    return {
      version: versionNumber,
      receipt: receiptOf(bid, version),
      gateway: { passed: version.gatewayPassed, checks: version.gateway },
      flags: version.flags,
    };
  });
}

/** A bid's submitted versions, oldest first, each with its kind and whether it is the one appraised. */
export async function listVersions(ctx: AppContext, actor: Actor | undefined, bidId: string) {
  const { bid } = await access.readBid(ctx, actor, bidId);
  const versions = await clarifications.versionsOf(ctx.knex, bid.id);
  const appraised = appraisedVersionNumber(versions);
  return versions.map((v) => ({
    version: v.version,
    submittedAt: v.submittedAt.toISOString(),
    sha256: v.sha256,
    kind: v.kind ?? 'submission',
    gatewayPassed: v.gatewayPassed,
    appraised: v.version === appraised,
  }));
}

/** Two versions of a bid the reader may read, for comparing them. */
async function twoVersions(ctx: AppContext, read: access.ReadBid, from: number, to: number) {
  const find = (n: number) =>
    Number.isSafeInteger(n) ? repository.findVersion(ctx.knex, read.bid.id, n) : Promise.resolve(undefined);
  const [before, after] = await Promise.all([find(from), find(to)]);
  if (!before || !after) throw new NotFound('Version');
  return { before, after };
}

/** What changed from one version of a bid to another, field by field, for whoever may read the bid's versions. */
export async function changesBetweenVersions(
  ctx: AppContext,
  actor: Actor | undefined,
  bidId: string,
  from: number,
  to: number,
): Promise<FieldChange[]> {
  const read = await access.readBid(ctx, actor, bidId);
  const { before, after } = await twoVersions(ctx, read, from, to);
  return versionChanges(versionContent(before), versionContent(after));
}

/**
 * What the version made by a clarification's answer changed from the version the question was asked on (none for a
 * question not answered), of the bid's versions by number.
 */
function changesOfAnswer(clarification: Clarification, versions: ReadonlyMap<number, BidVersionRow>): FieldChange[] {
  if (clarification.answeredVersion === null) return [];
  const before = versions.get(clarification.askedOnVersion);
  const after = versions.get(clarification.answeredVersion);
  if (!before || !after) throw new NotFound('Version');
  return versionChanges(versionContent(before), versionContent(after));
}

/**
 * A bid's clarifications as the API shows them, oldest first, each answered one with what its answer changed.
 * `rows` are the bid's clarifications when the page has read them already.
 */
export async function clarificationsWithChanges(
  ctx: AppContext,
  read: access.ReadBid,
  rows?: readonly Clarification[],
) {
  const now = ctx.clock.now();
  const all = rows ?? (await clarificationsOfBid(ctx, read));
  // Every version an answer is compared across, in one query however many answers there are.
  const numbers = all.flatMap((c) => (c.answeredVersion === null ? [] : [c.askedOnVersion, c.answeredVersion]));
  const versions = new Map(
    (await clarifications.versionsNumbered(ctx.knex, read.bid.id, numbers)).map((v) => [v.version, v]),
  );
  return all.map((c) => ({ clarification: presentClarification(c, now), changes: changesOfAnswer(c, versions) }));
}

/** An error the answer page shows beside its form rather than on an error page. */
export function isAnswerProblem(error: unknown): error is AppError {
  return error instanceof AppError && [409, 422].includes(error.status);
}
