/**
 * The use cases of bids: applicants draft, edit, submit, withdraw and attach files until the deadline;
 * officers read the bids on their calls. Every change is one transaction with its audit event.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Actor, AppContext } from '../context.ts';
import { recordAudit } from '../audit/repository.ts';
import { loadIndicators } from '../calls/repository.ts';
import { toPublishedCall } from '../calls/presenter.ts';
import * as access from '../access/index.ts';
import { Conflict, NotFound, PreconditionFailed, TooLarge, Validation, type ErrorDetail } from '../errors.ts';
import type { AttachmentRow, BidRow, BidVersionRow } from '../models/bids.ts';
import { validate } from '../validation.ts';
import { partnerIdentityFlags } from './registeredLead.ts';
import { findDecision, type Decision } from '../appraisal/repository.ts';
import { missingForSubmission } from './completeness.ts';
import {
  deadlineRefusal,
  joinRefusal,
  refuseAfterDeadline,
  refuseJoinAfterDeadline,
  refuseUploadAfterDeadline,
} from './deadlineLock.ts';
import { unansweredClarification } from './clarifications.ts';
import { isDecided } from './status.ts';
import { issueInvitation, type IssuedInvitation } from '../people/invitations.ts';
import { bidEsfPence, declaredMatchPence, runGateway } from './gateway.ts';
import { queueSubmissionReceipt } from './receiptMail.ts';
import { canonicalJson, sameSubmission, sha256Hex, versionAttachments, type VersionContent } from './receipt.ts';
import * as repository from './repository.ts';
import type { BidFields, Partner } from './types.ts';
import {
  changedFields,
  findPartner,
  leadOf,
  lineOwner,
  partDigest,
  partnersNotReady,
  partnerStandingFor,
  withPart,
  withPartComplete,
  withPartnerIdentities,
  withPartnerJoined,
  withoutPartner,
  type OrganisationIdentity,
  type PartnerPart,
} from './consortium.ts';

/** A bid as the reader reached it (access.readBid), with what they see of it. */
export type BidView = access.ReadBid & {
  version: BidVersionRow | undefined;
  /** The files the reader sees: every file to the bidding organisation, the newest version's to anyone else. */
  attachments: AttachmentRow[];
  decision: Decision | undefined;
  /** The version's content, when the caller has it already (a submission just made it): saves parsing it again. */
  content?: VersionContent;
};

export interface Upload {
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  bytes: Buffer;
}

/** Refuses a change to a bid that has had its decision. */
function refuseIfDecided(bid: BidRow): void {
  if (isDecided(bid)) throw new Conflict('The bid has had its decision and can no longer be changed');
}

/** Match-funding lines may point only at this bid's own attachments. */
async function refuseForeignEvidence(
  db: Knex | Knex.Transaction,
  bidId: string | undefined,
  fields: BidFields,
): Promise<void> {
  const own = new Set(bidId ? (await repository.attachmentsOf(db, bidId)).map((a) => a.id) : []);
  const problems: ErrorDetail[] = [];
  (fields.matchFunding ?? []).forEach((line, i) => {
    if (line.evidenceAttachmentId && !own.has(line.evidenceAttachmentId))
      problems.push({
        path: `/matchFunding/${i}/evidenceAttachmentId`,
        message: 'The evidence letter must be a file uploaded to this bid',
      });
  });
  if (problems.length > 0) throw new Validation('The bid has problems', problems);
}

/**
 * The bid as its organisations see it before its call's decisions are released (access.decisionsReleased): a
 * decided bid reads as submitted. Anyone else, or after release, sees it as it is.
 */
function asReleased<B extends Pick<BidRow, 'status'>>(bid: B, shown: boolean): B {
  if (shown || !isDecided(bid)) return bid;
  return Object.assign(Object.create(Object.getPrototypeOf(bid)) as B, bid, { status: 'submitted' });
}

async function viewOf(ctx: AppContext, read: access.ReadBid): Promise<BidView> {
  const [version, attachments, decision] = await Promise.all([
    repository.latestVersion(ctx.knex, read.bid.id),
    repository.attachmentsOf(ctx.knex, read.bid.id),
    findDecision(ctx.knex, read.bid.id),
  ]);
  const shown = access.seesDecision(read, ctx.clock.now());
  return Object.assign(read, {
    bid: asReleased(read.bid, shown),
    version,
    attachments: access.visibleFiles(read, version, attachments),
    decision: shown ? decision : undefined,
  });
}

