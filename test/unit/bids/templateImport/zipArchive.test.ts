import { expect } from 'chai';
import JSZip from 'jszip';
import { openZip, writeStoredZip, ZipFormatError } from '../../../../server/bids/templateImport/zipArchive.ts';

/** A deflated zip of the given files, as a spreadsheet program writes one. */
async function aZip(files: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, data] of Object.entries(files)) zip.file(name, data);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** The zip with one entry's declared uncompressed size in its central directory changed. */
function declaring(zip: Buffer, name: string, size: number): Buffer {
  const patched = Buffer.from(zip);
  for (let at = 0; at < patched.length - 46; at++) {
    if (patched.readUInt32LE(at) !== 0x02014b50) continue;
    if (patched.toString('utf8', at + 46, at + 46 + patched.readUInt16LE(at + 28)) !== name) continue;
    patched.writeUInt32LE(size, at + 24);
    return patched;
  }
  throw new Error(`No entry ${name}`);
}

async function refusal(promise: Promise<unknown>): Promise<ZipFormatError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).to.be.instanceOf(ZipFormatError);
  return error as ZipFormatError;
}

describe('the zip archive of an uploaded workbook', () => {
  it('lists the entries its central directory declares, and reads each one exactly', async () => {
    const zip = await openZip(await aZip({ 'a.xml': '<a/>', 'c.xml': 'x'.repeat(10_000) }), 10);
    expect(zip.entries.map((e) => [e.name, e.uncompressedSize])).to.deep.equal([
      ['a.xml', 4],
      ['c.xml', 10_000],
    ]);
    expect((await zip.read(zip.entries[1])).toString()).to.equal('x'.repeat(10_000));
  });

  it('refuses bytes that are not a zip, and more entries than allowed before reading any', async () => {
    await refusal(openZip(Buffer.from('PK not really a zip'), 10));
    const many = await aZip(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`f${i}.xml`, '<f/>'])));
    expect((await refusal(openZip(many, 10))).message).to.equal('More than 10 files in the archive');
  });

  it('stops an entry that inflates past its declared size, and one that falls short of it', async () => {
    const bytes = await aZip({ 'sheet.xml': ' '.repeat(1_000_000) });
    const under = await openZip(declaring(bytes, 'sheet.xml', 4000), 10);
    expect(under.entries[0].uncompressedSize).to.equal(4000);
    await refusal(under.read(under.entries[0]));
    const over = await openZip(declaring(bytes, 'sheet.xml', 2_000_000), 10);
    await refusal(over.read(over.entries[0]));
  });

  it('refuses an entry name that climbs out of the archive', async () => {
    const bytes = await aZip({ 'aaa.xml': '<a/>' });
    const patched = Buffer.from(bytes.toString('latin1').replaceAll('aaa.xml', '../a.xm'), 'latin1');
    await refusal(openZip(patched, 10));
  });

  it('writes a stored zip that reads back to the same files', async () => {
    const written = await writeStoredZip([
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
      { name: 'é.xml', data: Buffer.alloc(0) },
    ]);
    const zip = await openZip(written, 10);
    expect(zip.entries.map((e) => [e.name, e.compressedSize, e.uncompressedSize])).to.deep.equal([
      ['xl/workbook.xml', 11, 11],
      ['é.xml', 0, 0],
    ]);
    expect((await zip.read(zip.entries[0])).toString()).to.equal('<workbook/>');
  });
});
