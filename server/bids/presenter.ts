/** Bids as the API shows them: the working draft to its own organisation, the submitted version to others. */
import type { AttachmentRow, BidRow, BidVersionRow } from '../models/bids.ts';
import { canonicalJson, type VersionContent } from './receipt.ts';
import type { BidView } from './service.ts';

/** A file's description, never its bytes. */
export function presentAttachment(
  row: Pick<AttachmentRow, 'id' | 'filename' | 'contentType' | 'sizeBytes' | 'sha256' | 'purpose' | 'partnerId'>,
) {
  return {
    id: row.id,
    filename: row.filename,
    contentType: row.contentType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    purpose: row.purpose,
    // A delivery partner's own file (an evidence letter of its part) names it, as its match lines do.
    ...(row.partnerId ? { partnerId: row.partnerId } : {}),
  };
}

/** The receipt an applicant keeps for a submitted version. */
export function receiptOf(bid: Pick<BidRow, 'reference'>, version: BidVersionRow) {
  return {
    reference: bid.reference,
    version: version.version,
    submittedAt: version.submittedAt.toISOString(),
    sha256: version.sha256,
  };
}

/** What one submitted version says. */
export function versionContent(version: BidVersionRow): VersionContent {
  return JSON.parse(version.canonicalJson) as VersionContent;
}

/** The bid as the API sends it to whoever is looking. */
export function presentBid({ bid, viewer, version, attachments, decision, content }: BidView) {
  const submitted = version ? (content ?? versionContent(version)) : undefined;
  // A joined partner's members read the bid as its own organisation does, working draft included.
  const own = viewer === 'own' || viewer === 'partner';
  // Others see what was submitted, never edits the applicant has not resubmitted.
  const fields = own ? bid.draft : (submitted?.fields ?? { title: bid.draft.title });
  return {
    id: bid.id,
    callId: bid.callId,
    reference: bid.reference,
    organisationId: bid.organisationId,
    status: bid.status,
    version: bid.currentVersion,
    // The draft's revision (also its ETag), to those who read the draft.
    ...(own ? { revision: bid.revision } : {}),
    ...fields,
    attachments: own ? attachments.map(presentAttachment) : (submitted?.attachments ?? []),
    ...(version
      ? {
          submittedAt: version.submittedAt.toISOString(),
          gateway: { passed: version.gatewayPassed, checks: version.gateway },
          flags: version.flags,
          receipt: receiptOf(bid, version),
        }
      : { flags: [] }),
    decision: decision
      ? {
          decision: decision.decision,
          conditions: decision.conditions,
          reason: decision.reason,
          decidedAt: decision.decidedAt.toISOString(),
          feedback: decision.feedback ?? null,
          correctionReason: decision.correctionReason ?? null,
        }
      : null,
    // Just submitted, the version's fields are the draft itself: nothing to compare.
    ...(own && submitted
      ? {
          hasUnsubmittedChanges:
            submitted.fields !== bid.draft && canonicalJson(submitted.fields) !== canonicalJson(bid.draft),
        }
      : {}),
  };
}

/** A line of a call's list of bids. */
export function presentBidSummary(bid: BidRow, version: BidVersionRow | undefined) {
  const submitted = version ? versionContent(version) : undefined;
  return {
    id: bid.id,
    reference: bid.reference,
    organisationId: bid.organisationId,
    title: submitted?.fields.title ?? bid.draft.title ?? null,
    status: bid.status,
    version: bid.currentVersion,
    submittedAt: version?.submittedAt.toISOString() ?? null,
    esfPence: version?.esfPence ?? null,
    gateway: version ? { passed: version.gatewayPassed } : null,
  };
}
