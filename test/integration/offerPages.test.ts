/**
 * The partnership offer pages, read as parsed HTML: publishing an offer from the form, withdrawing it, and a lead
 * taking one up into a draft bid ("invite to my bid"), which adds the offering organisation as a delivery partner
 * and invites it at the offer's contact address in one transaction.
 */
import { expect } from 'chai';
import type supertest from 'supertest';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anOfficer, anonymous, aPublishedCall, useTestApp, type TestUser } from '../support/app.ts';
import { snapshot } from '../support/database.ts';
import { csrfTokenFrom, parsePage } from '../support/pages.ts';
import { aColleague, invitationTokenTo } from '../support/people.ts';

type Fields = [string, string][];

/** Posts a form as a browser does, repeated fields (checkboxes) included: the page's CSRF token, then the fields. */
async function postForm(agent: supertest.Agent, formPage: string, action: string, fields: Fields) {
  const token = await csrfTokenFrom(agent, formPage);
  return agent
    .post(action)
    .type('form')
    .send(new URLSearchParams([['_csrf', token], ...fields]).toString());
}

const anOfferForm = (overrides: Record<string, string | string[]> = {}): Fields => {
  const fields: Record<string, string | string[]> = {
    summary: 'Employment support for carers',
    activities: 'One-to-one coaching and employer brokerage for carers returning to work.',
    geography: ['Derby', 'Nottingham'],
    priorities: ['1.1'],
    indicativeEsfPence: '50,000',
    contactEmail: 'partnerships@carers.example',
    ...overrides,
  };
  return Object.entries(fields).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((v): [string, string] => [name, v]),
  );
};

async function offersIn(test: ReturnType<typeof useTestApp>) {
  return test.knex('partnershipOffers').orderBy('createdAt');
}

