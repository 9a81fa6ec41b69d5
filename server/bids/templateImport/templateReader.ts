/**
 * Reads a filled bid template into a bid's fields, remembering which cell each field came from so that every
 * problem, ours or the bid schema's, can be reported at its cell (Partners!F3) rather than as a JSON pointer.
 */
import type ExcelJS from 'exceljs';
import type { ErrorDetail } from '../../errors.ts';
import type { BidFields } from '../types.ts';
import {
  BID_FIELDS,
  BID_SHEET,
  CALL_REFERENCE,
  CHOICES,
  cellRef,
  TABLES,
  type Column,
  type FieldCell,
  type FixedList,
  type TableSheet,
} from '../templateLayout.ts';
import {
  contentOf,
  readChoice,
  readDate,
  readEvidence,
  readMoney,
  readPlaces,
  readText,
  readWhole,
  refusal,
  type CellContent,
  type Reading,
} from './templateCells.ts';

export interface TemplateContext {
  /** The reference of the bid's call, which the template's own must match. */
  callReference: string;
  /** The bid's uploaded files, which match-funding lines may name as their evidence. */
  files: { id: string; filename: string }[];
}

export interface TemplateReading {
  fields: BidFields;
  /** Problems found reading cells, each at its cell. */
  problems: ErrorDetail[];
  /** Where a JSON pointer into `fields` came from (Partners!F3, or a sheet's name for a whole list). */
  locate(pointer: string): string | undefined;
  /** What to tell a bid writer about a cell whose content breaks a pattern or format. */
  hintAt(ref: string): string | undefined;
}

interface Sources {
  cells: Map<string, string>;
  hints: Map<string, string>;
}

function read(
  content: CellContent,
  kind: Column['kind'],
  list: Column['list'],
  context: TemplateContext,
): Reading<unknown> {
  switch (kind) {
    case 'money':
      return readMoney(content);
    case 'whole':
      return readWhole(content);
    case 'date':
      return readDate(content);
    case 'places':
      return readPlaces(content);
    case 'evidence':
      return readEvidence(content, context.files);
    case 'choice':
      return readChoice(content, CHOICES[list as FixedList]);
    // a partner's name, made its id once every partner is read (templateImport.ts)
    case 'partner':
    case 'text':
      return readText(content);
  }
}

function setAt(target: Record<string, unknown>, pointer: string, value: unknown): void {
  const keys = pointer.split('/').slice(1);
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
}

function sameText(cell: ExcelJS.Cell, expected: string): boolean {
  const content = contentOf(cell);
  return content.type === 'text' && content.text.toLowerCase() === expected.toLowerCase();
}

const START_AGAIN = "start again from the call's template";

/** Reads the template; `problems` is empty when every cell could be read (the schema still has its say). */
export function readBidTemplate(workbook: ExcelJS.Workbook, context: TemplateContext): TemplateReading {
  const fields: Record<string, unknown> = {};
  const problems: ErrorDetail[] = [];
  const sources: Sources = { cells: new Map(), hints: new Map() };

  const readField = (sheet: ExcelJS.Worksheet, field: FieldCell): void => {
    const ref = cellRef(sheet.name, field.address);
    if (!sameText(sheet.getCell(field.labelAddress), field.label)) {
      problems.push({
        path: cellRef(sheet.name, field.labelAddress),
        message: `This cell should say "${field.label}"; ${START_AGAIN}`,
      });
      return;
    }
    sources.cells.set(field.pointer, ref);
    if (field.hint) sources.hints.set(ref, field.hint);
    const content = contentOf(sheet.getCell(field.address));
    if (content.type === 'blank') return;
    const reading = refusal(content, field.kind) ?? read(content, field.kind, undefined, context);
    if (typeof reading === 'string') problems.push({ path: ref, message: reading });
    else if ('problem' in reading) problems.push({ path: ref, message: reading.problem });
    else setAt(fields, field.pointer, reading.value);
  };

  const bid = workbook.getWorksheet(BID_SHEET);
  if (!bid) problems.push({ path: BID_SHEET, message: `The sheet "${BID_SHEET}" is missing; ${START_AGAIN}` });
  else {
    const reference = contentOf(bid.getCell(CALL_REFERENCE.address));
    if (reference.type === 'text' && reference.text !== context.callReference)
      problems.push({
        path: cellRef(BID_SHEET, CALL_REFERENCE.address),
        message:
          `This template is for call ${reference.text}, but the bid is on call ${context.callReference}; ` +
          `download this call's template`,
      });
    for (const field of BID_FIELDS) readField(bid, field);
  }

  for (const table of TABLES) {
    const sheet = workbook.getWorksheet(table.name);
    if (!sheet) {
      problems.push({ path: table.name, message: `The sheet "${table.name}" is missing; ${START_AGAIN}` });
      continue;
    }
    for (const field of table.fields) readField(sheet, field);
    readTable(sheet, table, context, fields, problems, sources);
  }

  return {
    fields: fields as BidFields,
    problems,
    locate: (pointer) => locate(sources, pointer),
    hintAt: (ref) => sources.hints.get(ref),
  };
}

