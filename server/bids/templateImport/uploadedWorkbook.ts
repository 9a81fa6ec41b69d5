/**
 * Opening a workbook someone uploaded. ExcelJS trusts its input: it unpacks every part whole and expands ranges
 * cell by cell (a data validation or defined name over A1:XFD1048576, a column span in the billions), so a small
 * file can take all memory or hang the process. Here the zip is checked from its central directory, each part
 * is unpacked with a hard cap at its declared size (zipArchive.ts, through yauzl), only the parts a reader needs
 * are kept (the workbook, its relationships, styles, shared strings and each sheet's cell data, nothing around
 * it), sheets are held to a row and cell budget, and only then does ExcelJS read the result.
 */
import ExcelJS from 'exceljs';
import { TooLarge, UnsupportedType, Validation, type ErrorDetail } from '../../errors.ts';
import { LAST_ROW } from '../templateLayout.ts';
import { openZip, writeStoredZip, ZipFormatError, type ZipArchive, type ZipEntry } from './zipArchive.ts';

export interface WorkbookLimits {
  /** Everything the archive declares, unpacked. */
  maxUnpackedBytes: number;
  /** Unpacked to packed, for any part big enough to matter. */
  maxCompressionRatio: number;
  maxEntries: number;
  maxRowsPerSheet: number;
  maxCellsPerSheet: number;
}

const MB = 1024 * 1024;

const DEFAULT_LIMITS: WorkbookLimits = {
  maxUnpackedBytes: 50 * MB,
  maxCompressionRatio: 100,
  maxEntries: 1000,
  maxRowsPerSheet: LAST_ROW,
  maxCellsPerSheet: 50_000,
};

// Below this a part's compression ratio says nothing: a few kilobytes of repeated XML compress very well.
const RATIO_APPLIES_FROM_BYTES = MB;
// Excel's own last column, XFD
const MAX_COLUMN = 16_384;

const NOT_A_WORKBOOK =
  'Upload the bid template as an Excel workbook (.xlsx); this file is not one. If the workbook has a password, remove it first.';
const UNREADABLE = 'The workbook could not be read; open it in Excel, save it as an .xlsx workbook and upload it again';

function unreadable(): Validation {
  return new Validation(UNREADABLE, [{ path: '/file', message: UNREADABLE }]);
}

/** Opens an uploaded .xlsx only after checking it cannot exhaust memory or time; every refusal is a 4xx. */
export async function openUploadedWorkbook(
  bytes: Buffer,
  limits: WorkbookLimits = DEFAULT_LIMITS,
): Promise<ExcelJS.Workbook> {
  let zip: ZipArchive;
  try {
    zip = await openZip(bytes, limits.maxEntries);
  } catch (error) {
    if (error instanceof ZipFormatError) throw new UnsupportedType(NOT_A_WORKBOOK);
    throw error;
  }
  const entries = zip.entries;
  refuseBombs(entries, limits);

  const byName = new Map<string, ZipEntry>();
  for (const entry of entries) if (!byName.has(entry.name)) byName.set(entry.name, entry);
  const text = async (name: string): Promise<string | undefined> => {
    const entry = byName.get(name);
    if (!entry) return undefined;
    try {
      return (await zip.read(entry)).toString('utf8');
    } catch (error) {
      if (error instanceof ZipFormatError) throw unreadable();
      throw error;
    }
  };

  const workbookXml = await text('xl/workbook.xml');
  const relationshipsXml = await text('xl/_rels/workbook.xml.rels');
  if (workbookXml === undefined || relationshipsXml === undefined) throw new UnsupportedType(NOT_A_WORKBOOK);
  const sheetNames = sheetNamesByPart(workbookXml, relationshipsXml);

  const parts: { name: string; data: Buffer }[] = [
    { name: 'xl/workbook.xml', data: Buffer.from(withoutDefinedNames(workbookXml)) },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(relationshipsXml) },
  ];
  for (const name of ['xl/styles.xml', 'xl/sharedStrings.xml']) {
    const content = await text(name);
    if (content !== undefined) parts.push({ name, data: Buffer.from(content) });
  }
  const problems: ErrorDetail[] = [];
  // the parts ExcelJS would read as worksheets
  for (const name of byName.keys()) {
    if (!/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) continue;
    const sheetData = cellDataOf((await text(name))!);
    const problem = overBudget(sheetData, limits);
    if (problem) problems.push({ path: sheetNames.get(name) ?? name, message: problem });
    else parts.push({ name, data: Buffer.from(worksheetXml(sheetData)) });
  }
  if (problems.length > 0) throw new Validation('The workbook is too big to be a bid template', problems);

  const workbook = new ExcelJS.Workbook();
  try {
    // ExcelJS types its input as an ArrayBuffer; it reads a Node Buffer
    await workbook.xlsx.load((await writeStoredZip(parts)) as unknown as ArrayBuffer);
  } catch {
    throw unreadable();
  }
  return workbook;
}

function refuseBombs(entries: ZipEntry[], limits: WorkbookLimits): void {
  const unpacked = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (unpacked > limits.maxUnpackedBytes)
    throw new TooLarge(
      `The workbook unpacks to more than ${limits.maxUnpackedBytes / MB} MB; a bid template is far smaller`,
    );
  for (const entry of entries) {
    if (
      entry.uncompressedSize >= RATIO_APPLIES_FROM_BYTES &&
      entry.uncompressedSize > limits.maxCompressionRatio * Math.max(entry.compressedSize, 1)
    )
      throw new TooLarge(
        `A part of the workbook unpacks to more than ${limits.maxCompressionRatio} times its size; it is not a bid template`,
      );
  }
}

