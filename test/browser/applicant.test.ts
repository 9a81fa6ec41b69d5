import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anOfficer, PASSWORD, aPublishedCall } from '../support/app.ts';
import { aPdf } from '../support/files.ts';
import { useBrowser } from '../support/useBrowser.ts';
import { describeInBrowser, Journey } from './browser.ts';

describeInBrowser('browser: the applicant', function () {
  this.timeout(120_000);
  const browser = useBrowser();
  let letter: string;

  before(async () => {
    letter = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fundingcalls-letter-')), 'council-letter.pdf');
    fs.writeFileSync(letter, aPdf('Derby City Council commits £400,000 of match funding'));
  });
  after(async () => {
    if (letter) fs.rmSync(path.dirname(letter), { recursive: true, force: true });
  });

  async function anOpenCall(): Promise<{ id: string; title: string }> {
    const officer = await anOfficer(browser.harness.test);
    const call = await aPublishedCall(officer);
    return call;
  }
  const save = () => browser.button('Save and return to the bid');

  it(
    'registers, drafts a partnership bid with an evidence letter, submits it and sees the receipt ' + 'and the gateway',
    async () => {
      const call = await anOpenCall();
      const journey = new Journey(browser.page);

      // Register the organisation.
      await journey.goto('/register');
      await browser.page.fill('#name', 'Amira Khan');
      await browser.page.fill('#email', 'amira@derby-partnership.example');
      await browser.page.fill('#password', 'a long enough passphrase');
      await browser.page.fill('#organisation-name', 'Derby Community Partnership');
      await browser.page.check('#organisation-type');
      await browser.page.fill('#organisation-charityNumber', '1164883');
      await journey.follow(browser.button('Register'));
      expect(new URL(browser.page.url()).pathname).to.equal('/dashboard');
      expect(await browser.page.getByText('Welcome, Amira Khan').isVisible()).to.equal(true);

      // Start a bid from the call's page.
      await journey.goto(`/calls/${call.id}`);
      await journey.follow(browser.page.getByRole('button', { name: 'Start a bid' }));
      await browser.page.fill('#title', 'Working Well Together');
      await journey.follow(browser.button('Start the bid'));
      const bidId = new URL(browser.page.url()).pathname.split('/')[2];
      const draft = async () => (await browser.harness.test.knex('bids').where({ id: bidId }).first()).draft;

      // Bid details.
      await journey.follow(browser.page.getByRole('link', { name: 'Bid details' }));
      await browser.page.fill('#summary', 'A partnership of VCS, college and council support into and on in work.');
      await browser.page.fill('#startDate', '1');
      await browser.page.fill('#startDate-month', '4');
      await browser.page.fill('#startDate-year', '2027');
      await browser.page.fill('#endDate', '30');
      await browser.page.fill('#endDate-month', '9');
      await browser.page.fill('#endDate-year', '2029');
      await browser.page.check('#geography');
      await journey.follow(save());

      // Partners: the lead, then another row for the college.
      await journey.follow(browser.page.getByRole('link', { name: 'Partners' }));
      await browser.page.fill('#partners-0-name', 'Derby Community Partnership');
      await browser.page.selectOption('#partners-0-type', 'vcs');
      await browser.page.selectOption('#partners-0-role', 'lead');
      await browser.page.fill('#partners-0-charityNumber', '1164883');
      await browser.page.fill('#partners-0-esfPence', '400,000');
      await browser.page.fill('#partners-0-matchPence', '£300,000.00');
      await journey.follow(browser.button('Save and add another row'));
      await browser.page.fill('#partners-1-name', 'Derby College');
      await browser.page.selectOption('#partners-1-type', 'education');
      await browser.page.selectOption('#partners-1-role', 'delivery');
      await browser.page.fill('#partners-1-companyNumber', '01234567');
      await browser.page.fill('#partners-1-esfPence', '200000');
      await browser.page.fill('#partners-1-matchPence', '300000.00');
      await journey.follow(save());

      // Priorities and budget: a typo is answered, never guessed; then money as people type it.
      await journey.follow(browser.page.getByRole('link', { name: 'Priorities and budget' }));
      await browser.page.fill('#priorities-0-esfPence', '£45O,000');
      await browser.page.fill('#totalEligibleCostPence', '£1,200,000');
      await journey.follow(save());
      const summaryLink = browser.page.locator('.govuk-error-summary a');
      expect(await summaryLink.textContent()).to.equal('Enter an amount in pounds, like £500,000.00');
      expect(await summaryLink.getAttribute('href')).to.equal('#priorities-0-esfPence');
      expect(await browser.page.locator('#priorities-0-esfPence-error').isVisible()).to.equal(true);
      expect(await browser.page.inputValue('#priorities-0-esfPence')).to.equal('£45O,000');
      expect((await draft()).priorities).to.equal(undefined);
      await browser.page.fill('#priorities-0-esfPence', '£450,000');
      await browser.page.fill('#priorities-2-esfPence', '150,000');
      await journey.follow(save());
      expect((await draft()).priorities).to.deep.equal([
        { code: '1.1', esfPence: 45_000_000 },
        { code: '2.1', esfPence: 15_000_000 },
      ]);
      expect((await draft()).totalEligibleCostPence).to.equal(120_000_000);

      // Match funding, then the council's letter uploaded as the evidence for its line.
      await journey.follow(browser.page.getByRole('link', { name: 'Match funding' }));
      await browser.page.fill('#matchFunding-0-funder', 'Derby City Council');
      await browser.page.selectOption('#matchFunding-0-sector', 'public');
      await browser.page.selectOption('#matchFunding-0-kind', 'cash');
      await browser.page.fill('#matchFunding-0-amountPence', '£400,000');
      await browser.page.selectOption('#matchFunding-0-status', 'secured');
      await journey.follow(browser.button('Save and add another row'));
      await browser.page.fill('#matchFunding-1-funder', 'Volunteer time');
      await browser.page.selectOption('#matchFunding-1-sector', 'private');
      await browser.page.selectOption('#matchFunding-1-kind', 'in_kind');
      await browser.page.fill('#matchFunding-1-amountPence', '200,000');
      await browser.page.selectOption('#matchFunding-1-status', 'pending');
      await journey.follow(save());
      await journey.follow(browser.page.getByRole('link', { name: 'Match funding' }));
      await browser.page.selectOption('#line', '0');
      await browser.page.setInputFiles('#file', letter);
      await journey.follow(browser.button('Upload the file'));
      expect(await browser.page.locator('.govuk-notification-banner').textContent()).to.contain(
        'Uploaded council-letter.pdf as the evidence for line 1',
      );
      const evidence = await browser.harness.test.knex('attachments').where({ bidId }).first();
      expect(evidence).to.include({ filename: 'council-letter.pdf', purpose: 'match-evidence' });
      expect((await draft()).matchFunding[0].evidenceAttachmentId).to.equal(evidence.id);
      expect(await browser.page.locator('#matchFunding-0-evidenceAttachmentId option:checked').textContent()).to.equal(
        'council-letter.pdf',
      );
      await journey.follow(browser.page.getByRole('link', { name: 'Back', exact: true }));

      // Targets.
      await journey.follow(browser.page.getByRole('link', { name: 'Targets' }));
      await browser.page.selectOption('#outputTargets-0-indicator', 'P-TOTAL');
      await browser.page.fill('#outputTargets-0-target', '600');
      await journey.follow(browser.button('Save and add another row'));
      await browser.page.selectOption('#outputTargets-1-indicator', 'P-UNEMP');
      await browser.page.fill('#outputTargets-1-target', '250');
      await browser.page.selectOption('#resultTargets-0-indicator', 'R-UNEMP-EMP');
      await browser.page.fill('#resultTargets-0-target', '90');
      await journey.follow(save());

      // Gap claims and narratives.
      await journey.follow(browser.page.getByRole('link', { name: 'Gap claims' }));
      await browser.page.fill(
        '#gapClaims-0-narrative',
        'No service joins talking therapies with employment support here.',
      );
      await journey.follow(save());
      await journey.follow(browser.page.getByRole('link', { name: 'Narratives' }));
      await browser.page.fill('#narrative-need', 'People with common mental health conditions fall between services.');
      await browser.page.fill('#narrative-activities', 'Key workers, employer brokerage, in-work support.');
      await browser.page.fill('#narrative-delivery', 'Delivered by the lead and a college across Derby.');
      await browser.page.fill(
        '#narrative-management',
        'A partnership board with a contract manager and monthly claims.',
      );
      await browser.page.fill('#narrative-crossCuttingThemes', 'Equality impact assessment; low-carbon delivery.');
      await journey.follow(save());
      expect(await browser.page.getByText('You have completed 7 of 7 sections').isVisible()).to.equal(true);

      // Check the answers, submit, and keep the receipt.
      await journey.follow(browser.page.getByRole('button', { name: 'Check your answers and submit' }));
      expect(await browser.page.getByText('ESF £400,000.00 · match £300,000.00').isVisible()).to.equal(true);
      await journey.follow(browser.button('Submit the bid'));
      expect(await browser.page.locator('.govuk-panel__title').textContent()).to.contain('Bid submitted');
      const version = await browser.harness.test.knex('bid_versions').where({ bidId }).first();
      const bid = await browser.harness.test.knex('bids').where({ id: bidId }).first();
      const receipt = await browser.page.locator('#receipt').textContent();
      expect(receipt).to.contain(bid.reference);
      expect(receipt).to.contain(version.sha256);
      expect(receipt).to.match(/Version\s+1/);
      expect(await browser.page.locator('table.govuk-table tbody tr').count()).to.equal(8);
      expect(await browser.page.locator('table.govuk-table tbody .govuk-tag--green').count()).to.equal(8);
      expect(await browser.page.getByText('Submitted by the deadline').isVisible()).to.equal(true);
      expect(version.gatewayPassed).to.equal(true);

      await journey.screenshot('applicant-journey');
      expect(journey.visited.length).to.be.greaterThan(20);
    },
  );

  it('shows a bid titled <script>alert(1)</script> as text, and no script runs', async () => {
    const call = await anOpenCall();
    const applicant = await anApplicant(browser.harness.test);
    const title = '<script>alert(1)</script>';
    const bid = (await applicant.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody({ title })).expect(201))
      .body;
    let dialogs = 0;
    browser.page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    const journey = new Journey(browser.page);

    await journey.goto('/sign-in');
    await browser.page.fill('#email', applicant.email);
    await browser.page.fill('#password', PASSWORD);
    await journey.follow(browser.button('Sign in'));
    expect(new URL(browser.page.url()).pathname).to.equal('/dashboard');
    expect(await browser.page.getByRole('link', { name: title }).isVisible()).to.equal(true);

    for (const pathname of [`/bids/${bid.id}`, `/bids/${bid.id}/details`, `/bids/${bid.id}/check`]) {
      await journey.goto(pathname);
      expect(await browser.page.getByText(title).first().isVisible(), pathname).to.equal(true);
    }
    expect(await browser.page.locator('input#title').count()).to.equal(0); // the check page shows answers, not inputs
    await journey.goto(`/bids/${bid.id}/details`);
    expect(await browser.page.inputValue('#title')).to.equal(title);
    expect(dialogs).to.equal(0);
    await journey.screenshot('applicant-script-title');
  });
});