/** The actor's own bid as it stands now, after a change they made to it. */
async function reload(ctx: AppContext, actor: Actor, bidId: string): Promise<BidView> {
  return viewOf(ctx, access.readOwn(await access.ownBid(ctx, actor, bidId)));
}

/** An applicant starts a draft bid on an open call for their organisation. */
export async function createBid(ctx: AppContext, actor: Actor, callId: string, body: unknown): Promise<BidView> {
  const { call, organisationId } = await access.startBid(ctx, actor, callId);
  refuseAfterDeadline(call, ctx.clock.now());
  const validated = validate<BidFields>('bid.update.schema.json', body ?? {});
  const { fields, problems } = withPartnerIdentities({}, validated, organisationId, randomUUID);
  if (problems.length > 0) throw new Validation('The bid has problems', problems);
  await refuseForeignEvidence(ctx.knex, undefined, fields);
  const id = await ctx.knex.transaction(async (trx) => {
    const reference = await repository.nextBidReference(trx, call.id);
    const bid = await repository.insertBid(trx, {
      callId: call.id,
      organisationId,
      reference,
      draft: fields,
      createdBy: actor.id,
    });
    await recordAudit(trx, { actorId: actor.id, action: 'bid.created', callId: call.id, bidId: bid.id, after: fields });
    return bid.id;
  });
  return reload(ctx, actor, id);
}

/** What a write of a draft must find, and what it does beyond the fields it writes. */
export interface DraftWrite {
  /** The revisions the writer read the draft at (If-Match): any other is refused (412). Empty: none matches. */
  ifMatch?: readonly number[];
  /** A page's save of some fields, drawn at `revision`: refused (412) if any of them changed since. */
  unchangedSince?: { revision: number; fields: (keyof BidFields)[] };
  /** A part page's save, drawn at `revision` with the part as `digest` (partDigest): refused (412) if it changed. */
  partUnchangedSince?: { revision: number; partnerId: string; digest: string };
  /** Marks this partner's part complete (only this write may set a completion). */
  completing?: string;
  /** The organisation that accepted the invitation to be this partner (only this write may set it). */
  joining?: { partnerId: string; organisationId: string };
}

/** Refuses a write made against a draft that has changed since the writer read it; it changes nothing. */
function refuseIfStale(bid: BidRow, write: DraftWrite): void {
  if (write.ifMatch && !write.ifMatch.includes(bid.revision))
    throw new PreconditionFailed(
      `The bid has changed since you read it (it is now at revision ${bid.revision}): ` +
        'read it again and redo your change',
    );
  const since = write.unchangedSince;
  if (since && since.fields.some((field) => (bid.fieldRevisions?.[field] ?? 0) > since.revision))
    throw new PreconditionFailed('Someone else saved this part of the bid since you opened the page');
  const part = write.partUnchangedSince;
  // Other partners' saves raise the revision too: only a change to this part itself is a conflict.
  if (part && part.revision !== bid.revision && partDigest(bid.draft, part.partnerId) !== part.digest)
    throw new PreconditionFailed("Someone else saved this partner's part since you opened the page");
}

/**
 * Writes a new working draft to a bid whose row the transaction holds locked: validated, its partners' identities
 * settled against the stored draft (consortium.ts), its evidence letters this bid's own, its revision raised, with
 * its audit event. Every change to a draft goes through here.
 */
async function saveDraft(
  trx: Knex.Transaction,
  actor: Pick<Actor, 'id'>,
  callId: string,
  bid: BidRow,
  draft: unknown,
  write: DraftWrite = {},
  at?: Date,
): Promise<BidRow> {
  const validated = validate<BidFields>('bid.update.schema.json', draft);
  const settled = withPartnerIdentities(bid.draft, validated, bid.organisationId, randomUUID);
  if (settled.problems.length > 0) throw new Validation('The bid has problems', settled.problems);
  let fields = write.completing ? withPartComplete(settled.fields, write.completing, at!) : settled.fields;
  if (write.joining) fields = withPartnerJoined(fields, write.joining.partnerId, write.joining.organisationId);
  await refuseForeignEvidence(trx, bid.id, fields);
  const revision = bid.revision + 1;
  const fieldRevisions = { ...bid.fieldRevisions };
  for (const field of changedFields(bid.draft, fields)) fieldRevisions[field] = revision;
  await repository.saveDraft(trx, bid.id, fields, revision, fieldRevisions);
  await recordAudit(trx, {
    actorId: actor.id,
    action: 'bid.updated',
    callId,
    bidId: bid.id,
    before: bid.draft,
    after: fields,
  });
  return Object.assign(bid, { draft: fields, revision, fieldRevisions });
}

