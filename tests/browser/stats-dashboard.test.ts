import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { seedDemoSearchEvents } from '../../src/stats/demo-events';
import { describeInBrowser, inPage, newTestContext, openSite, PHONE, type BrowserSite, type TestContext } from '../support/browser';

const EMAIL = 'statistik@landau.example';
const PASSWORD = 'a long and fine admin password';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

describeInBrowser('the statistics dashboard on a 360 px phone, with the demo data', () => {
  let site: BrowserSite;
  let browserContext: TestContext;
  let page: Page;

  beforeAll(async () => {
    site = await openSite('statsdashboard');
    await seedDemoSearchEvents(site.t.services.deps.db, new Date());
    await site.t.services.accounts.createUser({ email: EMAIL, password: PASSWORD, role: 'admin' });
    browserContext = await newTestContext(site.browser, { viewport: PHONE });
    page = await browserContext.newPage();
    await page.goto(`${site.url}/login`);
    await page.fill('#email', EMAIL);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(/\/admin/), page.click('main button[type="submit"]')]);
  }, 90_000);
  afterAll(async () => {
    await browserContext?.context.close();
    await site?.close();
  }, 30_000);

  it.each(['de', 'ar'] as const)('(%s) has no serious or critical accessibility violations and fits the screen, tables open', async (lang) => {
    const response = await page.goto(`${site.url}/admin/stats?lang=${lang}`);
    expect(response?.status()).toBe(200);
    expect(await page.locator('figure.stats-chart').count()).toBe(12);
    // Open every table view (no script needed: <details>), then check the page as it is read.
    await page.locator('details.stats-table > summary').evaluateAll((summaries) => summaries.forEach((s) => s.parentElement?.setAttribute('open', '')));
    expect(await seriousViolations(page)).toEqual([]);
    const { scrollWidth, clientWidth } = await inPage<{ scrollWidth: number; clientWidth: number }>(
      page,
      '({ scrollWidth: document.scrollingElement.scrollWidth, clientWidth: document.scrollingElement.clientWidth })',
    );
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    if (process.env.STATS_SCREENSHOTS) await page.screenshot({ path: `${process.env.STATS_SCREENSHOTS}/stats-${lang}.png`, fullPage: true });
  }, 60_000);
});
