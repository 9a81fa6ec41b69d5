/**
 * Who reads a bid's files, and who adds and removes them. The bidding organisation and its joined partners read
 * every file of its bid; an officer or appraiser reads the bid as the panel appraises it, so only the files of its
 * newest submitted version: a file added to the draft since is the consortium's alone, and is not found to anyone
 * else. The bidding organisation adds and removes any of its files; a partner's members only their own part's.
 */
import type { Actor, AppContext } from '../context.ts';
import { Forbidden, NotFound } from '../errors.ts';
import type { AttachmentRow, BidRow, BidVersionRow } from '../models/bids.ts';
import type { CallRow } from '../models/calls.ts';
import { findCall } from '../calls/repository.ts';
import { findAttachment, findBid, latestVersion } from '../bids/repository.ts';
import { readBid, refuseUnlessBidder, stillOwnsPart, type ReadBid } from './bids.ts';
import { grant, type Reached } from './grant.ts';
import { isMemberOf, partsActedFor } from './membership.ts';

/** A file of a bid the actor may read, with its bytes. */
export type ReadFile = Reached<'readFile', { attachment: AttachmentRow }>;

/** The ids of the files a version lists. */
function filesOf(version: Pick<BidVersionRow, 'canonicalJson'> | undefined): Set<string> {
  if (!version) return new Set();
  const content = JSON.parse(version.canonicalJson) as { attachments?: { id: string }[] };
  return new Set((content.attachments ?? []).map((a) => a.id));
}

/** Of a bid's files, those the reader sees: all of them for its organisation, else those of its newest version. */
export function visibleFiles<A extends Pick<AttachmentRow, 'id'>>(
  read: ReadBid,
  version: Pick<BidVersionRow, 'canonicalJson'> | undefined,
  files: A[],
): A[] {
  // The bid's organisation and its partners' work on the draft: they see every file of it.
  if (read.viewer === 'own' || read.viewer === 'partner') return files;
  const submitted = filesOf(version);
  return files.filter((file) => submitted.has(file.id));
}

/** A file of a bid, for whoever may read the bid and that file of it (visibleFiles); anything else is not found. */
export async function readFile(
  ctx: AppContext,
  actor: Actor | undefined,
  bidId: string,
  attachmentId: string,
): Promise<ReadFile> {
  const read = await readBid(ctx, actor, bidId);
  const attachment = await findAttachment(ctx.knex, read.bid.id, attachmentId);
  if (!attachment) throw new NotFound('Attachment');
  const version =
    read.viewer === 'own' || read.viewer === 'partner' ? undefined : await latestVersion(ctx.knex, read.bid.id);
  if (visibleFiles(read, version, [attachment]).length === 0) throw new NotFound('Attachment');
  return grant('readFile', { attachment });
}

/**
 * The files of a bid the actor may add and remove: every one (a member of the bid's organisation), or only those
 * of the parts the actor's organisation joined the bid as (a partner's member). Anyone else finds no bid.
 */
export type FileWriter = Reached<'writeFiles', { bid: BidRow; call: CallRow; parts: 'all' | readonly string[] }>;

/** Whose files of a bid the actor may add and remove (FileWriter); officers and appraisers are refused. */
export async function writeFiles(ctx: AppContext, actor: Actor, bidId: string): Promise<FileWriter> {
  refuseUnlessBidder(actor);
  const bid = await findBid(ctx.knex, bidId);
  if (!bid) throw new NotFound('Bid');
  const call = (await findCall(ctx.knex, bid.callId))!;
  if (isMemberOf(actor, bid.organisationId)) return grant('writeFiles', { bid, call, parts: 'all' });
  const parts = partsActedFor(actor, bid.draft.partners);
  if (parts.length === 0) throw new NotFound('Bid');
  return grant('writeFiles', { bid, call, parts });
}

/**
 * The part a file the writer adds or removes belongs to: `requested` (null, the bid's own file; undefined, the
 * writer's default: the bid's own for its organisation, its own part for a partner's member). A partner's member
 * is refused (403) another part's file, or the bid's own.
 */
export function partOfFile(writer: FileWriter, requested: string | null | undefined): string | null {
  if (writer.parts === 'all') return requested ?? null;
  if (requested === undefined) return writer.parts[0];
  if (requested !== null && writer.parts.includes(requested)) return requested;
  throw new Forbidden("You add and remove only your own organisation's files of this bid");
}

/** Whether the actor may still add or remove a file of `partnerId`'s part (null: the bid's own) on the locked row. */
export function stillWritesFile(actor: Actor, bid: BidRow, partnerId: string | null): boolean {
  if (isMemberOf(actor, bid.organisationId)) return true;
  return partnerId !== null && stillOwnsPart(actor, bid, partnerId);
}
