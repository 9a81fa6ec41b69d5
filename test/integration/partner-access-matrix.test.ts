/**
 * A delivery partner's member against every bid endpoint and page, generated from the app's own route table (a
 * bid route added without an entry here fails): on the bid it joined, it reads the draft, its versions and its
 * files, and is refused everything else but its own part (here the part asked for is another partner's); on the
 * lead's other bid it finds nothing. Every request is refused or only reads: the database is unchanged after.
 */
import { expect } from 'chai';
import type supertest from 'supertest';
import { aBidBody } from '../support/builders.ts';
import { useTestApp } from '../support/app.ts';
import { aConsortium } from '../support/consortium.ts';
import { snapshot } from '../support/database.ts';
import { aPng } from '../support/files.ts';
import { csrfTokenFrom } from '../support/pages.ts';
import { uncoveredRoutes } from '../support/accessWorld.ts';

/** What the partner member is answered on the bid it joined (asking for another partner's part), and on another. */
type PartnerStatuses = [onItsBid: number, onAnotherBid: number];

const EXPECTED: Record<string, PartnerStatuses> = {
  'GET /api/v1/bids/:id': [200, 404],
  'PUT /api/v1/bids/:id': [404, 404],
  'PUT /api/v1/bids/:id/partners/:partnerId': [403, 404],
  'POST /api/v1/bids/:id/partners/:partnerId/complete': [403, 404],
  'POST /api/v1/bids/:id/partners/:partnerId/invitation': [404, 404],
  'DELETE /api/v1/bids/:id/partners/:partnerId': [404, 404],
  'POST /api/v1/bids/:id/submit': [404, 404],
  'POST /api/v1/bids/:id/withdraw': [404, 404],
  'GET /api/v1/bids/:id/versions/:version': [200, 404],
  // Another partner's part, named in the upload's partnerId field.
  'POST /api/v1/bids/:id/attachments': [403, 404],
  'GET /api/v1/bids/:id/attachments/:attachmentId': [200, 404],
  // The lead's file.
  'DELETE /api/v1/bids/:id/attachments/:attachmentId': [403, 404],
  'POST /api/v1/bids/:id/clarifications': [403, 403],
  'GET /api/v1/bids/:id/clarifications': [200, 404],
  'POST /api/v1/bids/:id/clarifications/:clarificationId/answer': [404, 404],
  'GET /api/v1/bids/:id/versions': [200, 404],
  'GET /api/v1/bids/:id/versions/:from/changes/:to': [200, 404],
  'POST /api/v1/bids/:id/import': [404, 404],
  'POST /api/v1/bids/:id/conflict': [403, 403],
  'GET /api/v1/bids/:id/scores/mine': [403, 403],
  'PUT /api/v1/bids/:id/scores/mine': [403, 403],
  // As to the lead: scores are shared with the consortium once the decision is made (and released).
  'GET /api/v1/bids/:id/scores': [403, 404],
  'PUT /api/v1/bids/:id/moderation': [403, 403],
  'POST /api/v1/bids/:id/decision': [403, 403],
  'PUT /api/v1/bids/:id/feedback': [403, 403],
  'GET /api/v1/bids/:id/audit': [403, 404],
  'GET /bids/:id/partners/:partnerId/invite': [404, 404],
  'POST /bids/:id/partners/:partnerId/invite': [404, 404],
  'GET /bids/:id/partners/:partnerId/remove': [404, 404],
  'POST /bids/:id/partners/:partnerId/remove': [404, 404],
  'GET /bids/:id/partners/:partnerId/part': [403, 404],
  'POST /bids/:id/partners/:partnerId/part': [403, 404],
  'POST /bids/:id/partners/:partnerId/complete': [403, 404],
  'POST /bids/:id/partners/:partnerId/attachments': [403, 404],
  'POST /bids/:id/partners/:partnerId/files/:attachmentId/remove': [403, 404],
  // The clarification asked for is none of this bid's (clarificationPages.test.ts has the partner's member reading a
  // real one and refused its answer).
  'GET /bids/:id/clarifications/:clarificationId': [404, 404],
  'POST /bids/:id/clarifications/:clarificationId/check': [404, 404],
  'POST /bids/:id/clarifications/:clarificationId/answer': [404, 404],
  'GET /bids/:id/clarifications/:clarificationId/receipt': [404, 404],
  'POST /bids/:id/clarifications/:clarificationId/attachments': [404, 404],
  'GET /bids/:id': [200, 404],
  'GET /bids/:id/check': [200, 404],
  'POST /bids/:id/submit': [404, 404],
  'GET /bids/:id/submitted': [200, 404],
  // The withdrawal's page is the lead's: the partner's member is sent back to the bid.
  'GET /bids/:id/withdraw': [302, 404],
  'POST /bids/:id/withdraw': [404, 404],
  'POST /bids/:id/attachments': [404, 404],
  'POST /bids/:id/import': [404, 404],
  'GET /bids/:id/files/:attachmentId': [200, 404],
  'POST /bids/:id/files/:attachmentId/remove': [403, 404],
  // A section reads as the lead wrote it; only the lead saves it.
  'GET /bids/:id/:section': [200, 404],
  'POST /bids/:id/:section': [404, 404],
};

