/**
 * Every page route against every role that must not reach it, generated from the app's own route table: a page
 * added without an entry here fails this test. Form posts carry each role's own valid CSRF token, so what is
 * tested is who may act, not whether the form was forged (that is tested in pages.test.ts).
 */
import { aPng } from '../support/files.ts';
import { csrfTokenFrom } from '../support/pages.ts';
import { describeAccessMatrix, OUTSIDER_ROLES, type OutsiderRole, type Statuses } from '../support/accessWorld.ts';

// 303 is the redirect to sign in; public pages answer 200. Order as OUTSIDER_ROLES.
const EXPECTED: Record<string, Statuses> = {
  'GET /sign-in': [200, 200, 200, 200, 200],
  'POST /sign-in': [422, 422, 422, 422, 422],
  'GET /register': [200, 200, 200, 200, 200],
  'POST /register': [422, 422, 422, 422, 422],
  'GET /': [302, 302, 302, 302, 302],
  'GET /calls': [200, 200, 200, 200, 200],
  'GET /calls/:id': [200, 200, 200, 200, 200],
  'GET /appraisal': [303, 403, 200, 200, 403],
  'GET /appraisal/calls/:id': [303, 403, 404, 200, 403],
  'GET /appraisal/bids/:id/declare': [303, 403, 404, 404, 403],
  'POST /appraisal/bids/:id/declare': [303, 403, 404, 404, 403],
  'GET /appraisal/bids/:id': [303, 403, 404, 404, 403],
  'GET /appraisal/bids/:id/score': [303, 403, 404, 404, 403],
  'POST /appraisal/bids/:id/score': [303, 403, 404, 404, 403],
  'GET /officer': [303, 403, 403, 403, 302],
  'GET /officer/calls': [303, 403, 403, 403, 200],
  'GET /officer/calls/new': [303, 403, 403, 403, 200],
  'POST /officer/calls': [303, 403, 403, 403, 422],
  'GET /officer/calls/:id/edit': [303, 403, 403, 403, 404],
  'POST /officer/calls/:id/edit': [303, 403, 403, 403, 404],
  'POST /officer/calls/:id/publish': [303, 403, 403, 403, 404],
  'POST /officer/calls/:id/close': [303, 403, 403, 403, 404],
  'GET /officer/calls/:id': [303, 403, 403, 403, 404],
  'GET /officer/calls/:id/panel': [303, 403, 403, 403, 404],
  'POST /officer/calls/:id/panel': [303, 403, 403, 403, 404],
  'GET /officer/calls/:id/moderation': [303, 403, 403, 403, 404],
  'GET /officer/bids/:id/moderate': [303, 403, 403, 403, 404],
  'POST /officer/bids/:id/moderate': [303, 403, 403, 403, 404],
  'GET /officer/calls/:id/ranking': [303, 403, 403, 403, 404],
  'GET /officer/calls/:id/mail': [303, 403, 403, 403, 404],
  'GET /officer/calls/:id/decisions': [303, 403, 403, 403, 404],
  'POST /officer/calls/:id/release': [303, 403, 403, 403, 404],
  'GET /officer/bids/:id/decision': [303, 403, 403, 403, 404],
  'POST /officer/bids/:id/decision': [303, 403, 403, 403, 404],
  'POST /officer/bids/:id/feedback': [303, 403, 403, 403, 404],
  'GET /officer/bids/:id': [303, 403, 403, 403, 404],
  'GET /officer/bids/:id/clarifications/new': [303, 403, 403, 403, 404],
  'POST /officer/bids/:id/clarifications/check': [303, 403, 403, 403, 404],
  'POST /officer/bids/:id/clarifications': [303, 403, 403, 403, 404],
  'GET /officer/bids/:id/clarifications/:clarificationId': [303, 403, 403, 403, 404],
  'GET /bids': [303, 302, 403, 403, 403],
  'GET /dashboard': [303, 200, 403, 403, 403],
  // The world's call has closed: no offer is taken, whatever the body.
  'GET /calls/:id/offers/new': [303, 409, 403, 403, 403],
  'POST /calls/:id/offers': [303, 409, 403, 403, 403],
  'GET /offers/:id/remove': [303, 404, 403, 403, 403],
  'POST /offers/:id/remove': [303, 404, 403, 403, 403],
  'GET /calls/:id/offers/:offerId/invite': [303, 404, 403, 403, 403],
  'POST /calls/:id/offers/:offerId/invite': [303, 404, 403, 403, 403],
  'GET /calls/:id/bids/new': [303, 409, 403, 403, 403],
  'POST /calls/:id/bids': [303, 409, 403, 403, 403],
  'GET /bids/:id': [303, 404, 403, 403, 403],
  'GET /bids/:id/check': [303, 404, 403, 403, 403],
  'POST /bids/:id/submit': [303, 404, 403, 403, 403],
  'GET /bids/:id/submitted': [303, 404, 403, 403, 403],
  'GET /bids/:id/withdraw': [303, 404, 403, 403, 403],
  'POST /bids/:id/withdraw': [303, 404, 403, 403, 403],
  'POST /bids/:id/attachments': [303, 404, 403, 403, 403],
  'POST /bids/:id/import': [303, 404, 403, 403, 403],
  'GET /bids/:id/clarifications/:clarificationId': [303, 404, 403, 403, 403],
  'POST /bids/:id/clarifications/:clarificationId/check': [303, 404, 403, 403, 403],
  'POST /bids/:id/clarifications/:clarificationId/answer': [303, 404, 403, 403, 403],
  'GET /bids/:id/clarifications/:clarificationId/receipt': [303, 404, 403, 403, 403],
  'POST /bids/:id/clarifications/:clarificationId/attachments': [303, 404, 403, 403, 403],
  'GET /bids/:id/files/:attachmentId': [303, 404, 404, 404, 404],
  'POST /bids/:id/files/:attachmentId/remove': [303, 404, 403, 403, 403],
  'GET /bids/:id/partners/:partnerId/invite': [303, 404, 403, 403, 403],
  'POST /bids/:id/partners/:partnerId/invite': [303, 404, 403, 403, 403],
  'GET /bids/:id/partners/:partnerId/remove': [303, 404, 403, 403, 403],
  'POST /bids/:id/partners/:partnerId/remove': [303, 404, 403, 403, 403],
  'GET /bids/:id/partners/:partnerId/part': [303, 404, 403, 403, 403],
  'POST /bids/:id/partners/:partnerId/part': [303, 404, 403, 403, 403],
  'POST /bids/:id/partners/:partnerId/complete': [303, 404, 403, 403, 403],
  'POST /bids/:id/partners/:partnerId/attachments': [303, 404, 403, 403, 403],
  'POST /bids/:id/partners/:partnerId/files/:attachmentId/remove': [303, 404, 403, 403, 403],
  'GET /bids/:id/:section': [303, 404, 403, 403, 403],
  'POST /bids/:id/:section': [303, 404, 403, 403, 403],
  'GET /organisation': [303, 200, 403, 403, 403],
  'GET /organisation/invite': [303, 200, 403, 403, 403],
  'POST /organisation/invite': [303, 422, 403, 403, 403],
  'GET /organisation/members/:userId/remove': [303, 404, 403, 403, 403],
  'POST /organisation/members/:userId/remove': [303, 404, 403, 403, 403],
  'GET /officer/staff': [303, 403, 403, 403, 200],
  'GET /officer/staff/invite': [303, 403, 403, 403, 200],
  'POST /officer/staff/invite': [303, 403, 403, 403, 422],
  'GET /invitations/:token': [404, 404, 404, 404, 404],
  'POST /invitations/:token': [404, 404, 404, 404, 404],
  'GET /forgot-password': [200, 200, 200, 200, 200],
  'POST /forgot-password': [422, 422, 422, 422, 422],
  'GET /forgot-password/sent': [200, 200, 200, 200, 200],
  'GET /reset-password/:token': [404, 404, 404, 404, 404],
  'POST /reset-password/:token': [404, 404, 404, 404, 404],
  'GET /change-password': [303, 200, 200, 200, 200],
  'POST /change-password': [303, 422, 422, 422, 422],
  // Last: it signs the role out.
  'POST /sign-out': [303, 303, 303, 303, 303],
};

function isPage(path: string): boolean {
  return !path.startsWith('/api/') && path !== '/healthz';
}

describeAccessMatrix('page access matrix: every page × every role that must not reach it', {
  expected: EXPECTED,
  covers: isPage,
  timeoutMs: 120_000,
  prepare: async (world) => {
    const tokens = await Promise.all(
      OUTSIDER_ROLES.map(async (role) => [role, await csrfTokenFrom(world.agents[role], '/sign-in')]),
    );
    return Object.fromEntries(tokens) as Record<OutsiderRole, string>;
  },
  send: async ({ agent, method, path, role, prepared: tokens }) => {
    if (method === 'GET') return (await agent.get(path)).status;
    if (path.endsWith('/attachments') || path.endsWith('/import'))
      return (await agent.post(path).field('_csrf', tokens[role]).attach('file', aPng(), 'x.png')).status;
    return (await agent.post(path).type('form').send({ _csrf: tokens[role] })).status;
  },
});
