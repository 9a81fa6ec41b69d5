import { Writable } from 'node:stream';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { safeText } from '../../../server/exports/safeText.ts';
import { SheetWriter, type TitleBlock } from '../../../server/exports/workbookSheets.ts';

const TITLE: TitleBlock = {
  heading: 'OC1: A call & its "bids"',
  madeOn: 'Made on 1 April 2027 at 9:05am.',
  about: "Rows of every kind, <tags> and 'quotes'.",
};
const WIDTHS = [12, 30, 10, 14, 16, 10];
const BOLD: Partial<ExcelJS.Style> = {
  font: { bold: true },
  numFmt: '@',
  alignment: { vertical: 'top', wrapText: true },
};
const MONEY: Partial<ExcelJS.Style> = { numFmt: '£#,##0.00', alignment: { vertical: 'top' } };
const WHEN: Partial<ExcelJS.Style> = { numFmt: 'dd/mm/yyyy hh:mm', alignment: { vertical: 'top' } };
const TEXT: Partial<ExcelJS.Style> = { numFmt: '@', alignment: { vertical: 'top', wrapText: true } };
const STYLES = [TEXT, TEXT, MONEY, WHEN, TEXT, MONEY];
// The title block's styles as SheetWriter defines them (equal definitions get the same style in the file).
const HEADING: Partial<ExcelJS.Style> = { font: { bold: true, size: 14 }, numFmt: '@' };
const NOTE: Partial<ExcelJS.Style> = { font: { italic: true, color: { argb: 'FF505A5F' } }, numFmt: '@' };

/** Rows after the title block: a header, values of each kind the sheets write, gaps, an empty row, a total. */
const ROWS: ExcelJS.CellValue[][] = [
  ['Reference', 'Title', 'ESF', 'Submitted', 'Note', 'Ratio'],
  [
    'OC1-001',
    '=HYPERLINK("http://x","y")',
    1_234.56,
    new Date(Date.UTC(2027, 3, 1, 14, 5, 7)),
    'Tab\tand\r\nlines',
    0.1 + 0.2,
  ],
  ['OC1-002', 'Bell\u0007, DEL\u007F, <b>&amp;</b>', 0, new Date(Date.UTC(1999, 11, 31)), '', -0.000001],
  [null, 'Only the middle', null, undefined, null, null],
  [],
  ['OC1-003', '\u0000', 1e21, new Date(Date.UTC(2027, 0, 1, 0, 0, 0, 999)), 'Émilie’s “quotes” 😀', 123_456_789.01],
  [
    null,
    'Total',
    { formula: 'SUM(C5:C9)', result: 1e21 + 1_234.56 },
    null,
    null,
    { formula: 'SUM(F5:F9)', result: 0.3 },
  ],
];

async function sheetXml(write: (workbook: ExcelJS.Workbook) => void): Promise<{ sheet: string; styles: string }> {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  write(workbook as unknown as ExcelJS.Workbook);
  await workbook.commit();
  const zip = await JSZip.loadAsync(Buffer.concat(chunks));
  return {
    sheet: await zip.file('xl/worksheets/sheet1.xml')!.async('string'),
    styles: await zip.file('xl/styles.xml')!.async('string'),
  };
}

describe('sheet XML', () => {
  it("is what ExcelJS's own rows and cells write, byte for byte, styles included", async () => {
    const views: Partial<ExcelJS.WorksheetView>[] = [
      { state: 'frozen', xSplit: 0, ySplit: 4, topLeftCell: 'A5', activeCell: 'A5' },
    ];
    // The way the sheets were written before: ExcelJS's Row and Cell objects, a row committed at a time.
    const theirs = await sheetXml((workbook) => {
      const worksheet = workbook.addWorksheet('Rows', { views });
      worksheet.columns = WIDTHS.map((width) => ({ width }));
      const all: [ExcelJS.CellValue[], (i: number) => Partial<ExcelJS.Style>][] = [
        [[TITLE.heading], () => HEADING],
        [[TITLE.madeOn], () => NOTE],
        [[TITLE.about], () => NOTE],
        ...ROWS.map((row, r): [ExcelJS.CellValue[], (i: number) => Partial<ExcelJS.Style>] => [
          row,
          (i) => (r === 0 ? BOLD : STYLES[i]),
        ]),
      ];
      all.forEach(([values, style], r) => {
        const row = worksheet.getRow(r + 1);
        values.forEach((value, i) => {
          if (value === null || value === undefined) return;
          const cell = row.getCell(i + 1);
          cell.value = typeof value === 'string' ? safeText(value) : value;
          cell.style = style(i);
        });
        row.commit();
      });
      worksheet.commit();
    });
    const ours = await sheetXml((workbook) => {
      const sheet = SheetWriter.open(workbook, 'Rows', TITLE, WIDTHS);
      ROWS.forEach((row, r) => sheet.writeRow(row, (i) => (r === 0 ? BOLD : STYLES[i])));
      void sheet.commit();
    });
    expect(ours.sheet).to.equal(theirs.sheet);
    expect(ours.styles).to.equal(theirs.styles);
  });
});
