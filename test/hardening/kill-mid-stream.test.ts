/**
 * The server killed with SIGKILL in the middle of a stream of uploads and submissions: after a restart every
 * bid is either wholly submitted (version, gateway, attachments) or still the draft it was; no orphan rows,
 * no truncated file.
 */
import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { createBid } from '../../server/bids/service.ts';
import { freePort } from '../../server/db/ports.ts';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anOfficer, buildTestApp, type TestApp, aPublishedCall } from '../support/app.ts';
import { healthy, signInCookie, startServer } from '../support/serverProcess.ts';
import { aPdf } from '../support/files.ts';

const BIDS = 40;

describe('the server killed mid-stream', () => {
  let test: TestApp;
  let child: ChildProcess | undefined;
  beforeEach(() => {
    test = buildTestApp();
  });
  afterEach(async () => {
    child?.kill('SIGKILL');
    await test.close();
  });

  it(
    'leaves every bid wholly submitted or still its draft, with no orphan rows and no ' + 'truncated file',
    async function () {
      this.timeout(180_000);
      const officer = await anOfficer(test);
      const call = await aPublishedCall(officer);
      const applicant = await anApplicant(test);
      const bidIds: string[] = [];
      for (let i = 0; i < BIDS; i += 1)
        bidIds.push((await createBid(test.ctx, applicant.actor, call.id, aBidBody({ title: `Bid ${i}` }))).bid.id);

      const port = await freePort();
      child = startServer(port);
      await healthy(port);
      const base = `http://127.0.0.1:${port}/api/v1`;
      const cookie = await signInCookie(port, applicant.email);
      // An upload with the session cookie carries the session's CSRF token, as any API client's does.
      const { csrfToken } = (await (await fetch(`${base}/csrf-token`, { headers: { cookie } })).json()) as {
        csrfToken: string;
      };

      // Each bid: upload a letter of a few hundred kilobytes, then submit. Eight at a time; kill once a quarter of
      // the bids are through, so the kill lands mid-stream however fast the machine is (at most eight more can
      // finish while the other requests are in flight).
      const letter = aPdf('Match funding letter', 400_000);
      let started = 0;
      let finished = 0;
      let quarterThrough!: () => void;
      const killPoint = new Promise<void>((resolve) => {
        quarterThrough = resolve;
      });
      const worker = async () => {
        while (started < BIDS) {
          const id = bidIds[started++];
          try {
            const form = new FormData();
            form.append('file', new Blob([new Uint8Array(letter)], { type: 'application/pdf' }), 'letter.pdf');
            await fetch(`${base}/bids/${id}/attachments`, {
              method: 'POST',
              headers: { cookie, 'x-csrf-token': csrfToken },
              body: form,
            });
            const submit = await fetch(`${base}/bids/${id}/submit`, {
              method: 'POST',
              headers: { cookie, 'content-type': 'application/json' },
            });
            if (submit.ok) finished += 1;
            if (finished === BIDS / 4) quarterThrough();
          } catch {
            // the server died under this request
          }
        }
      };
      const stream = Promise.all(Array.from({ length: 8 }, worker));
      await Promise.race([killPoint, stream]);
      child.kill('SIGKILL');
      await stream;

      child = startServer(port);
      await healthy(port);

      const { knex } = test;
      // No truncated file: every stored file is exactly as long as recorded and hashes to its recorded SHA-256.
      const badFiles = await knex.raw(
        "select id from attachments where octet_length(data) <> size_bytes or encode(sha256(data), 'hex') <> sha256",
      );
      expect(badFiles.rows).to.deep.equal([]);

      let submitted = 0;
      for (const id of bidIds) {
        const bid = await knex('bids').where({ id }).first();
        const versions = await knex('bidVersions').where({ bidId: id }).orderBy('version');
        const attachments = await knex('attachments').where({ bidId: id });
        const events = await knex('auditEvents').where({ bidId: id }).select('action');
        const count = (action: string) => events.filter((e) => e.action === action).length;
        expect(count('attachment.added'), `${id} attachment events`).to.equal(attachments.length);
        if (bid.status === 'submitted') {
          submitted += 1;
          expect(versions.map((v) => v.version)).to.deep.equal([1]);
          expect(bid.currentVersion).to.equal(1);
          expect(versions[0].gateway).to.have.length(8);
          expect(count('bid.submitted')).to.equal(1);
          const listed = JSON.parse(versions[0].canonicalJson).attachments as { id: string; sha256: string }[];
          for (const file of listed)
            expect(attachments.find((a) => a.id === file.id)?.sha256, file.id).to.equal(file.sha256);
        } else {
          expect(bid.status).to.equal('draft');
          expect(bid.currentVersion).to.equal(null);
          expect(versions).to.deep.equal([]);
          expect(count('bid.submitted')).to.equal(0);
        }
      }
      console.log(
        `      ${submitted} of ${BIDS} bids were wholly submitted before the kill; the rest are intact drafts`,
      );
      expect(submitted)
        .to.be.at.least(BIDS / 4)
        .and.lessThan(BIDS);

      // The restarted server serves what was submitted.
      const listed = await fetch(`${base}/calls/${call.id}/bids`, {
        headers: { cookie: await signInCookie(port, applicant.email) },
      });
      const items = ((await listed.json()) as { items: { status: string }[] }).items;
      expect(items.filter((b) => b.status === 'submitted')).to.have.length(submitted);
    },
  );
});
