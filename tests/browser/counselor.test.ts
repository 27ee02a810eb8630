import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { aCourse, givenProvider, loginAs as apiLoginAs } from '../support/builders';
import { describeInBrowser, inPage, newTestContext, openSite, DESKTOP, type BrowserSite, type TestContext } from '../support/browser';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

describeInBrowser('a counselor finds courses for a client and prints the handout in Arabic', () => {
  let site: BrowserSite;
  let ctx: TestContext;
  let page: Page;
  const courseIds: string[] = [];
  const email = 'beraterin@test.example';
  const password = 'kurse finden in landau';

  beforeAll(async () => {
    site = await openSite('counselorbrowser');
    const providerId = await givenProvider(site.t, { name: 'Mütterkurse Landau', contact: { phone: '+49 6341 55555' } });
    const provider = await apiLoginAs(site.t, 'provider', providerId);
    for (const title of ['Mütterkurs A1 Dienstag und Donnerstag', 'Deutsch A1 mit Kinderbetreuung am Vormittag']) {
      const res = await site.t.http.post('/api/v1/courses').set(provider.auth).send(aCourse({ title: { de: title }, startDate: '2030-01-08', endDate: '2030-06-30', childcare: { available: true, minAgeMonths: 6, maxAgeMonths: 36 }, womenOnly: true }));
      courseIds.push((res.body as { id: string }).id);
    }
    await site.t.settle();
    await site.t.services.accounts.createUser({ email, password, role: 'counselor' });
    ctx = await newTestContext(site.browser, { viewport: DESKTOP });
    page = await ctx.newPage();
  }, 90_000);
  afterAll(async () => {
    await ctx?.context.close();
    await site?.close();
  });

  it('logs in, creates a profile for a mother of a one-year-old free on Tuesday and Thursday mornings, shortlists two matches and opens the handout right to left', async () => {
    await page.goto(`${site.url}/counselor/clients`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('#email', email);
    await page.fill('#password', password);
    await Promise.all([page.waitForURL(/\/counselor\/clients$/), page.click('form button[type="submit"] >> nth=-1')]);
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${site.url}/counselor/clients/new`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.fill('#label', 'AZ-2030-1');
    await page.check('#level-A1');
    await page.check('input[name="slots"][value="tue-morning"]');
    await page.check('input[name="slots"][value="thu-morning"]');
    await page.fill('#child-1', '12');
    await page.check('#women-preferred');
    await page.fill('#place', '76829');
    await page.fill('#maxDistanceKm', '10');
    await page.selectOption('#lang', 'ar');
    await page.fill('#note', 'Mutter, Kind ein Jahr');
    await Promise.all([page.waitForURL(/\/matches$/), page.click('.client-form button[type="submit"]')]);
    expect(await seriousViolations(page)).toEqual([]);

    const matched = await page.locator('.match-list [data-match-id]').evaluateAll((els) => els.map((el) => el.getAttribute('data-match-id')));
    expect(matched).toEqual(expect.arrayContaining(courseIds));
    for (const id of courseIds) {
      await Promise.all([page.waitForURL(/done=added/), page.click(`[data-match-id="${id}"] button[value="add"]`)]);
    }
    expect(await page.locator(`[data-match-id="${courseIds[0]}"] form`).count()).toBe(0);

    await page.click('a[href$="#shortlist"]');
    expect(await page.locator('.shortlist__item').evaluateAll((els) => els.map((el) => el.getAttribute('data-course-id')))).toEqual(courseIds);
    expect(await seriousViolations(page)).toEqual([]);

    await page.click('a[href$="/handout"]');
    expect(await inPage<string>(page, 'document.documentElement.lang')).toBe('ar');
    expect(await inPage<string>(page, 'document.documentElement.dir')).toBe('rtl');
    expect(await page.locator('.handout-course').count()).toBe(2);
    // Right to left: the QR code stands at the left edge, the title starts at the right.
    const title = await page.locator('.handout-course h2').first().boundingBox();
    const qr = await page.locator('.handout-course .print-qr').first().boundingBox();
    expect(qr && title && qr.x + qr.width <= title.x + 1).toBe(true);
    expect(await inPage<string>(page, "getComputedStyle(document.querySelector('.handout-course h2')).direction")).toBe('rtl');
    const text = await page.locator('main').innerText();
    expect(text).not.toContain('AZ-2030-1');
    expect(text).not.toContain('Mutter, Kind ein Jahr');
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(ctx.problems.pageErrors).toEqual([]);
  }, 240_000);
});