/** Routes of one bid: the applicant's pages and the API under /api/v1/bids/:id. */
const isBidRoute = (path: string) => path.startsWith('/bids/:id') || path.startsWith('/api/v1/bids/:id');

describe("access matrix: a delivery partner's member on every bid endpoint and page", () => {
  const test = useTestApp();

  it('has an entry for every bid route and no entry for a route that does not exist', () => {
    expect(uncoveredRoutes(test.app, EXPECTED, isBidRoute)).to.deep.equal({ withoutEntry: [], withoutRoute: [] });
  });

  it("answers as the table says on its own bid and on the lead's other bid, and changes nothing", async function () {
    this.timeout(120_000);
    const { call, lead, bid, college, collegeId, trustId } = await aConsortium(test);
    const leadFile = (
      await lead.agent.post(`/api/v1/bids/${bid.id}/attachments`).attach('file', aPng(), 'lead.png').expect(201)
    ).body;
    await college.agent.post(`/api/v1/bids/${bid.id}/partners/${collegeId}/complete`).expect(200);
    await lead.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
    const other = (await lead.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody()).expect(201)).body;
    const otherFile = (
      await lead.agent.post(`/api/v1/bids/${other.id}/attachments`).attach('file', aPng(), 'b.png').expect(201)
    ).body;
    await lead.agent.post(`/api/v1/bids/${other.id}/submit`).expect(200);
    const worlds = [
      { bidId: bid.id, partnerId: trustId, attachmentId: leadFile.id as string },
      { bidId: other.id as string, partnerId: other.partners[1].id as string, attachmentId: otherFile.id as string },
    ];
    const token = await csrfTokenFrom(college.agent, `/bids/${bid.id}`);
    const before = await snapshot();

    const failures: string[] = [];
    for (const [entry, statuses] of Object.entries(EXPECTED)) {
      const [method, template] = entry.split(' ');
      for (const [i, world] of worlds.entries()) {
        const path = template
          .replace(':id', world.bidId)
          .replace(':partnerId', world.partnerId)
          .replace(':attachmentId', world.attachmentId)
          .replace(':version', '1')
          .replace(':from', '1')
          .replace(':to', '1')
          .replace(':clarificationId', '00000000-0000-4000-8000-000000000000')
          .replace(':section', 'partners');
        const status = await send(college.agent, method, path, token, world.partnerId);
        if (status !== statuses[i])
          failures.push(`${entry} on ${i === 0 ? 'its bid' : 'another bid'}: expected ${statuses[i]}, got ${status}`);
      }
    }
    expect(failures).to.deep.equal([]);
    expect(await snapshot()).to.deep.equal(before);
  });
});

/** Sends one request as a client would: JSON to the API, forms with the CSRF token to pages, files as multipart. */
async function send(agent: supertest.Agent, method: string, path: string, token: string, partnerId: string) {
  const api = path.startsWith('/api/');
  if (method === 'GET') return (await agent.get(path)).status;
  if (path.endsWith('/attachments') || path.endsWith('/import')) {
    const request = agent.post(path);
    if (!api) request.field('_csrf', token);
    else request.field('partnerId', partnerId);
    return (await request.attach('file', aPng(), 'x.png')).status;
  }
  const request = method === 'PUT' ? agent.put(path) : method === 'DELETE' ? agent.delete(path) : agent.post(path);
  if (api) return (await request.send({})).status;
  return (await request.type('form').send({ _csrf: token })).status;
}