/** An applicant replaces their bid's working draft; a submitted bid stays as submitted until resubmitted. */
export async function replaceBid(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: unknown,
  write: DraftWrite = {},
): Promise<BidView> {
  return editDraft(ctx, actor, id, () => body, write);
}

/** The partner of an id in a draft; 404 when the bid has none. */
function partnerIn(draft: BidFields, partnerId: string) {
  const found = findPartner(draft, partnerId);
  if (!found) throw new NotFound('Partner');
  return found;
}

/**
 * A partner's part is written: its row and the match lines it declares replace what it had, and every other
 * partner's part stays as it is; the write is refused (412) if the draft changed since the writer read it.
 */
export async function replacePartnerPart(
  ctx: AppContext,
  actor: Actor,
  id: string,
  partnerId: string,
  body: unknown,
  write: DraftWrite = {},
): Promise<BidView> {
  return editDraft(
    ctx,
    actor,
    id,
    (draft) => {
      // Judged once the actor is known to reach the bid: a stranger hears 404, never what is wrong with the body.
      const part = validate<PartnerPart>('bid.partner.schema.json', body ?? {});
      partnerIn(draft, partnerId);
      return withPart(draft, partnerId, part);
    },
    write,
    partnerId,
  );
}

/** A partner marks its part complete; the next change to the part makes it incomplete again. */
export async function completePartnerPart(
  ctx: AppContext,
  actor: Actor,
  id: string,
  partnerId: string,
): Promise<BidView> {
  return editDraft(
    ctx,
    actor,
    id,
    (draft) => {
      partnerIn(draft, partnerId);
      return draft;
    },
    { completing: partnerId },
    partnerId,
  );
}

/**
 * The lead invites a delivery partner by e-mail: an invitation of kind `partner` to this bid's partner row, its
 * link e-mailed, in one transaction with the bid locked; a new invitation replaces one not yet accepted.
 */
export async function invitePartner(
  ctx: AppContext,
  actor: Actor,
  id: string,
  partnerId: string,
  body: unknown,
): Promise<IssuedInvitation> {
  const { call } = await access.ownBid(ctx, actor, id);
  refuseAfterDeadline(call, ctx.clock.now());
  const { email } = validate<{ email: string }>('bid.partner-invitation.schema.json', body ?? {});
  return ctx.knex.transaction(async (trx) => {
    const bid = (await repository.findBid(trx, id, { forUpdate: true }))!;
    refuseIfDecided(bid);
    refuseAfterDeadline(call, ctx.clock.now());
    const { partner } = partnerIn(bid.draft, partnerId);
    if (partner.role === 'lead')
      throw new Conflict("The lead's own row is the bid's organisation: it needs no invitation");
    if (partner.organisationId)
      throw new Conflict(`${partner.name} has joined the bid already: remove it first to invite another organisation`);
    return issuePartnerInvitation(ctx, trx, actor, call.id, bid, partner, email);
  });
}

/** The invitation to be one delivery partner of a bid, and its e-mail, in the caller's transaction. */
function issuePartnerInvitation(
  ctx: AppContext,
  trx: Knex.Transaction,
  actor: Actor,
  callId: string,
  bid: BidRow,
  partner: Partner,
  email: string,
): Promise<IssuedInvitation> {
  return issueInvitation(ctx, trx, {
    kind: 'partner',
    email,
    bidId: bid.id,
    partnerId: partner.id!,
    callId,
    invitedBy: { id: actor.id, name: actor.name },
    purpose:
      `be ${partner.name}, a delivery partner in the bid ${bid.reference} ` + `"${bid.draft.title ?? 'Untitled bid'}"`,
  });
}

/** An organisation a lead adds to its bid from a partnership offer, and the address the invitation goes to. */
export interface OfferedPartner extends OrganisationIdentity {
  type: Partner['type'];
  /** The offer's contact address. */
  email: string;
}

/**
 * The lead takes up a partnership offer: in one transaction, with the bid locked, the offering organisation is
 * added to the draft as a delivery partner (its name, type and numbers as it registered them, no shares yet) and
 * that partner is invited at the offer's contact address, as `invitePartner` invites. Refused (409) for a bid that
 * is not a draft, after the deadline, or when the organisation is in the bid already.
 */
