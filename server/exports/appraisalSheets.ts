/**
 * The sheets of the appraisal workbook (DESIGN.md, Exports). Most come from the call's appraisal, which the
 * ranking needs whole anyway and which already holds every bid's newest version and fields: Summary and Funding
 * plan in rank order, Gateway, Indicators, Match funding and Partners in reference order. Scores and Audit, the
 * two long sheets, stream their rows from the database as they are written, as nothing else needs them.
 */
import type ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { formatPounds } from '../shared/money.ts';
import type { CallRow } from '../models/calls.ts';
import type { AppraisedBid, CallAppraisal } from '../appraisal/summary.ts';
import type { BidRow } from '../models/bids.ts';
import { otherBidsOfRows } from '../bids/overlaps.ts';
import type { Recommendation } from '../appraisal/plan/types.ts';
import { fraction, roundFraction, type Fraction } from '../appraisal/fractions.ts';
import type { Decision } from '../appraisal/repository.ts';
import type { Clarification } from '../bids/clarificationRepository.ts';
import { clarificationStatus } from '../bids/clarificationRules.ts';
import { auditEventsOf, scoreRowsOf, type ExportAuditEvent, type ExportScoreRow } from './exportQueries.ts';
import {
  columnWidth,
  fitWidths,
  SheetWriter,
  type CellInput,
  type TableColumn,
  type TitleBlock,
} from './workbookSheets.ts';

/** An appraised bid as the workbook keeps it: of the bid row, only what the sheets show (not its draft). */
export type WorkbookBid = Omit<AppraisedBid, 'bid'> & { bid: Pick<BidRow, 'id' | 'reference'> };

/** The call's appraisal as the workbook keeps it. */
export type WorkbookAppraisal = Omit<CallAppraisal, 'bids'> & { bids: WorkbookBid[] };

export interface WorkbookInput {
  workbook: ExcelJS.Workbook;
  db: Knex;
  call: CallRow;
  /** The appraisal's bids in rank order. */
  appraisal: WorkbookAppraisal;
  /** The same bids in reference order, as the detail sheets list them. */
  byReference: WorkbookBid[];
  /** The title block of a sheet, by its name. */
  title(sheet: string, about: string): TitleBlock;
  /** Called every few hundred rows: waits while the zip or the client is behind, throws once the client has gone. */
  pause(sheet: SheetWriter): Promise<void>;
  /** Commits a sheet and waits until the zip has all of it; throws once the client has gone. */
  commit(sheet: SheetWriter): Promise<void>;
  /** Indicator titles by code. */
  indicatorTitles: Map<string, string>;
  /** Each bid's clarifications, oldest first, by bid id. */
  clarifications: Map<string, Clarification[]>;
  /** The instant the workbook is made: a clarification still awaiting its answer is open or lapsed by it. */
  madeAt: Date;
}

interface Criterion {
  code: string;
  title: string;
  weight: number;
}

const RECOMMENDATION: Record<Recommendation, string> = {
  recommended: 'Recommended',
  reserve: 'Reserve',
  'not-fundable': 'Not fundable',
};
const DECISION: Record<Decision['decision'], string> = {
  approved: 'Approved',
  approved_with_conditions: 'Approved with conditions',
  rejected: 'Rejected',
};
/** Rows written between pauses for the zip and the client: a few hundred kilobytes of XML. */
const ROWS_PER_PAUSE = 500;
const REFERENCE: TableColumn = { header: 'Reference', kind: 'text', width: 18 };
const TITLE: TableColumn = { header: 'Title', kind: 'text', width: 40 };

function criteriaOf(call: CallRow): Criterion[] {
  return [...(call.appraisalCriteria ?? []), ...(call.gapCriteria ?? [])].map(({ code, title, weight }) => ({
    code,
    title,
    weight,
  }));
}

function ratio(value: Fraction | null, scale = 1): number | null {
  return value === null ? null : value.numerator / (value.denominator * scale);
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).replaceAll('_', ' ');
}

