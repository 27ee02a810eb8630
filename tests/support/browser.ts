import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { seedDemoCatalog } from './demo-catalog';
import { createTestApp, type TestApp } from './test-app';

/** Debian's Chromium (environment.md → Browsers); `.ci/run` installs it, `npx playwright install` cannot work here. */
export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
export const browserAvailable = existsSync(CHROMIUM);

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const PHONE = { width: 360, height: 740 } as const;
export const DESKTOP = { width: 1280, height: 900 } as const;

/**
 * `describe` for browser tests: without Chromium the block is skipped (jest reports the tests as skipped) and a
 * warning names the missing binary, so a machine without a browser neither fails nor passes silently.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (browserAvailable) {
    describe(name, body);
    return;
  }
  console.warn(`SKIPPED browser tests "${name}": no Chromium at ${CHROMIUM} (apt-get install chromium fonts-noto-core, as .ci/run does)`);
  describe.skip(name, body);
}

/**
 * Headless Chromium. Playwright gives every launch a fresh temporary profile (user-data dir) and removes it on close,
 * so nothing carries over between test files.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** What went wrong inside the pages of one context: uncaught exceptions and console errors. */
export type PageProblems = { pageErrors: string[]; consoleErrors: string[]; blocked: string[] };

export type TestContext = { context: BrowserContext; problems: PageProblems; newPage(): Promise<Page> };

/**
 * A browser context in which every request to a host other than loopback is aborted at once (map tiles, anything
 * external), so nothing waits for a network that is not there, and page errors and console errors are collected.
 * A resource we blocked on purpose logs "net::ERR_BLOCKED_BY_CLIENT" in the console; that one is not a problem.
 */
export async function newTestContext(browser: Browser, options: BrowserContextOptions = {}): Promise<TestContext> {
  const context = await browser.newContext({ viewport: PHONE, ...options });
  const problems: PageProblems = { pageErrors: [], consoleErrors: [], blocked: [] };
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || LOOPBACK.has(url.hostname)) {
      await route.continue();
      return;
    }
    problems.blocked.push(url.href);
    await route.abort('blockedbyclient');
  });
  const watch = (page: Page) => {
    page.on('pageerror', (error) => problems.pageErrors.push(`${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().includes('ERR_BLOCKED_BY_CLIENT')) problems.consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
  };
  context.on('page', watch);
  return { context, problems, newPage: () => context.newPage() };
}

/** Empties the collected problems (between steps of a test that reuses its page). */
export function clearProblems(problems: PageProblems): void {
  problems.pageErrors.length = 0;
  problems.consoleErrors.length = 0;
  problems.blocked.length = 0;
}

export type RunningServer = { url: string; close(): Promise<void> };

/** The app on a real HTTP server on a free loopback port, as a browser needs it. */
export async function serve(app: Express): Promise<RunningServer> {
  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs a browser-side expression (the project compiles without the DOM library, so page code is written as text). */
export async function inPage<T>(page: Page, expression: string): Promise<T> {
  return (await page.evaluate(expression)) as T;
}

/** One browser-test file's world: an app with the demo catalogue on a real port, and one Chromium. */
export type BrowserSite = { t: TestApp; url: string; browser: Browser; close(): Promise<void> };

export async function openSite(name: string): Promise<BrowserSite> {
  const [t, browser] = await Promise.all([createTestApp(name), launchBrowser()]);
  await seedDemoCatalog(t);
  const server = await serve(t.app);
  return {
    t,
    url: server.url,
    browser,
    async close() {
      await browser.close();
      await server.close();
      await t.close();
    },
  };
}

/** Ids of the result cards on the page, in order. */
export async function cardIds(page: Page): Promise<string[]> {
  return page.locator('[data-course-id]').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-course-id') ?? ''));
}

/** The number the page says it found (`data-total`). */
export async function shownTotal(page: Page): Promise<number> {
  return Number(await page.locator('[data-total]').getAttribute('data-total'));
}

/** Ids the API answers for the same query string, in order: the results page must show exactly these. */
export async function apiIds(baseUrl: string, search: string): Promise<string[]> {
  const params = new URLSearchParams(search);
  params.delete('lang');
  const res = await fetch(`${baseUrl}/api/v1/courses?${params.toString()}`);
  const body = (await res.json()) as { hits: Array<{ id: string }> };
  return body.hits.map((hit) => hit.id);
}