export async function addOfferedPartner(
  ctx: AppContext,
  actor: Actor,
  id: string,
  callId: string,
  offered: OfferedPartner,
): Promise<{ bid: BidRow; partner: Partner; invitation: IssuedInvitation }> {
  const { call, bid: found } = await access.ownBid(ctx, actor, id);
  if (found.callId !== callId) throw new NotFound('Bid');
  refuseAfterDeadline(call, ctx.clock.now());
  return ctx.knex.transaction(async (trx) => {
    const bid = (await repository.findBid(trx, id, { forUpdate: true }))!;
    refuseIfDecided(bid);
    const now = ctx.clock.now();
    refuseAfterDeadline(call, now);
    if (bid.status !== 'draft')
      throw new Conflict(`The bid ${bid.reference} is ${bid.status}: partners are added to a bid while it is a draft`);
    if (bid.organisationId === offered.id) throw new Conflict('Your organisation cannot be a partner in its own bid');
    const standing = partnerStandingFor(bid.draft, offered);
    if (standing)
      throw new Conflict(
        `${offered.name} is in the bid ${bid.reference} already (as ${standing.name}): ` +
          "invite it from the bid's partners instead",
      );
    const row: Partner = {
      name: offered.name,
      type: offered.type,
      role: 'delivery',
      ...(offered.charityNumber ? { charityNumber: offered.charityNumber } : {}),
      ...(offered.companyNumber ? { companyNumber: offered.companyNumber } : {}),
      esfPence: 0,
      matchPence: 0,
    };
    const draft = { ...bid.draft, partners: [...(bid.draft.partners ?? []), row] };
    const saved = await saveDraft(trx, actor, call.id, bid, draft, {}, now);
    const partner = saved.draft.partners!.at(-1)!;
    const invitation = await issuePartnerInvitation(ctx, trx, actor, call.id, saved, partner, offered.email);
    return { bid: saved, partner, invitation };
  });
}

/**
 * The organisation that accepted an invitation becomes that partner of the bid, in the acceptance's transaction:
 * the bid locked, the deadline lock letting it change at `at` (409 otherwise: joinRefusal), the partner still a
 * delivery partner nobody else joined as, and not the lead's own organisation.
 */
export async function joinAsPartner(
  trx: Knex.Transaction,
  userId: string,
  bidId: string,
  partnerId: string,
  organisationId: string,
  at: Date,
): Promise<void> {
  const bid = await repository.findBid(trx, bidId, { forUpdate: true });
  if (!bid) throw new NotFound('Bid');
  const call = await repository.callOfBid(trx, bid);
  refuseJoinAfterDeadline(call, bid, at);
  const found = findPartner(bid.draft, partnerId);
  if (!found || found.partner.role !== 'delivery')
    throw new Conflict('That partner is no longer in the bid: ask its lead for a new invitation');
  if (organisationId === bid.organisationId) throw new Conflict('Your organisation leads this bid already');
  if (found.partner.organisationId && found.partner.organisationId !== organisationId)
    throw new Conflict(`Another organisation has joined the bid as ${found.partner.name}`);
  await saveDraft(trx, { id: userId }, call.id, bid, bid.draft, { joining: { partnerId, organisationId } });
}

/** Why the bid an invitation is to can no longer be joined at `at` (deadlineLock.joinRefusal), if it cannot. */
export async function joinRefusalOf(db: Knex, bidId: string, at: Date): Promise<string | undefined> {
  const bid = await repository.findBid(db, bidId);
  if (!bid) return undefined;
  return joinRefusal(await repository.callOfBid(db, bid), bid, at);
}

/** The invitations of a bid's partner rows not replaced by newer ones, to its own organisation; none to anyone else. */
export async function partnerInvitationsOf(ctx: AppContext, read: access.ReadBid) {
  return read.viewer === 'own' ? repository.partnerInvitations(ctx.knex, read.bid.id) : [];
}

/** What inviting a delivery partner starts from: the partner, and its current invitation, if any (the lead only). */
export interface PartnerInviteView {
  view: BidView;
  partner: Partner;
  invitation: Awaited<ReturnType<typeof repository.partnerInvitations>>[number] | undefined;
}

/**
 * The lead opens the page to invite a delivery partner (or remove one): refused as the invitation or removal
 * itself would be, before anything is typed: not the lead's row (409), not after the deadline or a decision (409).
 */
