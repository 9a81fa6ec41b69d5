/**
 * The bid's sections as HTML forms, one module each (section.ts says what a section is), in the order of the
 * task list. Pages and page models find a section here and ask it to read, fill or draw its form.
 */
import type { BidFields } from '../types.ts';
import { withoutUndefined } from '../../web/forms.ts';
import { budget } from './budget.ts';
import { details } from './details.ts';
import { documents } from './documents.ts';
import { gapClaims } from './gapClaims.ts';
import { matchFunding } from './matchFunding.ts';
import { narratives } from './narratives.ts';
import { partners } from './partners.ts';
import { targets } from './targets.ts';
import type { BidSection, SectionKey } from './section.ts';

export type { BidSection, SectionContext, SectionForm, SectionKey } from './section.ts';
export { KINDS, MATCH_STATUSES, NARRATIVES, ROLES, SECTORS } from '../labels.ts';

/** The sections in the order of the task list. */
export const SECTIONS: readonly BidSection[] = [
  details,
  partners,
  budget,
  matchFunding,
  targets,
  gapClaims,
  narratives,
  documents,
];

/** The section of a key, or undefined for a key no section has. */
export function findSection(key: string): BidSection | undefined {
  return SECTIONS.find((section) => section.key === key);
}

/** The section of a key. */
export function sectionFor(key: SectionKey): BidSection {
  return findSection(key)!;
}

/** The section a top-level bid field belongs to (`/narrative/need` → narratives). */
export function sectionOfPointer(pointer: string): SectionKey {
  const field = pointer.split('/')[1] as keyof BidFields;
  return SECTIONS.find((s) => s.owns.includes(field))?.key ?? 'details';
}

/** The whole draft with one section's fields replaced; cleared fields are left out. */
export function withSection(draft: BidFields, part: Record<string, unknown>): Record<string, unknown> {
  return withoutUndefined({ ...draft, ...part });
}