function readTable(
  sheet: ExcelJS.Worksheet,
  table: TableSheet,
  context: TemplateContext,
  fields: Record<string, unknown>,
  problems: ErrorDetail[],
  sources: Sources,
): void {
  // a template handed out before an optional column was added has a blank heading there: read it without
  const columns = table.columns.filter(
    (column) => !column.optional || contentOf(sheet.getCell(`${column.letter}1`)).type !== 'blank',
  );
  const wrongHeaders = columns.filter((column) => !sameText(sheet.getCell(`${column.letter}1`), column.header));
  if (wrongHeaders.length > 0) {
    // the columns may have moved: reading on would put amounts and names into the wrong fields
    for (const column of wrongHeaders)
      problems.push({
        path: cellRef(sheet.name, `${column.letter}1`),
        message: `This heading should say "${column.header}"; ${START_AGAIN}`,
      });
    return;
  }
  for (const collection of table.routeBy ? Object.values(table.routeBy.collections) : [table.collection])
    sources.cells.set(collection, sheet.name);

  sheet.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    const contents = columns.map((column) => contentOf(row.getCell(column.letter)));
    if (contents.every((content) => content.type === 'blank')) return;

    const item: Record<string, unknown> = {};
    const refs = new Map<string, string>();
    columns.forEach((column, i) => {
      const ref = cellRef(sheet.name, `${column.letter}${rowNumber}`);
      refs.set(column.key, ref);
      if (column.hint) sources.hints.set(ref, column.hint);
      const content = contents[i];
      if (content.type === 'blank') return;
      const reading = refusal(content, column.kind) ?? read(content, column.kind, column.list, context);
      if (typeof reading === 'string') problems.push({ path: ref, message: reading });
      else if ('problem' in reading) problems.push({ path: ref, message: reading.problem });
      else item[column.key] = reading.value;
    });

    let collection = table.collection;
    if (table.routeBy) {
      const route = item[table.routeBy.key] as string | undefined;
      delete item[table.routeBy.key];
      if (route === undefined) {
        if (contents[columns.findIndex((column) => column.key === table.routeBy!.key)].type === 'blank')
          problems.push({
            path: refs.get(table.routeBy.key)!,
            message: `Choose one of: ${CHOICES.targetKinds.map((c) => c.label).join(', ')}`,
          });
        return;
      }
      collection = table.routeBy.collections[route];
    }
    const list = ((fields[collection.slice(1)] as unknown[] | undefined) ??= []);
    const pointer = `${collection}/${list.length}`;
    list.push(item);
    sources.cells.set(pointer, cellRef(sheet.name, `A${rowNumber}`));
    for (const [key, ref] of refs) sources.cells.set(`${pointer}/${key}`, ref);
  });
}

/** The nearest recorded source of a pointer: itself, else the closest field or list that contains it. */
function locate(sources: Sources, pointer: string): string | undefined {
  let current = pointer;
  while (current !== '') {
    const found = sources.cells.get(current);
    if (found) return found;
    current = current.slice(0, current.lastIndexOf('/'));
  }
  return undefined;
}