export async function viewPartnerChange(
  ctx: AppContext,
  actor: Actor,
  id: string,
  partnerId: string,
  change: 'invite' | 'remove',
): Promise<PartnerInviteView> {
  const own = await access.ownBid(ctx, actor, id);
  refuseIfDecided(own.bid);
  refuseAfterDeadline(own.call, ctx.clock.now());
  const { partner } = partnerIn(own.bid.draft, partnerId);
  if (partner.role === 'lead')
    throw new Conflict(
      change === 'invite'
        ? "The lead's own row is the bid's organisation: it needs no invitation"
        : "The lead's own row stays in the bid: change it, or make another partner the lead first",
    );
  if (change === 'invite' && partner.organisationId)
    throw new Conflict(`${partner.name} has joined the bid already: remove it first to invite another organisation`);
  const invitations = await repository.partnerInvitations(ctx.knex, id);
  const view = await viewOf(ctx, access.readOwn(own, actor));
  return { view, partner, invitation: invitations.find((i) => i.partnerId === partnerId) };
}

/** A partner's part as whoever may change it reads it (access.ownPart): the bid, and that partner's row. */
export async function viewPart(
  ctx: AppContext,
  actor: Actor,
  id: string,
  partnerId: string,
): Promise<BidView & { partner: Partner }> {
  const own = await access.ownPart(ctx, actor, id, partnerId);
  const { partner } = partnerIn(own.bid.draft, partnerId);
  return Object.assign(await viewOf(ctx, access.readOwn(own, actor)), { partner });
}

/** The lead removes a delivery partner and the lines it declares; the lead's own row stays (409). */
export async function removePartner(ctx: AppContext, actor: Actor, id: string, partnerId: string): Promise<void> {
  await editDraft(ctx, actor, id, (draft) => {
    partnerIn(draft, partnerId);
    if (leadOf(draft)?.id === partnerId)
      throw new Conflict("The lead's own row stays in the bid: change it, or make another partner the lead first");
    return withoutPartner(draft, partnerId);
  });
}

/**
 * An applicant changes part of their bid's working draft: `edit` is given the draft as it stands under the
 * bid's row lock and answers the whole new draft, so two saves of different sections (two tabs) queue and
 * neither undoes the other, as they could if each read the draft before the other wrote it.
 */
export async function editDraft(
  ctx: AppContext,
  actor: Actor,
  id: string,
  edit: (draft: BidFields) => unknown,
  write: DraftWrite = {},
  part?: string,
): Promise<BidView> {
  // The whole draft is its organisation's to change; one partner's part also that partner's (access.ownPart).
  const own = part === undefined ? await access.ownBid(ctx, actor, id) : await access.ownPart(ctx, actor, id, part);
  const { call } = own;
  refuseAfterDeadline(call, ctx.clock.now());
  const saved = await ctx.knex.transaction(async (trx) => {
    const bid = (await repository.findBid(trx, id, { forUpdate: true }))!;
    // Asked again of the locked row: the partner may have been removed since.
    if (part !== undefined && !access.stillOwnsPart(actor, bid, part)) throw new NotFound('Partner');
    refuseIfDecided(bid);
    const now = ctx.clock.now();
    refuseAfterDeadline(call, now);
    refuseIfStale(bid, write);
    return saveDraft(trx, actor, call.id, bid, edit(bid.draft), write, now);
  });
  // The locked row with its new draft is the bid now: no need to read it and its call again.
  return viewOf(ctx, access.readOwn(Object.assign(own, { bid: saved }), actor));
}

/**
 * An applicant submits their bid: it must be complete (422 naming each missing field) and the call must take
 * submissions (409). The gateway judges everything else and is stored with the new immutable version.
 * Submissions of one bid queue on its row lock; one that says nothing new answers the version already made.
 * The deadline is checked again just before commit: a submission that completes after it changes nothing.
 */
