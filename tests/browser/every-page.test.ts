import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describeInBrowser, inPage, newTestContext, openSite, PHONE, type BrowserSite, type TestContext } from '../support/browser';
import { sampleIds, sitePages, type SampleIds } from '../support/site-pages';

const LANGUAGES = ['de', 'ar'] as const;
const PAGE_NAMES = sitePages({ courseId: 'id', providerId: 'id' }, 'de').map((page) => page.name);
const CASES = LANGUAGES.flatMap((lang) => PAGE_NAMES.map((name) => [name, lang] as const));

/** Serious and critical findings, one readable block each (rule, help, every element with axe's summary). */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) =>
      [
        `${violation.impact} ${violation.id}: ${violation.help} (${violation.helpUrl})`,
        ...violation.nodes.map((node) => `  at ${node.target.join(' ')}\n    ${(node.failureSummary ?? '').replace(/\n/g, '\n    ')}`),
      ].join('\n'),
    );
}

describeInBrowser('every public page on a 360 px phone, in German and Arabic', () => {
  let site: BrowserSite;
  let ids: SampleIds;
  let browserContext: TestContext;
  let page: Page;

  beforeAll(async () => {
    site = await openSite('everypage');
    ids = await sampleIds(site.url);
    browserContext = await newTestContext(site.browser, { viewport: PHONE });
    page = await browserContext.newPage();
  }, 60_000);
  afterAll(async () => {
    await browserContext?.context.close();
    await site?.close();
  }, 30_000);

  async function open(name: string, lang: 'de' | 'ar'): Promise<void> {
    const target = sitePages(ids, lang).find((p) => p.name === name);
    if (!target) throw new Error(`no page named ${name}`);
    const response = await page.goto(`${site.url}${target.path}`);
    expect(response?.status()).toBe(target.status);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
  }

  it.each(CASES)('%s (%s) has no serious or critical accessibility violations (WCAG 2.2 AA)', async (name, lang) => {
    await open(name, lang);
    expect(await seriousViolations(page)).toEqual([]);
  }, 30_000);

  it.each(CASES)('%s (%s) fits the screen without scrolling sideways', async (name, lang) => {
    await open(name, lang);
    const { scrollWidth, clientWidth } = await inPage<{ scrollWidth: number; clientWidth: number }>(
      page,
      '({ scrollWidth: document.scrollingElement.scrollWidth, clientWidth: document.scrollingElement.clientWidth })',
    );
    expect(clientWidth).toBe(PHONE.width);
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    expect(browserContext.problems.pageErrors).toEqual([]);
  }, 30_000);
});