function thresholdText(b: WorkbookBid): string {
  if (b.weighted === null) return 'Not scored';
  return b.thresholds.meets ? 'Met' : `Not met: ${b.thresholds.failed.map((f) => f.criterion).join(', ')}`;
}

/** A bid's clarifications in a few words: how many, where each stands, the version each answer made. */
function clarificationsText(clarifications: Clarification[], at: Date): string | null {
  if (clarifications.length === 0) return null;
  return clarifications
    .map((c) => {
      const status = clarificationStatus(c, at);
      return status === 'answered' ? `Answered: version ${c.answeredVersion}` : capitalised(status);
    })
    .join('; ');
}

/** Each item mapped as it is taken, none held. */
function* mapped<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}

/** Summary: one row per submitted bid in rank order, with totals. */
export async function writeSummary(input: WorkbookInput): Promise<void> {
  const criteria = criteriaOf(input.call);
  const columns: TableColumn[] = [
    { header: 'Rank', kind: 'integer', width: 7 },
    REFERENCE,
    { ...TITLE, width: undefined },
    { header: 'Lead partner', kind: 'text' },
    { header: 'Partners', kind: 'text' },
    { header: 'Priorities', kind: 'text' },
    { header: 'ESF', kind: 'money', total: true },
    { header: 'Match', kind: 'money', total: true },
    { header: 'Total eligible cost', kind: 'money', total: true },
    { header: 'ESF rate', kind: 'percent' },
    { header: 'Participants', kind: 'integer', total: true },
    { header: 'ESF per participant', kind: 'money' },
    { header: 'Gateway', kind: 'text' },
    ...criteria.map((c): TableColumn => ({ header: c.code, kind: 'score' })),
    { header: 'Weighted score', kind: 'percent' },
    { header: 'Quality threshold', kind: 'text' },
    { header: 'Recommendation', kind: 'text' },
    { header: 'Decision', kind: 'text' },
    { header: 'Conditions or reason', kind: 'text' },
    { header: 'Decided', kind: 'dateTime' },
    { header: 'Submitted', kind: 'dateTime' },
    { header: 'Appraised version', kind: 'integer' },
    { header: 'Clarifications', kind: 'text' },
  ];
  const rowOf = (b: WorkbookBid): CellInput[] => {
    const partners = b.fields.partners ?? [];
    const finals = new Map(b.final.map((f) => [f.criterion, f.score]));
    const failedChecks = b.version.gateway.filter((c) => !c.passed).map((c) => c.code);
    return [
      b.rank,
      b.bid.reference,
      b.fields.title,
      partners.find((p) => p.role === 'lead')?.name,
      partners.map((p) => p.name).join('; '),
      (b.fields.priorities ?? []).map((p) => `${p.code}: ${formatPounds(p.esfPence)}`).join('; '),
      b.version.esfPence,
      b.version.matchPence,
      b.version.totalEligibleCostPence,
      b.version.totalEligibleCostPence > 0 ? b.version.esfPence / b.version.totalEligibleCostPence : null,
      b.version.participants,
      b.valueForMoney.esfPerParticipant.pence,
      b.gatewayPassed ? 'Passed' : `Failed: ${failedChecks.join(', ')}`,
      ...criteria.map((c) => ratio(finals.get(c.code) ?? null)),
      ratio(b.weighted, 100),
      thresholdText(b),
      RECOMMENDATION[b.recommendation],
      b.decision ? DECISION[b.decision.decision] : 'Not decided',
      b.decision ? (b.decision.conditions ?? b.decision.reason) : null,
      b.decision?.decidedAt,
      b.version.submittedAt,
      b.version.version,
      clarificationsText(input.clarifications.get(b.bid.id) ?? [], input.madeAt),
    ];
  };
  // Each row is made twice, once to fit the widths (known before the first row) and once to write, so that no
  // sheet's worth of rows is held: held, they outlived the young generation and went to V8's old space.
  const fitted = fitWidths(columns, mapped(input.appraisal.bids, rowOf));
  const sheet = SheetWriter.open(
    input.workbook,
    'Summary',
    input.title(
      'Summary',
      'One row per submitted bid, in rank order. Scores are final (moderated, else the mean of the appraisers).',
    ),
    fitted.map(columnWidth),
    { freezeColumns: 2 },
  );
  const table = sheet.table(fitted);
  for (const b of input.appraisal.bids) {
    table.addRow(rowOf(b));
    if (table.rowCount % ROWS_PER_PAUSE === 0) await input.pause(sheet);
  }
  table.end();
  await input.commit(sheet);
}

