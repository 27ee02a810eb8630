import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { cardIds, describeInBrowser, DESKTOP, newTestContext, openSite, PHONE, type BrowserSite, type TestContext } from '../support/browser';
import { givenProvider } from '../support/builders';
import { text } from '../support/pages';

const PASSWORD = 'kurse finden in landau';
const providerIdOf = (url: string) => /provider=([a-f0-9]{24})/.exec(url)?.[1];
/** Set to a folder to keep screenshots of the workspace pages (de and ar, phone and desktop) for a human look. */
const SHOTS = process.env.WORKSPACE_SHOTS;

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

describeInBrowser('a provider keeping its listings current', () => {
  let site: BrowserSite;
  let browserContext: TestContext;
  let page: Page;
  let email: string;
  let courseId = '';

  beforeAll(async () => {
    site = await openSite('workspacebrowser');
    const providerId = await givenProvider(site.t, { name: 'Familienzentrum Horst' });
    email = `anbieter-${Date.now()}@test.example`;
    await site.t.services.accounts.createUser({ email, password: PASSWORD, role: 'provider', providerId });
    browserContext = await newTestContext(site.browser, { viewport: DESKTOP });
    page = await browserContext.newPage();
  }, 60_000);
  afterAll(async () => {
    await browserContext?.context.close();
    await site?.close();
  }, 30_000);

  it('logs in, creates a course with two sessions and childcare, publishes it and finds it in the public search', async () => {
    await page.goto(`${site.url}/login?lang=de`);
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(PASSWORD);
    await Promise.all([page.waitForURL(/\/provider$/), page.locator('form.account-form button[type="submit"], main form button[type="submit"]').first().click()]);

    await page.goto(`${site.url}/provider/courses/new`);
    await page.locator('#title-de').fill('Mütterkurs am Vormittag im Familienzentrum');
    await page.locator('#type').selectOption('integration_parents');
    await page.locator('#targetLevel').selectOption('A2');
    await page.locator('#venue').selectOption('v0');
    await page.locator('#sessions-0-day').selectOption('mon');
    await page.locator('#sessions-0-start').fill('09:00');
    await page.locator('#sessions-0-end').fill('11:30');
    await page.locator('#sessions-1-day').selectOption('thu');
    await page.locator('#sessions-1-start').fill('09:00');
    await page.locator('#sessions-1-end').fill('11:30');
    await page.locator('#startDate').fill('2027-03-01');
    await page.locator('#endDate').fill('2027-08-31');
    await page.locator('#childcare-available').check();
    await page.locator('#childcare-minAgeMonths').fill('6');
    await page.locator('#childcare-maxAgeMonths').fill('36');
    await page.locator('#cost-free').check();
    await page.locator('#seats-capacity').fill('12');
    await page.locator('#seats-available').fill('4');
    await Promise.all([page.waitForURL(/\/edit\?saved=1$/), page.locator('form.course-editor .form-actions button').click()]);
    courseId = /courses\/([a-f0-9]{24})\/edit/.exec(page.url())?.[1] ?? '';
    expect(courseId).toMatch(/^[a-f0-9]{24}$/);
    expect(await seriousViolations(page)).toEqual([]);

    expect(await page.locator('.course-actions').innerText()).toContain(text('de', 'workspace:editor.actions.publish'));
    await Promise.all([page.waitForURL(/saved=1$/), page.locator('form[action$="/publish"] button').click()]);
    expect(await page.locator('.badge').first().textContent()).toBe(text('de', 'workspace:status.published'));
    await site.t.settle();
    await page.goto(`${site.url}/courses?q=${encodeURIComponent('Mütterkurs Familienzentrum')}`);
    expect(await cardIds(page)).toContain(courseId);
  }, 90_000);

  it('marks the course full and confirms it is still current, from the dashboard', async () => {
    await page.goto(`${site.url}/provider`);
    const row = page.locator(`#course-${courseId}`);
    await row.locator('input[name="available"]').fill('0');
    await Promise.all([page.waitForURL(/done=seats/), row.locator('.seats-form button').click()]);
    expect((await site.t.services.courses.findRecord(courseId)).seats.available).toBe(0);
    const before = (await site.t.services.courses.findRecord(courseId)).lastConfirmedAt.getTime();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await Promise.all([page.waitForURL(/done=confirmed/), page.locator(`#course-${courseId} form[action$="/confirm"] button`).click()]);
    expect((await site.t.services.courses.findRecord(courseId)).lastConfirmedAt.getTime()).toBeGreaterThan(before);
    expect(await seriousViolations(page)).toEqual([]);
  }, 60_000);

  it('adjusts a venue\'s point by dragging it on a small map, which writes the coordinates into the form', async () => {
    await page.goto(`${site.url}/provider/profile?lang=de`);
    const venue = page.locator('[data-venue-row]').first();
    const lat = venue.locator('input[name$="[lat]"]');
    const before = Number(await lat.inputValue());
    await venue.locator('[data-venue-map-open] button').click();
    const marker = venue.locator('.leaflet-marker-icon');
    await marker.waitFor();
    const box = await marker.boundingBox();
    if (!box) throw new Error('no marker on the map');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height - 4);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height - 64, { steps: 8 });
    await page.mouse.up();
    // Dragging north (up the screen) moves the point north: a larger latitude, written into the field.
    for (let tries = 0; tries < 20 && Number(await lat.inputValue()) === before; tries++) await page.waitForTimeout(100);
    expect(Number(await lat.inputValue())).toBeGreaterThan(before);
    await Promise.all([page.waitForLoadState('load'), page.locator('.form-actions button[type="submit"]').last().click()]);
    const provider = await site.t.services.providers.getRecord(providerIdOf(page.url()) ?? (await site.t.services.providers.listNames()).find((p) => p.name === 'Familienzentrum Horst')?.id ?? '');
    expect(provider.venues[0]?.lat).toBeGreaterThan(before);
  }, 60_000);

  it('has no serious or critical accessibility findings on the dashboard, editor and profile, in German and Arabic, on a phone and a desktop', async () => {
    const findings: string[] = [];
    // axe on every page at the phone size; the desktop pages only as screenshots, when asked for (the machine is slow).
    for (const viewport of SHOTS ? [PHONE, DESKTOP] : [PHONE]) {
      await page.setViewportSize(viewport);
      for (const lang of ['de', 'ar'] as const) {
        for (const [name, path] of [['dashboard', '/provider'], ['editor', `/provider/courses/${courseId}/edit`], ['profile', '/provider/profile']] as const) {
          const response = await page.goto(`${site.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
          expect(response?.status()).toBe(200);
          if (viewport === PHONE) findings.push(...(await seriousViolations(page)).map((finding) => `${name} ${lang} ${viewport.width}: ${finding}`));
          if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-${lang}-${viewport.width}.png`, fullPage: true });
        }
      }
    }
    expect(findings).toEqual([]);
  }, 400_000);
});
