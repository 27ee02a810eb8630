import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, describeInBrowser, newTestContext, openSite, type BrowserSite } from '../support/browser';
import { WEB_PASSWORD } from '../support/web-session';

const ADMIN_PAGES = ['/admin', '/admin/providers', '/admin/providers/new', '/admin/users', '/admin/stale', '/admin/search', '/admin/audit'];
/** Set SCREENSHOT_DIR to keep screenshots of every admin page (de + ar, phone + desktop) for a look. */
const SHOTS = process.env.SCREENSHOT_DIR;

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

async function logIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('form.account-form button[type="submit"], main form button[type="submit"]')]);
}

describeInBrowser('the administration in a browser', () => {
  let site: BrowserSite;
  const adminEmail = 'admin-browser@test.example';

  beforeAll(async () => {
    site = await openSite('adminbrowser');
    await site.t.services.accounts.createUser({ email: adminEmail, password: WEB_PASSWORD, role: 'admin' });
  }, 60_000);
  afterAll(async () => {
    await site?.close();
  }, 30_000);

  it('an admin creates a provider and its user, and that user can log in', async () => {
    const { context, newPage } = await newTestContext(site.browser, { viewport: PHONE });
    const page = await newPage();
    await logIn(page, site.url, adminEmail, WEB_PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/admin');
    await page.goto(`${site.url}/admin/providers/new`);
    await page.fill('#name', 'Sprachtreff Südpfalz');
    await page.fill('#email', 'kontakt@suedpfalz.example');
    await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
    expect(new URL(page.url()).pathname).toBe('/admin/users');
    await page.fill('#email', 'kursleitung@suedpfalz.example');
    await page.fill('#password', WEB_PASSWORD);
    await page.selectOption('#role', 'provider');
    expect(await page.$eval('#providerId', (select) => (select as unknown as { selectedOptions: ArrayLike<{ textContent: string | null }> }).selectedOptions[0]?.textContent)).toBe('Sprachtreff Südpfalz');
    await Promise.all([page.waitForNavigation(), page.click('section[aria-labelledby="new-user-heading"] button[type="submit"]')]);
    expect(await page.textContent('main')).toContain('kursleitung@suedpfalz.example');
    await context.close();

    const other = await newTestContext(site.browser, { viewport: PHONE });
    const userPage = await other.newPage();
    await logIn(userPage, site.url, 'kursleitung@suedpfalz.example', WEB_PASSWORD);
    expect(await userPage.locator('form[action="/logout"]').count()).toBe(1);
    await other.context.close();
  }, 60_000);

  describe.each(['de', 'ar'] as const)('in %s', (lang) => {
    let admin: Awaited<ReturnType<typeof newTestContext>>;
    let page: Page;
    beforeAll(async () => {
      admin = await newTestContext(site.browser, { viewport: PHONE });
      page = await admin.newPage();
      await logIn(page, site.url, adminEmail, WEB_PASSWORD);
    }, 60_000);
    afterAll(() => admin?.context.close());

    it.each(ADMIN_PAGES)('%s has no serious or critical accessibility violations on a phone', async (path) => {
      const response = await page.goto(`${site.url}${path}?lang=${lang}`);
      expect(response?.status()).toBe(200);
      expect(await seriousViolations(page)).toEqual([]);
      if (SHOTS) {
        await page.screenshot({ path: `${SHOTS}/${path.replace(/\//g, '_')}-${lang}-${PHONE.width}.png`, fullPage: true });
        await page.setViewportSize(DESKTOP);
        await page.screenshot({ path: `${SHOTS}/${path.replace(/\//g, '_')}-${lang}-${DESKTOP.width}.png`, fullPage: true });
        await page.setViewportSize(PHONE);
      }
    }, 60_000);
  });
});