export async function submitBid(ctx: AppContext, actor: Actor, id: string): Promise<BidView> {
  access.refuseUnlessBidder(actor);
  const catalogue = await loadIndicators(ctx.knex);
  // The answer is what the transaction read and wrote under the bid's lock: reading it all again afterwards
  // cost five more round trips on the busiest request of a deadline (found by `npm run bench`).
  return ctx.knex.transaction(async (trx): Promise<BidView> => {
    // Whose bid it is is checked on the locked row itself: one read serves the lock, the access rule, the call
    // and the attachments.
    const own = access.ownLockedBid(actor, await repository.lockBidWithCall(trx, id));
    const { bid, call, attachments: attachmentRows, invitedPartnerIds } = own;
    refuseIfDecided(bid);
    const submittedAt = ctx.clock.now();
    refuseAfterDeadline(call, submittedAt, 'submit');
    const missing = missingForSubmission(bid.draft);
    if (missing.length > 0) throw new Validation('The bid is not complete', missing);
    const waiting = partnersNotReady(bid.draft, invitedPartnerIds);
    if (waiting.length > 0)
      throw new Validation(
        'Every invited partner must join the bid and complete its part before it is submitted',
        waiting,
      );

    const attachments = versionAttachments(attachmentRows);
    // current_version is written in the same transaction as each version: a bid never submitted has none to read.
    const previous = bid.currentVersion === null ? undefined : await repository.latestVersion(trx, id);
    // A bid with a decision was refused above, and decisions come only after the deadline: none to show.
    const view = (version: BidVersionRow, content: VersionContent): BidView =>
      Object.assign(access.readOwn(own), { version, attachments: attachmentRows, decision: undefined, content });
    if (bid.status === 'submitted' && previous) {
      const stored = JSON.parse(previous.canonicalJson) as VersionContent;
      if (sameSubmission(stored, { fields: bid.draft, attachments })) return view(previous, stored);
    }

    const versionNumber = (previous?.version ?? 0) + 1;
    const content: VersionContent = {
      bid: { id: bid.id, reference: bid.reference },
      call: { id: call.id, reference: call.reference },
      organisationId: bid.organisationId,
      version: versionNumber,
      submittedAt: submittedAt.toISOString(),
      submittedBy: actor.id,
      fields: bid.draft,
      attachments,
    };
    const text = canonicalJson(content);
    // The call takes submissions, so it is published: its rules are the fields it was published with.
    const rules = toPublishedCall({ ...call, fields: call.publishedFields! }, submittedAt);
    const gateway = runGateway({ call: rules, bid: bid.draft, submittedAt, indicators: catalogue });
    const sha256 = sha256Hex(text);
    const version = await repository.recordSubmission(
      trx,
      {
        bidId: bid.id,
        version: versionNumber,
        submittedAt,
        submittedBy: actor.id,
        canonicalJson: text,
        sha256,
        gateway: gateway.checks,
        gatewayPassed: gateway.passed,
        flags: [...gateway.flags, ...(await partnerIdentityFlags(trx, bid.organisationId, bid.draft.partners))],
        esfPence: bidEsfPence(bid.draft),
        matchPence: declaredMatchPence(bid.draft),
        totalEligibleCostPence: bid.draft.totalEligibleCostPence ?? 0,
        participants: bid.draft.outputTargets?.find((t) => t.indicator === 'P-TOTAL')?.target ?? 0,
      },
      {
        actorId: actor.id,
        action: 'bid.submitted',
        callId: call.id,
        bidId: bid.id,
        before: { status: bid.status, version: previous?.version ?? null },
        after: { status: 'submitted', version: versionNumber, sha256, gatewayPassed: gateway.passed },
        at: submittedAt,
      },
    );
    await queueSubmissionReceipt(ctx, trx, {
      bidId: bid.id,
      reference: bid.reference,
      title: bid.draft.title,
      organisationId: bid.organisationId,
      partners: bid.draft.partners,
      call,
      version: versionNumber,
      submittedAt,
      sha256,
    });
    // The request must complete by the deadline: checked last, so a late finish rolls everything back.
    refuseAfterDeadline(call, ctx.clock.now(), 'complete');
    bid.status = 'submitted';
    bid.currentVersion = versionNumber;
    return view(version, content);
  });
}

/** An applicant withdraws a submitted bid before the deadline; it may be resubmitted until then. */
export async function withdrawBid(ctx: AppContext, actor: Actor, id: string): Promise<BidView> {
  const { call } = await access.ownBid(ctx, actor, id);
  await ctx.knex.transaction(async (trx) => {
    const bid = (await repository.findBid(trx, id, { forUpdate: true }))!;
    refuseAfterDeadline(call, ctx.clock.now());
    if (bid.status !== 'submitted')
      throw new Conflict(`Only a submitted bid can be withdrawn; this one is ${bid.status}`);
    await repository.setBidStatus(trx, id, 'withdrawn');
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'bid.withdrawn',
      callId: call.id,
      bidId: id,
      before: { status: 'submitted' },
      after: { status: 'withdrawn' },
    });
  });
  return reload(ctx, actor, id);
}

/** A bid as the actor may see it. */
export async function getBid(ctx: AppContext, actor: Actor | undefined, id: string): Promise<BidView> {
  return viewOf(ctx, await access.readBid(ctx, actor, id));
}

