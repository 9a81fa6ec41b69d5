/**
 * The hooks every browser suite needs, registered once: the harness (the app on a free port and Chromium) started
 * before the suite and closed after it, an SMTP server beside it where the suite reads e-mails, a fresh page for
 * each test, and after each test its pages closed and the app's clocks set running again.
 */
import type { Locator, Page } from 'playwright-core';
import { startHarness, type Harness } from '../browser/browser.ts';
import { startSmtpServer, type TestSmtpServer } from './mail.ts';

export interface BrowserSuite {
  /** The app and browser, from the suite's `before` on. */
  readonly harness: Harness;
  /** The SMTP server the outbox delivers to (with `smtp: true`). */
  readonly smtp: TestSmtpServer;
  /** The current test's page (unless `page: false`), in a browser context of its own. */
  readonly page: Page;
  /** The current page's button of exactly this name. */
  button(name: string): Locator;
  /** Another page in a fresh context (no cookies), closed with the test. */
  newPage(): Promise<Page>;
}

/** Registers the browser hooks in the `describe` it is called in; `page: false` where the suite opens its own. */
export function useBrowser({ smtp: withSmtp = false, page: withPage = true } = {}): BrowserSuite {
  let harness: Harness | undefined;
  let smtp: TestSmtpServer | undefined;
  let page: Page | undefined;
  const opened: Page[] = [];
  const suite: BrowserSuite = {
    get harness() {
      if (!harness) throw new Error('The browser harness starts in the suite’s before hook');
      return harness;
    },
    get smtp() {
      if (!smtp) throw new Error('No SMTP server: call useBrowser({ smtp: true })');
      return smtp;
    },
    get page() {
      if (!page) throw new Error('No page for this test: useBrowser({ page: false }) opens none');
      return page;
    },
    button: (name) => suite.page.getByRole('button', { name, exact: true }),
    async newPage() {
      const opening = await suite.harness.newPage();
      opened.push(opening);
      return opening;
    },
  };

  before(async () => {
    harness = await startHarness();
    if (withSmtp) smtp = await startSmtpServer();
  });
  after(async () => {
    await harness?.close();
    await smtp?.close();
  });
  beforeEach(async () => {
    if (withPage) page = await suite.harness.newPage();
  });
  afterEach(async () => {
    await page?.context().close();
    page = undefined;
    for (const other of opened.splice(0)) await other.context().close();
    // A test that set a clock leaves it running in real time again for the next.
    harness?.test.clock.reset();
    harness?.test.sessionClock.reset();
  });
  return suite;
}
