/**
 * Writing tables into a streamed ExcelJS worksheet: a title block, a frozen header row, typed cells (money in
 * pounds formatted `£#,##0.00` from integer pence, percentages, scores, real dates), an autofilter and a totals
 * row of SUM formulas whose cached results are added up here in integer pence. Each row is committed as soon as
 * it is written, and the writer waits for the zip to take the sheet's XML in (see `zipBacklog`), so a sheet holds
 * little in memory beyond the row in hand.
 */
import { once, type EventEmitter } from 'node:events';
import ExcelJS from 'exceljs';
import { calendarDate, londonClockDate, londonDate } from '../shared/londonDates.ts';
import { safeText, TEXT_FORMAT } from './safeText.ts';

export type ColumnKind = 'text' | 'money' | 'percent' | 'score' | 'integer' | 'date' | 'dateTime';

export interface TableColumn {
  header: string;
  kind: ColumnKind;
  /** Width in characters; text longer than this wraps. Defaults by kind, never narrower than the header. */
  width?: number;
  /** Added up in the totals row (money and integer columns). */
  total?: boolean;
}

/**
 * A cell as the sheets give it: money as integer pence, percentages as fractions of 1, scores as numbers,
 * dates as YYYY-MM-DD or instants (shown in London time), text as it came; null or undefined leaves it empty.
 */
export type CellInput = string | number | Date | null | undefined;

export interface TitleBlock {
  /** Call reference and title. */
  heading: string;
  /** "Summary. Made on 6 March 2027 at 2:05pm (Europe/London)." */
  madeOn: string;
  /** One line on what the sheet holds. */
  about: string;
}

const MONEY_FORMAT = '£#,##0.00';
const PERCENT_FORMAT = '0.00%';
const SCORE_FORMAT = '0.00';
const INTEGER_FORMAT = '#,##0';
const DATE_FORMAT = 'dd/mm/yyyy';
const DATE_TIME_FORMAT = 'dd/mm/yyyy hh:mm';

/** The row of each sheet's first table header: the title block sits above it, and the panes freeze below it. */
const HEADER_ROW = 4;

const MAX_TEXT_WIDTH = 60;
const DEFAULT_WIDTH: Record<ColumnKind, number> = {
  text: 14,
  money: 16,
  percent: 10,
  score: 8,
  integer: 11,
  date: 12,
  dateTime: 17,
};
const NUMBER_FORMAT: Record<ColumnKind, string> = {
  text: TEXT_FORMAT,
  money: MONEY_FORMAT,
  percent: PERCENT_FORMAT,
  score: SCORE_FORMAT,
  integer: INTEGER_FORMAT,
  date: DATE_FORMAT,
  dateTime: DATE_TIME_FORMAT,
};

const THIN = { style: 'thin' as const, color: { argb: 'FF505A5F' } };
const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8E8E8' } },
  border: { bottom: THIN },
  alignment: { vertical: 'top', wrapText: true },
  numFmt: TEXT_FORMAT,
};
const TITLE_STYLE: Partial<ExcelJS.Style> = { font: { bold: true, size: 14 }, numFmt: TEXT_FORMAT };
const NOTE_STYLE: Partial<ExcelJS.Style> = { font: { italic: true, color: { argb: 'FF505A5F' } }, numFmt: TEXT_FORMAT };

function cellStyle(kind: ColumnKind, options: { wrap: boolean; bold: boolean }): Partial<ExcelJS.Style> {
  return {
    numFmt: NUMBER_FORMAT[kind],
    alignment: { vertical: 'top', ...(options.wrap ? { wrapText: true } : {}) },
    ...(options.bold ? { font: { bold: true }, border: { top: THIN } } : {}),
  };
}