/** Opens a sheet with one table whose rows come bid by bid, in reference order. */
function detailSheet(
  input: WorkbookInput,
  name: string,
  about: string,
  columns: TableColumn[],
  rowsOf: (bid: WorkbookBid) => CellInput[][],
): Promise<void> {
  return streamedSheet(input, name, about, columns, flatMapped(input.byReference, rowsOf), (row) => row);
}

/** Each item's rows as they are taken, none held. */
function* flatMapped<T, U>(items: Iterable<T>, f: (item: T) => U[]): Generator<U> {
  for (const item of items) yield* f(item);
}

/** Gateway: each bid's checks, passed or failed, with what was found, then its flags. */
export function writeGateway(input: WorkbookInput): Promise<void> {
  const columns: TableColumn[] = [
    REFERENCE,
    TITLE,
    { header: 'Check', kind: 'text', width: 18 },
    { header: 'Result', kind: 'text', width: 10 },
    { header: 'Message', kind: 'text', width: 60 },
  ];
  return detailSheet(
    input,
    'Gateway',
    'Every gateway check of every submitted bid, then any flags (such as pending match funding).',
    columns,
    (b) => [
      ...b.version.gateway.map((c) => [
        b.bid.reference,
        b.fields.title,
        c.code,
        c.passed ? 'Passed' : 'Failed',
        c.message,
      ]),
      ...b.version.flags.map((f) => [b.bid.reference, b.fields.title, f.code, 'Flag', f.message]),
    ],
  );
}

/** Clarifications: each question asked of a bid after the deadline, with its sections, answer and version. */
export function writeClarifications(input: WorkbookInput): Promise<void> {
  const columns: TableColumn[] = [
    REFERENCE,
    TITLE,
    { header: 'Question', kind: 'text', width: 50 },
    { header: 'Sections', kind: 'text', width: 24 },
    { header: 'Asked', kind: 'dateTime' },
    { header: 'Reply by', kind: 'dateTime' },
    { header: 'Status', kind: 'text', width: 10 },
    { header: 'Answer', kind: 'text', width: 50 },
    { header: 'Answered', kind: 'dateTime' },
    { header: 'Asked on version', kind: 'integer' },
    { header: 'Answer version', kind: 'integer' },
  ];
  return detailSheet(
    input,
    'Clarifications',
    'Every clarification asked of a submitted bid after the deadline; an answer is a version of the bid.',
    columns,
    (b) =>
      (input.clarifications.get(b.bid.id) ?? []).map((c) => [
        b.bid.reference,
        b.fields.title,
        c.question,
        c.sections.join(', '),
        c.raisedAt,
        c.respondBy,
        capitalised(clarificationStatus(c, input.madeAt)),
        c.answer,
        c.answeredAt,
        c.askedOnVersion,
        c.answeredVersion,
      ]),
  );
}

/** The Scores sheet's rows, from the database in the sheet's order. */
export function scoreRowsFor(input: Pick<WorkbookInput, 'db' | 'call'>): AsyncIterable<ExportScoreRow> {
  return scoreRowsOf(
    input.db,
    input.call.id,
    criteriaOf(input.call).map((c) => c.code),
  );
}

/** The Audit sheet's rows, from the database in the sheet's order. */
export function auditRowsFor(input: Pick<WorkbookInput, 'db' | 'call'>): AsyncIterable<ExportAuditEvent> {
  return auditEventsOf(input.db, input.call.id);
}

/**
 * Scores: each appraiser's submitted score per bid and criterion, with comments, and the moderated scores. The
 * rows come from the database in the sheet's order (`rows`, when the caller started them early).
 */
