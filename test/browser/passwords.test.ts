import { expect } from 'chai';
import { anApplicant, PASSWORD } from '../support/app.ts';
import { deliverOnce } from '../support/mail.ts';
import { IDLE_LIMIT_MS, SESSION_END_MESSAGES } from '../../server/identity/session.ts';
import { useBrowser } from '../support/useBrowser.ts';
import { describeInBrowser, Journey } from './browser.ts';

describeInBrowser('browser: a forgotten password, a changed one, and a session left idle', function () {
  this.timeout(120_000);

  const browser = useBrowser({ smtp: true });

  it(
    'asks for a link from the sign-in page, follows it from the e-mail, sets a new password and is ' + 'signed in',
    async () => {
      const applicant = await anApplicant(browser.harness.test);
      const journey = new Journey(browser.page);
      await journey.goto('/sign-in');
      await journey.follow(browser.page.getByRole('link', { name: 'Forgot your password?' }));
      expect(await browser.page.locator('h1').textContent()).to.equal('Reset your password');
      await browser.page.fill('#email', applicant.email);
      await journey.follow(browser.button('Send the link'));
      expect(await browser.page.locator('h1').textContent()).to.equal('Check your email');

      const received = browser.smtp.received.length;
      await deliverOnce(browser.harness.test.ctx, browser.smtp.url);
      const [mail] = (await browser.smtp.waitFor(received + 1)).slice(received);
      expect(mail.envelopeTo).to.deep.equal([applicant.email]);
      const link = /(https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]+)/.exec(mail.parsed.text!)![1];
      await journey.goto(new URL(link).pathname);
      expect(await browser.page.locator('h1').textContent()).to.equal('Create a new password');
      await browser.page.fill('#password', 'short');
      await journey.follow(browser.button('Change password'));
      expect(await browser.page.locator('#password-error').textContent()).to.contain('between 12 and 200 characters');
      await browser.page.fill('#password', 'a brand new passphrase');
      await journey.follow(browser.button('Change password'));

      expect(new URL(browser.page.url()).pathname).to.equal('/dashboard');
      expect(await browser.page.getByText('Your password has been changed').isVisible()).to.equal(true);
      expect(await browser.page.getByRole('button', { name: 'Sign out' }).isVisible()).to.equal(true);
      // The session the applicant had before is over; the link is used.
      expect((await applicant.agent.get('/api/v1/me')).status).to.equal(401);
      const again = await browser.page.goto(link.replace(/^https?:\/\/[^/]+/, ''));
      expect(again?.status()).to.equal(404);
      await journey.screenshot('password-reset');
    },
  );

  it('changes the password from the header and, left idle 30 minutes, is sent to sign in with a notice', async () => {
    const applicant = await anApplicant(browser.harness.test);
    const journey = new Journey(browser.page);
    await journey.goto('/sign-in');
    await browser.page.fill('#email', applicant.email);
    await browser.page.fill('#password', PASSWORD);
    await journey.follow(browser.button('Sign in'));
    await journey.follow(browser.page.getByRole('link', { name: 'Change password' }));
    await browser.page.fill('#currentPassword', PASSWORD);
    await browser.page.fill('#newPassword', 'a brand new passphrase');
    await journey.follow(browser.button('Change password'));
    expect(new URL(browser.page.url()).pathname).to.equal('/dashboard');
    expect(await browser.page.getByText('Your password has been changed').isVisible()).to.equal(true);
    expect((await applicant.agent.get('/api/v1/me')).status).to.equal(401);

    browser.harness.test.sessionClock.runShiftedBy(IDLE_LIMIT_MS + 1000);
    await journey.goto('/dashboard');
    expect(new URL(browser.page.url()).pathname).to.equal('/sign-in');
    expect(await browser.page.getByText(SESSION_END_MESSAGES.idle).isVisible()).to.equal(true);
    await journey.screenshot('session-idle');
  });
});
