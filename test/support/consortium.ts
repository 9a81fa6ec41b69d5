/**
 * A consortium for the tests: a lead's draft bid on an open call, with a delivery partner that an organisation
 * joined by accepting the lead's invitation, and a signed-in member of that organisation.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import type { Partner } from '../../server/bids/types.ts';
import type { Actor } from '../../server/context.ts';
import { aBidBody } from './builders.ts';
import {
  anApplicant,
  anOfficer,
  aPublishedCall,
  asApiClient,
  signInAs,
  type PublishedCall,
  type TestApp,
  type TestUser,
} from './app.ts';
import { invitationTokenTo } from './people.ts';

export const PARTNER_PASSWORD = 'a long enough partner password';

let counter = 0;

/** A bid as the API answers it, with what the consortium tests read of it. */
export interface ConsortiumBid {
  id: string;
  reference: string;
  organisationId: string;
  partners: Partner[];
}

/**
 * The lead invites `email` to be the delivery partner `partnerId`, who accepts as a new person registering the
 * organisation `organisation`; answers that person signed in (an API client, also fit for pages).
 */
export async function aJoinedPartner(
  test: TestApp,
  lead: TestUser,
  bidId: string,
  partnerId: string,
  organisation = `Partner organisation ${++counter}`,
): Promise<TestUser> {
  const email = `partner-${++counter}-${Date.now()}@partner.example`;
  await lead.agent.post(`/api/v1/bids/${bidId}/partners/${partnerId}/invitation`).send({ email }).expect(201);
  const token = await invitationTokenTo(test, email);
  const accepted = await asApiClient(supertest.agent(test.app))
    .post(`/api/v1/invitations/${token}/accept`)
    .send({ name: 'Pat Partner', password: PARTNER_PASSWORD, organisation: { name: organisation, type: 'education' } })
    .expect(200);
  expect(accepted.body.bidId).to.equal(bidId);
  const agent = await signInAs(asApiClient(supertest.agent(test.app)), email, PARTNER_PASSWORD);
  const me = (await agent.get('/api/v1/me').expect(200)).body;
  return { actor: me as Actor, email, agent };
}

/**
 * An open call with the lead's draft bid of three partners (the lead, Derby College, and Third Sector Trust):
 * the college joined by invitation (its member `college`); the trust has not been invited.
 */
export async function aConsortium(test: TestApp): Promise<{
  officer: TestUser;
  call: PublishedCall;
  lead: TestUser;
  bid: ConsortiumBid;
  college: TestUser;
  collegeId: string;
  trustId: string;
}> {
  const officer = await anOfficer(test);
  const call = await aPublishedCall(officer);
  const lead = await anApplicant(test);
  const base = aBidBody();
  const partners = [
    ...base.partners!,
    { name: 'Third Sector Trust', type: 'vcs' as const, role: 'delivery' as const, esfPence: 0, matchPence: 0 },
  ];
  const created = (
    await lead.agent
      .post(`/api/v1/calls/${call.id}/bids`)
      .send({ ...base, partners })
      .expect(201)
  ).body as ConsortiumBid;
  const collegeId = created.partners[1].id!;
  const trustId = created.partners[2].id!;
  const college = await aJoinedPartner(test, lead, created.id, collegeId, 'Derby College');
  const bid = (await lead.agent.get(`/api/v1/bids/${created.id}`).expect(200)).body as ConsortiumBid;
  return { officer, call, lead, bid, college, collegeId, trustId };
}

/**
 * An applicant of another organisation whose organisation the bid's delivery partner rows name, as joining them does
 * (written straight to the draft: for tests of what a partner's member may do once joined, not of joining).
 */
export async function aPartnerMember(test: TestApp, bidId: string): Promise<TestUser> {
  const partner = await anApplicant(test);
  const bid = await test.knex('bids').where({ id: bidId }).first();
  const partners = bid.draft.partners.map((p: { role: string }) =>
    p.role === 'delivery' ? { ...p, organisationId: partner.actor.organisationId } : p,
  );
  await test
    .knex('bids')
    .where({ id: bidId })
    .update({ draft: { ...bid.draft, partners } });
  return partner;
}
