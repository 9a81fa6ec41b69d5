/**
 * What the pages after the deadline show of clarifications, pure: a clarification as a row with its status tag and
 * its reply-by instant in UK time, and what an answer changed (or will change) field by field: the section, the
 * field's label, before and after, money in pounds. The applicant's, the panel's and the officer's pages share it.
 */
import { formatLondonDateTime } from '../shared/londonFormat.ts';
import { formatPounds } from '../shared/money.ts';
import type { Call } from '../calls/types.ts';
import type { ErrorDetail } from '../errors.ts';
import { FormReader, withoutUndefined, type FormValues } from '../web/forms.ts';
import { changesBetween, type FieldChange } from './clarificationRules.ts';
import { KINDS, MATCH_STATUSES, NARRATIVES, ROLES, SECTORS } from './labels.ts';
import {
  SECTIONS,
  sectionFor,
  sectionOfPointer,
  type BidSection,
  type SectionContext,
  type SectionKey,
} from './sections/index.ts';
import type { BidFields, Partner } from './types.ts';

export type { SectionKey };

/** The sections a clarification may name, in the order and words of the bid's task list. */
export const SECTION_CHOICES: readonly { key: SectionKey; title: string }[] = SECTIONS.map(({ key, title }) => ({
  key,
  title,
}));

/** A clarification as the API presents it (clarifications.ts presentClarification). */
export interface PresentedClarification {
  id: string;
  question: string;
  sections: SectionKey[];
  respondBy: string;
  status: 'open' | 'answered' | 'lapsed';
  raisedAt: string;
  askedOnVersion: number;
  answer?: string | null;
  answeredAt?: string;
  answeredVersion?: number | null;
}

const STATUS_TAGS = {
  open: { text: 'Open', tagClass: 'govuk-tag--yellow' },
  answered: { text: 'Answered', tagClass: 'govuk-tag--green' },
  lapsed: { text: 'Lapsed', tagClass: 'govuk-tag--grey' },
} as const;

/** The named sections in the words of the bid's task list. */
export function sectionNames(sections: readonly SectionKey[]): string {
  return sections.map((key) => sectionFor(key).title).join(', ');
}

/** One clarification as a page lists it: question, sections, status tag, reply-by and answer in UK time. */
export function clarificationRow(c: PresentedClarification) {
  return {
    id: c.id,
    question: c.question,
    sections: sectionNames(c.sections),
    status: STATUS_TAGS[c.status],
    open: c.status === 'open',
    raisedAt: formatLondonDateTime(c.raisedAt),
    respondBy: formatLondonDateTime(c.respondBy),
    askedOnVersion: c.askedOnVersion,
    answer: c.answer ?? undefined,
    answeredAt: c.answeredAt ? formatLondonDateTime(c.answeredAt) : undefined,
    answeredVersion: c.answeredVersion ?? undefined,
  };
}

/** The words of a bid's top-level fields. */
const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  summary: 'Summary',
  startDate: 'Start date',
  endDate: 'End date',
  geography: 'Areas',
  partners: 'Partner',
  priorities: 'Priority',
  totalEligibleCostPence: 'Total eligible cost',
  matchFunding: 'Match funding line',
  outputTargets: 'Output target',
  resultTargets: 'Result target',
  gapClaims: 'Gap claim',
  narrative: 'Narrative',
  attachments: 'File',
};

/** The words of the fields inside a list's item. */
const ITEM_LABELS: Record<string, string> = {
  name: 'name',
  type: 'type',
  role: 'role',
  charityNumber: 'charity number',
  companyNumber: 'company number',
  esfPence: 'ESF',
  matchPence: 'match',
  code: 'code',
  funder: 'who provides it',
  sector: 'sector',
  kind: 'cash or in kind',
  amountPence: 'amount',
  status: 'secured or pending',
  evidenceAttachmentId: 'letter of commitment',
  partnerId: 'declared by',
  indicator: 'indicator',
  target: 'target',
  gapCode: 'gap',
  filename: 'file name',
  ...Object.fromEntries(NARRATIVES.map((n) => [n.key, n.title])),
};

/** Coded values in words, as the form offers them. */
const CODED: Record<string, { value: string; text: string }[]> = {
  role: ROLES,
  sector: SECTORS,
  kind: KINDS,
  status: MATCH_STATUSES,
};