// Every pattern here runs over text an attacker wrote, so each is linear: a name is tried only from its first
// character, and no tag match runs past the next '<' (which XML allows in neither a tag nor a value).
const ATTRIBUTE = /(?<![\w:.-])([\w:.-]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/g;

function attributesOf(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of tag.matchAll(ATTRIBUTE)) attributes.set(match[1], unescapeXml(match[2] ?? match[3]));
  return attributes;
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (entity, name: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
    if (named[name.toLowerCase()]) return named[name.toLowerCase()];
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}

/** Which sheet name each worksheet part carries, so a problem names the sheet people see. */
function sheetNamesByPart(workbookXml: string, relationshipsXml: string): Map<string, string> {
  const targets = new Map<string, string>();
  for (const [tag] of relationshipsXml.matchAll(/<Relationship\b[^<>]*>/g)) {
    const attributes = attributesOf(tag);
    const id = attributes.get('Id');
    const target = attributes.get('Target');
    // the same reading of a target as ExcelJS's: relative to xl/, or absolute from the package root
    if (id && target) targets.set(id, `xl/${target.replace(/^(\s|\/xl\/)+/, '')}`);
  }
  const names = new Map<string, string>();
  for (const [tag] of workbookXml.matchAll(/<sheet\b[^<>]*>/g)) {
    const attributes = attributesOf(tag);
    const name = attributes.get('name');
    const part = targets.get(attributes.get('r:id') ?? '');
    if (name && part) names.set(part, name);
  }
  return names;
}

/** Defined names are dropped: nothing here reads them, and ExcelJS expands each of their ranges cell by cell. */
function withoutDefinedNames(workbookXml: string): string {
  const close = '</definedNames>';
  let kept = '';
  let at = 0;
  // one pass with indexOf, however many elements there are
  for (
    let start = workbookXml.indexOf('<definedNames', at);
    start >= 0;
    start = workbookXml.indexOf('<definedNames', at)
  ) {
    kept += workbookXml.slice(at, start);
    const tagEnd = workbookXml.indexOf('>', start);
    if (tagEnd < 0) return kept;
    if (workbookXml[tagEnd - 1] === '/') at = tagEnd + 1;
    else {
      const end = workbookXml.indexOf(close, tagEnd);
      if (end < 0) return kept; // broken XML: ExcelJS refuses what is left
      at = end + close.length;
    }
  }
  return kept + workbookXml.slice(at);
}

/** The <sheetData> element of a worksheet, the only part a reader needs; empty if there is none. */
function cellDataOf(xml: string): string {
  const start = xml.indexOf('<sheetData');
  if (start < 0) return '<sheetData/>';
  const close = xml.indexOf('>', start);
  if (close < 0) return '<sheetData/>';
  if (xml[close - 1] === '/') return xml.slice(start, close + 1);
  const end = xml.indexOf('</sheetData>', close);
  return end < 0 ? '<sheetData/>' : xml.slice(start, end + '</sheetData>'.length);
}

function worksheetXml(sheetData: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    `${sheetData}</worksheet>`
  );
}

// <row …> and <c …> start tags, with attribute values that may themselves hold '>'
const ROW_OR_CELL = /<(row|c)(?=[\s/>])((?:[^<>"']|"[^"<]*"|'[^'<]*')*)>/g;
const REFERENCE_ATTRIBUTE = /(?:^|\s)r\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/;

function columnNumber(letters: string): number {
  let number = 0;
  for (const letter of letters) number = number * 26 + (letter.charCodeAt(0) - 64);
  return number;
}

/**
 * Why a sheet's cell data is more than a bid template holds, or undefined: too many rows or cells, or a row or
 * cell beyond the template's area (ExcelJS makes a column object for every column up to a cell's).
 */
function overBudget(sheetData: string, limits: WorkbookLimits): string | undefined {
  const limit = limits.maxRowsPerSheet.toLocaleString('en-GB');
  const rowCount = sheetData.match(/<row(?=[\s/>])/g)?.length ?? 0;
  if (rowCount > limits.maxRowsPerSheet)
    return `The sheet has ${rowCount.toLocaleString('en-GB')} rows, more than ${limit}; a bid template sheet reads rows 1 to ${limit}`;
  let cells = 0;
  for (const [, tag, attributes] of sheetData.matchAll(ROW_OR_CELL)) {
    const reference = REFERENCE_ATTRIBUTE.exec(attributes);
    const r = reference ? (reference[1] ?? reference[2]) : undefined;
    if (tag === 'row') {
      if (r !== undefined && !(/^\d{1,7}$/.test(r) && Number(r) >= 1 && Number(r) <= limits.maxRowsPerSheet))
        return `The sheet has something in row ${r}; a bid template sheet reads rows 1 to ${limit}`;
      continue;
    }
    cells += 1;
    if (cells > limits.maxCellsPerSheet)
      return `The sheet has more than ${limits.maxCellsPerSheet.toLocaleString('en-GB')} cells filled in; a bid template sheet holds far fewer`;
    if (r === undefined) continue;
    const address = /^([A-Z]{1,3})(\d{1,7})$/.exec(r);
    if (!address || columnNumber(address[1]) > MAX_COLUMN || Number(address[2]) > limits.maxRowsPerSheet)
      return `The sheet has something in cell ${r}; a bid template sheet reads rows 1 to ${limit}`;
  }
  return undefined;
}
