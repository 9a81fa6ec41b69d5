/**
 * Small real files for upload tests, built from scratch: each allowed kind (PDF, PNG, JPEG, DOCX, XLSX, ODT) is a
 * well-formed file of its kind, and each refused kind is what an attacker or a careless applicant would send.
 * PDF, PNG, JPEG, the executables and text are synchronous; the zip packages (DOCX, XLSX, ODT, plain zip) are
 * async because jszip and exceljs only write asynchronously. Apart from the XLSX, every fixture is the same bytes
 * on every run.
 */
import { deflateSync } from 'node:zlib';
import JSZip from 'jszip';
import ExcelJS from 'exceljs';

const FIXED_DATE = new Date('2024-01-01T00:00:00Z');

/** A valid one-page PDF saying `text`; `padToBytes` pads it (inside a comment) to exactly that size. */
export function aPdf(text = 'Evidence letter', padToBytes?: number): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${text.replace(/[()\\]/g, '\\$&')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const build = (padding: number): Buffer => {
    // the binary-marker comment line is where any padding goes, so every offset below stays right
    let pdf = `%PDF-1.4\n%\xe2\xe3\xcf\xd3${'x'.repeat(padding)}\n`;
    const offsets: number[] = [];
    objects.forEach((body, i) => {
      offsets.push(Buffer.byteLength(pdf, 'latin1'));
      pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    });
    const xref = Buffer.byteLength(pdf, 'latin1');
    pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
    for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
    pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    return Buffer.from(pdf, 'latin1');
  };
  const plain = build(0);
  if (padToBytes === undefined) return plain;
  if (padToBytes < plain.length) throw new Error(`A PDF cannot be smaller than ${plain.length} bytes`);
  // the xref offsets grow by a digit or two only when the padding is huge; re-measure until it fits exactly
  let padding = padToBytes - plain.length;
  let pdf = build(padding);
  while (pdf.length !== padToBytes) {
    padding += padToBytes - pdf.length;
    pdf = build(padding);
  }
  return pdf;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A valid 2×2 RGB PNG (red, green, blue, white). */
export function aPng(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0); // width
  header.writeUInt32BE(2, 4); // height
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter method, no interlace
  const rows = Buffer.from([0, 255, 0, 0, 0, 255, 0, /* row 2 */ 0, 0, 0, 255, 255, 255, 255]); // each row: filter 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A valid baseline JPEG: one mid-grey pixel, JFIF, with its own quantisation and Huffman tables. */
export function aJpeg(): Buffer {
  const segment = (marker: number, body: number[]) => [
    0xff,
    marker,
    (body.length + 2) >> 8,
    (body.length + 2) & 0xff,
    ...body,
  ];
  // one 1-bit code for symbol 0
  const oneCodeTable = (tableClassAndId: number) => [tableClassAndId, 1, ...new Array(15).fill(0), 0x00];
  return Buffer.from([
    0xff,
    0xd8, // SOI
    // APP0 JFIF 1.1, 1:1 aspect, no thumbnail
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...segment(0xdb, [0x00, ...new Array(64).fill(1)]), // DQT 0, all ones
    ...segment(0xc0, [8, 0, 1, 0, 1, 1, 1, 0x11, 0]), // SOF0: 8-bit, 1×1, one component (id 1, 1×1 sampling, DQT 0)
    ...segment(0xc4, oneCodeTable(0x00)), // DHT DC 0: code "0" = difference category 0
    ...segment(0xc4, oneCodeTable(0x10)), // DHT AC 0: code "0" = end of block
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]), // SOS: component 1 uses tables 0/0, spectral 0–63
    0x3f, // "0" DC diff 0, "0" EOB, padded with ones: 0011 1111
    0xff,
    0xd9, // EOI
  ]);
}

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${body}`;

async function zip(entries: [name: string, content: string, store?: boolean][]): Promise<Buffer> {
  const archive = new JSZip();
  for (const [name, content, store] of entries)
    archive.file(name, content, { date: FIXED_DATE, createFolders: false, compression: store ? 'STORE' : 'DEFLATE' });
  return archive.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
}

/** A valid Word document (the three parts a .docx needs) with one paragraph of `text`. */
export function aDocx(
  text = 'Evidence letter',
  mainContentType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
): Promise<Buffer> {
  return zip([
    [
      '[Content_Types].xml',
      xml(
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          `<Override PartName="/word/document.xml" ContentType="${mainContentType}"/>` +
          '</Types>',
      ),
    ],
    [
      '_rels/.rels',
      xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" ' +
          'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" ' +
          'Target="word/document.xml"/>' +
          '</Relationships>',
      ),
    ],
    [
      'word/document.xml',
      xml(
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
          `<w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`,
      ),
    ],
  ]);
}

/** A macro-enabled Word document (.docm): a zip of the same shape as a DOCX, which must still be refused. */
export function aDocm(): Promise<Buffer> {
  return aDocx('Enable macros', 'application/vnd.ms-word.document.macroEnabled.main+xml');
}

/** A real Excel workbook written by exceljs, one sheet of budget lines. */
export async function anXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = FIXED_DATE;
  workbook.modified = FIXED_DATE;
  const sheet = workbook.addWorksheet('Budget');
  sheet.addRow(['Line', 'Amount (£)']);
  sheet.addRow(['Staff', 120000]);
  sheet.addRow(['Venue hire', 8500.5]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A valid OpenDocument text (stored `mimetype` first, manifest, content) with one paragraph of `text`. */
export function anOdt(text = 'Evidence letter'): Promise<Buffer> {
  return zip([
    ['mimetype', 'application/vnd.oasis.opendocument.text', true],
    [
      'META-INF/manifest.xml',
      xml(
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" ' +
          'manifest:version="1.2">' +
          '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" ' +
          'manifest:media-type="application/vnd.oasis.opendocument.text"/>' +
          '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>' +
          '</manifest:manifest>',
      ),
    ],
    [
      'content.xml',
      xml(
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">' +
          `<office:body><office:text><text:p>${text}</text:p></office:text></office:body></office:document-content>`,
      ),
    ],
  ]);
}

/** A zip archive that is no office document: two text files. */
export function aPlainZip(): Promise<Buffer> {
  return zip([
    ['letter.txt', 'Dear panel,\nplease find our evidence enclosed.\n'],
    ['budget.csv', 'line,amount\nstaff,120000\n'],
  ]);
}

/** The start of a 64-bit Linux executable (ELF header). */
export function anElfExecutable(): Buffer {
  const elf = Buffer.alloc(128);
  elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0); // \x7fELF, 64-bit, little-endian, version 1, System V
  elf.writeUInt16LE(2, 16); // e_type: executable
  elf.writeUInt16LE(0x3e, 18); // e_machine: x86-64
  elf.writeUInt32LE(1, 20); // e_version
  return elf;
}

/** The start of a Windows executable: DOS (MZ) header, stub message and PE signature. */
export function aWindowsExecutable(): Buffer {
  const exe = Buffer.alloc(256);
  exe.write('MZ', 0, 'latin1');
  exe.writeUInt32LE(0x80, 0x3c); // e_lfanew: where the PE header starts
  exe.write('This program cannot be run in DOS mode.\r\r\n$', 0x4e, 'latin1');
  exe.write('PE\0\0', 0x80, 'latin1');
  exe.writeUInt16LE(0x8664, 0x84); // machine: x86-64
  return exe;
}

/** An old binary Word document (.doc, a compound file), which is not an accepted kind. */
export function anOldWordDoc(): Buffer {
  const doc = Buffer.alloc(1024);
  doc.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
  return doc;
}

/** Plain UTF-8 text. */
export function someText(): Buffer {
  return Buffer.from('Dear panel,\nwe confirm £25,000 of match funding for this project.\n', 'utf8');
}

/** A kind of file the uploads accept: a sample of it, the type it is stored as and the extension it is given. */
export interface AllowedFile {
  what: string;
  name: string;
  make: () => Buffer | Promise<Buffer>;
  contentType: string;
  extension: string;
}

/** Every kind of file the uploads accept (server/bids/uploads.ts), one sample each. */
export const ALLOWED_FILES: AllowedFile[] = [
  { what: 'a PDF', name: 'letter.pdf', make: () => aPdf(), contentType: 'application/pdf', extension: 'pdf' },
  {
    what: 'a DOCX',
    name: 'plan.docx',
    make: () => aDocx(),
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extension: 'docx',
  },
  {
    what: 'an XLSX written by exceljs',
    name: 'budget.xlsx',
    make: () => anXlsx(),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: 'xlsx',
  },
  {
    what: 'an ODT',
    name: 'plan.odt',
    make: () => anOdt(),
    contentType: 'application/vnd.oasis.opendocument.text',
    extension: 'odt',
  },
  { what: 'a PNG', name: 'chart.png', make: () => aPng(), contentType: 'image/png', extension: 'png' },
  { what: 'a JPEG', name: 'photo.jpg', make: () => aJpeg(), contentType: 'image/jpeg', extension: 'jpg' },
];

/** A kind of file the uploads refuse, with the allowed kind's name a sender might give it. */
export interface RefusedFile {
  what: string;
  name: string;
  make: () => Buffer | Promise<Buffer>;
}

/** Files no upload accepts, whatever they are called: executables, archives, old or macro formats, markup, text. */
export const REFUSED_FILES: RefusedFile[] = [
  { what: 'a Linux executable (ELF)', name: 'letter.pdf', make: anElfExecutable },
  { what: 'a Windows executable (MZ)', name: 'letter.docx', make: aWindowsExecutable },
  { what: 'a plain zip archive', name: 'budget.xlsx', make: aPlainZip },
  { what: 'a macro-enabled Word document (.docm)', name: 'plan.docx', make: aDocm },
  { what: 'an old binary Word document (.doc)', name: 'letter.doc', make: anOldWordDoc },
  { what: 'plain text', name: 'letter.pdf', make: someText },
  {
    what: 'an SVG image',
    name: 'chart.png',
    make: () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
  },
  {
    what: 'HTML',
    name: 'letter.pdf',
    make: () => Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>'),
  },
  { what: 'an empty file', name: 'letter.pdf', make: () => Buffer.alloc(0) },
  { what: 'a PDF cut down to its first three bytes', name: 'letter.pdf', make: () => aPdf().subarray(0, 3) },
];
