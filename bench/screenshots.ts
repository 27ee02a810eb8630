/**
 * Screenshots of the main pages (npm run screenshots [-- --url http://127.0.0.1:3000]): the start page, the results
 * of a typical search and the first course found, in German and Arabic, on a phone (360×740) and a desktop
 * (1280×900), into docs/screenshots/: the page from its top, at most three phone or two desktop screens high (a results page is
 * ten phone screens long; its head is what a reader judges). Uses Debian's Chromium like the browser tests; every request to
 * another host (map tiles) is blocked.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DESKTOP, PHONE, CHROMIUM, browserAvailable, inPage, launchBrowser, newTestContext } from '../tests/support/browser';
import { startLocalSite } from './local-site';
import { TYPICAL_RESULTS_QUERY } from '../tests/support/site-pages';

const OUT_DIR = path.join(__dirname, '..', 'docs', 'screenshots');
const LANGUAGES = ['de', 'ar'] as const;
const DEVICES = { phone: PHONE, desktop: DESKTOP } as const;

async function main(): Promise<void> {
  if (!browserAvailable) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium fonts-noto-core)`);
  mkdirSync(OUT_DIR, { recursive: true });
  const site = await startLocalSite();
  const browser = await launchBrowser();
  try {
    for (const lang of LANGUAGES) {
      for (const [device, viewport] of Object.entries(DEVICES)) {
        const { context, problems } = await newTestContext(browser, { viewport, locale: lang === 'ar' ? 'ar' : 'de-DE' });
        const page = await context.newPage();
        const shoot = async (name: string, url: string) => {
          const response = await page.goto(url, { waitUntil: 'load' });
          const file = path.join(OUT_DIR, `${name}-${lang}-${device}.png`);
          const height = Math.min(await inPage<number>(page, 'document.documentElement.scrollHeight'), viewport.height * (device === 'phone' ? 3 : 2));
          await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width: viewport.width, height } });
          const status = response?.status() ?? 0;
          // A picture of an error page must not end up in the README as if it were the page.
          if (status !== 200) process.exitCode = 1;
          process.stdout.write(`${status === 200 ? 'ok ' : 'NOT OK'} ${String(status)}  ${path.relative(process.cwd(), file)}  ${url.replace(site.url, '')}\n`);
        };
        await shoot('start', `${site.url}/?lang=${lang}`);
        await shoot('results', `${site.url}/courses?${TYPICAL_RESULTS_QUERY}&lang=${lang}`);
        const href = await page.locator('[data-course-id] a').first().getAttribute('href');
        if (href) await shoot('course', new URL(href, site.url).href);
        for (const problem of [...problems.pageErrors, ...problems.consoleErrors]) process.stdout.write(`  problem: ${problem}\n`);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await site.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshots failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