export async function writeScores(input: WorkbookInput, rows = scoreRowsFor(input)): Promise<void> {
  const criteria = criteriaOf(input.call);
  const columns: TableColumn[] = [
    REFERENCE,
    TITLE,
    { header: 'Criterion', kind: 'text', width: 13 },
    { header: 'Criterion title', kind: 'text', width: 34 },
    { header: 'Weight', kind: 'integer', width: 9 },
    { header: 'Score type', kind: 'text', width: 12 },
    { header: 'Appraiser', kind: 'text', width: 24 },
    { header: 'Score', kind: 'score' },
    { header: 'Comment or rationale', kind: 'text', width: 60 },
    { header: 'Scored', kind: 'dateTime' },
  ];
  const about =
    "Each appraiser's submitted scores, criterion by criterion, with the panel chair's moderated scores after them.";
  const bidsById = new Map(input.byReference.map((b) => [b.bid.id, b]));
  const criterionBy = new Map(criteria.map((c) => [c.code, c]));
  // The rows come a batch at a time: with their comments they are the largest part of the workbook, and no other
  // sheet needs them.
  await streamedSheet(input, 'Scores', about, columns, rows, (r) => {
    const b = bidsById.get(r.bidId)!;
    const c = criterionBy.get(r.criterion)!;
    const at = r.moderated ? r.moderatedAt : b.sheets.find((s) => s.appraiserId === r.personId)?.submittedAt;
    return [
      b.bid.reference,
      b.fields.title,
      c.code,
      c.title,
      c.weight,
      r.moderated ? 'Moderated' : 'Appraiser',
      r.name,
      r.score,
      r.text,
      at,
    ];
  });
}

/**
 * Writes a sheet with one table whose rows come one by one (from the database, or made as taken), pausing for the zip
 * and the client.
 */
async function streamedSheet<T>(
  input: WorkbookInput,
  name: string,
  about: string,
  columns: TableColumn[],
  rows: AsyncIterable<T> | Iterable<T>,
  cellsOf: (row: T) => CellInput[],
): Promise<void> {
  const sheet = SheetWriter.open(input.workbook, name, input.title(name, about), columns.map(columnWidth));
  const table = sheet.table(columns);
  for await (const row of rows) {
    table.addRow(cellsOf(row));
    if (table.rowCount % ROWS_PER_PAUSE === 0) await input.pause(sheet);
  }
  table.end();
  await input.commit(sheet);
}

/** Indicators: each bid's participant and result targets, with ESF per unit. */
export function writeIndicators(input: WorkbookInput): Promise<void> {
  const columns: TableColumn[] = [
    REFERENCE,
    TITLE,
    { header: 'Kind', kind: 'text', width: 12 },
    { header: 'Indicator', kind: 'text', width: 14 },
    { header: 'Indicator title', kind: 'text', width: 50 },
    { header: 'Target', kind: 'integer' },
    { header: 'ESF per unit', kind: 'money' },
  ];
  const perUnit = (esfPence: number, target: number) => (target > 0 ? roundFraction(fraction(esfPence, target)) : null);
  return detailSheet(
    input,
    'Indicators',
    "Each bid's participant (output) and result targets; ESF per unit is the bid's ESF over the target.",
    columns,
    (b) =>
      (
        [
          ['Participant', b.fields.outputTargets ?? []],
          ['Result', b.fields.resultTargets ?? []],
        ] as const
      ).flatMap(([kind, targets]) =>
        targets.map((t) => [
          b.bid.reference,
          b.fields.title,
          kind,
          t.indicator,
          input.indicatorTitles.get(t.indicator),
          t.target,
          perUnit(b.version.esfPence, t.target),
        ]),
      ),
  );
}

