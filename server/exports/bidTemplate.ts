/**
 * The call-specific bid template an applicant fills offline: the call's facts, one sheet per part of a bid,
 * dropdowns from a hidden Lists sheet, money in pounds with pence. Optionally pre-filled from the applicant's
 * own draft, so a template can go out, be edited and come back.
 */
import ExcelJS from 'exceljs';
import type { Actor, AppContext } from '../context.ts';
import { attachmentsOf } from '../bids/repository.ts';
import type { BidFields } from '../bids/types.ts';
import { toCall } from '../calls/presenter.ts';
import { loadIndicators } from '../calls/repository.ts';
import { ownBid, readCall } from '../access/index.ts';
import type { Call, Indicator } from '../calls/types.ts';
import { NotFound } from '../errors.ts';
import {
  BID_FIELDS,
  BID_HEADERS,
  BID_SHEET,
  CALL_REFERENCE,
  CHOICES,
  DATE_FORMAT,
  INSTRUCTIONS_SHEET,
  LAST_ROW,
  LIST_COLUMNS,
  LISTS_SHEET,
  listRange,
  MONEY_FORMAT,
  TABLES,
  type CellKind,
  type FieldCell,
  type FixedList,
  type ListName,
} from '../bids/templateLayout.ts';
import { callIndicators, writeInstructions } from './templateInstructions.ts';
import { safeText, TEXT_FORMAT } from './safeText.ts';

export interface TemplateFile {
  filename: string;
  bytes: Buffer;
}

type UploadedFile = { id: string; filename: string };

/**
 * The call's bid template for an applicant or officer who may see the call; with bidId, pre-filled from that own draft.
 */
export async function bidTemplateFor(
  ctx: AppContext,
  actor: Actor,
  callId: string,
  bidId?: string,
): Promise<TemplateFile> {
  const { call: row } = await readCall(ctx, actor, callId);
  let draft: BidFields | undefined;
  let files: UploadedFile[] = [];
  if (bidId !== undefined) {
    const { bid } = await ownBid(ctx, actor, bidId);
    if (bid.callId !== row.id) throw new NotFound('Bid');
    draft = bid.draft;
    files = await attachmentsOf(ctx.knex, bid.id);
  }
  const call = toCall(row, ctx.clock.now());
  const workbook = buildBidTemplate(call, await loadIndicators(ctx.knex), draft, files);
  const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
  return { filename: `${call.reference.replace(/[^A-Za-z0-9_-]/g, '_')}-bid-template.xlsx`, bytes };
}

/** The template workbook for a call, optionally filled with a draft's fields. */
function buildBidTemplate(
  call: Call,
  catalogue: Indicator[],
  draft?: BidFields,
  files: UploadedFile[] = [],
): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Funding calls';
  workbook.title = `Bid template: ${call.reference}`;
  const indicators = callIndicators(call, catalogue);
  const lists: Record<ListName, string[]> = {
    priorities: call.priorities.map((p) => p.code),
    indicators: indicators.map((i) => i.code),
    gaps: call.gapCriteria.map((g) => g.code),
    ...(Object.fromEntries(
      Object.entries(CHOICES).map(([name, choices]) => [name, choices.map((c) => c.label)]),
    ) as Record<FixedList, string[]>),
  };

  writeInstructions(workbook.addWorksheet(INSTRUCTIONS_SHEET), call, indicators);
  writeBidSheet(workbook.addWorksheet(BID_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] }), call, draft, files);
  for (const table of TABLES) {
    const sheet = workbook.addWorksheet(table.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    table.columns.forEach((column) => {
      const excelColumn = sheet.getColumn(column.letter);
      excelColumn.width = column.width;
      const format = numberFormat(column.kind, column.keepAsTyped);
      if (format) excelColumn.numFmt = format;
      if (column.width >= 36) excelColumn.alignment = { wrapText: true, vertical: 'top' };
      if (column.list && lists[column.list].length > 0)
        addDropdown(sheet, `${column.letter}2:${column.letter}${LAST_ROW}`, column.list, lists[column.list]);
    });
    table.columns.forEach((column) => header(sheet.getCell(`${column.letter}1`), column.header));
    for (const field of table.fields) {
      sheet.getColumn(field.labelAddress.replace(/\d+/g, '')).width = 26;
      header(sheet.getCell(field.labelAddress), field.label);
      writeField(sheet, field, draft, files);
    }
    if (draft) writeLines(sheet, table.name, draft, files);
  }
  writeLists(workbook.addWorksheet(LISTS_SHEET, { state: 'hidden' }), lists);
  return workbook;
}

function header(cell: ExcelJS.Cell, text: string): void {
  cell.value = text;
  cell.font = { bold: true };
  cell.numFmt = 'General';
}

function numberFormat(kind: CellKind, keepAsTyped = false): string | undefined {
  if (kind === 'money') return MONEY_FORMAT;
  if (kind === 'date') return DATE_FORMAT;
  // not every text column: Excel shows a text-formatted cell of over 255 characters as ####
  if (keepAsTyped) return TEXT_FORMAT;
  return undefined;
}

