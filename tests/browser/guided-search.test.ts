import type { Locator, Page } from 'playwright-core';
import { apiIds, cardIds, describeInBrowser, inPage, newTestContext, openSite, shownTotal, PHONE, type BrowserSite, type TestContext } from '../support/browser';

type Box = { x: number; y: number; width: number; height: number };

/**
 * On a phone the guided form may show one question at a time (public/js/steps.js); the reader moves on with the
 * form's "next" button. Until the control is visible, press the last visible plain button of the form.
 */
async function reveal(page: Page, control: Locator): Promise<void> {
  for (let step = 0; step < 10 && !(await control.isVisible()); step++) {
    const next = page.locator('form.guided button[type="button"]:visible:not([data-locate] button)').last();
    if ((await next.count()) === 0) break;
    await next.click();
  }
}

/** A mother of a two-year-old who can come on weekday mornings, lives in Landau and wants a women-only A1 course. */
async function answerTheGuidedSearch(page: Page): Promise<void> {
  const level = page.locator('#level-A1');
  await reveal(page, level);
  await level.check();
  for (const day of ['mon', 'tue', 'wed', 'thu', 'fri']) {
    const cell = page.locator(`form.guided input[name="slots"][value="${day}-morning"]`);
    await reveal(page, cell);
    await cell.check();
  }
  const child = page.locator('#child-1');
  await reveal(page, child);
  await child.selectOption('24');
  const women = page.locator('#womenOnly');
  await reveal(page, women);
  await women.check();
  const place = page.locator('form.guided #place');
  await reveal(page, place);
  await place.fill('Landau in der Pfalz');
  await place.press('Escape');
  const submit = page.locator('form.guided button[type="submit"]');
  await reveal(page, submit);
  await Promise.all([page.waitForURL(/\/courses\?/), submit.click()]);
}

async function box(locator: Locator): Promise<Box> {
  const found = await locator.boundingBox();
  if (!found) throw new Error('element is not rendered');
  return found;
}

describeInBrowser('guided search from the start page to a course, on a phone', () => {
  let site: BrowserSite;
  let browserContext: TestContext;

  beforeAll(async () => {
    site = await openSite('guidedsearch');
  }, 60_000);
  afterAll(async () => site?.close(), 30_000);

  beforeEach(async () => {
    browserContext = await newTestContext(site.browser, { viewport: PHONE });
  });
  afterEach(async () => browserContext.context.close());

  async function searchAndCheckResults(page: Page, lang: 'de' | 'ar'): Promise<void> {
    await page.goto(`${site.url}/?lang=${lang}`);
    await answerTheGuidedSearch(page);

    const url = new URL(page.url());
    expect(url.pathname).toBe('/courses');
    expect(url.searchParams.getAll('slots')).toEqual(['mon-morning', 'tue-morning', 'wed-morning', 'thu-morning', 'fri-morning']);
    expect(url.searchParams.get('level')).toBe('A1');
    expect(url.searchParams.get('womenOnly')).toBe('true');
    expect(url.searchParams.get('childAgeMonths')).toBe('24');
    if (lang !== 'de') expect(url.searchParams.get('lang')).toBe(lang);

    const total = await shownTotal(page);
    const ids = await cardIds(page);
    expect(total).toBeGreaterThan(0);
    expect(ids.length).toBe(Math.min(total, 20));
    // The page shows exactly the API's courses for the same question, in the same order.
    expect(ids).toEqual(await apiIds(site.url, url.search));
  }

  async function openFirstCourse(page: Page): Promise<void> {
    const [firstId] = await cardIds(page);
    const link = page.locator('[data-course-id] a[href^="/courses/"]').first();
    const [response] = await Promise.all([page.waitForEvent('response', (r) => new URL(r.url()).pathname === `/courses/${firstId}`), link.click()]);
    await page.waitForLoadState('load');
    expect(response.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe(`/courses/${firstId}`);
    await expect(page.locator('main h1').textContent()).resolves.toMatch(/\S/);
  }

  it('in German: the answers become the search, the results match the API, and the first course opens', async () => {
    const page = await browserContext.newPage();
    await searchAndCheckResults(page, 'de');
    await openFirstCourse(page);
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    expect(browserContext.problems.pageErrors).toEqual([]);
    expect(browserContext.problems.consoleErrors).toEqual([]);
  }, 90_000);

  it('in Arabic: the pages read right to left, with the layout mirrored', async () => {
    const page = await browserContext.newPage();
    await searchAndCheckResults(page, 'ar');

    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await inPage<string>(page, 'getComputedStyle(document.querySelector("main")).direction')).toBe('rtl');
    // The site name starts the header, so in Arabic it stands at the right, the language switcher to its left.
    const name = await box(page.locator('.site-name'));
    const switcher = await box(page.locator('.language-switcher'));
    expect(name.x).toBeGreaterThan(switcher.x + switcher.width);
    // A card's title starts at the card's right edge.
    const card = await box(page.locator('[data-course-id]').first());
    const title = await box(page.locator('[data-course-id] .card__title a').first());
    expect(card.x + card.width - (title.x + title.width)).toBeLessThan(40);
    expect(title.x - card.x).toBeGreaterThanOrEqual(0);

    await openFirstCourse(page);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(browserContext.problems.pageErrors).toEqual([]);
    expect(browserContext.problems.consoleErrors).toEqual([]);
  }, 90_000);
});
