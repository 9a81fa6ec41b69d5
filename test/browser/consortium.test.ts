import { expect } from 'chai';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anOfficer, aPublishedCall, PASSWORD } from '../support/app.ts';
import { deliverOnce, type ReceivedMail } from '../support/mail.ts';
import { useBrowser } from '../support/useBrowser.ts';
import { describeInBrowser, Journey } from './browser.ts';

describeInBrowser('browser: a consortium bid', function () {
  this.timeout(180_000);

  const browser = useBrowser({ smtp: true });
  /** The e-mails the outbox sends to the test SMTP server in one delivery pass, to `to`. */
  async function mailTo(to: string, expected: number): Promise<ReceivedMail[]> {
    const received = browser.smtp.received.length;
    await deliverOnce(browser.harness.test.ctx, browser.smtp.url);
    const sent = (await browser.smtp.waitFor(received + expected)).slice(received);
    return sent.filter((mail) => mail.envelopeTo.includes(to));
  }
  async function signIn(journey: Journey, email: string, password: string): Promise<void> {
    await journey.goto('/sign-in');
    await browser.page.fill('#email', email);
    await browser.page.fill('#password', password);
    await journey.follow(browser.button('Sign in'));
  }

  it(
    'the lead invites a partner by e-mail, who accepts as a new organisation, fills in and completes its part; ' +
      'the lead submits and the partner sees the receipt on the page and in the e-mail',
    async () => {
      const call = await aPublishedCall(await anOfficer(browser.harness.test));
      const lead = await anApplicant(browser.harness.test);
      const bid = (
        await lead.agent
          .post(`/api/v1/calls/${call.id}/bids`)
          // The lead declares its own £300,000 of match; the college brings the other £300,000 in its part.
          .send(
            aBidBody({
              title: 'Working Well Together',
              matchFunding: [
                {
                  funder: 'Derby City Council',
                  sector: 'public',
                  kind: 'cash',
                  amountPence: 30_000_000,
                  status: 'pending',
                },
              ],
            }),
          )
          .expect(201)
      ).body;
      const journey = new Journey(browser.page);
      const partnerEmail = 'contracts@derby-college.example';

      // The lead invites Derby College from the bid's task list.
      await signIn(journey, lead.email, PASSWORD);
      await journey.goto(`/bids/${bid.id}`);
      expect(await browser.page.locator('#consortium').textContent()).to.contain('Not invited');
      await journey.follow(browser.page.getByRole('link', { name: 'Invite Derby College' }));
      await browser.page.fill('#email', partnerEmail);
      await journey.follow(browser.button('Send the invitation'));
      expect(await browser.page.locator('.govuk-notification-banner--success').textContent()).to.contain(
        `Invitation sent to ${partnerEmail}`,
      );
      expect(await browser.page.locator('#consortium').textContent()).to.contain('Invited');
      await browser.page.context().clearCookies();

      // The partner follows the link in the e-mail and registers the college as they accept.
      const [invitation] = await mailTo(partnerEmail, 1);
      const link = /(https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]{43})/.exec(invitation.parsed.text!)![1];
      await journey.goto(new URL(link).pathname);
      expect(await browser.page.locator('h1').textContent()).to.contain(
        'be a partner in the bid Working Well Together',
      );
      await browser.page.fill('#name', 'Casey College');
      await browser.page.fill('#password', 'the college partner passphrase');
      await browser.page.fill('#organisation-name', 'Derby College');
      await browser.page.selectOption('#organisation-type', 'education');
      await journey.follow(browser.button('Create the account and accept'));
      expect(new URL(browser.page.url()).pathname).to.equal(`/bids/${bid.id}`);
      expect(await browser.page.getByText('You now belong to Derby College').isVisible()).to.equal(true);
      // The rest of the bid is there to read, with nothing to submit.
      expect(await browser.button('Check your answers and submit').count()).to.equal(0);
      expect(await browser.page.getByRole('link', { name: 'See the whole bid' }).count()).to.equal(1);

      // It fills in its part: its shares and the match funding it brings, then marks the part complete.
      await journey.follow(browser.page.getByRole('link', { name: 'Your part: Derby College' }));
      await browser.page.fill('#partner-companyNumber', '01234567');
      await browser.page.fill('#matchFunding-0-funder', 'College reserves');
      await browser.page.selectOption('#matchFunding-0-sector', 'public');
      await browser.page.selectOption('#matchFunding-0-kind', 'cash');
      await browser.page.fill('#matchFunding-0-amountPence', '300,000');
      await browser.page.selectOption('#matchFunding-0-status', 'pending');
      await journey.follow(browser.button('Save the part'));
      expect(await browser.page.getByText('The part was saved').isVisible()).to.equal(true);
      await journey.follow(browser.button('Mark the part complete'));
      expect(await browser.page.getByText("Derby College's part is marked complete").isVisible()).to.equal(true);
      expect(await browser.page.locator('#own-part').textContent()).to.contain('Completed');
      await browser.page.context().clearCookies();

      // The lead sees the college complete, checks the answers and submits.
      await signIn(journey, lead.email, PASSWORD);
      await journey.goto(`/bids/${bid.id}`);
      expect(await browser.page.locator('#consortium').textContent()).to.contain('Complete');
      await journey.follow(browser.button('Check your answers and submit'));
      await journey.follow(browser.button('Submit the bid'));
      expect(await browser.page.locator('.govuk-panel__title').textContent()).to.contain('Bid submitted');
      const sha256 = (await browser.page.locator('#receipt code').textContent())!.trim();
      await browser.page.context().clearCookies();

      // The college's member sees the same receipt on the bid's page and in their e-mail.
      await signIn(journey, partnerEmail, 'the college partner passphrase');
      await journey.follow(browser.page.locator('#partner-bids').getByRole('link', { name: 'Working Well Together' }));
      await journey.follow(browser.page.getByRole('link', { name: 'See the receipt and each check' }));
      expect((await browser.page.locator('#receipt code').textContent())!.trim()).to.equal(sha256);
      // With the college's match in, the bid passes the gateway.
      expect(await browser.page.getByText('Did not pass').count()).to.equal(0);
      const [receipt] = await mailTo(partnerEmail, 2);
      expect(receipt.parsed.subject).to.equal(`Bid ${bid.reference} submitted: Working Well Together`);
      expect(receipt.parsed.text).to.contain(`SHA-256 of what was submitted: ${sha256}`);
      await journey.screenshot('consortium-partner-receipt');
    },
  );
});