function addDropdown(sheet: ExcelJS.Worksheet, range: string, list: ListName, values: string[]): void {
  // ExcelJS supports range validations at run time but leaves them out of its typings
  const validations = (
    sheet as unknown as { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } }
  ).dataValidations;
  validations.add(range, {
    type: 'list',
    allowBlank: true,
    formulae: [listRange(list, values.length)],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: 'Not in the list',
    error: `Choose one of: ${values.join(', ')}`,
  });
}

function writeBidSheet(
  sheet: ExcelJS.Worksheet,
  call: Call,
  draft: BidFields | undefined,
  files: UploadedFile[],
): void {
  sheet.columns = [{ width: 28 }, { width: 80 }, { width: 60 }];
  sheet.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  sheet.getColumn(3).alignment = { wrapText: true, vertical: 'top' };
  BID_HEADERS.forEach((text, i) => header(sheet.getRow(1).getCell(i + 1), text));
  sheet.getCell(CALL_REFERENCE.labelAddress).value = CALL_REFERENCE.label;
  sheet.getCell(CALL_REFERENCE.address).value = call.reference;
  sheet.getCell(CALL_REFERENCE.address.replace('B', 'C')).value = 'Leave as it is: the template belongs to this call.';
  for (const field of BID_FIELDS) {
    sheet.getCell(field.labelAddress).value = field.label;
    sheet.getCell(field.labelAddress.replace('A', 'C')).value = field.guidance;
    writeField(sheet, field, draft, files);
  }
}

function valueAt(fields: BidFields, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], fields);
}

/** A field's value as the cell shows it; text from the draft made fit for a cell (no characters XML cannot hold). */
function cellValue(
  kind: CellKind,
  list: ListName | undefined,
  value: unknown,
  files: UploadedFile[],
): ExcelJS.CellValue {
  const shown = shownValue(kind, list, value, files);
  return typeof shown === 'string' ? safeText(shown) : shown;
}

/** A field's value as the cell shows it: pounds, a date, a choice's label, a file's name. */
function shownValue(
  kind: CellKind,
  list: ListName | undefined,
  value: unknown,
  files: UploadedFile[],
): ExcelJS.CellValue {
  if (value === undefined || value === null) return null;
  switch (kind) {
    case 'money':
      // pence / 100 is the double nearest the decimal, which is what Excel stores for the typed amount
      return (value as number) / 100;
    case 'date':
      return new Date(`${value as string}T00:00:00Z`);
    case 'places':
      return (value as string[]).join('; ');
    case 'choice':
      return CHOICES[list as FixedList].find((choice) => choice.value === value)?.label ?? String(value);
    case 'evidence': {
      const file = files.find((f) => f.id === value);
      const unique = file && files.filter((f) => f.filename === file.filename).length === 1;
      return unique ? file.filename : String(value);
    }
    default:
      return value as ExcelJS.CellValue;
  }
}

function writeField(
  sheet: ExcelJS.Worksheet,
  field: FieldCell,
  draft: BidFields | undefined,
  files: UploadedFile[],
): void {
  const format = numberFormat(field.kind);
  if (format) sheet.getCell(field.address).numFmt = format;
  if (draft)
    sheet.getCell(field.address).value = cellValue(field.kind, undefined, valueAt(draft, field.pointer), files);
}

function writeLines(sheet: ExcelJS.Worksheet, tableName: string, draft: BidFields, files: UploadedFile[]): void {
  const table = TABLES.find((t) => t.name === tableName)!;
  const lines: Record<string, unknown>[] = table.routeBy
    ? Object.entries(table.routeBy.collections).flatMap(([route, collection]) =>
        ((valueAt(draft, collection) as Record<string, unknown>[] | undefined) ?? []).map((item) => ({
          ...item,
          [table.routeBy!.key]: route,
        })),
      )
    : ((valueAt(draft, table.collection) as Record<string, unknown>[] | undefined) ?? []);
  // A line names its partner by id; the sheet, by the name on the Partners sheet.
  const partnerNames = new Map((draft.partners ?? []).map((partner) => [partner.id, partner.name]));
  lines.slice(0, LAST_ROW - 1).forEach((line, i) => {
    for (const column of table.columns) {
      const value =
        column.kind === 'partner'
          ? (partnerNames.get(line[column.key] as string) ?? line[column.key])
          : line[column.key];
      sheet.getCell(`${column.letter}${i + 2}`).value = cellValue(column.kind, column.list, value, files);
    }
  });
}

function writeLists(sheet: ExcelJS.Worksheet, lists: Record<ListName, string[]>): void {
  for (const { list, letter, header: title } of LIST_COLUMNS) {
    sheet.getColumn(letter).width = 20;
    header(sheet.getCell(`${letter}1`), title);
    lists[list].forEach((value, i) => {
      const cell = sheet.getCell(`${letter}${i + 2}`);
      cell.numFmt = TEXT_FORMAT;
      cell.value = value;
    });
  }
}
