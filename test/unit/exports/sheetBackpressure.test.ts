import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { SheetWriter, type TableColumn } from '../../../server/exports/workbookSheets.ts';

const TITLE = { heading: 'A call', madeOn: 'Made now.', about: 'Rows.' };
const COLUMNS: TableColumn[] = [
  { header: 'Text', kind: 'text' },
  { header: 'Number', kind: 'integer' },
];

/** A client that takes nothing until it is told to, then everything. */
function heldClient() {
  const chunks: Buffer[] = [];
  let release: (() => void) | undefined;
  const held: (() => void)[] = [];
  const stream = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      if (release) callback();
      else held.push(callback);
    },
  });
  return {
    stream,
    chunks,
    release() {
      release = () => {};
      for (const callback of held.splice(0)) callback();
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 50));

/** A streaming workbook into `stream` whose zip holds 16 kB of output (1 MB by default), so a few thousand rows fill it. */
function streamingWorkbook(stream: Writable): ExcelJS.stream.xlsx.WorkbookWriter {
  const options = { stream, useStyles: true, useSharedStrings: false, zip: { highWaterMark: 16 * 1024 } };
  return new ExcelJS.stream.xlsx.WorkbookWriter(
    options as unknown as Partial<ExcelJS.stream.xlsx.WorkbookStreamWriterOptions>,
  );
}

describe('a streamed sheet and its zip', () => {
  it('waits while the client takes nothing, and goes on once it reads, with every row in the file', async function () {
    this.timeout(20_000);
    const client = heldClient();
    const workbook = streamingWorkbook(client.stream);
    const sheet = SheetWriter.open(workbook, 'Rows', TITLE, [20, 10]);
    const table = sheet.table(COLUMNS);
    // Text that does not compress, so the zip cannot hide the rows in a few bytes.
    for (let i = 0; i < 5_000; i++) table.addRow([randomBytes(48).toString('base64'), i]);

    let caughtUp = false;
    const backlog = sheet.zipBacklog().then(() => (caughtUp = true));
    await tick();
    expect(caughtUp, 'caught up while the client had read nothing').to.equal(false);

    client.release();
    await backlog;
    table.end();
    await sheet.commit();
    await workbook.commit();

    const read = new ExcelJS.Workbook();
    await read.xlsx.load(Buffer.concat(client.chunks) as unknown as ArrayBuffer);
    const rows = read.getWorksheet('Rows')!;
    expect(rows.getCell('A4').value).to.equal('Text');
    expect(rows.getCell('B5004').value).to.equal(4_999);
    expect(rows.rowCount).to.equal(5_004);
  });

  it('answers a commit once the zip has the whole sheet', async function () {
    this.timeout(20_000);
    const client = heldClient();
    const workbook = streamingWorkbook(client.stream);
    const sheet = SheetWriter.open(workbook, 'Rows', TITLE, [20, 10]);
    const table = sheet.table(COLUMNS);
    for (let i = 0; i < 2_000; i++) table.addRow([randomBytes(48).toString('base64'), i]);
    table.end();

    let zipped = false;
    const committed = sheet.commit().then(() => (zipped = true));
    await tick();
    expect(zipped, 'zipped while the client had read nothing').to.equal(false);
    client.release();
    await committed;
    await workbook.commit();
  });
});