/** A column's letter(s): 1 → A, 27 → AA. */
export function columnLetter(column: number): string {
  let n = column;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** A column's width: its own, else its kind's default, at least its header (with room for the filter button). */
export function columnWidth(column: TableColumn): number {
  // Headers wrap, but a word never breaks, and the filter button takes about two characters.
  const longestHeaderWord = Math.max(...column.header.split(/\s+/).map((w) => w.length));
  return Math.max(
    column.width ?? DEFAULT_WIDTH[column.kind],
    longestHeaderWord + 4,
    Math.min(column.header.length + 3, 24),
  );
}

/**
 * Widths that fit the given rows' text (longest line, capped so long text wraps instead). The rows are gone
 * through once, so they can be made as they are read instead of held.
 */
export function fitWidths(columns: TableColumn[], rows: Iterable<CellInput[]>): TableColumn[] {
  const longest = columns.map((column) => column.width ?? 0);
  for (const row of rows) {
    columns.forEach((column, i) => {
      const value = row[i];
      if (column.kind !== 'text' || typeof value !== 'string') return;
      for (const line of value.split('\n')) longest[i] = Math.max(longest[i], line.length + 2);
    });
  }
  return columns.map((column, i) =>
    column.kind === 'text'
      ? { ...column, width: Math.min(Math.max(longest[i], DEFAULT_WIDTH.text), MAX_TEXT_WIDTH) }
      : column,
  );
}

function cellValue(kind: ColumnKind, value: CellInput): ExcelJS.CellValue {
  if (value === null || value === undefined || value === '') return null;
  switch (kind) {
    case 'text':
      return String(value);
    case 'money':
      if (typeof value !== 'number' || !Number.isSafeInteger(value))
        throw new TypeError(`Money must be whole pence, got ${value}`);
      // Pounds only here: a double close enough to pence/100 for display; totals are added up in pence.
      return value / 100;
    case 'date':
      if (value instanceof Date) return calendarDate(londonDate(value));
      return typeof value === 'string' ? (calendarDate(value) ?? value) : value;
    case 'dateTime':
      return value instanceof Date ? londonClockDate(value) : value;
    default:
      return typeof value === 'number' ? value : String(value);
  }
}

/** One table on a sheet: its header row, its rows, and on `end` its totals row. */
export class TableWriter {
  readonly headerRow: number;
  private lastRow: number;
  private readonly sums: (number | null)[];
  private readonly styles: Partial<ExcelJS.Style>[];

  constructor(
    private readonly sheet: SheetWriter,
    readonly columns: TableColumn[],
  ) {
    this.headerRow = sheet.writeRow(
      columns.map((c) => c.header),
      () => HEADER_STYLE,
    );
    this.lastRow = this.headerRow;
    this.sums = columns.map((c) => (c.total ? 0 : null));
    this.styles = columns.map((c) => cellStyle(c.kind, { wrap: c.kind === 'text', bold: false }));
  }

  /** Writes one row, cell by cell in column order. */
  addRow(values: CellInput[]): void {
    this.sums.forEach((sum, i) => {
      const value = values[i];
      if (sum !== null && typeof value === 'number') this.sums[i] = sum + value;
    });
    this.lastRow = this.sheet.writeRow(
      this.columns.map((column, i) => cellValue(column.kind, values[i])),
      (i) => this.styles[i],
    );
  }

  /** How many data rows the table has. */
  get rowCount(): number {
    return this.lastRow - this.headerRow;
  }

  /** The table's range, header included, e.g. "A4:T40". */
  get range(): string {
    return `A${this.headerRow}:${columnLetter(this.columns.length)}${this.lastRow}`;
  }

  /**
   * Ends the table: a totals row of SUM formulas with cached results (when it has rows and total columns),
   * labelled in its first text column; the autofilter goes on the table unless told otherwise.
   */
  end(options: { autoFilter?: boolean; totalLabel?: string } = {}): void {
    if (options.autoFilter !== false) this.sheet.autoFilter = this.range;
    if (this.rowCount === 0 || this.sums.every((s) => s === null)) return;
    const labelAt = this.columns.findIndex((c, i) => c.kind === 'text' && this.sums[i] === null);
    const first = this.headerRow + 1;
    const last = this.lastRow;
    const cells: ExcelJS.CellValue[] = this.columns.map((column, i) => {
      if (i === labelAt) return options.totalLabel ?? 'Total';
      const sum = this.sums[i];
      if (sum === null) return null;
      const letter = columnLetter(i + 1);
      return { formula: `SUM(${letter}${first}:${letter}${last})`, result: column.kind === 'money' ? sum / 100 : sum };
    });
    this.sheet.writeRow(cells, (i) => cellStyle(this.columns[i].kind, { wrap: false, bold: true }));
  }
}

/**
 * The two ExcelJS internals that say how far behind its zip is. Its streaming writer hands each sheet's XML to the
 * zip entry's intake (a PassThrough the archiver puts in front of the deflater) without ever waiting: the sheet
 * stream ignores `write`'s answer. So XML written faster than zlib compresses it, or than the client downloads
 * the result, piles up in memory unless the writer asks: the intake's `needDrain` while the sheet is written (its
 * `_writableState`, as the readable-stream package has no `writableNeedDrain`), and the archive's `entry` event,
 * which says an entry is all in the zip, once it is committed.
 */
interface StreamingInternals {
  worksheet: {
    id: number;
    stream: { pipes: ZipIntake[]; write(xml: string): void };
    startedData: boolean;
    _writeColumns(): void;
    _writeOpenSheetData(): void;
  };
  workbook: {
    zip: EventEmitter;
    styles: { addStyleModel(style: Partial<ExcelJS.Style>, type: ExcelJS.ValueType): number };
  };
}

type ZipIntake = EventEmitter & { _writableState: { needDrain: boolean } };

const XML_SPECIAL = /[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/g;
const XML_ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };

/** Text as ExcelJS puts it in XML: the five specials escaped, the control characters XML cannot carry dropped. */
function xmlText(text: string): string {
  return text.replace(XML_SPECIAL, (c) => XML_ESCAPES[c] ?? '');
}

const DAY = 86_400_000;
/** Characters of rows' XML gathered before they go into the sheet stream. */
const FLUSH_AT = 64 * 1024;

/**
 * One cell's XML, exactly as ExcelJS's cell renderer writes it for the values the sheets hold: text as a string
 * cell (`t="str"`, not shared), numbers, dates as serial days since 1900 (the UTC fields, which carry London time
 * here), and formulas with a numeric cached result.
 */
function cellXml(address: string, value: NonNullable<ExcelJS.CellValue>, styleId: number): string {
  const s = styleId ? ` s="${styleId}"` : '';
  if (typeof value === 'string') return `<c r="${address}"${s} t="str"><v>${xmlText(value)}</v></c>`;
  if (typeof value === 'number') return `<c r="${address}"${s}><v>${value}</v></c>`;
  if (value instanceof Date) return `<c r="${address}"${s}><v>${25569 + value.getTime() / DAY}</v></c>`;
  if (
    typeof value === 'object' &&
    'formula' in value &&
    typeof value.formula === 'string' &&
    typeof value.result === 'number'
  )
    return `<c r="${address}"${s}><f>${xmlText(value.formula)}</f><v>${value.result}</v></c>`;
  throw new TypeError(`A sheet cell cannot hold ${JSON.stringify(value)}`);
}

/** The cell type ExcelJS registers a cell's style under. */
function valueType(value: NonNullable<ExcelJS.CellValue>): ExcelJS.ValueType {
  if (typeof value === 'string') return ExcelJS.ValueType.String;
  return value instanceof Date ? ExcelJS.ValueType.Date : ExcelJS.ValueType.Number;
}

/** Resolves once the zip has taken in the whole of the given sheet. */
function sheetZipped(workbook: ExcelJS.Workbook, sheetId: number): Promise<void> {
  const zip = (workbook as unknown as StreamingInternals['workbook']).zip;
  const name = `xl/worksheets/sheet${sheetId}.xml`;
  return new Promise((resolve, reject) => {
    const onEntry = (entry: { name: string }) => {
      if (entry.name !== name) return;
      zip.off('entry', onEntry).off('error', reject);
      resolve();
    };
    zip.on('entry', onEntry).once('error', reject);
  });
}

/** A streamed worksheet with a title block, written top to bottom. */
export class SheetWriter {
  private nextRow = 1;
  /** Rows' XML not yet handed to the sheet stream: it takes a few big strings faster than many small ones. */
  private pending = '';
  autoFilter: string | undefined;

  private constructor(
    private readonly workbook: ExcelJS.Workbook,
    private readonly worksheet: ExcelJS.Worksheet,
  ) {}

  /**
   * Adds a worksheet whose panes freeze below row HEADER_ROW (and right of `freezeColumns`), with one width per
   * column, and writes the title block in rows 1–3. Views and widths must be known before the first row.
   */
  static open(
    workbook: ExcelJS.Workbook,
    name: string,
    title: TitleBlock,
    widths: number[],
    options: { freezeColumns?: number } = {},
  ): SheetWriter {
    const xSplit = options.freezeColumns ?? 0;
    const worksheet = workbook.addWorksheet(name, {
      views: [
        {
          state: 'frozen',
          xSplit,
          ySplit: HEADER_ROW,
          topLeftCell: `${columnLetter(xSplit + 1)}${HEADER_ROW + 1}`,
          activeCell: `A${HEADER_ROW + 1}`,
        },
      ],
    });
    worksheet.columns = widths.map((width) => ({ width }));
    const writer = new SheetWriter(workbook, worksheet);
    writer.writeRow([title.heading], () => TITLE_STYLE);
    writer.writeRow([title.madeOn], () => NOTE_STYLE);
    writer.writeRow([title.about], () => NOTE_STYLE);
    return writer;
  }

  /** Starts a table at the next row (the first one lands on HEADER_ROW). */
  table(columns: TableColumn[]): TableWriter {
    return new TableWriter(this, columns);
  }

  /**
   * Writes a row straight into the sheet's stream; answers its number. Every string goes in as a string cell,
   * made safe first. The XML is what ExcelJS's own row and cell renderers write, byte for byte, made here without
   * the Row and Cell objects and the XML builder they go through, which cost more than everything else together;
   * the styles are ExcelJS's, registered in the same order.
   */
  writeRow(values: ExcelJS.CellValue[], style: (column: number) => Partial<ExcelJS.Style>): number {
    const number = this.nextRow;
    this.nextRow += 1;
    const sheet = this.worksheet as unknown as StreamingInternals['worksheet'];
    const { styles } = this.workbook as unknown as StreamingInternals['workbook'];
    let cells = '';
    let first = 0;
    let last = 0;
    values.forEach((raw, i) => {
      if (raw === null || raw === undefined) return;
      const value = typeof raw === 'string' ? safeText(raw) : raw;
      const column = i + 1;
      first ||= column;
      last = column;
      cells += cellXml(`${columnLetter(column)}${number}`, value, styles.addStyleModel(style(i), valueType(value)));
    });
    if (!sheet.startedData) {
      // What ExcelJS does before its first row: the column widths, then the opening of the sheet's data.
      sheet._writeColumns();
      sheet._writeOpenSheetData();
      sheet.startedData = true;
    }
    if (cells) this.pending += `<row r="${number}" spans="${first}:${last}" x14ac:dyDescent="0.25">${cells}</row>`;
    if (this.pending.length >= FLUSH_AT) this.flush();
    return number;
  }

  private flush(): void {
    if (!this.pending) return;
    (this.worksheet as unknown as StreamingInternals['worksheet']).stream.write(this.pending);
    this.pending = '';
  }

  /** Leaves a row empty. */
  skipRow(): void {
    this.nextRow += 1;
  }

  /**
   * Resolves once the zip has caught up with the rows written so far (at once when it has). It waits on the zip,
   * which itself waits on the client: the caller races it against the client going away.
   */
  async zipBacklog(): Promise<void> {
    this.flush();
    const { stream } = this.worksheet as unknown as StreamingInternals['worksheet'];
    for (const intake of stream.pipes) if (intake._writableState.needDrain) await once(intake, 'drain');
  }

  /**
   * Sets the autofilter and finishes the sheet; resolves once the zip has all of it, so the next sheet does not
   * wait in memory for its turn. Like `zipBacklog`, to be raced against the client going away.
   */
  commit(): Promise<void> {
    this.flush();
    if (this.autoFilter) this.worksheet.autoFilter = this.autoFilter;
    const zipped = sheetZipped(this.workbook, (this.worksheet as unknown as StreamingInternals['worksheet']).id);
    this.worksheet.commit();
    return zipped;
  }
}
