import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anOfficer, aPublishedCall, PASSWORD } from '../support/app.ts';
import { invitationTokenTo } from '../support/people.ts';
import { describeInBrowser, Journey, startHarness, type Harness } from './browser.ts';

describeInBrowser('browser: people', function () {
  this.timeout(120_000);
  let harness: Harness;
  let page: Page;

  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });
  beforeEach(async () => {
    page = await harness.newPage();
  });
  afterEach(async () => {
    await page?.context().close();
  });

  const button = (name: string) => page.getByRole('button', { name, exact: true });

  it(
    "an admin invites a colleague, whose first sign-in is the invitation's link, and who finds the " +
      "organisation's bid",
    async () => {
      const call = await aPublishedCall(await anOfficer(harness.test));
      const admin = await anApplicant(harness.test);
      const bid = (
        await admin.agent
          .post(`/api/v1/calls/${call.id}/bids`)
          .send(aBidBody({ title: 'Our shared bid' }))
          .expect(201)
      ).body;
      const journey = new Journey(page);

      // The admin signs in and invites a colleague from their organisation's page.
      await journey.goto('/sign-in');
      await page.fill('#email', admin.email);
      await page.fill('#password', PASSWORD);
      await journey.follow(button('Sign in'));
      await journey.follow(page.getByRole('link', { name: 'Your organisation', exact: true }));
      await journey.follow(page.getByRole('button', { name: 'Invite a colleague' }));
      await page.fill('#email', 'sam.colleague@charity.example');
      await page.check('#role');
      await journey.follow(button('Send the invitation'));
      expect(await page.getByText('Invitation sent to sam.colleague@charity.example').isVisible()).to.equal(true);
      await page.context().clearCookies();

      // The colleague opens the e-mailed link, creates their account, and lands on the organisation's bids.
      const token = await invitationTokenTo(harness.test, 'sam.colleague@charity.example');
      await journey.goto(`/invitations/${token}`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).to.include('has invited you to join');
      await page.fill('#name', 'Sam Colleague');
      await page.fill('#password', 'a colleague passphrase of their own');
      await journey.follow(button('Create the account and accept'));
      expect(new URL(page.url()).pathname).to.equal('/dashboard');
      expect(await page.getByText('You now belong to').isVisible()).to.equal(true);
      await journey.follow(page.getByRole('link', { name: 'Our shared bid' }));
      expect(new URL(page.url()).pathname).to.equal(`/bids/${bid.id}`);
      await journey.follow(page.getByRole('link', { name: 'Your organisation', exact: true }));
      expect(await page.locator('#members').textContent()).to.include('Sam Colleague');
      // A member sees no controls.
      expect(await page.getByRole('button', { name: 'Invite a colleague' }).count()).to.equal(0);
      await journey.screenshot('people-invited-colleague');
    },
  );
});
