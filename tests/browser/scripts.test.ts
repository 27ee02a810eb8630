/**
 * The website's small scripts in a real Chromium against a real app (MongoDB + Meilisearch): the map that loads
 * only when opened and degrades quietly without tiles, the place combobox, one question per step on a phone,
 * "add another child" and "use my location". Every request off this machine is blocked, as in CI.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { aCourse, aVenue, givenProvider, loginAs } from '../support/builders';
import { arrangeCourses } from '../support/search-helpers';
import { createTestApp, type TestApp } from '../support/test-app';

const CHROMIUM = '/usr/bin/chromium';
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };

// A minimal launcher of this file's own (the shared browser-test support may replace it).
type ScriptsBrowser = { browser: Browser; server: Server; origin: string };

async function startScriptsBrowser(t: TestApp): Promise<ScriptsBrowser> {
  const server = t.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  return { browser, server, origin };
}

type Opened = { page: Page; errors: string[]; leafletRequests: string[] };

/** A fresh page whose requests may reach this machine only; page errors and CSP refusals are collected. */
async function openPage(sb: ScriptsBrowser, path: string, options: BrowserContextOptions = {}): Promise<Opened> {
  const context = await sb.browser.newContext({ viewport: DESKTOP, locale: 'de-DE', ...options });
  context.setDefaultTimeout(5000);
  const page = await context.newPage();
  const errors: string[] = [];
  const leafletRequests: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused/i.test(message.text())) errors.push(`csp: ${message.text()}`);
  });
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') return route.abort('blockedbyclient');
    if (url.pathname.startsWith('/assets/leaflet/')) leafletRequests.push(url.pathname);
    return route.continue();
  });
  await page.goto(`${sb.origin}${path}`);
  return { page, errors, leafletRequests };
}

/**
 * What `read` gives once it equals `expected`, or after ten seconds whatever it gives then (scripts act
 * asynchronously; loading Leaflet or a suggestion on a busy CI machine can take seconds, a passing test waits no longer).
 */
async function settled<T>(read: () => Promise<T>, expected: T): Promise<T> {
  const deadline = Date.now() + 10_000;
  let value = await read();
  while (value !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    value = await read();
  }
  return value;
}

/** The focused element (the test runs without DOM types, so the page evaluates a string). */
function focused(page: Page): Promise<{ tag: string; id: string; step: string | null }> {
  return page.evaluate(`(() => { const el = document.activeElement; const step = el && el.closest('.step'); return { tag: el ? el.tagName : '', id: el ? el.id : '', step: step ? step.id : null }; })()`);
}

const describeInBrowser = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM)) console.warn(`tests/browser/scripts.test.ts skipped: ${CHROMIUM} is missing (apt-get install chromium)`);