/** Match funding: each bid's declared match, with totals. */
export function writeMatchFunding(input: WorkbookInput): Promise<void> {
  const columns: TableColumn[] = [
    REFERENCE,
    TITLE,
    { header: 'Match funder', kind: 'text', width: 34 },
    { header: 'Sector', kind: 'text', width: 10 },
    { header: 'Kind', kind: 'text', width: 10 },
    { header: 'Status', kind: 'text', width: 10 },
    { header: 'Amount', kind: 'money', total: true },
    { header: 'Evidence', kind: 'text', width: 12 },
  ];
  return detailSheet(
    input,
    'Match funding',
    "Each bid's declared match funding; pending match is not secured yet.",
    columns,
    (b) =>
      (b.fields.matchFunding ?? []).map((m) => [
        b.bid.reference,
        b.fields.title,
        m.funder,
        capitalised(m.sector),
        m.kind === 'in_kind' ? 'In kind' : 'Cash',
        capitalised(m.status),
        m.amountPence,
        m.evidenceAttachmentId ? 'Attached' : 'None',
      ]),
  );
}

/** Partners: each bid's partnership with each partner's ESF and match, with totals. */
export function writePartners(input: WorkbookInput): Promise<void> {
  const columns: TableColumn[] = [
    REFERENCE,
    TITLE,
    { header: 'Partner', kind: 'text', width: 34 },
    { header: 'Type', kind: 'text', width: 11 },
    { header: 'Role', kind: 'text', width: 10 },
    { header: 'Charity number', kind: 'text', width: 12 },
    { header: 'Company number', kind: 'text', width: 12 },
    { header: 'ESF', kind: 'money', total: true },
    { header: 'Match', kind: 'money', total: true },
    { header: 'Also in bids', kind: 'text', width: 30 },
  ];
  // Capacity and overlap: the same organisation (by number, else by name) in other bids of the call.
  const alsoIn = otherBidsOfRows(
    input.byReference.map((b) => ({ bidId: b.bid.id, reference: b.bid.reference, partners: b.fields.partners ?? [] })),
  );
  return detailSheet(
    input,
    'Partners',
    "Each bid's partners: exactly one lead, the rest delivery partners; and the other bids each also appears in.",
    columns,
    (b) =>
      (b.fields.partners ?? []).map((p, i) => [
        b.bid.reference,
        b.fields.title,
        p.name,
        p.type === 'vcs' ? 'VCS' : capitalised(p.type),
        capitalised(p.role),
        p.charityNumber,
        p.companyNumber,
        p.esfPence,
        p.matchPence,
        (alsoIn.get(`${b.bid.id}/${i}`) ?? []).join('; ') || undefined,
      ]),
  );
}

/**
 * Funding plan: per priority the allocation, funded and remaining under the greedy and optimal plans, then which bids
 * each funds.
 */
