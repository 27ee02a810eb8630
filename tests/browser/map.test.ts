import { cardIds, describeInBrowser, newTestContext, openSite, DESKTOP, PHONE, type BrowserSite } from '../support/browser';
import { TYPICAL_RESULTS_QUERY } from '../support/site-pages';

describeInBrowser('the results on a map', () => {
  let site: BrowserSite;

  beforeAll(async () => {
    site = await openSite('resultsmap');
  }, 60_000);
  afterAll(async () => site?.close(), 30_000);

  it.each([
    ['a phone', PHONE],
    ['a desktop', DESKTOP],
  ])('on %s: opens only when asked, with one marker per course that has a place, and stays quiet when tiles cannot load', async (_device, viewport) => {
    const { context, problems } = await newTestContext(site.browser, { viewport });
    try {
      const page = await context.newPage();
      const leafletRequests: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/assets/leaflet/')) leafletRequests.push(request.url());
      });
      await page.goto(`${site.url}/courses?${TYPICAL_RESULTS_QUERY}`);
      const ids = await cardIds(page);
      const placed = await page.locator('[data-course-id][data-lat][data-lng]').count();
      expect(ids.length).toBeGreaterThan(0);
      expect(placed).toBeGreaterThan(0);
      // The map library loads with the map, not with the page (page weight budget).
      expect(leafletRequests).toEqual([]);
      await expect(page.locator('.leaflet-container').count()).resolves.toBe(0);

      const toggle = page.locator('[data-map-toggle]');
      await toggle.click({ timeout: 10_000 });
      await page.locator('.leaflet-container').waitFor({ state: 'visible', timeout: 10_000 });
      await page.locator('.leaflet-marker-icon').first().waitFor({ state: 'attached', timeout: 10_000 });

      expect(await page.locator('.leaflet-marker-icon').count()).toBe(placed);
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      // The list stays, and the markers are not result cards (api.md: only cards carry data-course-id).
      expect(await cardIds(page)).toEqual(ids);
      // Tiles go to the configured external tile server, which the tests block: the map must not break over it.
      expect(problems.blocked.some((url) => /\/\d+\/\d+\/\d+\.png/.test(url))).toBe(true);
      expect(problems.pageErrors).toEqual([]);
      expect(problems.consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 40_000);
});
