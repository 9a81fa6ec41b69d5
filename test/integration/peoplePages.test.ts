/**
 * The people pages, read as parsed HTML: an organisation's members (controls for admins only), inviting and
 * removing, a funder's staff, and an invitation's page in each of its three states.
 */
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type supertest from 'supertest';
import { anApplicant, anOfficer, anonymous, signInAs, useTestApp } from '../support/app.ts';
import { csrfTokenFrom } from '../support/pages.ts';
import { snapshot } from '../support/database.ts';
import { aColleague, invitationTokenTo } from '../support/people.ts';

const NEW_PASSWORD = 'a colleague passphrase of their own';

/** Posts a form as a browser does: the page's CSRF token first, then its fields. */
async function postForm(agent: supertest.Agent, formPage: string, action: string, fields: Record<string, string>) {
  const token = await csrfTokenFrom(agent, formPage);
  return agent
    .post(action)
    .type('form')
    .send({ _csrf: token, ...fields });
}

describe('people pages', () => {
  const test = useTestApp();

  it('shows an admin the members with remove links (not beside the only admin) and the invite button', async () => {
    const admin = await anApplicant(test);
    const member = await aColleague(test, admin.actor.organisationId!, 'member');
    const $ = cheerio.load((await admin.agent.get('/organisation').expect(200)).text);
    const rows = $('#members tbody tr')
      .toArray()
      .map((row) =>
        $(row)
          .find('td')
          .toArray()
          .map((cell) => $(cell).text().trim()),
      );
    expect(rows).to.deep.equal([
      [`${admin.actor.name} (you)`, admin.email, 'Admin', 'The only admin'],
      [member.actor.name, member.email, 'Member', `Remove ${member.actor.name}`],
    ]);
    expect($(`a[href="/organisation/members/${member.actor.id}/remove"]`)).to.have.length(1);
    expect($('a[href="/organisation/invite"]').text()).to.equal('Invite a colleague');
    expect($('a.govuk-service-navigation__link[href="/organisation"]').text()).to.equal('Your organisation');
  });

  it('shows a member the members but none of the controls, and refuses them the forms (403)', async () => {
    const admin = await anApplicant(test);
    const member = await aColleague(test, admin.actor.organisationId!, 'member');
    const $ = cheerio.load((await member.agent.get('/organisation').expect(200)).text);
    expect($('#members tbody tr')).to.have.length(2);
    expect($('a[href*="/remove"]')).to.have.length(0);
    expect($('a[href="/organisation/invite"]')).to.have.length(0);
    expect($('#invitations')).to.have.length(0);
    expect((await member.agent.get('/organisation/invite')).status).to.equal(403);
    expect((await member.agent.get(`/organisation/members/${admin.actor.id}/remove`)).status).to.equal(403);
  });

  it('sends an invitation from the form, and lists it as waiting', async () => {
    const admin = await anApplicant(test);
    const sent = await postForm(admin.agent, '/organisation/invite', '/organisation/invite', {
      email: 'form.colleague@charity.example',
      role: 'admin',
    });
    expect(sent.status).to.equal(303);
    expect(sent.headers.location).to.equal('/organisation');
    const $ = cheerio.load((await admin.agent.get('/organisation').expect(200)).text);
    expect($('.govuk-notification-banner__heading').text()).to.equal(
      'Invitation sent to form.colleague@charity.example',
    );
    const waiting = $('#invitations tbody td')
      .toArray()
      .map((cell) => $(cell).text().trim());
    expect(waiting.slice(0, 2)).to.deep.equal(['form.colleague@charity.example', 'Admin']);
    await invitationTokenTo(test, 'form.colleague@charity.example');
  });

  it('answers a form with problems with the GOV.UK error summary, keeping what was typed', async () => {
    const admin = await anApplicant(test);
    const before = await snapshot();
    const response = await postForm(admin.agent, '/organisation/invite', '/organisation/invite', {
      email: 'not an address',
      role: 'member',
    });
    expect(response.status).to.equal(422);
    const $ = cheerio.load(response.text);
    expect($('.govuk-error-summary a').attr('href')).to.equal('#email');
    expect($('#email').val()).to.equal('not an address');
    expect($('#email-error').text()).to.match(/Error:/);
    expect(await snapshot()).to.deep.equal(before);
  });

  it('removes a member after the confirmation page, and refuses the last admin with a reason', async () => {
    const admin = await anApplicant(test);
    const member = await aColleague(test, admin.actor.organisationId!, 'member');
    const confirm = cheerio.load((await admin.agent.get(`/organisation/members/${member.actor.id}/remove`)).text);
    expect(confirm('h1').text()).to.equal(`Are you sure you want to remove ${member.actor.name}?`);
    const path = `/organisation/members/${member.actor.id}/remove`;
    const removed = await postForm(admin.agent, path, path, {});
    expect(removed.status).to.equal(303);
    const after = cheerio.load((await admin.agent.get('/organisation')).text);
    expect(after('#members tbody tr')).to.have.length(1);
    expect(after('.govuk-notification-banner__heading').text()).to.include(`${member.actor.name} no longer belongs`);
    // The last admin: the page itself offers no link, and a post is refused with the reason.
    const own = `/organisation/members/${admin.actor.id}/remove`;
    const refused = await postForm(admin.agent, own, own, {});
    expect(refused.status).to.equal(409);
    expect(cheerio.load(refused.text)('.govuk-error-summary').text()).to.include('only admin');
  });

  it('lets an officer see the staff and invite an appraiser, and refuses applicants the page', async () => {
    const officer = await anOfficer(test);
    const sent = await postForm(officer.agent, '/officer/staff/invite', '/officer/staff/invite', {
      name: 'Page Appraiser',
      email: 'page.appraiser@lep.example',
      role: 'appraiser',
    });
    expect(sent.status).to.equal(303);
    const $ = cheerio.load((await officer.agent.get('/officer/staff').expect(200)).text);
    expect($('#staff tbody tr td').first().text()).to.equal(officer.actor.name);
    const waiting = $('#invitations tbody td')
      .toArray()
      .map((cell) => $(cell).text().trim());
    expect(waiting.slice(0, 3)).to.deep.equal(['Page Appraiser', 'page.appraiser@lep.example', 'Appraiser']);
    expect($('a.govuk-service-navigation__link[href="/officer/staff"]').text()).to.equal('Staff');
    expect((await (await anApplicant(test)).agent.get('/officer/staff')).status).to.equal(403);
  });

  describe('an invitation’s page', () => {
    async function anInvitation(email: string) {
      const admin = await anApplicant(test);
      await admin.agent.post('/api/v1/organisations/mine/invitations').send({ email, role: 'member' }).expect(201);
      return { admin, token: await invitationTokenTo(test, email) };
    }

    it('asks someone not signed in to create their account, and signs them in when they do', async () => {
      const { admin, token } = await anInvitation('page.invitee@charity.example');
      const agent = anonymous(test);
      const $ = cheerio.load((await agent.get(`/invitations/${token}`).expect(200)).text);
      expect($('h1').text()).to.include(`${admin.actor.name} has invited you to join`);
      expect($('main').text()).to.include('page.invitee@charity.example');
      expect($('#name')).to.have.length(1);
      expect($('#password').attr('type')).to.equal('password');
      expect($(`a[href="/sign-in?next=${encodeURIComponent(`/invitations/${token}`)}"]`)).to.have.length(1);

      const tooShort = await postForm(agent, `/invitations/${token}`, `/invitations/${token}`, {
        name: 'Page Invitee',
        password: 'short',
      });
      expect(tooShort.status).to.equal(422);
      const problems = cheerio.load(tooShort.text);
      expect(problems('.govuk-error-summary a').attr('href')).to.equal('#password');
      expect(problems('#name').val()).to.equal('Page Invitee');

      const created = await postForm(agent, `/invitations/${token}`, `/invitations/${token}`, {
        name: 'Page Invitee',
        password: NEW_PASSWORD,
      });
      expect(created.status).to.equal(303);
      expect(created.headers.location).to.equal('/dashboard');
      const dashboard = cheerio.load((await agent.get('/dashboard').expect(200)).text);
      expect(dashboard('.govuk-notification-banner__heading').text()).to.include('You now belong to');
    });

    it('sends someone with an account through sign-in and back, to accept with one button', async () => {
      const other = await anApplicant(test);
      const free = await aColleague(test, other.actor.organisationId!, 'member');
      await other.agent.delete(`/api/v1/organisations/mine/members/${free.actor.id}`).expect(204);
      const { admin, token } = await anInvitation(free.email);
      const browser = anonymous(test);
      const signInPage = `/sign-in?next=${encodeURIComponent(`/invitations/${token}`)}`;
      const signIn = cheerio.load((await browser.get(signInPage).expect(200)).text);
      expect(signIn('input[name="next"]').val()).to.equal(`/invitations/${token}`);
      const signedIn = await postForm(browser, signInPage, '/sign-in', {
        email: free.email,
        password: 'correct horse battery staple',
        next: `/invitations/${token}`,
      });
      expect(signedIn.headers.location).to.equal(`/invitations/${token}`);
      const page = cheerio.load((await browser.get(`/invitations/${token}`).expect(200)).text);
      expect(page('button').text()).to.include('Accept the invitation');
      expect(page('#password')).to.have.length(0);
      const accepted = await postForm(browser, `/invitations/${token}`, `/invitations/${token}`, {});
      expect(accepted.status).to.equal(303);
      const user = await test.knex('users').where({ id: free.actor.id }).first();
      expect(user.organisationId).to.equal(admin.actor.organisationId);
    });

    it('never sends a sign-in anywhere but an invitation page', async () => {
      const applicant = await anApplicant(test);
      const browser = anonymous(test);
      const signedIn = await postForm(browser, '/sign-in', '/sign-in', {
        email: applicant.email,
        password: 'correct horse battery staple',
        next: 'https://attacker.example/',
      });
      expect(signedIn.headers.location).to.equal('/dashboard');
      const page = cheerio.load((await anonymous(test).get('/sign-in?next=//attacker.example').expect(200)).text);
      expect(page('input[name="next"]')).to.have.length(0);
    });

    it('tells someone signed in as another address to sign out first, and refuses their acceptance', async () => {
      const { token } = await anInvitation('someone.else@charity.example');
      const stranger = await anApplicant(test);
      const $ = cheerio.load((await stranger.agent.get(`/invitations/${token}`).expect(200)).text);
      expect($('.govuk-inset-text').text()).to.include(`You are signed in as ${stranger.email}`);
      expect($('main form[action="/sign-out"]')).to.have.length(1);
      const refused = await postForm(stranger.agent, `/invitations/${token}`, `/invitations/${token}`, {});
      expect(refused.status).to.equal(409);
    });

    it('answers a used, replaced or unknown link with a page saying it is not found', async () => {
      const { token } = await anInvitation('used@charity.example');
      await anonymous(test)
        .post(`/api/v1/invitations/${token}/accept`)
        .send({ name: 'Used', password: NEW_PASSWORD })
        .expect(200);
      for (const path of [`/invitations/${token}`, '/invitations/unknown']) {
        const response = await anonymous(test).get(path);
        expect(response.status).to.equal(404);
        expect(cheerio.load(response.text)('h1').text()).to.equal('Page not found');
      }
    });

    it('lets a new appraiser accept a staff invitation and lands them on their panels', async () => {
      const officer = await anOfficer(test);
      await officer.agent
        .post('/api/v1/staff-invitations')
        .send({ email: 'panel.newcomer@lep.example', name: 'Panel Newcomer', role: 'appraiser' })
        .expect(201);
      const token = await invitationTokenTo(test, 'panel.newcomer@lep.example');
      const agent = anonymous(test);
      const $ = cheerio.load((await agent.get(`/invitations/${token}`).expect(200)).text);
      expect($('#name').val()).to.equal('Panel Newcomer');
      const created = await postForm(agent, `/invitations/${token}`, `/invitations/${token}`, {
        name: 'Panel Newcomer',
        password: NEW_PASSWORD,
      });
      expect(created.headers.location).to.equal('/appraisal');
      await signInAs(anonymous(test), 'panel.newcomer@lep.example', NEW_PASSWORD);
    });
  });
});
