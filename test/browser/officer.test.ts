import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anAppraiser, anOfficer, PASSWORD, type TestUser } from '../support/app.ts';
import { useBrowser } from '../support/useBrowser.ts';
import { describeInBrowser, Journey } from './browser.ts';

const CRITERIA = ['SF', 'VFM', 'MC', 'DEL', 'CCT', 'GAP-NEED'];

describeInBrowser('browser: the officer', function () {
  this.timeout(180_000);
  const browser = useBrowser();
  let downloads: string;

  before(async () => {
    downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'fundingcalls-downloads-'));
  });
  after(async () => {
    if (downloads) fs.rmSync(downloads, { recursive: true, force: true });
  });

  const link = (name: string | RegExp) => browser.page.getByRole('link', { name });
  const flash = () => browser.page.locator('.govuk-notification-banner__heading').textContent();

  /** An appraiser declares no conflict and submits a sheet through the API. */
  async function score(appraiser: TestUser, bidId: string, value: (criterion: string) => number) {
    await appraiser.agent.post(`/api/v1/bids/${bidId}/conflict`).send({ conflict: false }).expect(200);
    const scores = CRITERIA.map((criterion) => {
      const s = value(criterion);
      return s <= 2 ? { criterion, score: s, comment: `Too little evidence on ${criterion}` } : { criterion, score: s };
    });
    await appraiser.agent.put(`/api/v1/bids/${bidId}/scores/mine`).send({ submit: true, scores }).expect(200);
  }

  it(
    'writes and publishes a call, closes it, sets the panel, moderates, ranks, decides and ' + 'downloads the workbook',
    async () => {
      // 1 December 2026, 10am: the call the officer writes opens at 9am today.
      browser.harness.test.clock.set('2026-12-01T10:00:00Z');
      const officer = await anOfficer(browser.harness.test);
      const amy = await anAppraiser(browser.harness.test, officer.actor.funderId!);
      const ben = await anAppraiser(browser.harness.test, officer.actor.funderId!);
      const journey = new Journey(browser.page);

      await journey.goto('/sign-in');
      await browser.page.fill('#email', officer.email);
      await browser.page.fill('#password', PASSWORD);
      await journey.follow(browser.button('Sign in'));
      await journey.follow(link('Your calls'));
      await journey.follow(browser.page.getByRole('button', { name: 'Create a call' }));

      // The call editor, with a typo in an allocation.
      await browser.page.fill('#reference', 'OC08S17P0901');
      await browser.page.fill('#title', 'Health and Wellbeing');
      await browser.page.fill('#lepArea', 'D2N2');
      await browser.page.fill(
        '#description',
        'ESF for partnerships that help people with health conditions into and on in work.',
      );
      for (const [id, [day, month, year, time]] of Object.entries({
        opensAt: ['1', '12', '2026', '09:00'],
        closesAt: ['6', '2', '2027', '23:59'],
      })) {
        await browser.page.fill(`#${id}`, day);
        await browser.page.fill(`#${id}-month`, month);
        await browser.page.fill(`#${id}-year`, year);
        await browser.page.fill(`#${id}-time`, time);
      }
      await browser.page.fill('#geography', 'Derby\nDerbyshire\nNottingham\nNottinghamshire');
      await browser.page.fill('#eligibleActivities', 'Personalised support to access and sustain work');
      const indicators = async (row: number, codes: string[]) => {
        for (const code of codes) await browser.page.check(`input[name^="priorities-${row}-"][value="${code}"]`);
      };
      await browser.page.fill('#priorities-0-code', '1.1');
      await browser.page.fill('#priorities-0-title', 'Access to employment for job-seekers and inactive people');
      await browser.page.fill('#priorities-0-allocationPence', '£80o,000');
      await indicators(0, ['P-TOTAL', 'P-UNEMP', 'P-INACT', 'R-UNEMP-EMP', 'R-EMP6M']);
      await browser.page.fill('#priorities-1-code', '2.1');
      await browser.page.fill('#priorities-1-title', 'Enhancing equal access to lifelong learning');
      await browser.page.fill('#priorities-1-allocationPence', '400,000');
      await indicators(1, ['P-TOTAL', 'P-NOBASIC', 'R-BASIC', 'R-L2']);
      await browser.page.fill('#gapCriteria-0-code', 'GAP-NEED');
      await browser.page.fill('#gapCriteria-0-title', 'Fills a genuine gap in provision or unmet need');
      await browser.page.fill('#gapCriteria-0-guidance', 'Funds activity that meets need not met today.');
      await browser.page.fill('#gapCriteria-0-weight', '3');
      await journey.follow(browser.button('Save draft'));
      const summary = browser.page.locator('.govuk-error-summary a');
      expect(await summary.allTextContents()).to.deep.equal(['Enter an amount in pounds, like £500,000.00']);
      expect(await summary.getAttribute('href')).to.equal('#priorities-0-allocationPence');
      expect(await browser.harness.test.knex('calls').count()).to.deep.equal([{ count: 0 }]);
      await browser.page.fill('#priorities-0-allocationPence', '£800,000');
      await journey.follow(browser.button('Save draft'));
      expect(await flash()).to.contain('The draft call OC08S17P0901 is saved');
      const callId = new URL(browser.page.url()).pathname.split('/')[3];

      // Publish: allowed, with the warning that 2.1 is below the floor.
      await journey.follow(browser.button('Publish the call'));
      expect(await flash()).to.contain('is published');
      expect(await browser.page.locator('.govuk-warning-text').textContent()).to.contain(
        'Priority 2.1 has an allocation of £400,000.00, below the £500,000.00 floor',
      );
      const call = (await officer.agent.get(`/api/v1/calls/${callId}`).expect(200)).body;
      expect(call.priorities.map((p: { allocationPence: number }) => p.allocationPence)).to.deep.equal([
        80_000_000, 40_000_000,
      ]);
      expect(call.closesAt).to.equal('2027-02-06T23:59:00.000Z');

      // Two partnerships bid; the officer sees them arrive, then closes the call early.
      const bidIds: string[] = [];
      for (const title of ['Working Well Together', 'Healthy Minds at Work']) {
        const applicant = await anApplicant(browser.harness.test);
        const bid = (await applicant.agent.post(`/api/v1/calls/${callId}/bids`).send(aBidBody({ title })).expect(201))
          .body;
        await applicant.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
        bidIds.push(bid.id);
      }
      await journey.goto(`/officer/calls/${callId}`);
      expect(await browser.page.locator('#count-submitted').textContent()).to.equal('2');
      expect(await browser.page.locator('#count-passed').textContent()).to.equal('2');
      await journey.follow(browser.button('Close the call to bids now'));
      expect(await flash()).to.contain('is closed to bids');

      // The panel.
      await journey.follow(link('Appraisal panel and scoring progress'));
      await journey.follow(browser.button('Save the panel'));
      expect(await browser.page.locator('.govuk-error-summary a').getAttribute('href')).to.equal('#appraiserIds');
      await browser.page.check(`input[value="${amy.actor.id}"]`);
      await browser.page.check(`input[value="${ben.actor.id}"]`);
      await journey.follow(browser.button('Save the panel'));
      expect(await flash()).to.contain('The panel is set: 2 appraisers');

      // The appraisers score; they differ by 2 on the second bid's deliverability.
      await score(amy, bidIds[0], () => 5);
      await score(ben, bidIds[0], (c) => (c === 'CCT' ? 3 : 4));
      await score(amy, bidIds[1], () => 4);
      await score(ben, bidIds[1], (c) => (c === 'DEL' ? 2 : 4));
      await journey.goto(`/officer/calls/${callId}/panel`);
      expect(await browser.page.getByRole('row', { name: new RegExp(amy.actor.name) }).textContent()).to.match(
        /2\s*0\s*0\s*0\s*0/,
      );
      await journey.goto(`/officer/calls/${callId}`);
      expect(await browser.page.locator('#count-scored').textContent()).to.equal('2');
      expect(await browser.page.locator('svg[role="img"]').count()).to.equal(2);

      // Moderation: the flagged bid first, the flagged criterion first, a rationale required.
      await journey.follow(link('Moderate scores'));
      await journey.follow(link(/Healthy Minds at Work/));
      expect(await browser.page.locator('section h2').first().textContent()).to.contain('Deliverability');
      await browser.page.selectOption('#scores-0-score', '3');
      await journey.follow(browser.button('Save moderated scores'));
      expect(await browser.page.locator('.govuk-error-summary a').getAttribute('href')).to.equal('#scores-0-rationale');
      await browser.page.fill('#scores-0-rationale', 'Partners are in place; the timetable is tight but credible.');
      await journey.follow(browser.button('Save moderated scores'));
      expect(await flash()).to.contain('The moderated scores are saved');

      // The ranking and both funding plans.
      await journey.goto(`/officer/calls/${callId}/ranking`);
      expect(await browser.page.getByRole('heading', { name: 'Greedy plan (in rank order)' }).isVisible()).to.equal(
        true,
      );
      expect(await browser.page.getByRole('heading', { name: 'Optimal plan' }).isVisible()).to.equal(true);
      expect(await browser.page.getByText('Both plans fund the same bids.').isVisible()).to.equal(true);

      // Decisions: approve the first with conditions, reject the second.
      await journey.goto(`/officer/calls/${callId}/decisions`);
      await journey.follow(link(/Record decision on OC08S17P0901-001/));
      await browser.page.check('#decision-2');
      await journey.follow(browser.button('Record the decision'));
      expect(await browser.page.locator('.govuk-error-summary a').getAttribute('href')).to.equal('#conditions');
      await browser.page.fill('#conditions', 'Secure the pending in-kind match by June 2027.');
      await journey.follow(browser.button('Record the decision'));
      expect(await flash()).to.contain('is approved with conditions');
      await journey.follow(link(/Record decision on OC08S17P0901-002/));
      await browser.page.check('#decision-3');
      await browser.page.fill('#reason', 'Ranked below a bid that fills the 1.1 allocation.');
      await journey.follow(browser.button('Record the decision'));
      expect(await browser.page.getByText('Every submitted bid has its decision.').isVisible()).to.equal(true);
      expect(await browser.harness.test.knex('decisions').orderBy('decidedAt').select('decision')).to.deep.equal([
        { decision: 'approved_with_conditions' },
        { decision: 'rejected' },
      ]);

      // The appraisal workbook, downloaded and read back.
      const [download] = await Promise.all([
        browser.page.waitForEvent('download'),
        link('Download the appraisal workbook (Excel)').click(),
      ]);
      const file = path.join(downloads, download.suggestedFilename());
      await download.saveAs(file);
      expect(download.suggestedFilename()).to.match(/\.xlsx$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(file);
      expect(workbook.worksheets.map((sheet) => sheet.name)).to.include('Summary');
      await journey.screenshot('officer-journey');
    },
  );
});