/** One submitted version's canonical JSON and hash, for checking a receipt. */
export async function getVersion(
  ctx: AppContext,
  actor: Actor | undefined,
  id: string,
  version: number,
): Promise<BidVersionRow> {
  const { bid } = await access.readBid(ctx, actor, id);
  const row = Number.isSafeInteger(version) ? await repository.findVersion(ctx.knex, bid.id, version) : undefined;
  if (!row) throw new NotFound('Version');
  return row;
}

/**
 * The bids on a call the actor may see: an officer of its funder all of them, an applicant its own
 * organisation's; the appraisal feature decides for appraisers.
 */
export async function listBidsForCall(
  ctx: AppContext,
  actor: Actor,
  callId: string,
): Promise<{ bid: BidRow; version: BidVersionRow | undefined }[]> {
  const { call, organisationId } = await access.listBidsOnCall(ctx, actor, callId);
  const rows = await repository.listBids(ctx.knex, call.id, organisationId ? { organisationId } : {});
  if (!organisationId) return rows;
  const shown = access.decisionsReleased(call, ctx.clock.now());
  return rows.map(({ bid, version }) => ({ bid: asReleased(bid, shown), version }));
}

/** The most files one bid carries. */
export const MAX_FILES_PER_BID = 50;
/** The most bytes one bid's files come to: 200 MB. */
export const MAX_BYTES_PER_BID = 200 * 1024 * 1024;

/** Refuses a file of `adding` bytes that a bid with these files has no room for: 409 by count, 413 by size. */
function refuseUnlessRoom(totals: { count: number; bytes: number }, adding: number): void {
  if (totals.count >= MAX_FILES_PER_BID)
    throw new Conflict(`A bid can carry at most ${MAX_FILES_PER_BID} files: remove one before adding another`);
  if (totals.bytes + adding > MAX_BYTES_PER_BID)
    throw new TooLarge(`A bid's files can come to at most 200 MB in all: remove one, or upload a smaller file`);
}

/**
 * Refuses, before an upload is read, a file the caller may not add to the bid (strangers get the bid's 404; a
 * partner's member another part, 403) or that the bid has no room for.
 */
export async function refuseUploadWithoutRoom(
  ctx: AppContext,
  actor: Actor,
  id: string,
  partnerId?: string | null,
): Promise<void> {
  access.partOfFile(await access.writeFiles(ctx, actor, id), partnerId);
  refuseUnlessRoom(await repository.attachmentTotals(ctx.knex, id), 1);
}

/**
 * An applicant attaches a file to their bid while it can be changed; bytes and row in one transaction. With
 * `evidenceForLine`, the file becomes that match-funding line's evidence in the same transaction (a line the
 * draft does not have is left alone), so a letter is never stored without the link it was uploaded for. A file
 * belongs to a part (`partnerId`: access.partOfFile; a partner's member's files are their own part's), and is
 * linked only to a line of that part.
 */
export async function addAttachment(
  ctx: AppContext,
  actor: Actor,
  id: string,
  upload: Upload,
  purpose: 'match-evidence' | 'supporting',
  evidenceForLine?: number,
  partnerId?: string | null,
): Promise<AttachmentRow> {
  const writer = await access.writeFiles(ctx, actor, id);
  const { call } = writer;
  const part = access.partOfFile(writer, partnerId);
  return ctx.knex.transaction(async (trx) => {
    const bid = (await repository.findBid(trx, id, { forUpdate: true }))!;
    // Asked again of the locked row: the partner may have been removed since.
    if (!access.stillWritesFile(actor, bid, part)) throw new NotFound('Bid');
    if (part !== null) partnerIn(bid.draft, part);
    refuseIfDecided(bid);
    // After the deadline, a file comes only for a clarification that asked for documents or evidence letters.
    const open = await unansweredClarification(trx, id);
    const asksForFiles = open?.sections.some((s) => s === 'documents' || s === 'match-funding') ? open : undefined;
    // A clarification is the lead's to answer: after the deadline, a partner's member adds nothing.
    if (writer.parts === 'all') refuseUploadAfterDeadline(call, ctx.clock.now(), asksForFiles);
    else refuseAfterDeadline(call, ctx.clock.now());
    // Counted with the bid locked, so two uploads at once cannot both take the last place.
    refuseUnlessRoom(await repository.attachmentTotals(trx, id), upload.sizeBytes);
    const row = await repository.insertAttachment(trx, {
      bidId: id,
      filename: upload.filename,
      contentType: upload.contentType,
      purpose,
      sizeBytes: upload.sizeBytes,
      sha256: upload.sha256,
      data: upload.bytes,
      uploadedBy: actor.id,
      partnerId: part,
      ...(deadlineRefusal(call, ctx.clock.now()) && asksForFiles ? { clarificationId: asksForFiles.id } : {}),
    });
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'attachment.added',
      callId: call.id,
      bidId: id,
      after: {
        id: row.id,
        filename: row.filename,
        sizeBytes: row.sizeBytes,
        sha256: row.sha256,
        purpose,
        ...(part ? { partnerId: part } : {}),
      },
    });
    const line = evidenceForLine === undefined ? undefined : bid.draft.matchFunding?.[evidenceForLine];
    // A part's letter is the evidence only of a line that part declares.
    if (line && (part === null || lineOwner(bid.draft, line) === part)) {
      await saveDraft(trx, actor, call.id, bid, {
        ...bid.draft,
        matchFunding: bid.draft.matchFunding!.map((l, i) =>
          i === evidenceForLine ? { ...l, evidenceAttachmentId: row.id } : l,
        ),
      });
    }
    return row;
  });
}

