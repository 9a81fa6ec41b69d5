/**
 * What the pages after the deadline show of clarifications, pure: a clarification as a row with its status tag and
 * its reply-by instant in UK time, and what an answer changed (or will change) field by field: the section, the
 * field's label, before and after, money in pounds. The applicant's, the panel's and the officer's pages share it.
 */
import { formatLondonDateTime } from '../shared/londonFormat.ts';
import { formatPounds } from '../shared/money.ts';
import type { FieldChange } from './clarificationRules.ts';
import { KINDS, MATCH_STATUSES, NARRATIVES, ROLES, SECTORS } from './labels.ts';
import { SECTIONS, sectionFor, sectionOfPointer, type SectionKey } from './sections/index.ts';

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