/** One value as a person reads it: pence in pounds, codes in words, a list joined, an item field by field. */
export function valueInWords(value: unknown, key = ''): string {
  if (value === null || value === undefined || value === '') return 'None';
  if (typeof value === 'number' && key.endsWith('Pence')) return formatPounds(value);
  if (typeof value === 'string' && CODED[key]) return CODED[key].find((c) => c.value === value)?.text ?? value;
  if (Array.isArray(value)) return value.map((item) => valueInWords(item, key)).join(', ') || 'None';
  if (typeof value === 'object') {
    // A file is known by its name; its bytes' details are the receipt's.
    if ('filename' in value) return String((value as { filename: unknown }).filename);
    // A whole item (a partner, a line, a file) that appeared or went: its fields, ids left out.
    return Object.entries(value as Record<string, unknown>)
      .filter(([k]) => k !== 'id' && k !== 'organisationId' && k !== 'sha256' && k !== 'completedAt')
      .map(([k, v]) => `${ITEM_LABELS[k] ?? k}: ${valueInWords(v, k)}`)
      .join('; ');
  }
  return String(value);
}

/** A change's field in words: `/priorities/1/esfPence` → "Priority 2: ESF"; `/narrative/need` → "Need and gap". */
export function fieldLabel(path: string): string {
  const [top, ...rest] = path.split('/').slice(1);
  const topLabel = FIELD_LABELS[top] ?? top;
  if (rest.length === 0) return topLabel;
  if (top === 'narrative') return ITEM_LABELS[rest[0]] ?? rest[0];
  if (/^\d+$/.test(rest[0])) {
    const numbered = `${topLabel} ${Number(rest[0]) + 1}`;
    if (top === 'geography') return `${topLabel} (${Number(rest[0]) + 1})`;
    return rest.length > 1 ? `${numbered}: ${ITEM_LABELS[rest[1]] ?? rest[1]}` : numbered;
  }
  return `${topLabel}: ${rest.join(' ')}`;
}

/** What changed between two versions, one row per field: section, field, before and after, in words. */
export function changeRows(changes: readonly FieldChange[]) {
  return changes.map((change) => {
    const key =
      change.path
        .split('/')
        .filter((part) => part !== '' && !/^\d+$/.test(part))
        .at(-1) ?? '';
    const section = change.path.startsWith('/attachments') ? 'documents' : sectionOfPointer(change.path);
    return {
      path: change.path,
      section: sectionFor(section).title,
      field: fieldLabel(change.path),
      before: valueInWords(change.before, key),
      after: valueInWords(change.after, key),
    };
  });
}

/** The sections whose fields the answer form opens, in the task list's order (documents opens uploads instead). */
export function answerSections(sections: readonly SectionKey[]): BidSection[] {
  return SECTIONS.filter((s) => s.key !== 'documents' && sections.includes(s.key));
}

/** Partners read from a form keep the stored partner's organisation and completion (the form holds only its id). */
function withStoredIdentities(stored: Partner[] | undefined, rows: Partner[]): Partner[] {
  const byId = new Map((stored ?? []).filter((p) => p.id).map((p) => [p.id!, p]));
  return rows.map((row) => {
    const before = row.id ? byId.get(row.id) : undefined;
    if (!before) return row;
    const { organisationId, completedAt } = before;
    return withoutUndefined({ ...row, organisationId, completedAt });
  });
}

/**
 * Reads the answer form into the API's body: the answer, and of the named sections' fields those that differ from
 * the version asked about (null clears one). Typing problems are the reader's.
 */
export function readAnswerForm(values: FormValues, sections: readonly SectionKey[], call: Call, base: BidFields) {
  const reader = new FormReader(values);
  const answer = reader.text('/answer');
  const changes: Record<string, unknown> = {};
  for (const section of answerSections(sections)) {
    for (const [field, read] of Object.entries(section.read(reader, call))) {
      const value = field === 'partners' && Array.isArray(read) ? withStoredIdentities(base.partners, read) : read;
      const before = base[field as keyof BidFields];
      if (changesBetween(before ?? null, value ?? null).length > 0) changes[field] = value ?? null;
    }
  }
  if (!answer) reader.problems.push({ path: '/answer', message: 'Enter your answer to the question' });
  return { reader, answer, changes };
}

/** The answer form's values from the fields an answer would give (the check page's Change comes back with them). */
export function answerValues(
  sections: readonly SectionKey[],
  call: Call,
  fields: BidFields,
  answer: string,
): FormValues {
  const values: FormValues = { answer };
  for (const section of answerSections(sections)) Object.assign(values, section.values(fields, call));
  return values;
}

/** The service's details about `changes` (`/changes/title`) pointed at the form's inputs (`/title`). */
export function onTheAnswerForm(details: readonly ErrorDetail[]): ErrorDetail[] {
  return details.map((d) => ({ ...d, path: d.path.replace(/^\/changes(?=\/|$)/, '') }));
}

/** Each named section's fields as its own section page draws them, inside the answer's one form. */
export function answerFormSections(
  sections: readonly SectionKey[],
  call: Call,
  form: { values: FormValues; errors: Record<string, string> },
  context: SectionContext,
) {
  return answerSections(sections).map((section) => ({
    key: section.key,
    title: section.title,
    partial: `bid-section-${section.key}`,
    view: { call, ...section.view(call, { ...form, extraRows: 1 }, context) },
  }));
}