export async function writeFundingPlan(input: WorkbookInput): Promise<void> {
  const { greedy, optimal, difference } = input.appraisal;
  const priorities: TableColumn[] = [
    { header: 'Priority', kind: 'text', width: 9 },
    { header: 'Title', kind: 'text', width: 40 },
    { header: 'Allocation', kind: 'money', total: true },
    { header: 'Greedy: recommended', kind: 'money', total: true },
    { header: 'Greedy: remaining', kind: 'money', total: true },
    { header: 'Optimal: funded', kind: 'money', total: true },
    { header: 'Optimal: remaining', kind: 'money', total: true },
  ];
  const plans: TableColumn[] = [
    { header: 'Plan', kind: 'text' },
    { header: 'Basis', kind: 'text' },
    { header: 'Bids funded', kind: 'integer' },
    { header: 'Total weighted score', kind: 'score' },
    { header: 'Participants', kind: 'integer' },
    { header: 'Unspent', kind: 'money' },
    { header: 'Proven optimal', kind: 'text' },
    { header: 'Gap', kind: 'percent' },
  ];
  const bids: TableColumn[] = [
    { header: 'Rank', kind: 'integer' },
    REFERENCE,
    TITLE,
    { header: 'Weighted score', kind: 'percent' },
    { header: 'ESF', kind: 'money' },
    { header: 'Participants', kind: 'integer' },
    { header: 'Greedy plan', kind: 'text' },
    { header: 'Optimal plan', kind: 'text' },
    { header: 'Decision', kind: 'text' },
  ];
  const widths = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) =>
    Math.max(...[priorities[i], plans[i], bids[i]].filter(Boolean).map((c) => columnWidth(c!))),
  );
  const sheet = SheetWriter.open(
    input.workbook,
    'Funding plan',
    input.title(
      'Funding plan',
      'Greedy: in rank order, a bid is recommended if every priority it spans has room. Optimal: the set that ' +
        'maximises the objective within every allocation.',
    ),
    widths,
  );

  const byPriority = (plan: typeof greedy, code: string) => plan.priorities.find((p) => p.code === code);
  const table = sheet.table(priorities);
  for (const p of input.call.priorities ?? []) {
    const g = byPriority(greedy, p.code);
    const o = byPriority(optimal, p.code);
    table.addRow([
      p.code,
      p.title,
      p.allocationPence,
      g?.fundedPence,
      g?.remainingPence,
      o?.fundedPence,
      o?.remainingPence,
    ]);
  }
  table.end({ autoFilter: false });

  sheet.skipRow();
  const facts = sheet.table(plans);
  facts.addRow([
    'Greedy',
    'Rank order',
    greedy.bidIds.length,
    greedy.totalWeightedScore,
    greedy.totalParticipants,
    difference.unspentPenceGreedy,
    null,
    null,
  ]);
  facts.addRow([
    'Optimal',
    optimal.objective === 'participants' ? 'Most participants' : 'Highest total weighted score',
    optimal.bidIds.length,
    optimal.totalWeightedScore,
    optimal.totalParticipants,
    difference.unspentPenceOptimal,
    optimal.provenOptimal ? 'Yes' : 'No',
    optimal.gapPercent === null ? null : optimal.gapPercent / 100,
  ]);
  facts.end({ autoFilter: false });

  sheet.skipRow();
  const inGreedy = new Set(greedy.bidIds);
  const inOptimal = new Set(optimal.bidIds);
  // A sheet has one autofilter: it goes on this table, the one long enough to need it.
  const list = sheet.table(bids);
  for (const b of input.appraisal.bids.filter((x) => x.rank !== null)) {
    list.addRow([
      b.rank,
      b.bid.reference,
      b.fields.title,
      ratio(b.weighted, 100),
      b.version.esfPence,
      b.version.participants,
      inGreedy.has(b.bid.id) ? 'Recommended' : 'Reserve',
      inOptimal.has(b.bid.id) ? 'Funded' : 'Not funded',
      b.decision ? DECISION[b.decision.decision] : 'Not decided',
    ]);
  }
  list.end();
  await input.commit(sheet);
}

// Excel holds at most 32,767 characters in a cell; a draft's whole text can be longer.
const CELL_LIMIT = 32_000;

function eventState(value: unknown, bidId: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = JSON.stringify(value);
  return text.length <= CELL_LIMIT
    ? text
    : `${text.slice(0, CELL_LIMIT)}… (cut short: the whole event is at /api/v1/bids/${bidId}/audit)`;
}

/**
 * Audit: every event of every submitted bid, each bid's trail together in reference order and oldest first, with
 * who did it and the state before and after; the rows as for writeScores.
 */
export async function writeAudit(input: WorkbookInput, rows = auditRowsFor(input)): Promise<void> {
  const columns: TableColumn[] = [
    REFERENCE,
    TITLE,
    { header: 'When', kind: 'dateTime' },
    { header: 'Who', kind: 'text', width: 24 },
    { header: 'Role', kind: 'text', width: 11 },
    { header: 'What', kind: 'text', width: 20 },
    { header: 'Before', kind: 'text', width: 50 },
    { header: 'After', kind: 'text', width: 50 },
  ];
  const about =
    'Every recorded change to each submitted bid, its scores and its decision: append-only, bid by bid, oldest first.';
  const bidsById = new Map(input.byReference.map((b) => [b.bid.id, b]));
  await streamedSheet(input, 'Audit', about, columns, rows, (e) => {
    const b = bidsById.get(e.bidId)!;
    const [before, after] =
      e.draftChange === null ? [eventState(e.before, e.bidId), eventState(e.after, e.bidId)] : ['', e.draftChange];
    return [b.bid.reference, b.fields.title, e.occurredAt, e.actorName, e.actorRole, e.action, before, after];
  });
}
