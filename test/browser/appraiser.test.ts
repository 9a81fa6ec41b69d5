import { expect } from 'chai';
import { aBidBody } from '../support/builders.ts';
import { PASSWORD } from '../support/app.ts';
import { aClosedCallWithBids, CRITERIA } from '../support/appraisal.ts';
import { useBrowser } from '../support/useBrowser.ts';
import { describeInBrowser, Journey } from './browser.ts';

describeInBrowser('browser: the appraiser', function () {
  this.timeout(120_000);

  const browser = useBrowser();

  it('declares no conflict, reads the bid, saves a draft, sees the running score and submits the scores', async () => {
    const { call, appraisers, bidIds } = await aClosedCallWithBids(
      browser.harness.test,
      [aBidBody(), aBidBody({ title: 'Healthy Minds at Work' })],
      1,
    );
    const [appraiser] = appraisers;
    const journey = new Journey(browser.page);

    // Sign in and find the panel.
    await journey.goto('/sign-in');
    await browser.page.fill('#email', appraiser.email);
    await browser.page.fill('#password', PASSWORD);
    await journey.follow(browser.button('Sign in'));
    await journey.follow(browser.page.getByRole('link', { name: 'Your panels' }));
    expect(await browser.page.getByText('0 of 2 bids scored').isVisible()).to.equal(true);
    await journey.follow(browser.page.getByRole('link', { name: 'Health and Wellbeing' }));
    expect(new URL(browser.page.url()).pathname).to.equal(`/appraisal/calls/${call.id}`);

    // The first bid waits for a declaration of interest.
    await journey.follow(browser.page.getByRole('link', { name: /Working Well Together/ }));
    expect(new URL(browser.page.url()).pathname).to.equal(`/appraisal/bids/${bidIds[0]}/declare`);
    expect(await browser.page.getByRole('cell', { name: 'Derby College' }).isVisible()).to.equal(true);
    await journey.follow(browser.button('Save declaration'));
    expect(await browser.page.locator('.govuk-error-summary a').getAttribute('href')).to.equal('#conflict');
    await browser.page.check('#conflict-2');
    await journey.follow(browser.button('Save declaration'));

    // The bid in full.
    expect(new URL(browser.page.url()).pathname).to.equal(`/appraisal/bids/${bidIds[0]}`);
    expect(await browser.page.getByRole('heading', { name: 'Need and gap' }).isVisible()).to.equal(true);
    expect(
      await browser.page.getByText('People with common mental health conditions fall between services.').isVisible(),
    ).to.equal(true);
    await journey.follow(browser.page.getByRole('button', { name: 'Score this bid' }).first());

    // A draft with a low score and no comment yet is saved; the running score is the saved sheet's.
    await browser.page.check('#scores-0-score-4');
    await browser.page.check('#scores-1-score-2');
    await journey.follow(browser.button('Save draft'));
    expect(await browser.page.locator('#running-score').textContent()).to.match(
      /60%[\s\S]*Based on your saved scores: 2 of 10 criteria scored/,
    );

    // Submitting needs the comment the low score asks for.
    for (let i = 2; i < CRITERIA.length; i += 1) await browser.page.check(`#scores-${i}-score-4`);
    await journey.follow(browser.button('Submit scores'));
    const summary = browser.page.locator('.govuk-error-summary a');
    expect(await summary.textContent()).to.equal('A score of 2 needs a comment saying why');
    expect(await summary.getAttribute('href')).to.equal('#scores-1-comment');
    await browser.page.fill('#scores-1-comment', 'Costs per participant are well above the call median.');
    await journey.follow(browser.button('Submit scores'));

    // Back on the list, the bid is done; its scores are final.
    expect(new URL(browser.page.url()).pathname).to.equal(`/appraisal/calls/${call.id}`);
    expect(await browser.page.getByText(/You submitted your scores for/).isVisible()).to.equal(true);
    expect(await browser.page.locator('.govuk-tag', { hasText: 'Done' }).count()).to.equal(1);
    const sheet = await browser.harness.test.knex('scoreSheets').where({ bidId: bidIds[0] }).first();
    expect(sheet.submittedAt).to.be.instanceOf(Date);
    expect(await browser.harness.test.knex('scores').where({ bidId: bidIds[0], criterion: 'VFM' }).first()).to.include({
      score: 2,
      comment: 'Costs per participant are well above the call median.',
    });
    await journey.screenshot('appraiser-journey');
    expect(journey.visited).to.include.members([
      '/appraisal',
      `/appraisal/bids/${bidIds[0]}/declare`,
      `/appraisal/bids/${bidIds[0]}/score`,
    ]);
  });
});
