/**
 * Just enough of the zip format to look inside an uploaded workbook before anything trusts it: the central
 * directory's declared sizes, each entry inflated with a hard cap at its declared size, and a plain (stored,
 * uncompressed) zip written back from the parts that passed.
 */
import { promisify } from 'node:util';
import { inflateRaw } from 'node:zlib';

const inflateRawAsync = promisify(inflateRaw);

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;
const ENCRYPTED_FLAG = 0x1;
const UTF8_NAME_FLAG = 0x800;

/** One file of a zip as its central directory declares it. */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

/** The bytes are not a zip we can read: not one at all, damaged, encrypted, or sizes that lie. */
export class ZipFormatError extends Error {}

function findEndOfCentralDirectory(bytes: Buffer): number {
  // the record is 22 bytes, followed by a comment of at most 65,535
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (bytes.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  return -1;
}

/** The entries a zip's central directory lists, without inflating anything; throws ZipFormatError if not a zip. */
export function readCentralDirectory(bytes: Buffer, maxEntries: number): ZipEntry[] {
  const end = findEndOfCentralDirectory(bytes);
  if (end < 0) throw new ZipFormatError('No zip end record');
  const count = bytes.readUInt16LE(end + 10);
  const size = bytes.readUInt32LE(end + 12);
  const offset = bytes.readUInt32LE(end + 16);
  // ZIP64 marks these as all ones; no workbook a bid writer makes needs it
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw new ZipFormatError('ZIP64 archive');
  if (count > maxEntries) throw new ZipFormatError(`More than ${maxEntries} files in the archive`);
  if (offset + size > end) throw new ZipFormatError('Central directory outside the file');

  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > offset + size || bytes.readUInt32LE(at) !== CENTRAL_FILE_HEADER) throw new ZipFormatError('Damaged central directory');
    const flags = bytes.readUInt16LE(at + 8);
    const nameEnd = at + 46 + bytes.readUInt16LE(at + 28);
    if (nameEnd > offset + size) throw new ZipFormatError('Damaged central directory');
    entries.push({
      name: bytes.toString(flags & UTF8_NAME_FLAG ? 'utf8' : 'latin1', at + 46, nameEnd),
      method: bytes.readUInt16LE(at + 10),
      flags,
      compressedSize: bytes.readUInt32LE(at + 20),
      uncompressedSize: bytes.readUInt32LE(at + 24),
      localHeaderOffset: bytes.readUInt32LE(at + 42),
    });
    at = nameEnd + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return entries;
}

/**
 * An entry's bytes, never more than its declared uncompressed size: inflation stops at that size, so an entry
 * that lies about it (the classic bomb beneath a small central directory) is refused, not unpacked.
 */
export async function inflateEntry(bytes: Buffer, entry: ZipEntry): Promise<Buffer> {
  if (entry.flags & ENCRYPTED_FLAG) throw new ZipFormatError('Encrypted entry');
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== LOCAL_FILE_HEADER) throw new ZipFormatError('Damaged entry');
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw new ZipFormatError('Entry outside the file');
  const data = bytes.subarray(start, end);

  let content: Buffer;
  if (entry.method === STORED) content = data;
  else if (entry.method === DEFLATED) {
    try {
      // maxOutputLength must be at least 1; an empty entry inflates to nothing either way
      content = await inflateRawAsync(data, { maxOutputLength: Math.max(entry.uncompressedSize, 1) });
    } catch {
      throw new ZipFormatError('Entry does not inflate to its declared size');
    }
  } else throw new ZipFormatError(`Compression method ${entry.method}`);
  if (content.length !== entry.uncompressedSize) throw new ZipFormatError('Entry size differs from its declared size');
  return content;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

// zlib.crc32 arrived in Node 20.15; engines allows any Node 20
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip of the given files, stored without compression (they are already checked and in memory). */
export function writeStoredZip(files: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_FILE_HEADER, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(UTF8_NAME_FLAG, 6);
    local.writeUInt16LE(STORED, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_FILE_HEADER, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6); // version needed
    central.writeUInt16LE(UTF8_NAME_FLAG, 8);
    central.writeUInt16LE(STORED, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directorySize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directorySize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}
