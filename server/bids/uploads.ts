/** Receiving a bid's attachments: one file per request, recognised by its bytes, its name made safe, hashed. */
import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { fileTypeFromBuffer } from 'file-type';
import sanitize from 'sanitize-filename';
import { BadRequest, TooLarge, Unavailable, UnsupportedType, type AppError } from '../errors.ts';
import { Semaphore } from '../concurrency.ts';
import { BadCsrfToken } from '../web/csrf.ts';

/** The kinds of file a bid may carry; `extension` is the one given to a stored file's name. */
export const ALLOWED_TYPES = [
  { label: 'PDF', contentType: 'application/pdf', extension: 'pdf' },
  {
    label: 'DOCX',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extension: 'docx',
  },
  {
    label: 'XLSX',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: 'xlsx',
  },
  { label: 'ODT', contentType: 'application/vnd.oasis.opendocument.text', extension: 'odt' },
  { label: 'PNG', contentType: 'image/png', extension: 'png' },
  { label: 'JPEG', contentType: 'image/jpeg', extension: 'jpg' },
] as const;

export type AllowedType = (typeof ALLOWED_TYPES)[number];

/** 20 MB, the most one attachment may hold. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** "Upload a PDF, DOCX, XLSX, ODT, PNG or JPEG file" */
export const ALLOWED_TYPES_MESSAGE = `Upload a ${ALLOWED_TYPES.slice(0, -1)
  .map((type) => type.label)
  .join(', ')} or ${ALLOWED_TYPES[ALLOWED_TYPES.length - 1].label} file`;

/** Other spellings of an allowed extension that a file's own name may already end with. */
const EXTENSION_ALIASES: Record<string, string[]> = { jpg: ['jpg', 'jpeg'] };

/** Recognises a file by its bytes alone (never its name or declared type); null unless it is one of ALLOWED_TYPES. */
export async function sniffFileType(bytes: Buffer): Promise<{ contentType: string; extension: string } | null> {
  if (bytes.length === 0) return null;
  let found: { mime: string } | undefined;
  try {
    // file-type looks inside zip packages: a Word/Excel/OpenDocument file comes back as docx/xlsx/odt,
    // any other zip (and docm, xlsm, ods, …) as something we do not list, so it is refused.
    found = await fileTypeFromBuffer(bytes);
  } catch {
    return null; // bytes it cannot make sense of are not a kind we accept
  }
  const mime = found?.mime;
  const allowed = ALLOWED_TYPES.find((type) => type.contentType === mime);
  return allowed ? { contentType: allowed.contentType, extension: allowed.extension } : null;
}

const MAX_FILENAME_LENGTH = 150;
// the usual file-system limit, for whoever saves the download; sanitize-filename would otherwise cut at 255 bytes
// itself, taking the extension with it
const MAX_FILENAME_BYTES = 255;
// control characters (C0, DEL, C1), invisible format characters (bidi overrides that disguise an extension,
// zero-width characters, BOM) and line/paragraph separators
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
// what sanitize-filename removes (/ ? < > \ : * | "), and a ; that would end a naive Content-Disposition parameter;
// taken out before looking for the extension, so "letter.pdf;" is still a .pdf
const UNSAFE = /[/?<>\\:*|";]/g;

/**
 * A stored attachment's name: no directories, no control or header-unsafe characters, at most 150 characters (255 UTF-8
 * bytes), ending with the sniffed extension.
 */
export function sanitiseFilename(original: string, extension: string): string {
  const ext =
    extension
      .replace(/^\.+/, '')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '') || 'bin';
  const aliases = EXTENSION_ALIASES[ext] ?? [ext];

  // the last part of a path written with either separator
  let name = original.split(/[/\\]/).pop() ?? '';
  // tabs and newlines become spaces, other invisible characters go, runs of spaces become one
  name = name
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .replace(INVISIBLE, '')
    .replace(UNSAFE, '')
    .replace(/ {2,}/g, ' ')
    .trim();

  // keep the name's own extension (as written) when it is the sniffed one; otherwise the whole name is the stem
  let ownExtension: string | null = null;
  const suffix = /\.([A-Za-z0-9]+)$/.exec(name);
  if (suffix && aliases.includes(suffix[1].toLowerCase())) {
    ownExtension = suffix[1];
    name = name.slice(0, suffix.index);
  }

  const finalExtension = ownExtension ?? ext;
  let stem = truncate(
    name,
    MAX_FILENAME_LENGTH - finalExtension.length - 1,
    MAX_FILENAME_BYTES - finalExtension.length - 1,
  );
  stem = trimStem(sanitize(stem)); // and Windows' reserved names (CON, NUL, …)

  if (!stem) return `attachment.${ext}`;
  return `${stem}.${finalExtension}`;
}

