import { expect } from 'chai';
import { aBidBody, aCallBody } from '../support/builders.ts';
import { anApplicant, anOfficer, anonymous, buildTestApp, type TestApp, type TestUser, aPublishedCall } from '../support/app.ts';
import { snapshot } from '../support/database.ts';

describe('hostile input', () => {
  let test: TestApp;
  let officer: TestUser;
  let applicant: TestUser;
  let callId: string;
  beforeEach(async () => {
    test = buildTestApp();
    officer = await anOfficer(test);
    applicant = await anApplicant(test);
    callId = (await officer.agent.post('/api/v1/calls').send(aCallBody()).expect(201)).body.id;
    await officer.agent.post(`/api/v1/calls/${callId}/publish`).expect(200);
  });
  afterEach(() => test.close());

  it('refuses an oversized JSON body with 413 and stores nothing', async () => {
    const before = await snapshot();
    const response = await applicant.agent
      .post(`/api/v1/calls/${callId}/bids`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ summary: 'x'.repeat(3 * 1024 * 1024) }));
    expect(response.status).to.equal(413);
    expect(response.body.error.code).to.equal('too-large');
    expect(await snapshot()).to.deep.equal(before);
  });

  it('refuses deeply nested JSON cleanly, without a server error', async () => {
    const depth = 100_000;
    const response = await applicant.agent
      .post(`/api/v1/calls/${callId}/bids`)
      .set('Content-Type', 'application/json')
      .send(`{"narrative":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    expect(response.status).to.be.oneOf([400, 422]);
    expect(response.body.error.message).not.to.match(/stack|RangeError/i);
  });

  it('refuses wrong types with a detail for each field', async () => {
    const response = await applicant.agent
      .post(`/api/v1/calls/${callId}/bids`)
      .send({ title: 42, geography: 'Derby', partners: {}, totalEligibleCostPence: '120000000', outputTargets: [{ indicator: 'P-TOTAL', target: -1 }] });
    expect(response.status).to.equal(422);
    const paths = response.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).to.include.members(['/title', '/geography', '/partners', '/totalEligibleCostPence', '/outputTargets/0/target']);
  });

  it('stores SQL and template injection strings as text and shows them as text', async () => {
    const title = "Robert'); DROP TABLE bids;-- {{constructor.constructor('return process')()}} ${7*7}";
    const bid = (await applicant.agent.post(`/api/v1/calls/${callId}/bids`).send(aBidBody({ title })).expect(201)).body;
    expect(bid.title).to.equal(title);
    const stored = await test.knex('bids').where({ id: bid.id }).first();
    expect(stored.draft.title).to.equal(title);
    await applicant.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
    expect(await test.knex('bids')).to.have.length(1);
    const description = '<img src=x onerror=alert(1)> {{this}}';
    const other = await aPublishedCall(officer, { description });
    const page = await anonymous(test).get(`/calls/${other.id}`).expect(200);
    expect(page.text).to.contain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; {{this}}');
  });

  it('refuses control characters in text that no XML spreadsheet could carry, and stores nothing', async () => {
    const before = await snapshot();
    const response = await applicant.agent
      .post(`/api/v1/calls/${callId}/bids`)
      .send(aBidBody({ title: 'Bell\u0007', narrative: { need: 'Escape\u001b[31m' } }));
    expect(response.status).to.equal(422);
    expect(response.body.error.details).to.deep.equal([
      { path: '/title', message: 'Must not contain control characters (only tabs and line breaks)' },
      { path: '/narrative/need', message: 'Must not contain control characters (only tabs and line breaks)' },
    ]);
    expect(await snapshot()).to.deep.equal(before);
    await applicant.agent.post(`/api/v1/calls/${callId}/bids`).send(aBidBody({ summary: 'Tabs\tand\nline breaks stay' })).expect(201);
  });

  it('answers a request without JSON content type on the API with 415, even with a session', async () => {
    const response = await applicant.agent.post(`/api/v1/calls/${callId}/bids`).set('Content-Type', 'text/plain').send('{"title":"x"}');
    expect(response.status).to.equal(415);
  });

  it('treats an id that is not a uuid, or an injection in its place, as not found', async () => {
    for (const id of ["1' OR '1'='1", '../../etc/passwd', '%00']) {
      const response = await applicant.agent.get(`/api/v1/bids/${encodeURIComponent(id)}`);
      expect(response.status, id).to.equal(404);
    }
  });
});