describe('partnership offer pages: publishing and withdrawing an offer', () => {
  const test = useTestApp();
  let officer: TestUser;
  let call: { id: string; closesAt: string };
  let offerer: TestUser;

  beforeEach(async () => {
    officer = await anOfficer(test);
    call = await aPublishedCall(officer);
    offerer = await anApplicant(test);
  });

  it("offers the call's areas and priorities as checkboxes, and the person's own address as the contact", async () => {
    const page = parsePage((await offerer.agent.get(`/calls/${call.id}/offers/new`).expect(200)).text);
    expect(page.heading()).to.equal('Offer to be a partner');
    expect(
      page
        .$('input[name="geography"]')
        .toArray()
        .map((i) => page.$(i).attr('value')),
    ).to.deep.equal(['Derby', 'Derbyshire', 'Nottingham', 'Nottinghamshire']);
    expect(page.texts('input[name="priorities"] + label')).to.deep.equal([
      '1.1 Access to employment for job-seekers and inactive people',
      '1.4 Active inclusion',
      '2.1 Enhancing equal access to lifelong learning',
    ]);
    expect(page.fieldValue('contactEmail')).to.equal(offerer.email);
    expect(page.formActions()).to.include(`/calls/${call.id}/offers`);
  });

  it("publishes the offer, reads the pounds exactly into pence, and shows it on the call's page", async () => {
    const sent = await postForm(
      offerer.agent,
      `/calls/${call.id}/offers/new`,
      `/calls/${call.id}/offers`,
      anOfferForm(),
    );
    expect(sent.status).to.equal(303);
    const [offer] = await offersIn(test);
    expect(sent.headers.location).to.equal(`/calls/${call.id}#offer-${offer.id}`);
    expect(offer).to.include({
      organisationId: offerer.actor.organisationId,
      summary: 'Employment support for carers',
      indicativeEsfPence: 5_000_000,
      contactEmail: 'partnerships@carers.example',
    });
    expect(offer.geography).to.deep.equal(['Derby', 'Nottingham']);
    expect(offer.priorities).to.deep.equal(['1.1']);
    const page = parsePage((await offerer.agent.get(`/calls/${call.id}`).expect(200)).text);
    expect(page.successBanner()).to.equal('Your partnership offer "Employment support for carers" is published');
    expect(page.summaryValue('Indicative ESF', `#offer-${offer.id}`)).to.equal('£50,000.00');
    // The offering organisation is offered its withdrawal, never an invitation to itself.
    expect(
      page
        .$(`#offer-${offer.id} a`)
        .toArray()
        .map((a) => page.$(a).attr('href')),
    ).to.include(`/offers/${offer.id}/remove`);
    expect(page.hrefs()).to.not.include(`/calls/${call.id}/offers/${offer.id}/invite`);
  });

  it('takes an indicative ESF of £0.01 as 1 penny and of £0 as nothing, and refuses a part of a penny', async () => {
    for (const [typed, pence] of [
      ['0.01', 1],
      ['£0', 0],
    ] as const) {
      const sent = await postForm(
        offerer.agent,
        `/calls/${call.id}/offers/new`,
        `/calls/${call.id}/offers`,
        anOfferForm({ indicativeEsfPence: typed, summary: `Offer of ${typed}` }),
      );
      expect(sent.status, typed).to.equal(303);
      expect(
        (
          await test
            .knex('partnershipOffers')
            .where({ summary: `Offer of ${typed}` })
            .first()
        ).indicativeEsfPence,
      ).to.equal(pence);
    }
    const before = await snapshot();
    const refused = await postForm(
      offerer.agent,
      `/calls/${call.id}/offers/new`,
      `/calls/${call.id}/offers`,
      anOfferForm({ indicativeEsfPence: '0.001' }),
    );
    expect(refused.status).to.equal(422);
    expect(parsePage(refused.text).errorFor('#indicativeEsfPence')).to.equal(
      'Enter an amount in pounds, like £500,000.00',
    );
    expect(await snapshot()).to.deep.equal(before);
  });

  it('answers problems with an error summary linked to each field, keeps what was typed, stores nothing', async () => {
    const before = await snapshot();
    const sent = await postForm(
      offerer.agent,
      `/calls/${call.id}/offers/new`,
      `/calls/${call.id}/offers`,
      anOfferForm({ summary: '', geography: [], priorities: ['1.4'], indicativeEsfPence: '', contactEmail: 'nobody' }),
    );
    expect(sent.status).to.equal(422);
    const page = parsePage(sent.text);
    expect(page.title()).to.match(/^Error: /);
    expect(page.errorLinks().map((link) => link.href)).to.have.members([
      '#summary',
      '#geography',
      '#indicativeEsfPence',
      '#contactEmail',
    ]);
    // Each link lands on an input of the page.
    for (const { href } of page.errorLinks()) expect(page.has(href.slice(1)), href).to.equal(true);
    expect(page.fieldValue('activities')).to.equal(
      'One-to-one coaching and employer brokerage for carers returning to work.',
    );
    expect(page.fieldValue('contactEmail')).to.equal('nobody');
    expect(page.checkedValues('priorities')).to.deep.equal(['1.4']);
    expect(page.checkedValues('geography')).to.deep.equal([]);
    expect(await snapshot()).to.deep.equal(before);
  });

  it("links to the form from the call's page for applicants while it is open, and refuses it after (409)", async () => {
    const open = parsePage((await offerer.agent.get(`/calls/${call.id}`).expect(200)).text);
    expect(open.hrefs()).to.include(`/calls/${call.id}/offers/new`);
    const officers = parsePage((await officer.agent.get(`/calls/${call.id}`).expect(200)).text);
    expect(officers.hrefs()).to.not.include(`/calls/${call.id}/offers/new`);

    test.clock.set(new Date(Date.parse(call.closesAt) + 1));
    const closed = parsePage((await offerer.agent.get(`/calls/${call.id}`).expect(200)).text);
    expect(closed.hrefs()).to.not.include(`/calls/${call.id}/offers/new`);
    const page = await offerer.agent.get(`/calls/${call.id}/offers/new`).expect(409);
    expect(parsePage(page.text).text()).to.contain('is not open: partnership offers are made while it is');
    const before = await snapshot();
    const token = await csrfTokenFrom(offerer.agent, '/change-password');
    await offerer.agent
      .post(`/calls/${call.id}/offers`)
      .type('form')
      .send(new URLSearchParams([['_csrf', token], ...anOfferForm()]).toString())
      .expect(409);
    expect(await snapshot()).to.deep.equal(before);
  });

  it('sends visitors to sign in and refuses officers the form (403)', async () => {
    const visitor = await anonymous(test).get(`/calls/${call.id}/offers/new`).expect(303);
    expect(visitor.headers.location).to.equal('/sign-in');
    await officer.agent.get(`/calls/${call.id}/offers/new`).expect(403);
  });

  it("lets a colleague in the offering organisation withdraw its offer once sure; another's is not found", async () => {
    await postForm(offerer.agent, `/calls/${call.id}/offers/new`, `/calls/${call.id}/offers`, anOfferForm());
    const other = await anApplicant(test);
    await postForm(
      other.agent,
      `/calls/${call.id}/offers/new`,
      `/calls/${call.id}/offers`,
      anOfferForm({ summary: 'Skills for work' }),
    );
    const [ours, theirs] = await offersIn(test);

    // A member of the offering organisation reaches only its own offers: someone else's is not found, and stays.
    const colleague = await aColleague(test, offerer.actor.organisationId!, 'member');
    await colleague.agent.get(`/offers/${theirs.id}/remove`).expect(404);
    const token = await csrfTokenFrom(colleague.agent, '/change-password');
    await colleague.agent.post(`/offers/${theirs.id}/remove`).type('form').send({ _csrf: token }).expect(404);
    await officer.agent.get(`/offers/${ours.id}/remove`).expect(403);
    expect((await anonymous(test).get(`/offers/${ours.id}/remove`).expect(303)).headers.location).to.equal('/sign-in');

    const confirm = parsePage((await colleague.agent.get(`/offers/${ours.id}/remove`).expect(200)).text);
    expect(confirm.heading()).to.equal('Are you sure you want to withdraw your partnership offer?');
    expect(confirm.summaryValue('Offer')).to.equal('Employment support for carers');
    const removed = await postForm(colleague.agent, `/offers/${ours.id}/remove`, `/offers/${ours.id}/remove`, []);
    expect(removed.status).to.equal(303);
    expect(removed.headers.location).to.equal(`/calls/${call.id}`);
    expect((await offersIn(test)).map((o) => o.summary)).to.deep.equal(['Skills for work']);
    const page = parsePage((await colleague.agent.get(`/calls/${call.id}`).expect(200)).text);
    expect(page.successBanner()).to.equal('Your partnership offer "Employment support for carers" is withdrawn');
  });
});

