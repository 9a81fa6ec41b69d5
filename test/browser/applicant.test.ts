import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anOfficer, PASSWORD, aPublishedCall } from '../support/app.ts';
import { aPdf } from '../support/files.ts';
import { describeInBrowser, Journey, startHarness, type Harness } from './browser.ts';

describeInBrowser('browser: the applicant', function () {
  this.timeout(120_000);
  let harness: Harness;
  let page: Page;
  let letter: string;

  before(async () => {
    harness = await startHarness();
    letter = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fundingcalls-letter-')), 'council-letter.pdf');
    fs.writeFileSync(letter, aPdf('Derby City Council commits £400,000 of match funding'));
  });
  after(async () => {
    await harness?.close();
    if (letter) fs.rmSync(path.dirname(letter), { recursive: true, force: true });
  });
  beforeEach(async () => {
    page = await harness.newPage();
  });
  afterEach(async () => {
    await page?.context().close();
  });

  async function anOpenCall(): Promise<{ id: string; title: string }> {
    const officer = await anOfficer(harness.test);
    const call = await aPublishedCall(officer);
    return call;
  }

  const button = (name: string) => page.getByRole('button', { name, exact: true });
  const save = () => button('Save and return to the bid');

  it(
    'registers, drafts a partnership bid with an evidence letter, submits it and sees the receipt ' + 'and the gateway',
    async () => {
      const call = await anOpenCall();
      const journey = new Journey(page);

      // Register the organisation.
      await journey.goto('/register');
      await page.fill('#name', 'Amira Khan');
      await page.fill('#email', 'amira@derby-partnership.example');
      await page.fill('#password', 'a long enough passphrase');
      await page.fill('#organisation-name', 'Derby Community Partnership');
      await page.check('#organisation-type');
      await page.fill('#organisation-charityNumber', '1164883');
      await journey.follow(button('Register'));
      expect(new URL(page.url()).pathname).to.equal('/dashboard');
      expect(await page.getByText('Welcome, Amira Khan').isVisible()).to.equal(true);

      // Start a bid from the call's page.
      await journey.goto(`/calls/${call.id}`);
      await journey.follow(page.getByRole('button', { name: 'Start a bid' }));
      await page.fill('#title', 'Working Well Together');
      await journey.follow(button('Start the bid'));
      const bidId = new URL(page.url()).pathname.split('/')[2];
      const draft = async () => (await harness.test.knex('bids').where({ id: bidId }).first()).draft;

      // Bid details.
      await journey.follow(page.getByRole('link', { name: 'Bid details' }));
      await page.fill('#summary', 'A partnership of VCS, college and council support into and on in work.');
      await page.fill('#startDate', '1');
      await page.fill('#startDate-month', '4');
      await page.fill('#startDate-year', '2027');
      await page.fill('#endDate', '30');
      await page.fill('#endDate-month', '9');
      await page.fill('#endDate-year', '2029');
      await page.check('#geography');
      await journey.follow(save());

      // Partners: the lead, then another row for the college.
      await journey.follow(page.getByRole('link', { name: 'Partners' }));
      await page.fill('#partners-0-name', 'Derby Community Partnership');
      await page.selectOption('#partners-0-type', 'vcs');
      await page.selectOption('#partners-0-role', 'lead');
      await page.fill('#partners-0-charityNumber', '1164883');
      await page.fill('#partners-0-esfPence', '400,000');
      await page.fill('#partners-0-matchPence', '£300,000.00');
      await journey.follow(button('Save and add another row'));
      await page.fill('#partners-1-name', 'Derby College');
      await page.selectOption('#partners-1-type', 'education');
      await page.selectOption('#partners-1-role', 'delivery');
      await page.fill('#partners-1-companyNumber', '01234567');
      await page.fill('#partners-1-esfPence', '200000');
      await page.fill('#partners-1-matchPence', '300000.00');
      await journey.follow(save());

      // Priorities and budget: a typo is answered, never guessed; then money as people type it.
      await journey.follow(page.getByRole('link', { name: 'Priorities and budget' }));
      await page.fill('#priorities-0-esfPence', '£45O,000');
      await page.fill('#totalEligibleCostPence', '£1,200,000');
      await journey.follow(save());
      const summaryLink = page.locator('.govuk-error-summary a');
      expect(await summaryLink.textContent()).to.equal('Enter an amount in pounds, like £500,000.00');
      expect(await summaryLink.getAttribute('href')).to.equal('#priorities-0-esfPence');
      expect(await page.locator('#priorities-0-esfPence-error').isVisible()).to.equal(true);
      expect(await page.inputValue('#priorities-0-esfPence')).to.equal('£45O,000');
      expect((await draft()).priorities).to.equal(undefined);
      await page.fill('#priorities-0-esfPence', '£450,000');
      await page.fill('#priorities-2-esfPence', '150,000');
      await journey.follow(save());
      expect((await draft()).priorities).to.deep.equal([
        { code: '1.1', esfPence: 45_000_000 },
        { code: '2.1', esfPence: 15_000_000 },
      ]);
      expect((await draft()).totalEligibleCostPence).to.equal(120_000_000);

      // Match funding, then the council's letter uploaded as the evidence for its line.
      await journey.follow(page.getByRole('link', { name: 'Match funding' }));
      await page.fill('#matchFunding-0-funder', 'Derby City Council');
      await page.selectOption('#matchFunding-0-sector', 'public');
      await page.selectOption('#matchFunding-0-kind', 'cash');
      await page.fill('#matchFunding-0-amountPence', '£400,000');
      await page.selectOption('#matchFunding-0-status', 'secured');
      await journey.follow(button('Save and add another row'));
      await page.fill('#matchFunding-1-funder', 'Volunteer time');
      await page.selectOption('#matchFunding-1-sector', 'private');
      await page.selectOption('#matchFunding-1-kind', 'in_kind');
      await page.fill('#matchFunding-1-amountPence', '200,000');
      await page.selectOption('#matchFunding-1-status', 'pending');
      await journey.follow(save());
      await journey.follow(page.getByRole('link', { name: 'Match funding' }));
      await page.selectOption('#line', '0');
      await page.setInputFiles('#file', letter);
      await journey.follow(button('Upload the file'));
      expect(await page.locator('.govuk-notification-banner').textContent()).to.contain(
        'Uploaded council-letter.pdf as the evidence for line 1',
      );
      const evidence = await harness.test.knex('attachments').where({ bidId }).first();
      expect(evidence).to.include({ filename: 'council-letter.pdf', purpose: 'match-evidence' });
      expect((await draft()).matchFunding[0].evidenceAttachmentId).to.equal(evidence.id);
      expect(await page.locator('#matchFunding-0-evidenceAttachmentId option:checked').textContent()).to.equal(
        'council-letter.pdf',
      );
      await journey.follow(page.getByRole('link', { name: 'Back', exact: true }));

      // Targets.
      await journey.follow(page.getByRole('link', { name: 'Targets' }));
      await page.selectOption('#outputTargets-0-indicator', 'P-TOTAL');
      await page.fill('#outputTargets-0-target', '600');
      await journey.follow(button('Save and add another row'));
      await page.selectOption('#outputTargets-1-indicator', 'P-UNEMP');
      await page.fill('#outputTargets-1-target', '250');
      await page.selectOption('#resultTargets-0-indicator', 'R-UNEMP-EMP');
      await page.fill('#resultTargets-0-target', '90');
      await journey.follow(save());

      // Gap claims and narratives.
      await journey.follow(page.getByRole('link', { name: 'Gap claims' }));
      await page.fill('#gapClaims-0-narrative', 'No service joins talking therapies with employment support here.');
      await journey.follow(save());
      await journey.follow(page.getByRole('link', { name: 'Narratives' }));
      await page.fill('#narrative-need', 'People with common mental health conditions fall between services.');
      await page.fill('#narrative-activities', 'Key workers, employer brokerage, in-work support.');
      await page.fill('#narrative-delivery', 'Delivered by the lead and a college across Derby.');
      await page.fill('#narrative-management', 'A partnership board with a contract manager and monthly claims.');
      await page.fill('#narrative-crossCuttingThemes', 'Equality impact assessment; low-carbon delivery.');
      await journey.follow(save());
      expect(await page.getByText('You have completed 7 of 7 sections').isVisible()).to.equal(true);

      // Check the answers, submit, and keep the receipt.
      await journey.follow(page.getByRole('button', { name: 'Check your answers and submit' }));
      expect(await page.getByText('ESF £400,000.00 · match £300,000.00').isVisible()).to.equal(true);
      await journey.follow(button('Submit the bid'));
      expect(await page.locator('.govuk-panel__title').textContent()).to.contain('Bid submitted');
      const version = await harness.test.knex('bid_versions').where({ bidId }).first();
      const bid = await harness.test.knex('bids').where({ id: bidId }).first();
      const receipt = await page.locator('#receipt').textContent();
      expect(receipt).to.contain(bid.reference);
      expect(receipt).to.contain(version.sha256);
      expect(receipt).to.match(/Version\s+1/);
      expect(await page.locator('table.govuk-table tbody tr').count()).to.equal(8);
      expect(await page.locator('table.govuk-table tbody .govuk-tag--green').count()).to.equal(8);
      expect(await page.getByText('Submitted by the deadline').isVisible()).to.equal(true);
      expect(version.gatewayPassed).to.equal(true);

      await journey.screenshot('applicant-journey');
      expect(journey.visited.length).to.be.greaterThan(20);
    },
  );

  it('shows a bid titled <script>alert(1)</script> as text, and no script runs', async () => {
    const call = await anOpenCall();
    const applicant = await anApplicant(harness.test);
    const title = '<script>alert(1)</script>';
    const bid = (await applicant.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody({ title })).expect(201))
      .body;
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    const journey = new Journey(page);

    await journey.goto('/sign-in');
    await page.fill('#email', applicant.email);
    await page.fill('#password', PASSWORD);
    await journey.follow(button('Sign in'));
    expect(new URL(page.url()).pathname).to.equal('/dashboard');
    expect(await page.getByRole('link', { name: title }).isVisible()).to.equal(true);

    for (const pathname of [`/bids/${bid.id}`, `/bids/${bid.id}/details`, `/bids/${bid.id}/check`]) {
      await journey.goto(pathname);
      expect(await page.getByText(title).first().isVisible(), pathname).to.equal(true);
    }
    expect(await page.locator('input#title').count()).to.equal(0); // the check page shows answers, not inputs
    await journey.goto(`/bids/${bid.id}/details`);
    expect(await page.inputValue('#title')).to.equal(title);
    expect(dialogs).to.equal(0);
    await journey.screenshot('applicant-script-title');
  });
});
