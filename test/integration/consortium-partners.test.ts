/**
 * A consortium's partners as people: the lead invites a delivery partner by e-mail, the person accepting joins with
 * their organisation (or registers one), its members read the whole draft and change only their own part, and the
 * bid is submitted only once every invited partner has joined and completed, with a receipt to every member.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { aBidBody } from '../support/builders.ts';
import {
  anApplicant,
  anOfficer,
  aPublishedCall,
  asApiClient,
  signInAs,
  useTestApp,
  type TestUser,
} from '../support/app.ts';
import { snapshot } from '../support/database.ts';
import { deliverOnce, startSmtpServer, type TestSmtpServer } from '../support/mail.ts';
import { invitationTokenTo } from '../support/people.ts';
import { aPng } from '../support/files.ts';
import type { Partner } from '../../server/bids/types.ts';

const PASSWORD = 'a long enough password';

describe('consortium partners', () => {
  const test = useTestApp({ PUBLIC_BASE_URL: 'https://funding.example.org' });
  let lead: TestUser;
  let call: { id: string; closesAt: string };
  let bid: { id: string; reference: string; organisationId: string; partners: Partner[] };
  const college = () => bid.partners.find((p) => p.role === 'delivery')!;

  const part = (esfPence: number) => ({
    partner: { name: 'Derby College', type: 'education', companyNumber: '01234567', esfPence, matchPence: 30_000_000 },
    matchFunding: [
      { funder: 'College reserves', sector: 'public', kind: 'cash', amountPence: 30_000_000, status: 'secured' },
    ],
  });

  /** The lead invites the college's contact; they accept as a new person registering the college. */
  async function aJoinedPartner(email = 'contact@college.example'): Promise<supertest.Agent> {
    await lead.agent.post(`/api/v1/bids/${bid.id}/partners/${college().id}/invitation`).send({ email }).expect(201);
    const token = await invitationTokenTo(test, email);
    const agent = asApiClient(supertest.agent(test.app));
    const accepted = await agent
      .post(`/api/v1/invitations/${token}/accept`)
      .send({ name: 'Col Lege', password: PASSWORD, organisation: { name: 'Derby College', type: 'education' } })
      .expect(200);
    expect(accepted.body.bidId).to.equal(bid.id);
    return signInAs(asApiClient(supertest.agent(test.app)), email, PASSWORD);
  }

  beforeEach(async () => {
    call = await aPublishedCall(await anOfficer(test));
    lead = await anApplicant(test);
    bid = (await lead.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody()).expect(201)).body;
  });

  it('invites a partner by e-mail (201), replacing an unaccepted invitation, and e-mails the link', async () => {
    const first = await lead.agent
      .post(`/api/v1/bids/${bid.id}/partners/${college().id}/invitation`)
      .send({ email: 'old@college.example' })
      .expect(201);
    expect(Object.keys(first.body).sort()).to.deep.equal(['email', 'expiresAt', 'id']);
    await lead.agent
      .post(`/api/v1/bids/${bid.id}/partners/${college().id}/invitation`)
      .send({ email: 'new@college.example' })
      .expect(201);
    const rows = await test.knex('invitations').where({ bidId: bid.id }).orderBy('createdAt');
    expect(rows.map((r) => [r.kind, r.email, r.partnerId, r.revokedAt === null])).to.deep.equal([
      ['partner', 'old@college.example', college().id, false],
      ['partner', 'new@college.example', college().id, true],
    ]);
    const smtp: TestSmtpServer = await startSmtpServer();
    try {
      await deliverOnce(test.ctx, smtp.url);
      const mails = await smtp.waitFor(2);
      const mail = mails.find((m) => m.envelopeTo[0] === 'new@college.example')!;
      expect(mail.parsed.text).to.include(`a delivery partner in the bid ${bid.reference}`);
      expect(mail.parsed.text).to.match(/https:\/\/funding\.example\.org\/invitations\/[A-Za-z0-9_-]{43}/);
    } finally {
      await smtp.close();
    }
    // Not the lead's row, not an unknown partner, not a malformed address; changing nothing.
    const before = await snapshot();
    await lead.agent
      .post(`/api/v1/bids/${bid.id}/partners/${bid.partners[0].id}/invitation`)
      .send({ email: 'x@y.example' })
      .expect(409);
    await lead.agent
      .post(`/api/v1/bids/${bid.id}/partners/00000000-0000-4000-8000-000000000009/invitation`)
      .send({ email: 'x@y.example' })
      .expect(404);
    await lead.agent
      .post(`/api/v1/bids/${bid.id}/partners/${college().id}/invitation`)
      .send({ email: 'not an address' })
      .expect(422);
    expect(await snapshot()).to.deep.equal(before);
  });

  it("joins the accepter's new organisation as the partner, whose members read the whole draft and files", async () => {
    const file = (
      await lead.agent.post(`/api/v1/bids/${bid.id}/attachments`).attach('file', aPng(), 'letter.png').expect(201)
    ).body;
    const partner = await aJoinedPartner();
    const organisation = await test.knex('organisations').where({ name: 'Derby College' }).first();
    const read = (await partner.get(`/api/v1/bids/${bid.id}`).expect(200)).body;
    expect(read.partners[1]).to.include({ id: college().id, organisationId: organisation.id });
    expect(read.narrative).to.deep.equal(aBidBody().narrative);
    expect(read.attachments.map((a: { id: string }) => a.id)).to.deep.equal([file.id]);
    await partner.get(`/api/v1/bids/${bid.id}/attachments/${file.id}`).expect(200);
    // And the bid's page, read-only.
    const page = await partner.get(`/bids/${bid.id}`).expect(200);
    expect(page.text).to.contain(bid.reference);
  });

  it('lets a partner member change and complete only its own part, and nothing the lead alone does', async () => {
    const partner = await aJoinedPartner();
    const third = (
      await lead.agent
        .put(`/api/v1/bids/${bid.id}`)
        .send(aBidBody({ partners: [...bid.partners, { ...college(), id: undefined, name: 'Third' }] }))
        .expect(200)
    ).body.partners[2] as Partner;
    const own = await partner.put(`/api/v1/bids/${bid.id}/partners/${college().id}`).send(part(20_000_000));
    expect(own.status).to.equal(200);
    await partner.post(`/api/v1/bids/${bid.id}/partners/${college().id}/complete`).expect(200);
    const before = await snapshot();
    await partner.put(`/api/v1/bids/${bid.id}/partners/${third.id}`).send(part(1)).expect(403);
    await partner.post(`/api/v1/bids/${bid.id}/partners/${third.id}/complete`).expect(403);
    await partner.put(`/api/v1/bids/${bid.id}/partners/${bid.partners[0].id}`).send(part(1)).expect(403);
    await partner.put(`/api/v1/bids/${bid.id}`).send(aBidBody()).expect(404);
    await partner.post(`/api/v1/bids/${bid.id}/submit`).expect(404);
    await partner.post(`/api/v1/bids/${bid.id}/withdraw`).expect(404);
    await partner.delete(`/api/v1/bids/${bid.id}/partners/${third.id}`).expect(404);
    await partner
      .post(`/api/v1/bids/${bid.id}/partners/${third.id}/invitation`)
      .send({ email: 'x@y.example' })
      .expect(404);
    await partner.get(`/api/v1/bids/${bid.id}/audit`).expect(403);
    expect(await snapshot()).to.deep.equal(before);
  });

  it("shows a partner in bid A nothing of the lead's bid B", async () => {
    const partner = await aJoinedPartner();
    const other = (await lead.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody()).expect(201)).body;
    await partner.get(`/api/v1/bids/${other.id}`).expect(404);
    await partner.put(`/api/v1/bids/${other.id}/partners/${other.partners[1].id}`).send(part(1)).expect(404);
    await partner.get(`/api/v1/bids/${other.id}/versions/1`).expect(404);
  });

  it('refuses submission (422 naming the partner) until the invited partner has joined and completed', async () => {
    await lead.agent
      .post(`/api/v1/bids/${bid.id}/partners/${college().id}/invitation`)
      .send({ email: 'contact@college.example' })
      .expect(201);
    const before = await snapshot();
    const unaccepted = await lead.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(422);
    expect(unaccepted.body.error.details).to.deep.equal([
      { path: '/partners/1', message: 'Derby College has not accepted its invitation to the bid yet' },
    ]);
    expect(await snapshot()).to.deep.equal(before);

    const token = await invitationTokenTo(test, 'contact@college.example');
    await asApiClient(supertest.agent(test.app))
      .post(`/api/v1/invitations/${token}/accept`)
      .send({ name: 'Col Lege', password: PASSWORD, organisation: { name: 'Derby College', type: 'education' } })
      .expect(200);
    const incomplete = await lead.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(422);
    expect(incomplete.body.error.details).to.deep.equal([
      { path: '/partners/1', message: 'Derby College has not marked its part of the bid complete' },
    ]);
    const partner = await signInAs(asApiClient(supertest.agent(test.app)), 'contact@college.example', PASSWORD);
    await partner.post(`/api/v1/bids/${bid.id}/partners/${college().id}/complete`).expect(200);
    const submitted = (await lead.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200)).body;
    expect(submitted.status).to.equal('submitted');

    // Every consortium member gets the receipt: the lead's and the partner's.
    const receipts = await test.knex('mail_outbox').where({ bidId: bid.id, template: 'bid-receipt' });
    expect(receipts.map((r) => r.toAddress).sort()).to.deep.equal(['contact@college.example', lead.email].sort());
    const partnerView = (await partner.get(`/api/v1/bids/${bid.id}`).expect(200)).body;
    expect(partnerView.receipt.sha256).to.equal(submitted.receipt.sha256);
    expect(partnerView.gateway).to.deep.equal(submitted.gateway);
  });

  it('joins an existing applicant signed in with the invited address, with their own organisation', async () => {
    const existing = await anApplicant(test);
    await lead.agent
      .post(`/api/v1/bids/${bid.id}/partners/${college().id}/invitation`)
      .send({ email: existing.email })
      .expect(201);
    const token = await invitationTokenTo(test, existing.email);
    await existing.agent.post(`/api/v1/invitations/${token}/accept`).expect(200);
    const draft = (await test.knex('bids').where({ id: bid.id }).first()).draft;
    expect(draft.partners[1].organisationId).to.equal(existing.actor.organisationId);
    // A second acceptance of a used link is not found.
    await existing.agent.post(`/api/v1/invitations/${token}/accept`).expect(404);
  });
});
