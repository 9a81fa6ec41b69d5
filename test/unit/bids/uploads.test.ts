import { createHash } from 'node:crypto';
import { expect } from 'chai';
import {
  ALLOWED_TYPES,
  MAX_UPLOAD_BYTES,
  acceptedUpload,
  sanitiseFilename,
  sniffFileType,
} from '../../../server/bids/uploads.ts';
import { UnsupportedType } from '../../../server/errors.ts';
import { ALLOWED_FILES, REFUSED_FILES, aDocx, aPdf, aPng, aWindowsExecutable } from '../../support/files.ts';

/** What multer hands over for an upload. */
function multerFile(bytes: Buffer, originalname: string, mimetype = 'application/pdf'): Express.Multer.File {
  return {
    fieldname: 'file',
    originalname,
    encoding: '7bit',
    mimetype,
    size: bytes.length,
    buffer: bytes,
  } as Express.Multer.File;
}

describe('bid uploads', () => {
  it('allows exactly PDF, DOCX, XLSX, ODT, PNG and JPEG, each up to 20 MB', () => {
    expect(ALLOWED_TYPES.map((type) => type.contentType)).to.have.members(ALLOWED_FILES.map((f) => f.contentType));
    expect(ALLOWED_FILES.map((f) => f.extension)).to.deep.equal(['pdf', 'docx', 'xlsx', 'odt', 'png', 'jpg']);
    expect(MAX_UPLOAD_BYTES).to.equal(20 * 1024 * 1024);
  });

  describe('sniffFileType', () => {
    for (const { what, make, contentType, extension } of ALLOWED_FILES) {
      it(`recognises ${what} by its bytes`, async () => {
        expect(await sniffFileType(await make())).to.deep.equal({ contentType, extension });
      });
    }

    for (const { what, make } of REFUSED_FILES) {
      it(`refuses ${what}`, async () => {
        expect(await sniffFileType(await make())).to.equal(null);
      });
    }

    it(
      'ignores the name and declared type: an executable called letter.pdf sent as application/pdf ' + 'is refused',
      async () => {
        let error: unknown;
        try {
          await acceptedUpload(multerFile(aWindowsExecutable(), 'letter.pdf', 'application/pdf'));
        } catch (caught) {
          error = caught;
        }
        expect(error).to.be.instanceOf(UnsupportedType);
        expect((error as UnsupportedType).status).to.equal(415);
        expect((error as UnsupportedType).message).to.equal('Upload a PDF, DOCX, XLSX, ODT, PNG or JPEG file');
      },
    );

    it('ignores the name the other way too: a real PNG called photo.exe is a PNG', async () => {
      const upload = await acceptedUpload(multerFile(aPng(), 'photo.exe', 'application/x-msdownload'));
      expect(upload.contentType).to.equal('image/png');
      expect(upload.filename).to.equal('photo.exe.png');
    });
  });

  describe('sanitiseFilename', () => {
    it('keeps an ordinary name as it is', () => {
      expect(sanitiseFilename('Match funding letter (Derby CC).pdf', 'pdf')).to.equal(
        'Match funding letter (Derby CC).pdf',
      );
      expect(sanitiseFilename('Llythyr cefnogaeth Cyngor Gŵyr.pdf', 'pdf')).to.equal(
        'Llythyr cefnogaeth Cyngor Gŵyr.pdf',
      );
    });

    it('drops directories written with / or \\', () => {
      expect(sanitiseFilename('../../etc/passwd', 'pdf')).to.equal('passwd.pdf');
      expect(sanitiseFilename('..\\..\\x', 'pdf')).to.equal('x.pdf');
      expect(sanitiseFilename('C:\\Users\\me\\Desktop\\letter.pdf', 'pdf')).to.equal('letter.pdf');
      expect(sanitiseFilename('/var/tmp/letter.pdf', 'pdf')).to.equal('letter.pdf');
      expect(sanitiseFilename('a/b\\..\\../c.pdf', 'pdf')).to.equal('c.pdf');
    });

    it('removes control characters, including CR and LF that would split a header', () => {
      expect(sanitiseFilename('let\u0000ter\r\nSet-Cookie: x=1.pdf', 'pdf')).to.equal('letter Set-Cookie x=1.pdf');
      expect(sanitiseFilename('tab\there\u007f\u0085.pdf', 'pdf')).to.equal('tab here.pdf');
    });

    it('removes a right-to-left override that would disguise the extension', () => {
      // displays as "letterfdp.exe" reversed: "letter\u202Eexe.pdf" looks like "letterfdp.exe"
      expect(sanitiseFilename('letter\u202Eexe.pdf', 'pdf')).to.equal('letterexe.pdf');
    });

    it('removes characters unsafe in a Content-Disposition header or a file system', () => {
      expect(sanitiseFilename('say "hello"; filename=evil.exe.pdf', 'pdf')).to.equal('say hello filename=evil.exe.pdf');
      expect(sanitiseFilename('a<b>c:d*e?f|g.pdf', 'pdf')).to.equal('abcdefg.pdf');
      expect(sanitiseFilename('letter.pdf;', 'pdf')).to.equal('letter.pdf');
      expect(sanitiseFilename('letter.pdf"', 'pdf')).to.equal('letter.pdf');
    });

    it('removes leading dots and spaces, and trailing ones before the extension', () => {
      expect(sanitiseFilename('.htaccess', 'pdf')).to.equal('htaccess.pdf');
      expect(sanitiseFilename('...hidden.pdf', 'pdf')).to.equal('hidden.pdf');
      expect(sanitiseFilename('   spaced   out   .pdf  ', 'pdf')).to.equal('spaced out.pdf');
      expect(sanitiseFilename('letter. . ..pdf', 'pdf')).to.equal('letter.pdf');
    });

    it('caps the name at 150 characters, keeping the extension', () => {
      const long = sanitiseFilename(`${'a'.repeat(300)}.pdf`, 'pdf');
      expect(long).to.have.length(150);
      expect(long).to.equal(`${'a'.repeat(146)}.pdf`);
      expect(sanitiseFilename(`${'b'.repeat(149)}`, 'docx')).to.equal(`${'b'.repeat(145)}.docx`);
      expect(sanitiseFilename(`${'c'.repeat(146)}.pdf`, 'pdf')).to.equal(`${'c'.repeat(146)}.pdf`);
    });

    it('counts characters, not UTF-16 units, never splits one, and stays within 255 bytes of UTF-8', () => {
      const accented = sanitiseFilename(`${'é'.repeat(100)}.pdf`, 'pdf');
      expect(accented).to.equal(`${'é'.repeat(100)}.pdf`); // 100 characters, 204 bytes: within both limits
      const emoji = sanitiseFilename(`${'😀'.repeat(200)}.png`, 'png');
      expect(emoji).to.equal(`${'😀'.repeat(62)}.png`); // 62 × 4 bytes + ".png" = 252 bytes
      const welsh = sanitiseFilename(`${'ŵ'.repeat(200)}.pdf`, 'pdf');
      expect(Buffer.byteLength(welsh)).to.be.at.most(255);
      expect(welsh).to.match(/^ŵ+\.pdf$/);
    });

    it('ends with the sniffed extension, appending it when the name says something else', () => {
      expect(sanitiseFilename('letter.exe', 'pdf')).to.equal('letter.exe.pdf');
      expect(sanitiseFilename('letter.pdf.exe', 'pdf')).to.equal('letter.pdf.exe.pdf');
      expect(sanitiseFilename('letter', 'pdf')).to.equal('letter.pdf');
      expect(sanitiseFilename('budget.docx', 'xlsx')).to.equal('budget.docx.xlsx');
      expect(sanitiseFilename('Letter.PDF', 'pdf')).to.equal('Letter.PDF');
      expect(sanitiseFilename('photo.jpeg', 'jpg')).to.equal('photo.jpeg');
      expect(sanitiseFilename('photo.JPG', 'jpg')).to.equal('photo.JPG');
    });

    it('names an empty result attachment.<extension>', () => {
      expect(sanitiseFilename('', 'pdf')).to.equal('attachment.pdf');
      expect(sanitiseFilename('   ', 'png')).to.equal('attachment.png');
      expect(sanitiseFilename('..', 'odt')).to.equal('attachment.odt');
      expect(sanitiseFilename('.pdf', 'pdf')).to.equal('attachment.pdf');
      expect(sanitiseFilename('../../', 'pdf')).to.equal('attachment.pdf');
      expect(sanitiseFilename('\u0000\u0001\r\n', 'jpg')).to.equal('attachment.jpg');
      expect(sanitiseFilename('"<>|?*', 'docx')).to.equal('attachment.docx');
      expect(sanitiseFilename('CON.pdf', 'pdf')).to.equal('attachment.pdf');
    });
  });

  describe('acceptedUpload', () => {
    it('gives the safe name, sniffed type, size and SHA-256 of an accepted file, and its bytes untouched', async () => {
      const bytes = await aDocx();
      const upload = await acceptedUpload(
        multerFile(bytes, '../Partnership agreement.docx', 'application/octet-stream'),
      );
      expect(upload.filename).to.equal('Partnership agreement.docx');
      expect(upload.contentType).to.equal(ALLOWED_FILES.find((f) => f.extension === 'docx')!.contentType);
      expect(upload.sizeBytes).to.equal(bytes.length);
      expect(upload.sha256).to.equal(createHash('sha256').update(bytes).digest('hex'));
      expect(upload.bytes.equals(bytes)).to.equal(true);
    });

    it('computes the SHA-256 in hex: a known buffer gives its known digest', async () => {
      // aPdf('abc') is the same 584 bytes on every run; its digest was taken with sha256sum, not with node:crypto
      const upload = await acceptedUpload(multerFile(aPdf('abc'), 'abc.pdf'));
      expect(upload.sizeBytes).to.equal(584);
      expect(upload.sha256).to.equal('af070736ce736009a8a0799f1190b28d51945517d0b9520bd8beba02447f6671');
    });

    it('refuses each kind it does not accept with 415', async () => {
      for (const { what, make } of REFUSED_FILES) {
        let error: unknown;
        try {
          await acceptedUpload(multerFile(await make(), 'evidence.pdf'));
        } catch (caught) {
          error = caught;
        }
        expect(error, what).to.be.instanceOf(UnsupportedType);
      }
    });
  });
});
