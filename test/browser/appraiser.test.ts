import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { aBidBody } from '../support/builders.ts';
import { PASSWORD } from '../support/app.ts';
import { aClosedCallWithBids, CRITERIA } from '../support/appraisal.ts';
import { describeInBrowser, Journey, startHarness, type Harness } from './browser.ts';

describeInBrowser('browser: the appraiser', function () {
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
    harness.test.clock.reset();
  });

  const button = (name: string) => page.getByRole('button', { name, exact: true });

  it('declares no conflict, reads the bid, saves a draft, sees the running score and submits the scores', async () => {
    const { call, appraisers, bidIds } = await aClosedCallWithBids(
      harness.test,
      [aBidBody(), aBidBody({ title: 'Healthy Minds at Work' })],
      1,
    );
    const [appraiser] = appraisers;
    const journey = new Journey(page);

    // Sign in and find the panel.
    await journey.goto('/sign-in');
    await page.fill('#email', appraiser.email);
    await page.fill('#password', PASSWORD);
    await journey.follow(button('Sign in'));
    await journey.follow(page.getByRole('link', { name: 'Your panels' }));
    expect(await page.getByText('0 of 2 bids scored').isVisible()).to.equal(true);
    await journey.follow(page.getByRole('link', { name: 'Health and Wellbeing' }));
    expect(new URL(page.url()).pathname).to.equal(`/appraisal/calls/${call.id}`);

    // The first bid waits for a declaration of interest.
    await journey.follow(page.getByRole('link', { name: /Working Well Together/ }));
    expect(new URL(page.url()).pathname).to.equal(`/appraisal/bids/${bidIds[0]}/declare`);
    expect(await page.getByRole('cell', { name: 'Derby College' }).isVisible()).to.equal(true);
    await journey.follow(button('Save declaration'));
    expect(await page.locator('.govuk-error-summary a').getAttribute('href')).to.equal('#conflict');
    await page.check('#conflict-2');
    await journey.follow(button('Save declaration'));

    // The bid in full.
    expect(new URL(page.url()).pathname).to.equal(`/appraisal/bids/${bidIds[0]}`);
    expect(await page.getByRole('heading', { name: 'Need and gap' }).isVisible()).to.equal(true);
    expect(
      await page.getByText('People with common mental health conditions fall between services.').isVisible(),
    ).to.equal(true);
    await journey.follow(page.getByRole('button', { name: 'Score this bid' }).first());

    // A draft with a low score and no comment yet is saved; the running score is the saved sheet's.
    await page.check('#scores-0-score-4');
    await page.check('#scores-1-score-2');
    await journey.follow(button('Save draft'));
    expect(await page.locator('#running-score').textContent()).to.match(
      /60%[\s\S]*Based on your saved scores: 2 of 10 criteria scored/,
    );

    // Submitting needs the comment the low score asks for.
    for (let i = 2; i < CRITERIA.length; i += 1) await page.check(`#scores-${i}-score-4`);
    await journey.follow(button('Submit scores'));
    const summary = page.locator('.govuk-error-summary a');
    expect(await summary.textContent()).to.equal('A score of 2 needs a comment saying why');
    expect(await summary.getAttribute('href')).to.equal('#scores-1-comment');
    await page.fill('#scores-1-comment', 'Costs per participant are well above the call median.');
    await journey.follow(button('Submit scores'));

    // Back on the list, the bid is done; its scores are final.
    expect(new URL(page.url()).pathname).to.equal(`/appraisal/calls/${call.id}`);
    expect(await page.getByText(/You submitted your scores for/).isVisible()).to.equal(true);
    expect(await page.locator('.govuk-tag', { hasText: 'Done' }).count()).to.equal(1);
    const sheet = await harness.test.knex('scoreSheets').where({ bidId: bidIds[0] }).first();
    expect(sheet.submittedAt).to.be.instanceOf(Date);
    expect(await harness.test.knex('scores').where({ bidId: bidIds[0], criterion: 'VFM' }).first()).to.include({
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
