/**
 * Joining a bid as its delivery partner is a change to the bid: accepting the invitation once the call has closed
 * is refused (409, saying why, on the API and on the invitation's page) and changes nothing. Before the deadline, a
 * person without an account registers their organisation on the invitation's page as they accept.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anOfficer, aPublishedCall, asApiClient, useTestApp, type TestUser } from '../support/app.ts';
import { snapshot } from '../support/database.ts';
import { csrfTokenFrom, parsePage } from '../support/pages.ts';
import { invitationTokenTo } from '../support/people.ts';
import type { Partner } from '../../server/bids/types.ts';

const REFUSAL =
  /^The call closed on .* \(UK time\), so the bid can no longer be joined: the invitation cannot be accepted/;

describe('joining a bid as its partner', () => {
  const test = useTestApp();
  let lead: TestUser;
  let call: { id: string; closesAt: string };
  let bid: { id: string; partners: Partner[] };
  let token: string;
  const email = 'contact@college.example';
  const afterClose = () => test.clock.set(new Date(Date.parse(call.closesAt) + 1000));

  beforeEach(async () => {
    // Closing in two days: an invitation sent now (its link works for 7) is still live after the close.
    call = await aPublishedCall(await anOfficer(test), {
      closesAt: new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString(),
    });
    lead = await anApplicant(test);
    bid = (await lead.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody()).expect(201)).body;
    await lead.agent
      .post(`/api/v1/bids/${bid.id}/partners/${bid.partners[1].id}/invitation`)
      .send({ email })
      .expect(201);
    token = await invitationTokenTo(test, email);
  });

  it('refuses (409) a new person accepting once the call has closed, saying why, and creates nothing', async () => {
    afterClose();
    const before = await snapshot();
    const agent = asApiClient(supertest.agent(test.app));
    const shown = (await agent.get(`/api/v1/invitations/${token}`).expect(200)).body;
    expect(shown.refusal).to.match(REFUSAL);
    const refused = await agent
      .post(`/api/v1/invitations/${token}/accept`)
      .send({
        name: 'Col Lege',
        password: 'a long enough password',
        organisation: { name: 'Derby College', type: 'education' },
      })
      .expect(409);
    expect(refused.body.error.message).to.match(REFUSAL);
    expect(await snapshot()).to.deep.equal(before);
  });

  it('refuses (409) someone signed in with the invited address once the call has closed', async () => {
    const existing = await anApplicant(test);
    await lead.agent
      .post(`/api/v1/bids/${bid.id}/partners/${bid.partners[1].id}/invitation`)
      .send({ email: existing.email })
      .expect(201);
    const theirs = await invitationTokenTo(test, existing.email);
    afterClose();
    const before = await snapshot();
    const refused = await existing.agent.post(`/api/v1/invitations/${theirs}/accept`).expect(409);
    expect(refused.body.error.message).to.match(REFUSAL);
    expect(await snapshot()).to.deep.equal(before);
  });

  it("says so on the invitation's page, offers no form, and refuses a post (409) changing nothing", async () => {
    afterClose();
    const agent = supertest.agent(test.app);
    const page = parsePage((await agent.get(`/invitations/${token}`).expect(200)).text);
    expect(page.textOf('invitation-refused')).to.match(REFUSAL);
    expect(page.formActions()).not.to.include(`/invitations/${token}`);
    const csrf = await csrfTokenFrom(agent, '/sign-in');
    const before = await snapshot();
    const posted = await agent.post(`/invitations/${token}`).type('form').send({
      _csrf: csrf,
      name: 'Col Lege',
      password: 'a long enough password',
      'organisation-name': 'Derby College',
      'organisation-type': 'education',
    });
    expect(posted.status).to.equal(409);
    expect(
      parsePage(posted.text)
        .errorLinks()
        .map((l) => l.text)[0],
    ).to.match(REFUSAL);
    expect(await snapshot()).to.deep.equal(before);
  });

  it("registers the new partner's organisation on the invitation's page and joins it to the bid", async () => {
    const agent = supertest.agent(test.app);
    const page = parsePage((await agent.get(`/invitations/${token}`).expect(200)).text);
    expect(page.has('organisation-name')).to.equal(true);
    const csrf = await csrfTokenFrom(agent, `/invitations/${token}`);
    const blank = await agent
      .post(`/invitations/${token}`)
      .type('form')
      .send({ _csrf: csrf, name: 'Col Lege', password: 'a long enough password' });
    expect(blank.status).to.equal(422);
    const problems = parsePage(blank.text);
    expect(problems.errorLinks().map((l) => l.href)).to.include('#organisation-name');
    expect(problems.fieldValue('name')).to.equal('Col Lege');

    const accepted = await agent.post(`/invitations/${token}`).type('form').send({
      _csrf: csrf,
      name: 'Col Lege',
      password: 'a long enough password',
      'organisation-name': 'Derby College',
      'organisation-type': 'education',
      'organisation-companyNumber': '01234567',
    });
    expect(accepted.status).to.equal(303);
    expect(accepted.headers.location).to.equal(`/bids/${bid.id}`);
    const organisation = await test.knex('organisations').where({ name: 'Derby College' }).first();
    expect(organisation).to.include({ type: 'education', companyNumber: '01234567' });
    const draft = (await test.knex('bids').where({ id: bid.id }).first()).draft;
    expect(draft.partners[1].organisationId).to.equal(organisation.id);
    const overview = parsePage((await agent.get(`/bids/${bid.id}`).expect(200)).text);
    expect(overview.successBanner()).to.equal('Welcome, Col Lege. You now belong to Derby College.');
    expect(overview.taskList()[0].title).to.equal('Your part: Derby College');
  });
});
