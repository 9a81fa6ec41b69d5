/** What a submitted version is: its canonical JSON (RFC 8785) and that text's SHA-256, the applicant's receipt. */
import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { BidFields } from './types.ts';

export interface VersionAttachment {
  id: string;
  filename: string;
  contentType: string;
  purpose: string;
  sizeBytes: number;
  sha256: string;
}

/** Files as a version records them: these six fields of each, whatever else the rows they come from carry. */
export function versionAttachments(files: readonly VersionAttachment[]): VersionAttachment[] {
  return files.map(({ id, filename, contentType, purpose, sizeBytes, sha256 }) => ({
    id,
    filename,
    contentType,
    purpose,
    sizeBytes,
    sha256,
  }));
}

/** Everything one submission fixes: whose bid, which version, when, and exactly what. */
export interface VersionContent {
  bid: { id: string; reference: string };
  call: { id: string; reference: string };
  organisationId: string;
  version: number;
  submittedAt: string;
  submittedBy: string;
  fields: BidFields;
  attachments: VersionAttachment[];
  /** On a version that answers a clarification: which one, and the answer given with it. */
  clarification?: { id: string; question: string; answer: string };
}

/** The canonical JSON text of a value: keys sorted, no spaces, numbers in their shortest form. */
export function canonicalJson(value: unknown): string {
  return canonicalize(value);
}

/** The SHA-256 of a text's UTF-8 bytes, in hex. */
export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Whether two submissions would say the same thing (same fields and files), whatever their number and time. */
export function sameSubmission(
  a: Pick<VersionContent, 'fields' | 'attachments'>,
  b: Pick<VersionContent, 'fields' | 'attachments'>,
): boolean {
  return (
    canonicalJson({ fields: a.fields, attachments: a.attachments }) ===
    canonicalJson({ fields: b.fields, attachments: b.attachments })
  );
}
