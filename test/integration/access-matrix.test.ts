/**
 * Every API endpoint against every role that must not reach it, generated from the app's own route table:
 * a route added without an entry here fails this test, and so does an entry for a route that no longer exists.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { anApplicant, anOfficer, aPublishedCall, useTestApp, PASSWORD } from '../support/app.ts';
import { routeTable } from '../support/routeTable.ts';
import { snapshot } from '../support/database.ts';
import { aPng } from '../support/files.ts';
import { anAccessWorld, describeAccessMatrix, pathIn, type Statuses } from '../support/accessWorld.ts';

// Expected status for each role, in the order of OUTSIDER_ROLES. Bodies are empty: refusal must come before validation.
const EXPECTED: Record<string, Statuses> = {
  'GET /healthz': [200, 200, 200, 200, 200],
  'POST /api/v1/register': [422, 422, 422, 422, 422],
  'POST /api/v1/session': [422, 422, 422, 422, 422],
  'GET /api/v1/me': [401, 200, 200, 200, 200],
  'POST /api/v1/users': [401, 403, 403, 403, 422],
  'GET /api/v1/indicators': [200, 200, 200, 200, 200],
  'GET /api/v1/calls': [200, 200, 200, 200, 200],
  'POST /api/v1/calls': [401, 403, 403, 403, 422],
  'GET /api/v1/calls/:id': [200, 200, 200, 200, 200],
  'PUT /api/v1/calls/:id': [401, 403, 403, 403, 404],
  'POST /api/v1/calls/:id/publish': [401, 403, 403, 403, 404],
  'POST /api/v1/calls/:id/close': [401, 403, 403, 403, 404],
  'POST /api/v1/calls/:id/bids': [401, 409, 403, 403, 403],
  'GET /api/v1/calls/:id/bids': [401, 200, 404, 200, 404],
  'GET /api/v1/bids/:id': [401, 404, 404, 404, 404],
  'PUT /api/v1/bids/:id': [401, 404, 403, 403, 403],
  'POST /api/v1/bids/:id/submit': [401, 404, 403, 403, 403],
  'POST /api/v1/bids/:id/withdraw': [401, 404, 403, 403, 403],
  'PUT /api/v1/bids/:id/partners/:partnerId': [401, 404, 403, 403, 403],
  'POST /api/v1/bids/:id/partners/:partnerId/complete': [401, 404, 403, 403, 403],
  'DELETE /api/v1/bids/:id/partners/:partnerId': [401, 404, 403, 403, 403],
  'POST /api/v1/bids/:id/partners/:partnerId/invitation': [401, 404, 403, 403, 403],
  'GET /api/v1/bids/:id/versions/:version': [401, 404, 404, 404, 404],
  // The world's call has closed: no offer is taken, whatever the body.
  'POST /api/v1/calls/:id/offers': [401, 409, 403, 403, 403],
  'GET /api/v1/calls/:id/offers': [401, 200, 403, 403, 404],
  'DELETE /api/v1/offers/:id': [401, 404, 403, 403, 403],
  'GET /api/v1/calls/:id/overlaps': [401, 403, 403, 403, 404],
  'POST /api/v1/bids/:id/attachments': [401, 404, 403, 403, 403],
  'GET /api/v1/bids/:id/attachments/:attachmentId': [401, 404, 404, 404, 404],
  'DELETE /api/v1/bids/:id/attachments/:attachmentId': [401, 404, 403, 403, 403],
  'GET /api/v1/calls/:id/bid-template.xlsx': [401, 200, 403, 403, 200],
  'POST /api/v1/bids/:id/import': [401, 404, 403, 403, 403],
  'PUT /api/v1/calls/:id/panel': [401, 403, 403, 403, 404],
  'POST /api/v1/bids/:id/conflict': [401, 403, 404, 404, 403],
  'GET /api/v1/bids/:id/scores/mine': [401, 403, 404, 404, 403],
  'PUT /api/v1/bids/:id/scores/mine': [401, 403, 404, 404, 403],
  'GET /api/v1/bids/:id/scores': [401, 404, 404, 404, 404],
  'PUT /api/v1/bids/:id/moderation': [401, 403, 403, 403, 404],
  'GET /api/v1/calls/:id/appraisal': [401, 403, 403, 403, 404],
  'POST /api/v1/bids/:id/decision': [401, 403, 403, 403, 404],
  'GET /api/v1/bids/:id/audit': [401, 404, 404, 404, 404],
  'GET /api/v1/calls/:id/appraisal.xlsx': [401, 403, 403, 403, 404],
  // Open data is for anyone, once the call is decided; this one is still in appraisal.
  'GET /api/v1/calls/:id/360giving.json': [409, 409, 409, 409, 409],
  'POST /api/v1/bids/:id/clarifications': [401, 403, 403, 403, 404],
  'GET /api/v1/bids/:id/clarifications': [401, 404, 404, 404, 404],
  'POST /api/v1/bids/:id/clarifications/:clarificationId/answer': [401, 404, 403, 403, 403],
  'GET /api/v1/bids/:id/versions': [401, 404, 404, 404, 404],
  'GET /api/v1/bids/:id/versions/:from/changes/:to': [401, 404, 404, 404, 404],
  'PUT /api/v1/calls/:id/release': [401, 403, 403, 403, 404],
  'PUT /api/v1/bids/:id/feedback': [401, 403, 403, 403, 404],
  'GET /api/v1/csrf-token': [401, 200, 200, 200, 200],
  // The other applicant is the admin of an organisation of its own: its own, found; someone not in it, not found.
  'GET /api/v1/organisations/mine': [401, 200, 403, 403, 403],
  'POST /api/v1/organisations/mine/invitations': [401, 422, 403, 403, 403],
  'DELETE /api/v1/organisations/mine/members/:userId': [401, 404, 403, 403, 403],
  'POST /api/v1/staff-invitations': [401, 403, 403, 403, 422],
  // Without a live token's link there is nothing to see or accept, whoever asks.
  'GET /api/v1/invitations/:token': [404, 404, 404, 404, 404],
  'POST /api/v1/invitations/:token/accept': [404, 404, 404, 404, 404],
  // The link is checked before the body: ':token' is no link.
  'POST /api/v1/password-reset': [422, 422, 422, 422, 422],
  'POST /api/v1/password-reset/:token': [404, 404, 404, 404, 404],
  'PUT /api/v1/me/password': [401, 422, 422, 422, 422],
  // Last: it signs the role out.
  'DELETE /api/v1/session': [401, 204, 204, 204, 204],
};

function isCovered(path: string): boolean {
  return path.startsWith('/api/') || path === '/healthz';
}

describeAccessMatrix('access matrix: every endpoint × every role that must not reach it', {
  expected: EXPECTED,
  covers: isCovered,
  timeoutMs: 60_000,
  prepare: async () => undefined,
  send: async ({ agent, method, path }) => {
    let request = agent[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](path);
    if (method === 'POST' && path.endsWith('/attachments')) request = request.attach('file', aPng(), 'x.png');
    else if (method !== 'GET' && method !== 'DELETE') request = request.send({});
    return (await request).status;
  },
});

describe('forgery matrix: every API endpoint that changes something, ridden with the session cookie', () => {
  const test = useTestApp();

  it(
    'refuses a body that is not JSON, an empty one included, a multipart one without the ' +
      'token, and any from another site',
    async function () {
      this.timeout(120_000);
      const world = await anAccessWorld(test);
      const applicant = await anApplicant(test);
      const signIn = await supertest(test.app)
        .post('/api/v1/session')
        .send({ email: applicant.email, password: PASSWORD })
        .expect(200);
      const cookie = signIn.headers['set-cookie'] as unknown as string[];
      const before = await snapshot();
      const changing = routeTable(test.app).filter((r) => r.path.startsWith('/api/') && r.method !== 'GET');
      expect(changing.length).to.be.at.least(20);
      const failures: string[] = [];
      for (const { method, path: template } of changing) {
        const path = pathIn(world, template);
        const open = () =>
          supertest(test.app)[method.toLowerCase() as 'post' | 'put' | 'delete'](path).set('Cookie', cookie);
        const attempts: [string, () => Promise<supertest.Response>, number][] = [
          ['no body, no type', () => open(), 415],
          ['empty text/plain', () => open().set('Content-Type', 'text/plain').send(''), 415],
          ['a form post', () => open().type('form').send({ title: 'x' }), 415],
          ['multipart without the token', () => open().attach('file', aPng(), 'x.png'), 403],
          [
            'multipart with a forged token',
            () => open().set('X-CSRF-Token', 'forged').attach('file', aPng(), 'x.png'),
            403,
          ],
          ['JSON from another site', () => open().set('Sec-Fetch-Site', 'cross-site').send({}), 403],
          ['JSON from a sibling subdomain', () => open().set('Sec-Fetch-Site', 'same-site').send({}), 403],
          ['JSON with a foreign Origin', () => open().set('Origin', 'https://attacker.example').send({}), 403],
        ];
        for (const [what, attempt, expected] of attempts) {
          const { status } = await attempt();
          if (status !== expected) failures.push(`${method} ${template}, ${what}: expected ${expected}, got ${status}`);
        }
      }
      expect(failures).to.deep.equal([]);
      expect(await snapshot()).to.deep.equal(before);
    },
  );

  it(
    'takes a multipart upload with the token from GET /api/v1/csrf-token, and from a program ' +
      'without the cookie nothing is asked',
    async () => {
      const call = await aPublishedCall(await anOfficer(test));
      const applicant = await anApplicant(test);
      const agent = supertest.agent(test.app);
      await agent.post('/api/v1/session').send({ email: applicant.email, password: PASSWORD }).expect(200);
      const { csrfToken } = (await agent.get('/api/v1/csrf-token').expect(200)).body;
      expect(csrfToken).to.be.a('string').with.length.above(20);
      const bid = (await agent.post(`/api/v1/calls/${call.id}/bids`).send({}).expect(201)).body;
      await agent
        .post(`/api/v1/bids/${bid.id}/attachments`)
        .set('X-CSRF-Token', csrfToken)
        .attach('file', aPng(), 'a.png')
        .expect(201);
      await agent.post(`/api/v1/bids/${bid.id}/submit`).set('Content-Type', 'application/json').expect(422);
      // Nothing to ride without the cookie: the answer is the route's own (here: sign in first).
      expect(
        (await supertest(test.app).post(`/api/v1/bids/${bid.id}/withdraw`).set('Content-Type', 'text/plain').send(''))
          .status,
      ).to.equal(401);
      expect(
        (await supertest(test.app).post(`/api/v1/bids/${bid.id}/attachments`).attach('file', aPng(), 'a.png')).status,
      ).to.equal(401);
      expect((await supertest(test.app).get('/api/v1/csrf-token')).status).to.equal(401);
    },
  );
});
