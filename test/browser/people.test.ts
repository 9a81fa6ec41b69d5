import { expect } from 'chai';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anOfficer, aPublishedCall, PASSWORD } from '../support/app.ts';
import { invitationTokenTo } from '../support/people.ts';
import { useBrowser } from '../support/useBrowser.ts';
import { describeInBrowser, Journey } from './browser.ts';

describeInBrowser('browser: people', function () {
  this.timeout(120_000);

  const browser = useBrowser();

  it(
    "an admin invites a colleague, whose first sign-in is the invitation's link, and who finds the " +
      "organisation's bid",
    async () => {
      const call = await aPublishedCall(await anOfficer(browser.harness.test));
      const admin = await anApplicant(browser.harness.test);
      const bid = (
        await admin.agent
          .post(`/api/v1/calls/${call.id}/bids`)
          .send(aBidBody({ title: 'Our shared bid' }))
          .expect(201)
      ).body;
      const journey = new Journey(browser.page);

      // The admin signs in and invites a colleague from their organisation's page.
      await journey.goto('/sign-in');
      await browser.page.fill('#email', admin.email);
      await browser.page.fill('#password', PASSWORD);
      await journey.follow(browser.button('Sign in'));
      await journey.follow(browser.page.getByRole('link', { name: 'Your organisation', exact: true }));
      await journey.follow(browser.page.getByRole('button', { name: 'Invite a colleague' }));
      await browser.page.fill('#email', 'sam.colleague@charity.example');
      await browser.page.check('#role');
      await journey.follow(browser.button('Send the invitation'));
      expect(await browser.page.getByText('Invitation sent to sam.colleague@charity.example').isVisible()).to.equal(
        true,
      );
      await browser.page.context().clearCookies();

      // The colleague opens the e-mailed link, creates their account, and lands on the organisation's bids.
      const token = await invitationTokenTo(browser.harness.test, 'sam.colleague@charity.example');
      await journey.goto(`/invitations/${token}`);
      expect(await browser.page.getByRole('heading', { level: 1 }).textContent()).to.include('has invited you to join');
      await browser.page.fill('#name', 'Sam Colleague');
      await browser.page.fill('#password', 'a colleague passphrase of their own');
      await journey.follow(browser.button('Create the account and accept'));
      expect(new URL(browser.page.url()).pathname).to.equal('/dashboard');
      expect(await browser.page.getByText('You now belong to').isVisible()).to.equal(true);
      await journey.follow(browser.page.getByRole('link', { name: 'Our shared bid' }));
      expect(new URL(browser.page.url()).pathname).to.equal(`/bids/${bid.id}`);
      await journey.follow(browser.page.getByRole('link', { name: 'Your organisation', exact: true }));
      expect(await browser.page.locator('#members').textContent()).to.include('Sam Colleague');
      // A member sees no controls.
      expect(await browser.page.getByRole('button', { name: 'Invite a colleague' }).count()).to.equal(0);
      await journey.screenshot('people-invited-colleague');
    },
  );
});