describeInBrowser('the website scripts in Chromium', () => {
  let t: TestApp;
  let sb: ScriptsBrowser;

  beforeAll(async () => {
    t = await createTestApp('scripts');
    const providerId = await givenProvider(t, { name: 'Sprachtreff Südpfalz' });
    const provider = await loginAs(t, 'provider', providerId);
    await arrangeCourses(t, provider, 'Sprachtreff Südpfalz', [
      aCourse({ title: { de: 'Deutsch am Vormittag' } }),
      aCourse({ title: { de: 'Deutsch in Offenbach' }, venue: aVenue({ city: 'Offenbach an der Queich', postcode: '76877', lat: 49.1956, lng: 8.1983 }) }),
      aCourse({ title: { de: 'Deutsch in Edenkoben' }, venue: aVenue({ city: 'Edenkoben', postcode: '67480', lat: 49.2838, lng: 8.1267 }) }),
      aCourse({ title: { de: 'Deutsch online' }, mode: 'online', venue: undefined }),
    ]);
    await t.settle();
    sb = await startScriptsBrowser(t);
  }, 60_000);

  afterAll(async () => {
    await sb?.browser.close();
    sb?.server.closeAllConnections();
    await new Promise((resolve) => sb?.server.close(resolve));
    await t?.close();
  });

  describe('the results map', () => {
    it('loads Leaflet only when opened, shows one marker per course with a venue and stays quiet without tiles', async () => {
      const { page, errors, leafletRequests } = await openPage(sb, '/courses');
      const cards = page.locator('article[data-course-id]');
      expect(await settled(() => cards.count(), 4)).toBe(4);
      const located = await page.locator('article[data-course-id][data-lat][data-lng]').count();
      expect(located).toBe(3);
      const toggle = page.locator('[data-map-toggle]');
      await toggle.waitFor({ state: 'visible' });
      expect(leafletRequests).toEqual([]);
      expect(await page.locator('#results-map').isHidden()).toBe(true);

      await toggle.click();
      expect(await settled(() => page.locator('#results-map .leaflet-marker-icon').count(), located)).toBe(located);
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      expect((await toggle.textContent())?.trim()).toBe('Karte ausblenden');
      expect(leafletRequests).toEqual(expect.arrayContaining(['/assets/leaflet/leaflet.js', '/assets/leaflet/leaflet.css']));
      // markers are not result cards: outside checks count [data-course-id]
      expect(await settled(() => page.locator('[data-course-id]').count(), 4)).toBe(4);
      expect(await page.locator('#results-map').getAttribute('aria-busy')).toBeNull();

      // keyboard: a marker takes the focus and opens its popup, which links to the course
      await page.locator('#results-map .leaflet-marker-icon').first().focus();
      await page.keyboard.press('Enter');
      const link = page.locator('#results-map .leaflet-popup-content a');
      await link.waitFor();
      expect(await link.getAttribute('href')).toMatch(/\/courses\/[0-9a-f]{24}$/);
      expect(await cards.locator('.card__title a').allTextContents()).toContain(await link.textContent());

      await toggle.click();
      expect(await page.locator('#results-map').isHidden()).toBe(true);
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect((await toggle.textContent())?.trim()).toBe('Auf der Karte zeigen');
      expect(errors).toEqual([]);
      await page.context().close();
    });

    it('offers no map when no listed course has a place', async () => {
      const { page, errors, leafletRequests } = await openPage(sb, '/courses?mode=online');
      expect(await settled(() => page.locator('article[data-course-id]').count(), 1)).toBe(1);
      expect(await page.locator('[data-map-toggle]').isHidden()).toBe(true);
      expect(leafletRequests).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  });

  describe('the course map', () => {
    it('opens a map with the venue as its one marker (against the markup the course page carries)', async () => {
      const fixture = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Kurs</title>
        <script src="/assets/js/leaflet-loader.js" defer></script><script src="/assets/js/course-map.js" defer></script></head>
        <body><button type="button" hidden data-course-map-toggle aria-controls="course-map" aria-expanded="false" data-hide-text="Karte ausblenden">Karte zeigen</button>
        <div class="course-map" id="course-map" hidden data-course-map data-lat="49.1989" data-lng="8.1169" data-label="Haus am Maulbeerbaum, Marktstraße 1"
          data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png" data-attribution="© OpenStreetMap contributors"></div></body></html>`;
      const context = await sb.browser.newContext({ viewport: PHONE });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.pathname === '/fixture/course') return route.fulfill({ contentType: 'text/html', body: fixture });
        return url.hostname === '127.0.0.1' ? route.continue() : route.abort('blockedbyclient');
      });
      await page.goto(`${sb.origin}/fixture/course`);
      const toggle = page.locator('[data-course-map-toggle]');
      await toggle.click();
      const marker = page.locator('#course-map .leaflet-marker-icon');
      expect(await settled(() => marker.count(), 1)).toBe(1);
      expect(await marker.getAttribute('alt')).toBe('Haus am Maulbeerbaum, Marktstraße 1');
      expect(await page.locator('#course-map').getAttribute('aria-label')).toBe('Haus am Maulbeerbaum, Marktstraße 1');
      expect(await toggle.textContent()).toBe('Karte ausblenden');
      expect(errors).toEqual([]);
      await context.close();
    });
  });

  describe('the place combobox', () => {
    it('suggests places as someone types and fills the chosen name exactly, by keyboard only', async () => {
      const { page, errors } = await openPage(sb, '/');
      const input = page.locator('#place');
      expect(await input.getAttribute('role')).toBe('combobox');
      const listId = await input.getAttribute('aria-controls');
      const list = page.locator(`#${listId}`);
      expect(await list.getAttribute('role')).toBe('listbox');

      await input.focus();
      await page.keyboard.type('Land');
      await list.waitFor({ state: 'visible' });
      expect(await input.getAttribute('aria-expanded')).toBe('true');
      const options = list.locator('[role="option"]');
      const names = await options.allTextContents();
      expect(names.length).toBeGreaterThan(1);
      expect(names.length).toBeLessThanOrEqual(10);
      expect(names[0]).toBe('Landau in der Pfalz'); // the home region first

      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      expect(await input.getAttribute('aria-activedescendant')).toBe(await options.nth(1).getAttribute('id'));
      expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Enter');
      expect(await input.inputValue()).toBe(names[0]);
      expect(await list.isHidden()).toBe(true);
      expect(await input.getAttribute('aria-expanded')).toBe('false');
      expect(page.url()).toBe(`${sb.origin}/`); // Enter chose; it did not send the form

      await page.keyboard.press('Backspace');
      await list.waitFor({ state: 'visible' });
      await page.keyboard.press('Escape');
      expect(await list.isHidden()).toBe(true);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  });

  describe('one question at a time', () => {
    it('shows one question per step on a phone, with progress, Next and Back moving the focus', async () => {
      const { page, errors } = await openPage(sb, '/', { viewport: PHONE });
      const steps = page.locator('form[data-steps] .step');
      const total = await steps.count();
      expect(total).toBe(6);
      expect(await settled(() => page.locator('form[data-steps] .step:visible').count(), 1)).toBe(1);
      const progress = page.locator('.steps-progress');
      expect(await progress.textContent()).toBe(`Frage 1 von ${total}`);
      expect(await page.locator('.form-actions button[type="submit"]').isHidden()).toBe(true);

      const next = page.locator('.steps-nav button', { hasText: 'Weiter' });
      await next.click();
      expect(await steps.nth(1).isVisible()).toBe(true);
      expect(await steps.nth(0).isHidden()).toBe(true);
      expect(await progress.textContent()).toBe(`Frage 2 von ${total}`);
      expect(await focused(page)).toEqual({ tag: 'LEGEND', id: '', step: await steps.nth(1).getAttribute('id') });

      await page.locator('.steps-nav button', { hasText: 'Zurück' }).click();
      expect(await progress.textContent()).toBe(`Frage 1 von ${total}`);
      for (let i = 1; i < total; i++) await next.click();
      expect(await next.isHidden()).toBe(true);
      expect(await page.locator('.form-actions button[type="submit"]').isVisible()).toBe(true);
      expect(errors).toEqual([]);
      await page.context().close();
    });

    it('opens the question with the error when the search comes back to be checked', async () => {
      const { page, errors } = await openPage(sb, '/courses?place=Neustadt', { viewport: PHONE });
      expect(await page.locator('.error-summary').isVisible()).toBe(true);
      expect(await page.locator('#step-where').isVisible()).toBe(true);
      expect(await settled(() => page.locator('form[data-steps] .step:visible').count(), 1)).toBe(1);
      await page.locator('.steps-nav button', { hasText: 'Zurück' }).click();
      await page.locator('.error-summary a[href="#place"]').click();
      expect(await page.locator('#step-where').isVisible()).toBe(true);
      expect(errors).toEqual([]);
      await page.context().close();
    });

    it('shows every question at once on a wide screen', async () => {
      const { page, errors } = await openPage(sb, '/', { viewport: DESKTOP });
      expect(await settled(() => page.locator('form[data-steps] .step:visible').count(), 6)).toBe(6);
      expect(await page.locator('.steps-nav').isHidden()).toBe(true);
      expect(await page.locator('.form-actions button[type="submit"]').isVisible()).toBe(true);
      expect(errors).toEqual([]);
      await page.context().close();
    });

    it('adds child fields up to six, each with its own label, and sends every age', async () => {
      const { page, errors } = await openPage(sb, '/');
      const add = page.locator('button', { hasText: 'Noch ein Kind' });
      const selects = page.locator('select[name="childAgeMonths"]');
      const before = await selects.count();
      for (let i = before; i < 6; i++) await add.click();
      expect(await settled(() => selects.count(), 6)).toBe(6);
      expect(await add.isHidden()).toBe(true);
      expect(await page.locator('label[for="child-6"]').textContent()).toBe('Alter von Kind 6');
      expect(await focused(page)).toEqual({ tag: 'SELECT', id: 'child-6', step: 'step-children' });
      await page.selectOption('#child-6', '24');
      await page.locator('.form-actions button[type="submit"]').click();
      await page.waitForURL(/\/courses\?/);
      expect(new URL(page.url()).searchParams.getAll('childAgeMonths')).toEqual(['', '', '', '', '', '24']);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  });

  describe('use my location', () => {
    it('fills near from the browser, clears the place, announces it, and a typed place clears near again', async () => {
      const { page, errors } = await openPage(sb, '/', { permissions: ['geolocation'], geolocation: { latitude: 49.19843, longitude: 8.11691 } });
      const locate = page.locator('[data-locate]');
      await locate.waitFor({ state: 'visible' });
      await page.fill('#place', 'Zweibrücken');
      await page.locator('#place-suggestions').waitFor({ state: 'visible' });
      await page.keyboard.press('Escape');
      await locate.locator('button').click();
      const status = locate.locator('[role="status"]');
      expect(await settled(() => status.textContent(), 'Ihr Standort wird verwendet.')).toBe('Ihr Standort wird verwendet.');
      expect(await page.locator('[data-near-input]').inputValue()).toBe('49.198,8.117');
      expect(await page.inputValue('#place')).toBe('');

      await page.locator('.form-actions button[type="submit"]').click();
      await page.waitForURL(/\/courses\?/);
      expect(new URL(page.url()).searchParams.get('near')).toBe('49.198,8.117');
      expect(await page.locator('[data-total]').getAttribute('data-total')).toBe('3');

      await page.goBack();
      await page.locator('[data-locate] button').click();
      expect(await settled(() => page.locator('[data-locate] [role="status"]').textContent(), 'Ihr Standort wird verwendet.')).toBe('Ihr Standort wird verwendet.');
      await page.locator('#place').pressSequentially('Lan');
      expect(await page.locator('[data-near-input]').inputValue()).toBe('');
      expect(errors).toEqual([]);
      await page.context().close();
    });

    it('says so when the location is not available', async () => {
      const { page, errors } = await openPage(sb, '/');
      await page.locator('[data-locate] button').click();
      expect(await settled(() => page.locator('[data-locate] [role="status"]').textContent(), 'Der Standort war nicht verfügbar. Bitte geben Sie Ihre Postleitzahl ein.')).toBe('Der Standort war nicht verfügbar. Bitte geben Sie Ihre Postleitzahl ein.');
      expect(await page.locator('[data-near-input]').inputValue()).toBe('');
      expect(errors).toEqual([]);
      await page.context().close();
    });
  });
});
