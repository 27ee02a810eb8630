import type { Page, Response } from 'playwright-core';
import { apiIds, cardIds, describeInBrowser, newTestContext, openSite, shownTotal, PHONE, type BrowserSite, type TestContext } from '../support/browser';

/** Follows a link or submits a form and waits for the next page (after redirects); returns its status. */
async function navigate(page: Page, action: () => Promise<void>): Promise<number> {
  const isPage = (r: Response) => r.request().isNavigationRequest() && r.request().frame() === page.mainFrame() && (r.status() < 300 || r.status() >= 400);
  const [response] = await Promise.all([page.waitForEvent('response', isPage), action()]);
  await page.waitForLoadState('load');
  return response.status();
}

describeInBrowser('the whole site without JavaScript', () => {
  let site: BrowserSite;
  let browserContext: TestContext;
  let page: Page;

  beforeAll(async () => {
    site = await openSite('nojavascript');
    browserContext = await newTestContext(site.browser, { viewport: PHONE, javaScriptEnabled: false });
    page = await browserContext.newPage();
  }, 60_000);
  afterAll(async () => {
    await browserContext?.context.close();
    await site?.close();
  }, 30_000);

  it('searches from the plain start form, with every question on one page', async () => {
    await page.goto(`${site.url}/`);
    expect(await page.locator('[data-locate]').isVisible()).toBe(false);
    await page.locator('#level-A1').check();
    await page.locator('form.guided input[name="slots"][value="tue-morning"]').check();
    await page.locator('form.guided input[name="slots"][value="thu-morning"]').check();
    await page.locator('form.guided #place').fill('76829');
    expect(await navigate(page, () => page.locator('form.guided button[type="submit"]').click())).toBe(200);

    const url = new URL(page.url());
    expect(url.pathname).toBe('/courses');
    expect(url.searchParams.get('postcode')).toBe('76829');
    expect(await shownTotal(page)).toBeGreaterThan(0);
    expect(await cardIds(page)).toEqual(await apiIds(site.url, url.search));
    // Buttons that need a script (map, "use my location") stay out of sight instead of doing nothing.
    expect(await page.locator('[data-map-toggle]').isVisible()).toBe(false);
  }, 30_000);

  it('narrows the results with a filter from the folded filter form', async () => {
    const before = await shownTotal(page);
    await page.locator('[data-filters] > summary').click();
    await page.locator('#f-free').check();
    expect(await navigate(page, () => page.locator('.filters__form button[type="submit"]').click())).toBe(200);

    const url = new URL(page.url());
    expect(url.searchParams.get('free')).toBe('true');
    expect(url.searchParams.getAll('slots')).toEqual(['tue-morning', 'thu-morning']);
    const after = await shownTotal(page);
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThanOrEqual(before);
    expect(await cardIds(page)).toEqual(await apiIds(site.url, url.search));
  }, 30_000);

  it('pages through many results with plain links', async () => {
    await page.goto(`${site.url}/courses?place=Landau+in+der+Pfalz`);
    expect(await shownTotal(page)).toBeGreaterThan(20);
    const first = await cardIds(page);
    expect(await navigate(page, () => page.locator('.paging a[rel="next"]').click())).toBe(200);

    const url = new URL(page.url());
    expect(url.searchParams.get('page')).toBe('2');
    const second = await cardIds(page);
    expect(second.length).toBeGreaterThan(0);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    expect(second).toEqual(await apiIds(site.url, url.search));
  }, 30_000);

  it('switches the language with a link and keeps the search', async () => {
    const before = new URL(page.url());
    const ids = await cardIds(page);
    await page.locator('.language-switcher > summary').click();
    expect(await navigate(page, () => page.locator('.language-switcher a[hreflang="ar"]').click())).toBe(200);

    const after = new URL(page.url());
    expect(after.pathname).toBe(before.pathname);
    expect(after.searchParams.get('lang')).toBe('ar');
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await cardIds(page)).toEqual(ids);
  }, 30_000);

  it('opens a course and its print view, still in the chosen language', async () => {
    const [id] = await cardIds(page);
    expect(await navigate(page, () => page.locator('[data-course-id] a[href^="/courses/"]').first().click())).toBe(200);
    expect(new URL(page.url()).pathname).toBe(`/courses/${id}`);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.locator('main h1').textContent()).toMatch(/\S/);

    // The course page links its print view (a page of its own, one A4 sheet).
    const print = page.locator('main a[href*="print"]').first();
    expect(await print.count()).toBe(1);
    expect(await navigate(page, () => print.click())).toBe(200);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.locator('h1').first().textContent()).toMatch(/\S/);
    expect(browserContext.problems.pageErrors).toEqual([]);
  }, 30_000);
});
