import { expect } from 'chai';
import { PASSWORD } from '../support/app.ts';
import { aClosedCallWithBids, scoreBid } from '../support/appraisal.ts';
import { useBrowser } from '../support/useBrowser.ts';
import { describeInBrowser, Journey } from './browser.ts';

describeInBrowser('browser: a clarification after the deadline', function () {
  this.timeout(120_000);
  // Each person has a browser of their own (newPage, closed with the test): no one page for the suite.
  const browser = useBrowser({ page: false });

  /** A new browser, signed in as `email`, on a journey checked page by page. */
  async function signedIn(email: string): Promise<Journey> {
    const page = await browser.newPage();
    const journey = new Journey(page);
    await journey.goto('/sign-in');
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await journey.follow(page.getByRole('button', { name: 'Sign in', exact: true }));
    return journey;
  }

  it('the officer asks, the lead answers, and the panel sees what changed', async () => {
    const closed = await aClosedCallWithBids(browser.harness.test, undefined, 1);
    const [bidId] = closed.bidIds;
    const [appraiser] = closed.appraisers;
    await scoreBid(appraiser, bidId, () => 4);

    // The officer asks about the bid's details, due in UK time.
    const officer = await signedIn(closed.officer.email);
    await officer.goto(`/officer/bids/${bidId}`);
    await officer.follow(officer.page.getByRole('link', { name: 'Ask for a clarification' }));
    await officer.page.check('#sections');
    await officer.page.fill('#question', 'Is the title still right?');
    await officer.page.fill('#respondBy', '29');
    await officer.page.fill('#respondBy-month', '3');
    await officer.page.fill('#respondBy-year', '2027');
    await officer.page.fill('#respondBy-time', '17:00');
    await officer.follow(officer.page.getByRole('button', { name: 'Continue' }));
    expect(await officer.page.locator('#question-check').textContent()).to.contain('29 March 2027 at 5:00pm');
    await officer.follow(officer.page.getByRole('button', { name: 'Send the question' }));
    expect(await officer.page.locator('.govuk-panel__title').textContent()).to.equal('Clarification sent');

    // The lead answers from the bid's page, changing only the title.
    const lead = await signedIn(closed.applicants[0].email);
    await lead.goto(`/bids/${bidId}`);
    await lead.follow(lead.page.getByRole('link', { name: /^Answer/ }));
    await lead.page.fill('#title', 'Working Well in Derby');
    await lead.page.fill('#answer', 'We renamed the project.');
    await lead.follow(lead.page.getByRole('button', { name: 'Continue' }));
    expect(await lead.page.locator('#changes tbody').textContent()).to.contain('Working Well in Derby');
    await lead.follow(lead.page.getByRole('button', { name: 'Send your answer' }));
    expect(await lead.page.locator('.govuk-panel__title').textContent()).to.equal('Answer sent');
    expect(await lead.page.locator('#receipt').textContent()).to.match(/Version\s*2/);

    // The appraiser, who scored version 1, sees the change and is told.
    const panel = await signedIn(appraiser.email);
    await panel.goto(`/appraisal/bids/${bidId}`);
    expect(await panel.page.locator('#earlier-version').textContent()).to.contain(
      'You scored version 1; the appraised version is 2',
    );
    const change = panel.page.getByRole('row', { name: /Title/ });
    expect(await change.textContent()).to.match(/Working Well Together\s*Working Well in Derby/);
  });
});
