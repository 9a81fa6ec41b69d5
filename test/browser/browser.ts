/**
 * The browser-test harness: the real app on a free port, Debian's Chromium driven by playwright-core, axe-core
 * run on every page a journey visits, and a screenshot of each journey's last page under test-output/.
 * Without /usr/bin/chromium the suites are skipped, loudly, never passed.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../support/app.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export const CHROMIUM = '/usr/bin/chromium';
export const AXE_SCRIPT = path.resolve(here, '../../node_modules/axe-core/axe.min.js');
export const SCREENSHOTS = path.resolve(here, '../../test-output/screenshots');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether the browser the tests drive is installed. */
export function browserAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

/** `describe` for browser suites: when Chromium is missing, says so loudly and marks every test pending. */
export function describeInBrowser(title: string, body: (this: Mocha.Suite) => void): void {
  if (browserAvailable()) {
    describe(title, body);
    return;
  }
  console.warn(
    `\n${'!'.repeat(72)}\nBROWSER TESTS SKIPPED: ${CHROMIUM} not found (apt-get install -y chromium)\n  suite: ${title}\n${'!'.repeat(72)}\n`,
  );
  describe.skip(title, body);
}

/** The app served over HTTP on a free port, and a browser to visit it with. */
export interface Harness {
  test: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A fresh browser context (no cookies) and page. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Starts the real app (around the test database) and Chromium. */
export async function startHarness(): Promise<Harness> {
  const test = buildTestApp();
  const server = http.createServer(test.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return {
    test,
    baseUrl,
    browser,
    async newPage() {
      // bypassCSP lets axe-core be injected as an inline script. It also switches off the CSP that would block an
      // injected <script> anyway, so the escaping tests prove the escaping itself, not the CSP behind it.
      const context = await browser.newContext({ baseURL: baseUrl, bypassCSP: true });
      return context.newPage();
    },
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await test.close();
    },
  };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core on the page and fails on any serious or critical violation, naming each with its elements. */
export async function expectAccessible(page: Page): Promise<void> {
  await page.addScriptTag({ path: AXE_SCRIPT });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(context: Document): Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  const serious = (violations as AxeViolation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const described = serious.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.join(', ')}`).join('\n');
  expect(serious, `axe-core on ${page.url()}:\n${described}`).to.deep.equal([]);
}

/** A person's way through the pages: every page reached is checked with axe-core and remembered. */
export class Journey {
  readonly visited: string[] = [];

  constructor(readonly page: Page) {}

  /** Opens a path and checks the page. */
  async goto(pathname: string): Promise<void> {
    const response = await this.page.goto(pathname);
    expect(response?.status(), `GET ${pathname}`).to.be.below(400);
    await this.arrived();
  }

  /** Clicks something that leads to another page (a link, a submit button) and checks where it lands. */
  async follow(target: Locator): Promise<void> {
    // A click does not wait for the navigation it starts, and the clicked page is already 'load'ed: wait for
    // the main frame to navigate first, or the next step could act on the old page.
    const page = this.page;
    await Promise.all([
      page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() }),
      target.click(),
    ]);
    await page.waitForLoadState('load');
    await this.arrived();
  }

  /** Checks the page now shown and records it. */
  async arrived(): Promise<void> {
    await expectAccessible(this.page);
    this.visited.push(new URL(this.page.url()).pathname);
  }

  /** Saves a full-page screenshot under test-output/screenshots/<name>.png and says where. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, `${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }
}
