/**
 * The zip format through yauzl and yazl, which are hardened for it, so an uploaded workbook is looked inside
 * before anything trusts it: its entries as the central directory declares them, each entry's bytes never more
 * than its declared size (yauzl's validateEntrySizes stops inflation there, so a part that lies about its size
 * is refused, not unpacked), and a plain (stored, uncompressed) zip written back from the parts that passed.
 */
import yauzl from 'yauzl';
import yazl from 'yazl';

/** One file of a zip as its central directory declares it. */
export interface ZipEntry {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

/** An opened zip: the entries it declares, and each one's bytes on request. */
export interface ZipArchive {
  entries: ZipEntry[];
  /** The entry's bytes, exactly its declared size; throws ZipFormatError otherwise. */
  read(entry: ZipEntry): Promise<Buffer>;
}

/** The bytes are not a zip we can read: not one at all, damaged, encrypted, or sizes that lie. */
export class ZipFormatError extends Error {}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The entries a zip's central directory lists, without inflating anything; throws ZipFormatError if not a zip. */
export async function openZip(bytes: Buffer, maxEntries: number): Promise<ZipArchive> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(bytes, { validateEntrySizes: true, decodeStrings: true });
  } catch (error) {
    throw new ZipFormatError(messageOf(error));
  }
  // the end record's count, before a single entry of the directory is read
  if (zip.entryCount > maxEntries) throw new ZipFormatError(`More than ${maxEntries} files in the archive`);

  const raw = new Map<ZipEntry, yauzl.Entry>();
  try {
    for await (const entry of zip.eachEntry()) {
      raw.set(
        { name: entry.fileName, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize },
        entry,
      );
    }
  } catch (error) {
    throw new ZipFormatError(messageOf(error));
  }

  return {
    entries: [...raw.keys()],
    read: async (entry) => {
      const found = raw.get(entry);
      if (!found) throw new ZipFormatError(`No entry ${entry.name}`);
      if (found.isEncrypted()) throw new ZipFormatError('Encrypted entry');
      try {
        const chunks: Buffer[] = [];
        for await (const chunk of await zip.openReadStreamPromise(found)) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      } catch (error) {
        throw new ZipFormatError(`Entry ${entry.name}: ${messageOf(error)}`);
      }
    },
  };
}

/** A zip of the given files, stored without compression (they are already checked and in memory). */
export async function writeStoredZip(files: { name: string; data: Buffer }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const { name, data } of files) zip.addBuffer(data, name, { compress: false });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
