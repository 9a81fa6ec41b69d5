/**
 * Who reads a bid's files. The bidding organisation reads every file of its bid; an officer or appraiser reads
 * the bid as the panel appraises it, so only the files of its newest submitted version: a file added to the draft
 * since is the applicant's alone, and is not found to anyone else.
 */
import type { Actor, AppContext } from '../context.ts';
import { NotFound } from '../errors.ts';
import type { AttachmentRow, BidVersionRow } from '../models/bids.ts';
import { findAttachment, latestVersion } from '../bids/repository.ts';
import { readBid, type ReadBid } from './bids.ts';
import { grant, type Reached } from './grant.ts';

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
