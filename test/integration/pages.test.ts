import { expect } from 'chai';
import { aCallBody } from '../support/builders.ts';
import { anApplicant, anOfficer, anonymous, useTestApp, PASSWORD, aPublishedCall } from '../support/app.ts';
import { csrfTokenFrom, parsePage } from '../support/pages.ts';

describe('pages: sign in and published calls', () => {
  const test = useTestApp();

  async function aCallWithItsOfficer(overrides = {}) {
    const officer = await anOfficer(test);
    const call = await aPublishedCall(officer, overrides);
    return { officer, call };
  }

  it('lists open calls with their total ESF in pounds', async () => {
    const { call } = await aCallWithItsOfficer();
    const page = parsePage((await anonymous(test).get('/calls').expect(200)).text);
    expect(page.$(`table a[href="/calls/${call.id}"]`).text()).to.equal(call.title);
    // Call, Area, ESF available, Closes, Status.
    const [row] = page.tableRows();
    expect(row[2]).to.equal('£2,000,000.00');
    expect(row[4]).to.equal('Open');
  });

  it("shows a call's priorities, participants, results, gap criteria and deadline in London time", async () => {
    const { call } = await aCallWithItsOfficer({
      opensAt: '2026-06-01T09:00:00Z',
      closesAt: '2027-07-06T22:59:00Z',
    });
    const page = parsePage((await anonymous(test).get(`/calls/${call.id}`).expect(200)).text);
    expect(page.texts('h3.govuk-heading-m')).to.deep.equal([
      '1.1 Access to employment for job-seekers and inactive people £800,000.00 ESF',
      '1.4 Active inclusion £800,000.00 ESF',
      '2.1 Enhancing equal access to lifelong learning £400,000.00 ESF',
    ]);
    const listed = page.texts('ul.govuk-list--bullet li');
    expect(listed).to.include('Participants without basic skills (P-NOBASIC)');
    expect(listed).to.include('Employed females gaining improved labour market status (R-FEMALE-LMS)');
    expect(page.$('h3.govuk-heading-s').first().text()).to.equal('Fills a genuine gap in provision or unmet need');
    // 22:59 UTC in July is 11:59pm British Summer Time.
    expect(page.summaryValue('Deadline')).to.equal('6 July 2027 at 11:59pm (UK time)');
  });

  it('shows the officer of the call its below-floor warning, and the public not', async () => {
    const { officer, call } = await aCallWithItsOfficer();
    const theirs = parsePage((await officer.agent.get(`/calls/${call.id}`)).text);
    expect(theirs.text('.govuk-warning-text')).to.contain('Priority 2.1 has an allocation of £400,000.00');
    const publicPage = parsePage((await anonymous(test).get(`/calls/${call.id}`)).text);
    expect(publicPage.$('.govuk-warning-text')).to.have.length(0);
    expect(publicPage.text('body')).not.to.contain('Priority 2.1 has an allocation');
  });

  it('links applicants to the bid template of an open call, and nobody to open data before a decision', async () => {
    const { call } = await aCallWithItsOfficer();
    const applicant = await anApplicant(test);
    const page = parsePage((await applicant.agent.get(`/calls/${call.id}`).expect(200)).text);
    expect(page.hrefs()).to.include(`/api/v1/calls/${call.id}/bid-template.xlsx`);
    expect(page.hrefs().filter((href) => href.includes('360giving.json'))).to.deep.equal([]);
    const publicPage = parsePage((await anonymous(test).get(`/calls/${call.id}`)).text);
    expect(publicPage.hrefs().filter((href) => href.includes('bid-template.xlsx'))).to.deep.equal([]);
  });

  it('escapes text people wrote', async () => {
    const { call } = await aCallWithItsOfficer({ description: '<script>alert(1)</script>' });
    const page = await anonymous(test).get(`/calls/${call.id}`).expect(200);
    expect(page.text).not.to.contain('<script>alert(1)</script>');
    expect(page.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it("answers a draft call's page with 404 for the public", async () => {
    const officer = await anOfficer(test);
    const call = (await officer.agent.post('/api/v1/calls').send(aCallBody()).expect(201)).body;
    const page = await anonymous(test).get(`/calls/${call.id}`);
    expect(page.status).to.equal(404);
    expect(parsePage(page.text).heading()).to.equal('Page not found');
  });

  it(
    'makes no session for a visitor without a cookie reading calls or opening the sign-in and ' + 'registration forms',
    async () => {
      const { call } = await aCallWithItsOfficer();
      await test.knex('sessions').delete();
      for (const path of [
        '/calls',
        `/calls/${call.id}`,
        '/api/v1/calls',
        `/api/v1/calls/${call.id}`,
        '/no-such-page',
      ]) {
        const response = await anonymous(test).get(path);
        expect(response.headers['set-cookie'], path).to.equal(undefined);
      }
      expect(await test.knex('sessions').select('sid')).to.deep.equal([]);
      for (const path of ['/sign-in', '/register']) {
        const form = await anonymous(test).get(path).expect(200);
        // The form's token is bound to a cookie of its own, not to a stored session.
        expect(String(form.headers['set-cookie']), path).to.match(/^fc\.csrf=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
        expect(parsePage(form.text).hiddenFields('main form')._csrf).to.match(/^.+$/);
      }
      expect(await test.knex('sessions').select('sid')).to.deep.equal([]);
    },
  );

  it(
    'refuses a sign-in form whose token was made for another browser, and any form post from ' + 'another site',
    async () => {
      const applicant = await anApplicant(test);
      const mine = anonymous(test);
      const theirs = anonymous(test);
      const token = await csrfTokenFrom(theirs, '/sign-in');
      await csrfTokenFrom(mine, '/sign-in');
      const swapped = await mine
        .post('/sign-in')
        .type('form')
        .send({ _csrf: token, email: applicant.email, password: PASSWORD });
      expect(swapped.status).to.equal(403);
      const crossSite = await theirs
        .post('/sign-in')
        .set('Sec-Fetch-Site', 'cross-site')
        .type('form')
        .send({ _csrf: token, email: applicant.email, password: PASSWORD });
      expect(crossSite.status).to.equal(403);
      const foreignOrigin = await theirs
        .post('/sign-in')
        .set('Origin', 'https://attacker.example')
        .type('form')
        .send({ _csrf: token, email: applicant.email, password: PASSWORD });
      expect(foreignOrigin.status).to.equal(403);
      await theirs.get('/api/v1/me').expect(401);
      await theirs
        .post('/sign-in')
        .set('Sec-Fetch-Site', 'same-origin')
        .type('form')
        .send({ _csrf: token, email: applicant.email, password: PASSWORD })
        .expect(303);
      await theirs.get('/api/v1/me').expect(200);
    },
  );

  it('signs in through the form with its CSRF token', async () => {
    const applicant = await anApplicant(test);
    const agent = anonymous(test);
    const token = await csrfTokenFrom(agent, '/sign-in');
    const response = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: token, email: applicant.email, password: PASSWORD });
    expect(response.status).to.equal(303);
    await agent.get('/api/v1/me').expect(200);
  });

  it('refuses a form post with a missing or forged CSRF token', async () => {
    const applicant = await anApplicant(test);
    const agent = anonymous(test);
    await csrfTokenFrom(agent, '/sign-in');
    const missing = await agent.post('/sign-in').type('form').send({ email: applicant.email, password: PASSWORD });
    expect(missing.status).to.equal(403);
    const forged = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: 'forged', email: applicant.email, password: PASSWORD });
    expect(forged.status).to.equal(403);
    await agent.get('/api/v1/me').expect(401);
  });

  it('shows a wrong password as an error summary linked to the field', async () => {
    const agent = anonymous(test);
    const token = await csrfTokenFrom(agent, '/sign-in');
    const response = await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: token, email: 'no@test.example', password: 'nope' });
    expect(response.status).to.equal(401);
    const page = parsePage(response.text);
    expect(page.errorLinks()).to.deep.equal([{ href: '#email', text: 'The e-mail address or password is not right' }]);
    expect(page.title()).to.match(/^Error: Sign in/);
  });

  it("serves GOV.UK Frontend's styles from the npm package", async () => {
    const css = await anonymous(test).get('/stylesheets/govuk-frontend.min.css').expect(200);
    expect(css.headers['content-type']).to.contain('text/css');
    await anonymous(test).get('/assets/images/favicon.ico').expect(200);
  });
});
