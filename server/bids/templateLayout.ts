/**
 * The bid template's layout: every sheet, column, cell address and dropdown list, in one place, so the writer
 * (exports/bidTemplate.ts) and the reader (templateImport/templateReader.ts) cannot drift apart.
 */

/** Money cells hold pounds as real numbers, shown with pence. */
export const MONEY_FORMAT = '£#,##0.00';
export const DATE_FORMAT = 'yyyy-mm-dd';

/** The last row read on any sheet: row 1 is the header, so a table takes at most 999 lines. */
export const LAST_ROW = 1000;

/** How a cell's content becomes a bid field. */
export type CellKind =
  | 'text' // anything typed, as a string (numbers keep their digits)
  | 'choice' // one of a list's labels (or its stored value)
  | 'money' // pounds with at most two decimal places, read into whole pence
  | 'whole' // a whole number of participants
  | 'date' // a calendar date, stored as YYYY-MM-DD
  | 'places' // several local authority areas in one cell, separated by semicolons
  | 'evidence' // one of the bid's uploaded files, by file name or id
  | 'partner'; // one of the partners on the Partners sheet, by name (blank: the lead)

export interface Choice {
  value: string;
  label: string;
}

/** Fixed choices; the call's own lists (priorities, indicators, gaps) are added when the template is written. */
export const CHOICES = {
  organisationTypes: [
    { value: 'vcs', label: 'VCS' },
    { value: 'public', label: 'Public' },
    { value: 'private', label: 'Private' },
    { value: 'education', label: 'Education' },
    { value: 'health', label: 'Health' },
  ],
  roles: [
    { value: 'lead', label: 'Lead' },
    { value: 'delivery', label: 'Delivery' },
  ],
  sectors: [
    { value: 'public', label: 'Public' },
    { value: 'private', label: 'Private' },
  ],
  kinds: [
    { value: 'cash', label: 'Cash' },
    { value: 'in_kind', label: 'In kind' },
  ],
  statuses: [
    { value: 'secured', label: 'Secured' },
    { value: 'pending', label: 'Pending' },
  ],
  targetKinds: [
    { value: 'output', label: 'Output' },
    { value: 'result', label: 'Result' },
  ],
} satisfies Record<string, Choice[]>;

export type FixedList = keyof typeof CHOICES;
export type CallList = 'priorities' | 'indicators' | 'gaps';
export type ListName = FixedList | CallList;

/** The hidden sheet holding every dropdown's values, one list per column, in this order. */
export const LISTS_SHEET = 'Lists';
export const LIST_COLUMNS: { list: ListName; letter: string; header: string }[] = [
  { list: 'priorities', letter: 'A', header: 'Priority codes' },
  { list: 'indicators', letter: 'B', header: 'Indicator codes' },
  { list: 'gaps', letter: 'C', header: 'Gap codes' },
  { list: 'organisationTypes', letter: 'D', header: 'Organisation types' },
  { list: 'roles', letter: 'E', header: 'Partner roles' },
  { list: 'sectors', letter: 'F', header: 'Sectors' },
  { list: 'kinds', letter: 'G', header: 'Kinds' },
  { list: 'statuses', letter: 'H', header: 'Statuses' },
  { list: 'targetKinds', letter: 'I', header: 'Target kinds' },
];

export const INSTRUCTIONS_SHEET = 'Instructions';

/** A single answer: its label beside it, its value at `address`, the bid field it fills as a JSON pointer. */
export interface FieldCell {
  label: string;
  labelAddress: string;
  address: string;
  pointer: string;
  kind: CellKind;
  guidance: string;
  /** Said instead of a schema's pattern or format message, which would mean nothing to a bid writer. */
  hint?: string;
}

/** One column of a table sheet; `key` is the field of the row's object it fills. */
export interface Column {
  letter: string;
  header: string;
  key: string;
  kind: CellKind;
  width: number;
  list?: ListName;
  hint?: string;
  /** Formatted as text, so Excel keeps what is typed (1.10 stays 1.10, 01234567 keeps its 0). */
  keepAsTyped?: boolean;
  /** Added after templates were first handed out: a template whose heading cell for it is blank is read without it. */
  optional?: boolean;
}

/** A sheet of one header row and a line per item; each line becomes an element of `collection`. */
export interface TableSheet {
  name: string;
  /** JSON pointer of the array filled, or, for Targets, decided per line by the `routeBy` column. */
  collection: string;
  routeBy?: { key: string; collections: Record<string, string> };
  columns: Column[];
  /** Single answers on the same sheet, beside the table. */
  fields: FieldCell[];
}

const DATE_HINT = 'Enter the date as YYYY-MM-DD, like 2027-04-01';

function bidField(
  row: number,
  label: string,
  pointer: string,
  kind: CellKind,
  guidance: string,
  hint?: string,
): FieldCell {
  return { label, labelAddress: `A${row}`, address: `B${row}`, pointer, kind, guidance, ...(hint ? { hint } : {}) };
}

