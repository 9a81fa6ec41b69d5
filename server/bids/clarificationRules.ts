/**
 * What a clarification opens and what its answer makes, as pure rules: the fields each named section opens
 * (the sections' own `owns`), the changes an answer may carry, the fields of the version it makes, where a
 * clarification stands, and what changed between two versions, field by field (JSON Pointer paths).
 */
import type { ErrorDetail } from '../errors.ts';
import type { VersionAttachment } from './receipt.ts';
import { findSection, type SectionKey } from './sections/index.ts';
import { isDecided } from './status.ts';
import type { BidFields } from './types.ts';

export type ClarificationStatus = 'open' | 'answered' | 'lapsed';

/**
 * Why no clarification can be asked on a bid now, or undefined when one can: only once its call has closed (status
 * as callStatus says), on a bid submitted by the deadline without a decision, with no other question open.
 */
export function raiseRefusal(callStatus: string, bidStatus: string, questionOpen: boolean): string | undefined {
  if (callStatus !== 'closed' && callStatus !== 'appraisal')
    return `Clarifications are asked once the call has closed; this call is ${callStatus}`;
  if (isDecided({ status: bidStatus })) return 'The bid has had its decision; it can no longer be clarified';
  if (bidStatus !== 'submitted') return `Only a bid submitted by the deadline is clarified; this one is ${bidStatus}`;
  if (questionOpen) return 'The bid already has a clarification awaiting its answer';
  return undefined;
}

/** The top-level fields of the bid the named sections open to an answer (documents opens files, not fields). */
export function openFields(sections: readonly SectionKey[]): Set<string> {
  return new Set(sections.flatMap((key) => findSection(key)?.owns ?? []));
}

/** Each field of `changes` outside the named sections, as a 422's details (`/changes/<field>`). */
export function fieldsOutsideSections(
  changes: Record<string, unknown>,
  sections: readonly SectionKey[],
): ErrorDetail[] {
  const open = openFields(sections);
  return Object.keys(changes)
    .filter((field) => !open.has(field))
    .map((field) => ({
      path: `/changes/${field}`,
      message: `${field} is not in the sections the clarification asked about (${sections.join(', ')})`,
    }));
}

/** The fields of the version an answer makes: the appraised version's, with the answer's fields replaced. */
export function answeredFields(appraised: BidFields, changes: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...appraised };
  for (const [field, value] of Object.entries(changes)) {
    // null clears a field, as leaving it out of a draft does.
    if (value === null) delete fields[field];
    else fields[field] = value;
  }
  return fields;
}

/**
 * The files of the version an answer makes: the appraised version's, and those uploaded while the clarification
 * was open that it asked for (every one when it named documents; else only the evidence letters its answer's
 * match-funding lines point at).
 */
export function answeredAttachments(
  appraised: VersionAttachment[],
  uploadedWhileOpen: VersionAttachment[],
  sections: readonly SectionKey[],
  fields: BidFields,
): VersionAttachment[] {
  const evidence = new Set((fields.matchFunding ?? []).map((line) => line.evidenceAttachmentId).filter(Boolean));
  const kept = new Set(appraised.map((a) => a.id));
  const added = uploadedWhileOpen.filter(
    (file) => !kept.has(file.id) && (sections.includes('documents') || evidence.has(file.id)),
  );
  return [...appraised, ...added];
}

/** Where a clarification stands at `at`: answered, open until its reply-by instant (inclusive), then lapsed. */
export function clarificationStatus(
  clarification: { answeredAt: Date | null; respondBy: Date },
  at: Date,
): ClarificationStatus {
  if (clarification.answeredAt) return 'answered';
  return at.getTime() <= clarification.respondBy.getTime() ? 'open' : 'lapsed';
}

/** One difference between two versions: where (a JSON Pointer), and the value before and after (null: absent). */
export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON Pointer's token for a key (RFC 6901: `~` and `/` escaped). */
const token = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * What changed from `before` to `after`, leaf by leaf: objects key by key (in sorted order), arrays item by item;
 * an item or key that appears or goes is one change with the whole value on its side, null on the other.
 */
export function changesBetween(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => changesBetween(before[key], after[key], `${path}/${token(key)}`));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => changesBetween(before[i], after[i], `${path}/${i}`)).flat();
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: path || '/', before: before ?? null, after: after ?? null }];
}

/** What changed between two versions' fields and files: pointers into the bid (`/partners/0/esfPence`). */
export function versionChanges(
  from: { fields: BidFields; attachments: VersionAttachment[] },
  to: { fields: BidFields; attachments: VersionAttachment[] },
): FieldChange[] {
  return changesBetween(
    { ...from.fields, attachments: from.attachments },
    { ...to.fields, attachments: to.attachments },
  );
}
