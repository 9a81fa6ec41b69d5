import { expect } from 'chai';
import * as cheerio from 'cheerio';
import supertest from 'supertest';
import { anApplicant, anonymous, signInAs, asApiClient, useTestApp, PASSWORD } from '../support/app.ts';
import { snapshot } from '../support/database.ts';
import { csrfTokenFrom } from '../support/pages.ts';
import { aResetLink } from '../support/passwords.ts';

const NEW_PASSWORD = 'a brand new passphrase';

describe('pages: forgotten and changed passwords', () => {
  const test = useTestApp();

  async function signInStatus(email: string, password: string): Promise<number> {
    return (await anonymous(test).post('/api/v1/session').send({ email, password })).status;
  }

  it('links "Forgot your password?" from the sign-in page to the form asking for a link', async () => {
    const signIn = cheerio.load((await anonymous(test).get('/sign-in').expect(200)).text);
    expect(signIn('a[href="/forgot-password"]').text()).to.equal('Forgot your password?');
    const form = cheerio.load((await anonymous(test).get('/forgot-password').expect(200)).text);
    expect(form('h1').text()).to.equal('Reset your password');
    expect(form('form[action="/forgot-password"] input[name="email"][type="email"]').length).to.equal(1);
    expect(form('form[action="/forgot-password"] input[name="_csrf"]').val()).to.be.a('string').that.is.not.empty;
  });

  it(
    'answers an address with an account and one without with the same page, and makes a link only ' + 'for the account',
    async () => {
      const applicant = await anApplicant(test);
      const pagesSeen: string[] = [];
      for (const email of [applicant.email, 'nobody@test.example']) {
        const browser = anonymous(test);
        const token = await csrfTokenFrom(browser, '/forgot-password');
        const posted = await browser.post('/forgot-password').type('form').send({ _csrf: token, email });
        expect(posted.status).to.equal(303);
        expect(posted.headers.location).to.equal('/forgot-password/sent');
        const sent = await browser.get(posted.headers.location).expect(200);
        pagesSeen.push(cheerio.load(sent.text)('main').text());
      }
      expect(pagesSeen[0]).to.contain('Check your email');
      expect(pagesSeen[1]).to.equal(pagesSeen[0]);
      const links = await test.knex('password_resets').select('userId');
      expect(links).to.deep.equal([{ userId: applicant.actor.id }]);
    },
  );

  it('says what is wrong with a blank or malformed address, keeps what was typed, and makes nothing', async () => {
    const browser = anonymous(test);
    const before = await snapshot();
    for (const [email, message] of [
      ['', 'Enter your email address'],
      ['not-an-address', 'Enter an email address in the correct format, like name@example.com'],
      ['no-dot@localhost', 'Enter an email address in the correct format, like name@example.com'],
    ]) {
      const token = await csrfTokenFrom(browser, '/forgot-password');
      const page = await browser.post('/forgot-password').type('form').send({ _csrf: token, email });
      expect(page.status).to.equal(422);
      const $ = cheerio.load(page.text);
      expect($('.govuk-error-summary li').length).to.equal(1);
      expect($('.govuk-error-summary a[href="#email"]').text()).to.equal(message);
      expect($('#email-error').text()).to.contain(message);
      expect($('#email').val()).to.equal(email);
    }
    expect(await snapshot()).to.deep.equal(before);
  });

  it('refuses a form posted without its CSRF token', async () => {
    const applicant = await anApplicant(test);
    const browser = anonymous(test);
    await csrfTokenFrom(browser, '/forgot-password');
    await browser.post('/forgot-password').type('form').send({ email: applicant.email }).expect(403);
    const token = await aResetLink(test.knex, applicant.actor.id);
    await browser.post(`/reset-password/${token}`).type('form').send({ password: NEW_PASSWORD }).expect(403);
    expect(await signInStatus(applicant.email, PASSWORD)).to.equal(200);
  });

  it(
    'sets a new password from the link, signs the person in with a message, and ends their other ' + 'sessions',
    async () => {
      const applicant = await anApplicant(test);
      const token = await aResetLink(test.knex, applicant.actor.id);
      const browser = anonymous(test);
      const form = cheerio.load((await browser.get(`/reset-password/${token}`).expect(200)).text);
      expect(form('h1').text()).to.equal('Create a new password');
      expect(form('form').attr('action')).to.equal(`/reset-password/${token}`);
      const csrf = String(form('input[name="_csrf"]').val());

      const short = await browser
        .post(`/reset-password/${token}`)
        .type('form')
        .send({ _csrf: csrf, password: 'short' });
      expect(short.status).to.equal(422);
      expect(cheerio.load(short.text)('#password-error').text()).to.contain('between 12 and 200 characters');
      expect(cheerio.load(short.text)('#password').val()).to.equal('');

      const done = await browser
        .post(`/reset-password/${token}`)
        .type('form')
        .send({ _csrf: csrf, password: NEW_PASSWORD });
      expect(done.status).to.equal(303);
      expect(done.headers.location).to.equal('/dashboard');
      const dashboard = cheerio.load((await browser.get('/dashboard').expect(200)).text);
      expect(dashboard('.govuk-notification-banner__heading').text()).to.contain('Your password has been changed');
      expect((await applicant.agent.get('/api/v1/me')).status).to.equal(401);
      expect(await signInStatus(applicant.email, NEW_PASSWORD)).to.equal(200);

      const used = await anonymous(test).get(`/reset-password/${token}`);
      expect(used.status).to.equal(404);
      expect(cheerio.load(used.text)('h1').text()).to.equal('That link does not work');
      expect(cheerio.load(used.text)('a[href="/forgot-password"]').length).to.equal(1);
    },
  );

  it(
    'shows "That link does not work" for an unknown link, to a form posted to it as well, and ' + 'changes nothing',
    async () => {
      const browser = anonymous(test);
      const token = await csrfTokenFrom(browser, '/forgot-password');
      const before = await snapshot();
      const page = await browser.get('/reset-password/not-a-link');
      expect(page.status).to.equal(404);
      expect(cheerio.load(page.text)('h1').text()).to.equal('That link does not work');
      const posted = await browser
        .post('/reset-password/not-a-link')
        .type('form')
        .send({ _csrf: token, password: NEW_PASSWORD });
      expect(posted.status).to.equal(404);
      expect(await snapshot()).to.deep.equal(before);
    },
  );

  it(
    'lets a signed-in person change their password from the link in the header; other sessions end, ' +
      'this one stays',
    async () => {
      const applicant = await anApplicant(test);
      const elsewhere = await signInAs(asApiClient(supertest.agent(test.app)), applicant.email);
      const dashboard = cheerio.load((await applicant.agent.get('/dashboard').expect(200)).text);
      expect(dashboard('.govuk-service-navigation a[href="/change-password"]').text()).to.equal('Change password');
      const form = cheerio.load((await applicant.agent.get('/change-password').expect(200)).text);
      expect(form('input[name="currentPassword"][type="password"]').length).to.equal(1);
      expect(form('input[name="newPassword"][type="password"]').length).to.equal(1);
      const csrf = String(form('input[name="_csrf"]').val());

      const wrong = await applicant.agent
        .post('/change-password')
        .type('form')
        .send({ _csrf: csrf, currentPassword: 'not the password', newPassword: NEW_PASSWORD });
      expect(wrong.status).to.equal(422);
      expect(cheerio.load(wrong.text)('.govuk-error-summary a[href="#currentPassword"]').text()).to.equal(
        'The current password is not right',
      );
      await elsewhere.get('/api/v1/me').expect(200);

      const changed = await applicant.agent
        .post('/change-password')
        .type('form')
        .send({ _csrf: csrf, currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
      expect(changed.status).to.equal(303);
      expect(changed.headers.location).to.equal('/dashboard');
      const after = cheerio.load((await applicant.agent.get('/dashboard').expect(200)).text);
      expect(after('.govuk-notification-banner__heading').text()).to.contain('Your password has been changed');
      await elsewhere.get('/api/v1/me').expect(401);
      expect(await signInStatus(applicant.email, NEW_PASSWORD)).to.equal(200);
    },
  );

  it('sends someone not signed in from the change-password page to sign in', async () => {
    const page = await anonymous(test).get('/change-password');
    expect(page.status).to.equal(303);
    expect(page.headers.location).to.equal('/sign-in');
  });
});