describe('partnership offer pages: inviting the offering organisation to my bid', () => {
  const test = useTestApp();
  let officer: TestUser;
  let call: { id: string; closesAt: string };
  let offerer: TestUser;
  let offer: { id: string };
  let lead: TestUser;

  beforeEach(async () => {
    officer = await anOfficer(test);
    call = await aPublishedCall(officer);
    offerer = await anApplicant(test);
    offer = (
      await offerer.agent
        .post(`/api/v1/calls/${call.id}/offers`)
        .send({
          summary: 'Employment support for carers',
          activities: 'Coaching for carers.',
          geography: ['Derby'],
          priorities: [],
          indicativeEsfPence: 5_000_000,
          // The offerer's own address: accepting the invitation then needs no new account.
          contactEmail: offerer.email,
        })
        .expect(201)
    ).body;
    lead = await anApplicant(test);
  });

  const invitePath = () => `/calls/${call.id}/offers/${offer.id}/invite`;
  const aDraft = async (who: TestUser, body: object = { title: 'Ours' }) =>
    (await who.agent.post(`/api/v1/calls/${call.id}/bids`).send(body).expect(201)).body as {
      id: string;
      reference: string;
    };

  it("adds the offering organisation to the lead's only draft and invites it at the offer's address", async () => {
    await test.knex('organisations').where({ id: offerer.actor.organisationId }).update({ companyNumber: '07654321' });
    const bid = await aDraft(lead, aBidBody());
    const callPage = parsePage((await lead.agent.get(`/calls/${call.id}`).expect(200)).text);
    expect(callPage.$(`#offer-${offer.id} a:contains("Invite to my bid")`).attr('href')).to.equal(invitePath());

    const page = parsePage((await lead.agent.get(invitePath()).expect(200)).text);
    const organisation = await test.knex('organisations').where({ id: offerer.actor.organisationId }).first();
    expect(page.heading()).to.equal(`Invite ${organisation.name} to your bid`);
    expect(page.summaryValue('Your bid')).to.equal(`${bid.reference}: Working Well Together`);
    expect(page.summaryValue('Invitation sent to')).to.equal(offerer.email);
    expect(page.$('input[type="radio"]')).to.have.length(0);

    const sent = await postForm(lead.agent, invitePath(), invitePath(), []);
    expect(sent.status).to.equal(303);
    expect(sent.headers.location).to.equal(`/bids/${bid.id}`);
    const stored = await test.knex('bids').where({ id: bid.id }).first();
    const added = stored.draft.partners.at(-1);
    expect(stored.draft.partners).to.have.length(3);
    expect(added).to.deep.include({
      name: organisation.name,
      type: 'vcs',
      role: 'delivery',
      charityNumber: '1190099',
      companyNumber: '07654321',
      esfPence: 0,
      matchPence: 0,
      organisationId: null,
      completedAt: null,
    });
    const invitation = await test.knex('invitations').where({ bidId: bid.id }).first();
    expect(invitation).to.include({ kind: 'partner', partnerId: added.id, email: offerer.email });
    const bidPage = parsePage((await lead.agent.get(`/bids/${bid.id}`).expect(200)).text);
    expect(bidPage.successBanner()).to.equal(
      `${organisation.name} is a delivery partner in ${bid.reference}: invitation sent to ${offerer.email}`,
    );

    // The e-mailed link is the partner invitation's own: accepting joins the offering organisation to the bid.
    const token = await invitationTokenTo(test, offerer.email);
    const accepted = (await offerer.agent.post(`/api/v1/invitations/${token}/accept`).expect(200)).body;
    expect(accepted.bidId).to.equal(bid.id);
    const joined = (await offerer.agent.get(`/api/v1/bids/${bid.id}`).expect(200)).body;
    expect(joined.partners.at(-1)).to.include({ id: added.id, organisationId: offerer.actor.organisationId });
  });

  it('asks which bid when the lead has several drafts, and refuses no choice (422), changing nothing', async () => {
    const first = await aDraft(lead, { title: 'First' });
    const second = await aDraft(lead, { title: 'Second' });
    const page = parsePage((await lead.agent.get(invitePath()).expect(200)).text);
    expect(page.texts('input[name="bidId"] + label')).to.deep.equal([
      `${first.reference}: First`,
      `${second.reference}: Second`,
    ]);
    const before = await snapshot();
    const unchosen = await postForm(lead.agent, invitePath(), invitePath(), []);
    expect(unchosen.status).to.equal(422);
    expect(parsePage(unchosen.text).errorLinks()).to.deep.equal([
      { href: '#bidId', text: 'Choose the bid to invite them to' },
    ]);
    expect(await snapshot()).to.deep.equal(before);

    const chosen = await postForm(lead.agent, invitePath(), invitePath(), [['bidId', second.id]]);
    expect(chosen.headers.location).to.equal(`/bids/${second.id}`);
    const drafts = await test.knex('bids').whereIn('id', [first.id, second.id]).orderBy('reference');
    expect(drafts.map((b) => (b.draft.partners ?? []).length)).to.deep.equal([0, 1]);
  });

  it('refuses the offerer already in the bid, with the reason on the form, and changes nothing', async () => {
    const bid = await aDraft(lead);
    await postForm(lead.agent, invitePath(), invitePath(), []).then((r) => expect(r.status).to.equal(303));
    const before = await snapshot();
    const again = await postForm(lead.agent, invitePath(), invitePath(), [['bidId', bid.id]]);
    expect(again.status).to.equal(409);
    expect(parsePage(again.text).errorLinks()[0].text).to.match(/is in the bid .* already/);
    expect(await snapshot()).to.deep.equal(before);
  });

  it('refuses a bid that is not a draft, and an organisation with no draft bid on the call (409)', async () => {
    const submitted = await aDraft(lead, aBidBody());
    await lead.agent.post(`/api/v1/bids/${submitted.id}/submit`).expect(200);
    const none = await lead.agent.get(invitePath()).expect(409);
    expect(parsePage(none.text).text()).to.contain('has no draft bid on');
    const callPage = parsePage((await lead.agent.get(`/calls/${call.id}`).expect(200)).text);
    expect(callPage.hrefs()).to.not.include(invitePath());

    await aDraft(lead);
    const before = await snapshot();
    const refused = await postForm(lead.agent, invitePath(), invitePath(), [['bidId', submitted.id]]);
    expect(refused.status).to.equal(409);
    expect(parsePage(refused.text).errorLinks()[0].text).to.contain(
      'is submitted: partners are added to a bid while it is a draft',
    );
    expect(await snapshot()).to.deep.equal(before);
  });

  it('refuses an organisation inviting itself, and any invitation once the call has closed (409)', async () => {
    await aDraft(offerer);
    const own = await offerer.agent.get(invitePath()).expect(409);
    expect(parsePage(own.text).text()).to.contain('an organisation cannot invite itself');
    await aDraft(lead);
    test.clock.set(new Date(Date.parse(call.closesAt) + 1));
    const closed = await lead.agent.get(invitePath()).expect(409);
    expect(parsePage(closed.text).text()).to.contain('is not open');
    const before = await snapshot();
    const token = await csrfTokenFrom(lead.agent, '/change-password');
    await lead.agent.post(invitePath()).type('form').send({ _csrf: token }).expect(409);
    expect(await snapshot()).to.deep.equal(before);
  });

  it("refuses visitors, officers, and another organisation's member choosing a bid not theirs", async () => {
    const bid = await aDraft(lead);
    expect((await anonymous(test).get(invitePath()).expect(303)).headers.location).to.equal('/sign-in');
    await officer.agent.get(invitePath()).expect(403);
    const stranger = await anApplicant(test);
    await aDraft(stranger);
    const before = await snapshot();
    const refused = await postForm(stranger.agent, invitePath(), invitePath(), [['bidId', bid.id]]);
    expect(refused.status).to.equal(404);
    expect(await snapshot()).to.deep.equal(before);
    // An offer of another call is not found on this one.
    const other = await aPublishedCall(officer);
    await lead.agent.get(`/calls/${other.id}/offers/${offer.id}/invite`).expect(404);
  });
});