/** The Bid sheet: questions down column A, answers in column B, guidance in column C. */
export const BID_SHEET = 'Bid';
export const BID_HEADERS = ['Question', 'Answer', 'Guidance'];
/** Written with the call's reference; a template of another call is refused rather than read into this bid. */
export const CALL_REFERENCE = { label: 'Call reference', labelAddress: 'A2', address: 'B2' };
export const BID_FIELDS: FieldCell[] = [
  bidField(3, 'Title', '/title', 'text', "The bid's name, up to 200 characters."),
  bidField(4, 'Summary', '/summary', 'text', 'A short account of the project.'),
  bidField(5, 'Start date', '/startDate', 'date', 'YYYY-MM-DD, like 2027-04-01.', DATE_HINT),
  bidField(6, 'End date', '/endDate', 'date', 'YYYY-MM-DD; after the start date.', DATE_HINT),
  bidField(
    7,
    'Geography',
    '/geography',
    'places',
    'Local authority areas served, separated by semicolons: Derby; Derbyshire.',
  ),
  bidField(
    8,
    'Need and gap',
    '/narrative/need',
    'text',
    'The need the project meets and the gap in provision it fills.',
  ),
  bidField(9, 'Activities', '/narrative/activities', 'text', 'What the project will do.'),
  bidField(10, 'Delivery', '/narrative/delivery', 'text', 'Who delivers what, where and when.'),
  bidField(
    11,
    'Management and control',
    '/narrative/management',
    'text',
    'Governance, financial control and audit trail.',
  ),
  bidField(
    12,
    'Cross-cutting themes',
    '/narrative/crossCuttingThemes',
    'text',
    'Equal opportunities, gender equality and sustainable development.',
  ),
];

const COMPANY_HINT =
  'A company number is 8 digits (keep any leading zeros) or 2 letters and 6 digits, like 01234567 or SC123456';
const CHARITY_HINT = 'A charity number is 6 to 8 digits, with -1 and so on for a linked charity, like 1164883';

export const TABLES: TableSheet[] = [
  {
    name: 'Partners',
    collection: '/partners',
    columns: [
      { letter: 'A', header: 'Name', key: 'name', kind: 'text', width: 40 },
      { letter: 'B', header: 'Type', key: 'type', kind: 'choice', width: 14, list: 'organisationTypes' },
      { letter: 'C', header: 'Role', key: 'role', kind: 'choice', width: 12, list: 'roles' },
      {
        letter: 'D',
        header: 'Charity no.',
        key: 'charityNumber',
        kind: 'text',
        width: 14,
        hint: CHARITY_HINT,
        keepAsTyped: true,
      },
      {
        letter: 'E',
        header: 'Company no.',
        key: 'companyNumber',
        kind: 'text',
        width: 14,
        hint: COMPANY_HINT,
        keepAsTyped: true,
      },
      { letter: 'F', header: 'ESF (£)', key: 'esfPence', kind: 'money', width: 18 },
      { letter: 'G', header: 'Match (£)', key: 'matchPence', kind: 'money', width: 18 },
      {
        letter: 'H',
        header: 'Partner id (leave as it is)',
        key: 'id',
        kind: 'text',
        width: 38,
        hint: 'Leave the partner id as it was downloaded, or blank for a new partner',
        keepAsTyped: true,
        optional: true,
      },
    ],
    fields: [],
  },
  {
    name: 'Budget',
    collection: '/priorities',
    columns: [
      {
        letter: 'A',
        header: 'Priority code',
        key: 'code',
        kind: 'text',
        width: 16,
        list: 'priorities',
        keepAsTyped: true,
      },
      { letter: 'B', header: 'ESF (£)', key: 'esfPence', kind: 'money', width: 18 },
    ],
    fields: [
      {
        label: 'Total eligible cost (£)',
        labelAddress: 'D1',
        address: 'D2',
        pointer: '/totalEligibleCostPence',
        kind: 'money',
        guidance: 'ESF plus all match funding.',
      },
    ],
  },
  {
    name: 'Match funding',
    collection: '/matchFunding',
    columns: [
      { letter: 'A', header: 'Funder', key: 'funder', kind: 'text', width: 36 },
      { letter: 'B', header: 'Sector', key: 'sector', kind: 'choice', width: 12, list: 'sectors' },
      { letter: 'C', header: 'Kind', key: 'kind', kind: 'choice', width: 12, list: 'kinds' },
      { letter: 'D', header: 'Amount (£)', key: 'amountPence', kind: 'money', width: 18 },
      { letter: 'E', header: 'Status', key: 'status', kind: 'choice', width: 12, list: 'statuses' },
      { letter: 'F', header: 'Evidence file', key: 'evidenceAttachmentId', kind: 'evidence', width: 36 },
      { letter: 'G', header: 'Declared by', key: 'partnerId', kind: 'partner', width: 36, optional: true },
    ],
    fields: [],
  },
  {
    name: 'Targets',
    collection: '/targets',
    routeBy: { key: 'kind', collections: { output: '/outputTargets', result: '/resultTargets' } },
    columns: [
      { letter: 'A', header: 'Kind', key: 'kind', kind: 'choice', width: 12, list: 'targetKinds' },
      {
        letter: 'B',
        header: 'Indicator code',
        key: 'indicator',
        kind: 'text',
        width: 18,
        list: 'indicators',
        keepAsTyped: true,
      },
      { letter: 'C', header: 'Target', key: 'target', kind: 'whole', width: 12 },
    ],
    fields: [],
  },
  {
    name: 'Gap claims',
    collection: '/gapClaims',
    columns: [
      { letter: 'A', header: 'Gap code', key: 'gapCode', kind: 'text', width: 16, list: 'gaps', keepAsTyped: true },
      { letter: 'B', header: 'Narrative', key: 'narrative', kind: 'text', width: 80 },
    ],
    fields: [],
  },
];

/** A cell reference as Excel writes it: Partners!F3, and 'Match funding'!D2 for a name with a space. */
export function cellRef(sheet: string, address: string): string {
  const name = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet) ? sheet : `'${sheet.replaceAll("'", "''")}'`;
  return `${name}!${address}`;
}

/** The range of a list's values on the Lists sheet, for a data validation: Lists!$A$2:$A$4. */
export function listRange(list: ListName, length: number): string {
  const letter = LIST_COLUMNS.find((column) => column.list === list)!.letter;
  return `${LISTS_SHEET}!$${letter}$2:$${letter}$${length + 1}`;
}
