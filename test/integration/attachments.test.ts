import { expect } from 'chai';
import { aBidBody } from '../support/builders.ts';
import {
  binaryBody,
  anApplicant,
  anAppraiser,
  anOfficer,
  anonymous,
  useTestApp,
  type TestUser,
  aPublishedCall,
} from '../support/app.ts';
import { snapshot } from '../support/database.ts';
import { MAX_CONCURRENT_UPLOADS, uploadsInProgress } from '../../server/bids/uploads.ts';
import { ALLOWED_FILES, REFUSED_FILES, aPdf, aPng } from '../support/files.ts';

describe('bid attachments', () => {
  const test = useTestApp();
  let officer: TestUser;
  let applicant: TestUser;
  let call: { id: string; closesAt: string };
  let bid: { id: string };

  beforeEach(async () => {
    officer = await anOfficer(test);
    applicant = await anApplicant(test);
    call = await aPublishedCall(officer);
    bid = (await applicant.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody()).expect(201)).body;
  });

  function upload(who: TestUser, bytes: Buffer, filename: string, purpose?: string) {
    const request = who.agent.post(`/api/v1/bids/${bid.id}/attachments`).attach('file', bytes, filename);
    return purpose ? request.field('purpose', purpose) : request;
  }

  it('stores a letter with its size and SHA-256 and gives back the identical bytes as an attachment', async () => {
    const letter = aPdf('Derby City Council commits £400,000 match funding');
    const created = (await upload(applicant, letter, 'council-letter.pdf', 'match-evidence').expect(201)).body;
    expect(created).to.include({
      filename: 'council-letter.pdf',
      contentType: 'application/pdf',
      sizeBytes: letter.length,
      purpose: 'match-evidence',
    });
    const download = await applicant.agent
      .get(`/api/v1/bids/${bid.id}/attachments/${created.id}`)
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    expect(Buffer.compare(download.body as Buffer, letter)).to.equal(0);
    expect(download.headers['content-disposition']).to.match(/^attachment; filename="?council-letter\.pdf"?$/);
    expect(download.headers['content-type']).to.equal('application/pdf');
    const stored = await test.knex('attachments').where({ id: created.id }).first();
    expect(stored.sha256).to.equal(created.sha256);
    expect(stored.bidId).to.equal(bid.id);
  });

  it(
    'lists files uploaded in the same instant in one order, the same in the draft and in the ' + 'submitted version',
    async () => {
      // Uploaded until the upload order is not the ids' order, so the test cannot pass by reading rows as stored.
      const ids: string[] = [];
      while (ids.length < 2 || ids.join() === [...ids].sort().join())
        ids.push(
          (await upload(applicant, aPdf(`letter ${ids.length}`), `letter-${ids.length}.pdf`).expect(201)).body.id,
        );
      await test
        .knex('attachments')
        .where({ bidId: bid.id })
        .update({ createdAt: new Date('2017-03-01T12:00:00Z') });
      const byId = [...ids].sort();
      const draft = (await applicant.agent.get(`/api/v1/bids/${bid.id}`).expect(200)).body;
      expect(draft.attachments.map((a: { id: string }) => a.id)).to.deep.equal(byId);
      await applicant.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
      const version = await test.knex('bidVersions').where({ bidId: bid.id }).first();
      expect(JSON.parse(version.canonicalJson).attachments.map((a: { id: string }) => a.id)).to.deep.equal(byId);
    },
  );

  it('accepts each allowed kind, recognised by its bytes', async () => {
    for (const { name, make, contentType } of ALLOWED_FILES) {
      const response = await upload(applicant, await make(), name).expect(201);
      expect(response.body.contentType, name).to.equal(contentType);
    }
  });

  it('refuses each other kind with 415, whatever it is called, and stores nothing', async () => {
    const before = await snapshot();
    for (const { what, name, make } of REFUSED_FILES) {
      const response = await upload(applicant, await make(), name);
      expect(response.status, what).to.equal(415);
      expect(response.body.error.message, what).to.equal('Upload a PDF, DOCX, XLSX, ODT, PNG or JPEG file');
    }
    expect(await snapshot()).to.deep.equal(before);
  });

  it('refuses a file over 20 MB with 413 and stores nothing', async () => {
    const before = await snapshot();
    const response = await upload(applicant, aPdf('big', 20 * 1024 * 1024 + 1), 'big.pdf');
    expect(response.status).to.equal(413);
    expect(await snapshot()).to.deep.equal(before);
  });

  it('keeps only the file name of a path-traversal name', async () => {
    const response = await upload(applicant, aPdf(), '../../etc/passwd.pdf').expect(201);
    expect(response.body.filename).to.equal('passwd.pdf');
  });

  it('lets a match-funding line point at its evidence letter, and refuses a letter of another bid', async () => {
    const letter = (await upload(applicant, aPdf(), 'letter.pdf', 'match-evidence').expect(201)).body;
    const body = aBidBody();
    body.matchFunding![0].evidenceAttachmentId = letter.id;
    const saved = (await applicant.agent.put(`/api/v1/bids/${bid.id}`).send(body).expect(200)).body;
    expect(saved.matchFunding[0].evidenceAttachmentId).to.equal(letter.id);

    const other = (await applicant.agent.post(`/api/v1/calls/${call.id}/bids`).send({}).expect(201)).body;
    const response = await applicant.agent.put(`/api/v1/bids/${other.id}`).send(body);
    expect(response.status).to.equal(422);
    expect(response.body.error.details).to.deep.equal([
      {
        path: '/matchFunding/0/evidenceAttachmentId',
        message: 'The evidence letter must be a file uploaded to this bid',
      },
    ]);
    // And the letter a line points at cannot be removed from under it.
    expect((await applicant.agent.delete(`/api/v1/bids/${bid.id}/attachments/${letter.id}`)).status).to.equal(409);
  });

  it("removes a draft's file, but keeps one that is part of a submitted version", async () => {
    const spare = (await upload(applicant, aPng(), 'spare.png').expect(201)).body;
    await applicant.agent.delete(`/api/v1/bids/${bid.id}/attachments/${spare.id}`).expect(204);
    expect(await test.knex('attachments').where({ id: spare.id })).to.have.length(0);

    const kept = (await upload(applicant, aPdf(), 'plan.pdf').expect(201)).body;
    const submitted = (await applicant.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200)).body;
    expect(submitted.attachments.map((a: { id: string }) => a.id)).to.deep.equal([kept.id]);
    expect((await applicant.agent.delete(`/api/v1/bids/${bid.id}/attachments/${kept.id}`)).status).to.equal(409);
  });

  it('refuses uploads and removals after the deadline with 409', async () => {
    const file = (await upload(applicant, aPng(), 'a.png').expect(201)).body;
    test.clock.set(new Date(Date.parse(call.closesAt) + 1000));
    expect((await upload(applicant, aPng(), 'b.png')).status).to.equal(409);
    expect((await applicant.agent.delete(`/api/v1/bids/${bid.id}/attachments/${file.id}`)).status).to.equal(409);
  });

  it('records uploads and removals as audit events', async () => {
    const file = (await upload(applicant, aPng(), 'a.png').expect(201)).body;
    await applicant.agent.delete(`/api/v1/bids/${bid.id}/attachments/${file.id}`).expect(204);
    const actions = (await test.knex('auditEvents').where({ bidId: bid.id }).orderBy('id')).map((e) => e.action);
    expect(actions).to.deep.equal(['bid.created', 'attachment.added', 'attachment.removed']);
  });

  it("lets only the bid's organisation upload and remove; others 401, 403 or 404", async () => {
    const file = (await upload(applicant, aPng(), 'a.png').expect(201)).body;
    const stranger = await anApplicant(test);
    const appraiser = await anAppraiser(test, officer.actor.funderId!);
    expect((await upload(stranger, aPng(), 'x.png')).status).to.equal(404);
    expect((await upload(officer, aPng(), 'x.png')).status).to.equal(403);
    expect((await upload(appraiser, aPng(), 'x.png')).status).to.equal(403);
    expect(
      (await anonymous(test).post(`/api/v1/bids/${bid.id}/attachments`).attach('file', aPng(), 'x.png')).status,
    ).to.equal(401);
    const path = `/api/v1/bids/${bid.id}/attachments/${file.id}`;
    expect((await stranger.agent.delete(path)).status).to.equal(404);
    expect((await officer.agent.delete(path)).status).to.equal(403);
    expect((await stranger.agent.get(path)).status).to.equal(404);
    expect((await appraiser.agent.get(path)).status).to.equal(404);
    expect((await anonymous(test).get(path)).status).to.equal(401);
    await applicant.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
    expect((await officer.agent.get(path)).status).to.equal(200);
    expect(await test.knex('attachments')).to.have.length(1);
  });

  it(
    "shows the funder's officer only files that were part of a submitted version, never one " + 'uploaded since',
    async () => {
      const submitted = (await upload(applicant, aPdf('Submitted plan'), 'plan.pdf').expect(201)).body;
      await applicant.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
      const since = (await upload(applicant, aPdf('Not yet submitted'), 'draft.pdf').expect(201)).body;
      const path = (file: { id: string }) => `/api/v1/bids/${bid.id}/attachments/${file.id}`;
      expect((await officer.agent.get(path(submitted))).status).to.equal(200);
      expect((await officer.agent.get(path(since))).status).to.equal(404);
      expect((await applicant.agent.get(path(since))).status).to.equal(200);
      expect(
        (await officer.agent.get(`/api/v1/bids/${bid.id}`).expect(200)).body.attachments.map(
          (a: { id: string }) => a.id,
        ),
      ).to.deep.equal([submitted.id]);
    },
  );

  /** Files stored straight into the bid, one at a time: `count` of them, each `sizeBytes` long. */
  async function storedFiles(count: number, sizeBytes: number) {
    const data = Buffer.alloc(sizeBytes, 'x');
    for (let i = 0; i < count; i += 1) {
      await test.knex('attachments').insert({
        bidId: bid.id,
        filename: `f${i}.pdf`,
        contentType: 'application/pdf',
        purpose: 'supporting',
        sizeBytes,
        sha256: '0'.repeat(64),
        data,
        uploadedBy: applicant.actor.id,
      });
    }
  }

  it('refuses a 51st file with 409, before reading it, and stores nothing', async () => {
    await storedFiles(49, 1000);
    await upload(applicant, aPng(), 'fiftieth.png').expect(201);
    const before = await snapshot();
    // Over 20 MB: read, it would be refused as too large.
    const response = await upload(applicant, aPdf('big', 21 * 1024 * 1024), 'fifty-first.pdf');
    expect(response.status).to.equal(409);
    expect(response.body.error.message).to.equal('A bid can carry at most 50 files: remove one before adding another');
    expect(await snapshot()).to.deep.equal(before);
  });

  it(
    "refuses with 413 a file that would take the bid's files past 200 MB in all, and stores " + 'nothing',
    async function () {
      this.timeout(180_000);
      await storedFiles(10, 19 * 1024 * 1024);
      const before = await snapshot();
      const response = await upload(applicant, aPdf('just over ten megabytes', 10 * 1024 * 1024 + 1024), 'large.pdf');
      expect(response.status).to.equal(413);
      expect(response.body.error.message).to.equal(
        "A bid's files can come to at most 200 MB in all: remove one, or upload a smaller file",
      );
      expect(await snapshot()).to.deep.equal(before);
      await upload(applicant, aPng(), 'small.png').expect(201);
    },
  );

  it(
    'reads at most MAX_CONCURRENT_UPLOADS uploads at once in a process; the rest wait their ' + 'turn and are stored',
    async function () {
      this.timeout(60_000);
      let most = 0;
      const watch = setInterval(() => (most = Math.max(most, uploadsInProgress.active)), 1);
      const responses = await Promise.all(
        Array.from({ length: MAX_CONCURRENT_UPLOADS * 2 }, (_, i) =>
          upload(applicant, aPdf(`letter ${i}`, 2 * 1024 * 1024), `l${i}.pdf`),
        ),
      );
      clearInterval(watch);
      expect(responses.map((r) => r.status)).to.deep.equal(responses.map(() => 201));
      expect(most).to.equal(MAX_CONCURRENT_UPLOADS);
      expect(uploadsInProgress.active).to.equal(0);
    },
  );

  describe('the panel reads the files of the appraised version only', () => {
    // A file submitted, then one added to the draft before the deadline and never submitted: the applicant's alone.
    async function aBidAppraisedWithALaterFile() {
      const submitted = (await upload(applicant, aPdf('Partnership agreement'), 'agreement.pdf').expect(201)).body;
      await applicant.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
      const later = (await upload(applicant, aPdf('A draft not yet submitted'), 'later.pdf').expect(201)).body;
      test.clock.set(new Date(Date.parse(call.closesAt) + 1000));
      const appraiser = await anAppraiser(test, officer.actor.funderId!);
      const panel = { appraiserIds: [appraiser.actor.id] };
      await officer.agent.put(`/api/v1/calls/${call.id}/panel`).send(panel).expect(200);
      await appraiser.agent.post(`/api/v1/bids/${bid.id}/conflict`).send({ conflict: false }).expect(200);
      return { submitted, later, appraiser };
    }

    async function fileIdsIn(reader: TestUser): Promise<string[]> {
      const { body } = await reader.agent.get(`/api/v1/bids/${bid.id}`).expect(200);
      return body.attachments.map((a: { id: string }) => a.id);
    }

    for (const role of ['officer', 'appraiser'] as const) {
      it(`shows the ${role} the submitted file in the bid and its downloads, and the later one nowhere`, async () => {
        const { submitted, later, appraiser } = await aBidAppraisedWithALaterFile();
        const reader = role === 'officer' ? officer : appraiser;
        expect(await fileIdsIn(reader)).to.deep.equal([submitted.id]);
        expect((await reader.agent.get(`/api/v1/bids/${bid.id}/attachments/${submitted.id}`)).status).to.equal(200);
        expect((await reader.agent.get(`/api/v1/bids/${bid.id}/attachments/${later.id}`)).status).to.equal(404);
        expect((await reader.agent.get(`/bids/${bid.id}/files/${submitted.id}`)).status).to.equal(200);
        expect((await reader.agent.get(`/bids/${bid.id}/files/${later.id}`)).status).to.equal(404);
        const pagePath = role === 'officer' ? `/officer/bids/${bid.id}` : `/appraisal/bids/${bid.id}`;
        const page = (await reader.agent.get(pagePath).expect(200)).text;
        expect(page).to.contain(`/api/v1/bids/${bid.id}/attachments/${submitted.id}`);
        expect(page).to.contain('agreement.pdf');
        expect(page).not.to.contain(later.id);
        expect(page).not.to.contain('later.pdf');
      });
    }

    it('leaves the later file to the applicant, who reads and downloads it with the rest', async () => {
      const { submitted, later } = await aBidAppraisedWithALaterFile();
      expect(await fileIdsIn(applicant)).to.deep.equal([submitted.id, later.id]);
      expect((await applicant.agent.get(`/api/v1/bids/${bid.id}/attachments/${later.id}`)).status).to.equal(200);
    });
  });
});
