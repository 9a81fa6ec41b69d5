import express from 'express';
import request from 'supertest';
import { expect } from 'chai';
import { MAX_UPLOAD_BYTES, acceptedUpload, receiveFile } from '../../../server/bids/uploads.ts';
import { apiErrorHandler } from '../../../server/errors.ts';
import { aPdf, aPng, aWindowsExecutable } from '../../support/files.ts';

/** A tiny app: POST /upload receives one file, accepts it by its bytes and answers what it stored. */
function anApp() {
  const app = express();
  app.post('/upload', receiveFile(), async (req, res) => {
    const upload = await acceptedUpload(req.file!);
    res.status(201).json({
      filename: upload.filename,
      contentType: upload.contentType,
      sizeBytes: upload.sizeBytes,
      sha256: upload.sha256,
    });
  });
  app.post('/evidence', receiveFile('evidence'), (req, res) => {
    res.status(201).json({ size: req.file!.size });
  });
  app.use(apiErrorHandler);
  return app;
}

describe('receiveFile', function () {
  this.timeout(30_000);
  const app = anApp();

  it('accepts a file of exactly 20 MB', async () => {
    const pdf = aPdf('Twenty megabytes exactly', MAX_UPLOAD_BYTES);
    expect(pdf.length).to.equal(20 * 1024 * 1024);
    const res = await request(app)
      .post('/upload')
      .attach('file', pdf, { filename: 'big.pdf', contentType: 'application/pdf' });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ filename: 'big.pdf', contentType: 'application/pdf', sizeBytes: MAX_UPLOAD_BYTES });
  });

  it('refuses a file of 20 MB and one byte with 413', async () => {
    const pdf = aPdf('One byte too many', MAX_UPLOAD_BYTES + 1);
    const res = await request(app)
      .post('/upload')
      .attach('file', pdf, { filename: 'big.pdf', contentType: 'application/pdf' });
    expect(res.status).to.equal(413);
    expect(res.body.error).to.deep.include({ code: 'too-large', message: 'The file is larger than 20 MB' });
  });

  it('refuses a form without a file with 400, pointing at the file field', async () => {
    const res = await request(app).post('/upload').field('description', 'Evidence letter');
    expect(res.status).to.equal(400);
    expect(res.body.error.message).to.equal('Choose a file to upload');
    expect(res.body.error.details).to.deep.equal([{ path: '/file', message: 'Choose a file to upload' }]);
  });

  it('refuses a request that is not a multipart form at all with 400', async () => {
    const res = await request(app).post('/upload').send({ file: 'letter.pdf' });
    expect(res.status).to.equal(400);
    expect(res.body.error.message).to.equal('Choose a file to upload');
  });

  it('refuses two files with 400', async () => {
    const res = await request(app)
      .post('/upload')
      .attach('file', aPdf(), { filename: 'one.pdf', contentType: 'application/pdf' })
      .attach('file', aPng(), { filename: 'two.png', contentType: 'image/png' });
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('bad-request');
    expect(res.body.error.message).to.equal('Upload one file at a time');
  });

  it('refuses a file sent in another field with 400 naming the right one', async () => {
    const res = await request(app)
      .post('/upload')
      .attach('document', aPdf(), { filename: 'one.pdf', contentType: 'application/pdf' });
    expect(res.status).to.equal(400);
    expect(res.body.error.message).to.equal('Send the file in the form field "file"');
  });

  it('reads the field it is given', async () => {
    const res = await request(app)
      .post('/evidence')
      .attach('evidence', aPng(), { filename: 'photo.png', contentType: 'image/png' });
    expect(res.status).to.equal(201);
    const none = await request(app).post('/evidence').field('x', 'y');
    expect(none.body.error.details).to.deep.equal([{ path: '/evidence', message: 'Choose a file to upload' }]);
  });

  it('refuses too many form fields with 400', async () => {
    let req = request(app).post('/upload');
    for (let i = 0; i < 11; i++) req = req.field(`f${i}`, 'x');
    const res = await req.attach('file', aPdf(), { filename: 'one.pdf', contentType: 'application/pdf' });
    expect(res.status).to.equal(400);
    expect(res.body.error.message).to.equal('The form has too many fields');
  });

  it('refuses a malformed multipart body with 400, not 500', async () => {
    const res = await request(app)
      .post('/upload')
      .set('Content-Type', 'multipart/form-data; boundary=xyz')
      .send('--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4 cut short');
    expect(res.status).to.equal(400);
  });

  it('refuses a renamed executable with 415, whatever its name and declared type', async () => {
    const res = await request(app)
      .post('/upload')
      .attach('file', aWindowsExecutable(), { filename: 'letter.pdf', contentType: 'application/pdf' });
    expect(res.status).to.equal(415);
    expect(res.body.error).to.deep.include({
      code: 'unsupported-type',
      message: 'Upload a PDF, DOCX, XLSX, ODT, PNG or JPEG file',
    });
  });

  it('keeps a UTF-8 file name intact and sanitises it', async () => {
    const res = await request(app)
      .post('/upload')
      .attach('file', aPdf(), { filename: 'Llythyr Gŵyr – tystiolaeth.pdf', contentType: 'application/pdf' });
    expect(res.status).to.equal(201);
    expect(res.body.filename).to.equal('Llythyr Gŵyr – tystiolaeth.pdf');
  });
});