/** The longest start of `text` within both limits, never splitting a character. */
function truncate(text: string, maxCharacters: number, maxBytes: number): string {
  let result = '';
  let bytes = 0;
  let characters = 0;
  for (const character of text) {
    const size = Buffer.byteLength(character, 'utf8');
    if (characters + 1 > maxCharacters || bytes + size > maxBytes) break;
    result += character;
    bytes += size;
    characters += 1;
  }
  return result;
}

/** No leading dots (hidden files, "..") or spaces, no trailing dots or spaces (Windows drops them). */
function trimStem(stem: string): string {
  return stem.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
}

const MULTER_MESSAGES: Record<string, string> = {
  LIMIT_FILE_COUNT: 'Upload one file at a time',
  LIMIT_PART_COUNT: 'The form has too many parts',
  LIMIT_FIELD_COUNT: 'The form has too many fields',
  LIMIT_FIELD_KEY: 'A form field name is too long',
  LIMIT_FIELD_VALUE: 'A form field is too long',
};

/** What a client is told when multer stops reading its upload. */
function uploadError(error: unknown, field: string): AppError {
  if (error instanceof multer.MulterError) {
    if (error.code === 'LIMIT_FILE_SIZE') return new TooLarge('The file is larger than 20 MB');
    if (error.code === 'LIMIT_UNEXPECTED_FILE') {
      const message =
        error.field === field ? 'Upload one file at a time' : `Send the file in the form field "${field}"`;
      return new BadRequest(message, [{ path: `/${error.field ?? field}`, message }]);
    }
    const message = MULTER_MESSAGES[error.code] ?? 'The upload could not be read';
    return new BadRequest(message, error.field ? [{ path: `/${error.field}`, message }] : []);
  }
  // busboy's own errors (a malformed multipart body, a body cut short); with memory storage nothing on our side
  // can fail here, so this is the client's request
  return new BadRequest('The upload could not be read; try sending it again');
}

/** Uploads one process reads at once: each is held in memory (up to 20 MB) until it is stored. */
export const MAX_CONCURRENT_UPLOADS = 4;

/** The uploads being read or stored in this process, and those waiting their turn (the rest are refused with 503). */
export const uploadsInProgress = new Semaphore(MAX_CONCURRENT_UPLOADS, 100);

export interface ReceiveOptions {
  /**
   * Checks the form's CSRF token (its `_csrf` field), for forms whose token travels in the body: the field must
   * come before the file, as the pages' forms put it, since the check is made as the file starts, before a byte of
   * it is read.
   */
  csrf?: (req: Request, token: unknown) => boolean;
}

/** Express middleware reading exactly one file (at most 20 MB) from a multipart form into `req.file`. */
export function receiveFile(field = 'file', options: ReceiveOptions = {}): RequestHandler {
  const tokenRefused = (req: Request) =>
    options.csrf !== undefined && !options.csrf(req, (req.body as { _csrf?: unknown } | undefined)?._csrf);
  const single = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 10_000 },
    // browsers send a file name as raw UTF-8; busboy would otherwise read it as latin1 ("rÃ©sumÃ©.pdf")
    defParamCharset: 'utf8',
    // the fields before the file are in req.body by now
    fileFilter: (req, _file, accept) => (tokenRefused(req) ? accept(new BadCsrfToken()) : accept(null, true)),
  }).single(field);
  return async (req, res, next) => {
    const release = await uploadsInProgress.acquire();
    if (!release) return next(new Unavailable('The service is receiving many files at once; try again in a minute'));
    // A client that went away while waiting leaves nothing to read.
    if (res.closed || req.destroyed) return release();
    res.once('close', release);
    single(req, res, (error?: unknown) => {
      if (error instanceof BadCsrfToken) return next(error);
      if (error) return next(uploadError(error, field));
      if (tokenRefused(req)) return next(new BadCsrfToken());
      if (!req.file) {
        const message = 'Choose a file to upload';
        return next(new BadRequest(message, [{ path: `/${field}`, message }]));
      }
      next();
    });
  };
}

/** Checks a received file's kind by its bytes (415 otherwise) and gives its safe name, type, size and SHA-256. */
export async function acceptedUpload(
  file: Express.Multer.File,
): Promise<{ filename: string; contentType: string; sizeBytes: number; sha256: string; bytes: Buffer }> {
  const bytes = file.buffer;
  const kind = await sniffFileType(bytes);
  if (!kind) throw new UnsupportedType(ALLOWED_TYPES_MESSAGE);
  return {
    filename: sanitiseFilename(file.originalname ?? '', kind.extension),
    contentType: kind.contentType,
    sizeBytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes,
  };
}

/** Runs a middleware (multer's) inside a page's handler, so its errors can be answered on the page. */
export function runMiddleware(middleware: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    void middleware(req, res, (error?: unknown) => (error ? reject(error) : resolve()));
  });
}
