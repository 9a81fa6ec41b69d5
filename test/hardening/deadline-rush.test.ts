/**
 * A thousand submissions across bids in the last moments before the deadline, over real HTTP with the real
 * clock running: every one that completed by closesAt is kept, every later one refused, no duplicate versions.
 */
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBid } from '../../server/bids/service.ts';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anOfficer, buildTestApp, PASSWORD, type TestApp, aPublishedCall } from '../support/app.ts';

const BIDS = 1000;
const APPLICANTS = 10;

describe('the deadline rush', () => {
  let test: TestApp;
  let server: http.Server;
  beforeEach(() => {
    test = buildTestApp();
  });
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await test.close();
  });

  it('keeps every submission completed by closesAt, refuses every later one, and never duplicates a version', async function () {
    this.timeout(180_000);
    const officer = await anOfficer(test);
    const call = await aPublishedCall(officer);
    const closesAt = Date.parse(call.closesAt);

    const applicants = await Promise.all(Array.from({ length: APPLICANTS }, () => anApplicant(test)));
    const bids: { id: string; applicant: number }[] = [];
    for (let i = 0; i < BIDS; i += 1) {
      const a = i % APPLICANTS;
      const view = await createBid(test.ctx, applicants[a].actor, call.id, aBidBody({ title: `Bid ${i}` }));
      bids.push({ id: view.bid.id, applicant: a });
    }

    server = http.createServer(test.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 200 });
    const cookies = await Promise.all(
      applicants.map(async ({ email }) => {
        const response = await fetch(`http://127.0.0.1:${port}/api/v1/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: PASSWORD }),
        });
        return response.headers.get('set-cookie')!.split(';')[0];
      }),
    );

    // Stand the server's clock ten seconds before the deadline; once a quarter of the answers are in, move it on to
    // 50 ms before, and let real time carry it past while the other three quarters are in flight. Moving it on by
    // progress, not by a fixed time, keeps the deadline inside the rush however fast the machine is.
    test.clock.runShiftedBy(closesAt - 10_000 - Date.now());
    let answered = 0;
    const submit = (bid: { id: string; applicant: number }) =>
      new Promise<{ id: string; status: number; body: { receipt?: { submittedAt: string } } }>((resolve, reject) => {
        const request = http.request(
          {
            host: '127.0.0.1',
            port,
            agent,
            method: 'POST',
            path: `/api/v1/bids/${bid.id}/submit`,
            headers: { cookie: cookies[bid.applicant], 'content-type': 'application/json' },
          },
          (response) => {
            let text = '';
            response.on('data', (chunk) => (text += chunk));
            response.on('end', () => {
              answered += 1;
              if (answered === BIDS / 4) test.clock.runShiftedBy(closesAt - 50 - Date.now());
              resolve({ id: bid.id, status: response.statusCode!, body: JSON.parse(text) });
            });
          },
        );
        request.on('error', reject);
        request.end();
      });
    const results = await Promise.all(bids.map(submit));
    agent.destroy();

    const accepted = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 409);
    console.log(`      ${accepted.length} submissions kept, ${refused.length} refused after the deadline`);
    expect(accepted.length + refused.length, 'every answer is 200 or 409').to.equal(BIDS);
    expect(accepted.length).to.be.at.least(BIDS / 4);
    expect(refused.length).to.be.greaterThan(0);
    for (const r of accepted) expect(Date.parse(r.body.receipt!.submittedAt)).to.be.at.most(closesAt);

    const versions = await test.knex('bidVersions').select('bidId', 'version', 'submittedAt');
    expect(versions).to.have.length(accepted.length);
    expect(new Set(versions.map((v) => v.bidId)).size).to.equal(accepted.length);
    expect(versions.every((v) => v.version === 1 && v.submittedAt.getTime() <= closesAt)).to.equal(true);
    const keptIds = new Set(accepted.map((r) => r.id));
    expect(new Set(versions.map((v) => v.bidId))).to.deep.equal(keptIds);
    const statuses = await test.knex('bids').select('id', 'status');
    for (const { id, status } of statuses) expect(status, id).to.equal(keptIds.has(id) ? 'submitted' : 'draft');
    const events = await test
      .knex('auditEvents')
      .where({ action: 'bid.submitted' })
      .count<{ count: string }[]>('* as count');
    expect(Number(events[0].count)).to.equal(accepted.length);
  });
});
