/** What the section tests share: the D2N2 call, the catalogue, a complete draft, and a form read back. */
import type { BidSection, SectionContext } from '../../../../server/bids/sections/index.ts';
import type { BidFields } from '../../../../server/bids/types.ts';
import type { Call } from '../../../../server/calls/types.ts';
import { d2n2HealthAndWellbeingCall } from '../../../../server/demo/d2n2.ts';
import { FormReader, type FormValues } from '../../../../server/web/forms.ts';
import { aBidBody } from '../../../support/builders.ts';
import { INDICATORS } from '../indicators.fixture.ts';

const opens = new Date('2026-12-01T09:00:00Z');
const closes = new Date('2027-07-06T22:59:00Z');

export const call: Call = {
  ...d2n2HealthAndWellbeingCall(opens, closes),
  id: 'call-1',
  funderId: 'funder-1',
  opensAt: opens,
  closesAt: closes,
  status: 'open',
};

export const draft: BidFields = aBidBody();

export const context: SectionContext = { catalogue: INDICATORS, attachments: [], draft };

/** The fields of `fields` a section owns, as the section reads them back. */
export function owned(section: BidSection, fields: BidFields): Record<string, unknown> {
  return Object.fromEntries(section.owns.map((field) => [field, fields[field]]));
}

/** A posted form read by the section: its part of the bid and the problems it found. */
export function readForm(section: BidSection, values: FormValues) {
  const form = new FormReader(values);
  return { part: section.read(form, call), problems: form.problems };
}

/** The section's view of a form with no errors and one blank row. */
export function viewOf(section: BidSection, values: FormValues, errors: Record<string, string> = {}) {
  return section.view(call, { values, errors, extraRows: 1 }, context);
}
