/** The pages under their real content security policy (the other suites bypass it to run axe-core). */
import { expect } from 'chai';
import { describeInBrowser } from './browser.ts';
import { anApplicant, aPublishedCall, anOfficer } from '../support/app.ts';
import { useBrowser } from '../support/useBrowser.ts';

describeInBrowser('content security policy', function () {
  this.timeout(120_000);
  // The test opens its own context, without the CSP bypass the harness's pages have.
  const browser = useBrowser({ page: false });

  it('shows the pages styled by GOV.UK Frontend with no inline style or script refused', async () => {
    const officer = await anOfficer(browser.harness.test);
    const call = await aPublishedCall(officer);
    const applicant = await anApplicant(browser.harness.test);
    const context = await browser.harness.browser.newContext({ baseURL: browser.harness.baseUrl });
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`Content Security Policy: ${event.violatedDirective}`),
      );
    });
    for (const path of ['/calls', `/calls/${call.id}`, '/sign-in', '/register']) {
      await page.goto(path);
      // The header is GOV.UK blue only if govuk-frontend.min.css applied.
      const colour = await page
        .locator('.govuk-header')
        .evaluate((element) => getComputedStyle(element).backgroundColor);
      expect(colour, path).to.not.equal('rgba(0, 0, 0, 0)');
    }
    await page.goto('/sign-in');
    await page.fill('#email', applicant.email);
    await page.fill('#password', 'correct horse battery staple');
    await Promise.all([page.waitForURL('**/dashboard'), page.click('button[type=submit]:has-text("Sign in")')]);
    expect(refused).to.deep.equal([]);
    await context.close();
  });
});
