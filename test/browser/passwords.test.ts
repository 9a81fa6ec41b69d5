import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { anApplicant, PASSWORD } from '../support/app.ts';
import { deliverOnce, startSmtpServer, type TestSmtpServer } from '../support/mail.ts';
import { IDLE_LIMIT_MS, SESSION_END_MESSAGES } from '../../server/identity/session.ts';
import { describeInBrowser, Journey, startHarness, type Harness } from './browser.ts';

describeInBrowser('browser: a forgotten password, a changed one, and a session left idle', function () {
  this.timeout(120_000);
  let harness: Harness;
  let smtp: TestSmtpServer;
  let page: Page;

  before(async () => {
    harness = await startHarness();
    smtp = await startSmtpServer();
  });
  after(async () => {
    await harness?.close();
    await smtp?.close();
  });
  beforeEach(async () => {
    page = await harness.newPage();
  });
  afterEach(async () => {
    await page?.context().close();
    harness.test.sessionClock.reset();
  });

  const button = (name: string) => page.getByRole('button', { name, exact: true });

  it(
    'asks for a link from the sign-in page, follows it from the e-mail, sets a new password and is ' + 'signed in',
    async () => {
      const applicant = await anApplicant(harness.test);
      const journey = new Journey(page);
      await journey.goto('/sign-in');
      await journey.follow(page.getByRole('link', { name: 'Forgot your password?' }));
      expect(await page.locator('h1').textContent()).to.equal('Reset your password');
      await page.fill('#email', applicant.email);
      await journey.follow(button('Send the link'));
      expect(await page.locator('h1').textContent()).to.equal('Check your email');

      const received = smtp.received.length;
      await deliverOnce(harness.test.ctx, smtp.url);
      const [mail] = (await smtp.waitFor(received + 1)).slice(received);
      expect(mail.envelopeTo).to.deep.equal([applicant.email]);
      const link = /(https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]+)/.exec(mail.parsed.text!)![1];
      await journey.goto(new URL(link).pathname);
      expect(await page.locator('h1').textContent()).to.equal('Create a new password');
      await page.fill('#password', 'short');
      await journey.follow(button('Change password'));
      expect(await page.locator('#password-error').textContent()).to.contain('between 12 and 200 characters');
      await page.fill('#password', 'a brand new passphrase');
      await journey.follow(button('Change password'));

      expect(new URL(page.url()).pathname).to.equal('/dashboard');
      expect(await page.getByText('Your password has been changed').isVisible()).to.equal(true);
      expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).to.equal(true);
      // The session the applicant had before is over; the link is used.
      expect((await applicant.agent.get('/api/v1/me')).status).to.equal(401);
      const again = await page.goto(link.replace(/^https?:\/\/[^/]+/, ''));
      expect(again?.status()).to.equal(404);
      await journey.screenshot('password-reset');
    },
  );

  it('changes the password from the header and, left idle 30 minutes, is sent to sign in with a notice', async () => {
    const applicant = await anApplicant(harness.test);
    const journey = new Journey(page);
    await journey.goto('/sign-in');
    await page.fill('#email', applicant.email);
    await page.fill('#password', PASSWORD);
    await journey.follow(button('Sign in'));
    await journey.follow(page.getByRole('link', { name: 'Change password' }));
    await page.fill('#currentPassword', PASSWORD);
    await page.fill('#newPassword', 'a brand new passphrase');
    await journey.follow(button('Change password'));
    expect(new URL(page.url()).pathname).to.equal('/dashboard');
    expect(await page.getByText('Your password has been changed').isVisible()).to.equal(true);
    expect((await applicant.agent.get('/api/v1/me')).status).to.equal(401);

    harness.test.sessionClock.runShiftedBy(IDLE_LIMIT_MS + 1000);
    await journey.goto('/dashboard');
    expect(new URL(page.url()).pathname).to.equal('/sign-in');
    expect(await page.getByText(SESSION_END_MESSAGES.idle).isVisible()).to.equal(true);
    await journey.screenshot('session-idle');
  });
});
