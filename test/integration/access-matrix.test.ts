/**
 * Every API endpoint against every role that must not reach it, generated from the app's own route table:
 * a route added without an entry here fails this test, and so does an entry for a route that no longer exists.
 */
import { aPng } from '../unit/bids/fixtures.ts';
import { describeAccessMatrix, type Statuses } from '../support/accessWorld.ts';

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
  'GET /api/v1/bids/:id/versions/:version': [401, 404, 404, 404, 404],
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
