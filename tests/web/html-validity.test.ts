import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve, type RunningServer } from '../support/browser';
import { seedDemoCatalog } from '../support/demo-catalog';
import { sampleIds, sitePages, type SitePage } from '../support/site-pages';
import { createTestApp, type TestApp } from '../support/test-app';

/** The Nu HTML Checker from npm (vnu-jar); it runs on the system's Java. */
const VNU_JAR = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
const javaAvailable = spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;

type VnuMessage = { type: 'error' | 'info' | 'non-document-error'; subType?: string; url?: string; lastLine?: number; message: string; extract?: string };

/** One JVM for every file (starting it takes seconds); `--errors-only` leaves warnings out. */
function runVnu(files: string[]): Promise<VnuMessage[]> {
  return new Promise((resolve, reject) => {
    execFile('java', ['-Xss8m', '-jar', VNU_JAR, '--errors-only', '--format', 'json', '--stdout', ...files], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      // The checker exits 1 when it found errors; its JSON report is what counts.
      try {
        resolve((JSON.parse(stdout) as { messages: VnuMessage[] }).messages);
      } catch {
        reject(new Error(`the Nu HTML Checker gave no report: ${error?.message ?? ''} ${stderr}`));
      }
    });
  });
}

const describeWithJava = javaAvailable ? describe : describe.skip;
if (!javaAvailable) console.warn('SKIPPED the HTML validity check: no `java` on the PATH to run the Nu HTML Checker (vnu-jar)');

describeWithJava('valid HTML on the main pages (Nu HTML Checker)', () => {
  let t: TestApp;
  let server: RunningServer;
  let dir: string;

  beforeAll(async () => {
    t = await createTestApp('htmlvalidity');
    await seedDemoCatalog(t);
    server = await serve(t.app);
    dir = mkdtempSync(path.join(tmpdir(), 'skf-vnu-'));
  }, 60_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server?.close();
    await t?.close();
  }, 30_000);

  it('reports no errors on any main page, in German and in Arabic', async () => {
    const ids = await sampleIds(server.url);
    const pages: Array<SitePage & { file: string }> = [];
    const wrongStatus: string[] = [];
    for (const lang of ['de', 'ar'] as const) {
      for (const page of sitePages(ids, lang)) {
        const res = await fetch(`${server.url}${page.path}`);
        if (res.status !== page.status) wrongStatus.push(`${page.path} answered ${res.status}, expected ${page.status}`);
        const file = path.join(dir, `${page.name.replace(/\W+/g, '-')}-${lang}.html`);
        writeFileSync(file, await res.text());
        pages.push({ ...page, file });
      }
    }

    const messages = await runVnu(pages.map((page) => page.file));
    const pathOf = new Map(pages.map((page) => [pathToFileURL(page.file).href, page.path]));
    const errors = messages
      .filter((m) => m.type !== 'info')
      .map((m) => `${pathOf.get(m.url?.replace(/^file:(?!\/\/)/, 'file://') ?? '') ?? m.url ?? '?'} line ${m.lastLine ?? '?'}: ${m.message}${m.extract ? `\n    ${m.extract.replace(/\n/g, ' ')}` : ''}`);
    expect({ wrongStatus, errors }).toEqual({ wrongStatus: [], errors: [] });
  }, 120_000);
});