/** A file of a bid, for whoever may read the bid. */
export async function getAttachment(
  ctx: AppContext,
  actor: Actor | undefined,
  id: string,
  attachmentId: string,
): Promise<AttachmentRow> {
  return (await access.readFile(ctx, actor, id, attachmentId)).attachment;
}

/**
 * An applicant removes a file while the bid can be changed: the bid's organisation any of its files, a partner's
 * member only its own part's (403 otherwise). A file in a submitted version, or one a match-funding line points
 * at, stays: removing it would change what was submitted or leave a dangling link.
 */
export async function removeAttachment(ctx: AppContext, actor: Actor, id: string, attachmentId: string): Promise<void> {
  const writer = await access.writeFiles(ctx, actor, id);
  const { call } = writer;
  await ctx.knex.transaction(async (trx) => {
    const bid = (await repository.findBid(trx, id, { forUpdate: true }))!;
    refuseAfterDeadline(call, ctx.clock.now());
    const attachment = await repository.findAttachment(trx, id, attachmentId);
    if (!attachment) throw new NotFound('Attachment');
    const part = access.partOfFile(writer, attachment.partnerId ?? null);
    if (!access.stillWritesFile(actor, bid, part)) throw new NotFound('Bid');
    if (await repository.attachmentIsSubmitted(trx, id, attachmentId))
      throw new Conflict('That file is part of a submitted version of the bid and is kept');
    if ((bid.draft.matchFunding ?? []).some((line) => line.evidenceAttachmentId === attachmentId))
      throw new Conflict('A match-funding line points at that file as its evidence; change the line first');
    await repository.deleteAttachment(trx, id, attachmentId);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'attachment.removed',
      callId: call.id,
      bidId: id,
      before: { id: attachment.id, filename: attachment.filename, sha256: attachment.sha256 },
    });
  });
}

/** An applicant's own organisation's bids across every call, newest first, each with its latest version. */
export async function listOwnBids(
  ctx: AppContext,
  actor: Actor,
): Promise<{ bid: BidRow; version: BidVersionRow | undefined }[]> {
  const { organisationId } = access.ownOrganisation(actor);
  return withLatestVersions(ctx, await repository.bidsOfOrganisation(ctx.knex, organisationId));
}

/**
 * The bids an applicant's organisation joined as a delivery partner, newest first, each with its latest version:
 * its members read them as the lead does (access.readBid).
 */
export async function listPartnerBids(
  ctx: AppContext,
  actor: Actor,
): Promise<{ bid: BidRow; version: BidVersionRow | undefined }[]> {
  const { organisationId } = access.ownOrganisation(actor);
  return withLatestVersions(ctx, await repository.bidsJoinedAsPartner(ctx.knex, organisationId));
}

/** Bids of the reader's consortium, each with its latest version, as they see them before release. */
async function withLatestVersions(
  ctx: AppContext,
  bids: BidRow[],
): Promise<{ bid: BidRow; version: BidVersionRow | undefined }[]> {
  const versions = await repository.latestVersionsOf(
    ctx.knex,
    bids.map((bid) => bid.id),
  );
  const releases = await repository.decisionReleasesOf(ctx.knex, [...new Set(bids.map((bid) => bid.callId))]);
  const now = ctx.clock.now();
  return bids.map((bid) => ({
    bid: asReleased(bid, access.decisionsReleased({ releaseDecisionsAt: releases.get(bid.callId) ?? null }, now)),
    version: versions.get(bid.id),
  }));
}
