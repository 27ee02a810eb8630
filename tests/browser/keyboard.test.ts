import type { Page } from 'playwright-core';
import { describeInBrowser, inPage, newTestContext, openSite, DESKTOP, type BrowserSite, type TestContext } from '../support/browser';

/** What has the keyboard focus: tag, type, name, value, class and whether its focus style is visible. */
type Focused = { tag: string; type: string; name: string; value: string; className: string; checked: boolean; outline: string; shadow: string };

const FOCUSED = `(() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), type: el.getAttribute('type') || '', name: el.getAttribute('name') || '',
    value: el.getAttribute('value') || '', className: el.className || '', checked: Boolean(el.checked),
    outline: style.outlineStyle, shadow: style.boxShadow,
  };
})()`;

async function focused(page: Page): Promise<Focused> {
  return inPage<Focused>(page, FOCUSED);
}

function focusIsVisible(f: Focused): boolean {
  return f.outline !== 'none' || f.shadow !== 'none';
}

describeInBrowser('the start page with the keyboard only', () => {
  let site: BrowserSite;
  let browserContext: TestContext;

  beforeAll(async () => {
    site = await openSite('keyboard');
    browserContext = await newTestContext(site.browser, { viewport: DESKTOP });
  }, 60_000);
  afterAll(async () => {
    await browserContext?.context.close();
    await site?.close();
  }, 30_000);

  it('reaches the skip link first, and it shows itself and jumps to the content', async () => {
    const page = await browserContext.newPage();
    await page.goto(`${site.url}/?lang=de`);
    await page.keyboard.press('Tab');
    const first = await focused(page);
    expect(first.className).toContain('skip-link');
    expect(focusIsVisible(first)).toBe(true);
    const link = await page.locator('.skip-link').boundingBox();
    expect(link?.y).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Enter');
    expect(await inPage<string>(page, 'document.activeElement.id')).toBe('main');
    await page.close();
  }, 30_000);

  it('ticks the week grid with Space, with a visible focus on every stop', async () => {
    const page = await browserContext.newPage();
    await page.goto(`${site.url}/?lang=de`);
    let current = await focused(page);
    const stops: Focused[] = [];
    // Tab through the page until the first cell of the week grid; a one-question-at-a-time form is moved on with Enter.
    for (let press = 0; press < 60 && !(current.name === 'slots'); press++) {
      if (current.tag === 'button' && current.type === 'button') await page.keyboard.press('Enter');
      else await page.keyboard.press('Tab');
      current = await focused(page);
      stops.push(current);
    }
    expect(current).toMatchObject({ name: 'slots', value: 'mon-morning', checked: false });
    expect(stops.filter((stop) => !focusIsVisible(stop)).map((stop) => `${stop.tag} ${stop.name} ${stop.className}`)).toEqual([]);

    await page.keyboard.press('Space');
    expect(await focused(page)).toMatchObject({ value: 'mon-morning', checked: true });
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ name: 'slots', value: 'mon-afternoon', checked: false });
    await page.keyboard.press('Space');
    await page.keyboard.press('Space');
    expect(await focused(page)).toMatchObject({ value: 'mon-afternoon', checked: false });
    expect(await page.locator('input[name="slots"]:checked').evaluateAll((inputs) => inputs.map((input) => input.getAttribute('value')))).toEqual(['mon-morning']);
    await page.close();
  }, 30_000);
});
