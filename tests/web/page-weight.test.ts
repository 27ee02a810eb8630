import { formatPageWeight, measurePageWeight, PAGE_WEIGHT_BUDGET, referencedAssets, fontProblems, type PageWeight } from '../../bench/page-weight';
import { serve, type RunningServer } from '../support/browser';
import { seedDemoCatalog } from '../support/demo-catalog';
import { createTestApp, type TestApp } from '../support/test-app';

describe('page weight of the results page', () => {
  let t: TestApp;
  let server: RunningServer;
  let weight: PageWeight;

  beforeAll(async () => {
    t = await createTestApp('pageweight');
    await seedDemoCatalog(t);
    server = await serve(t.app);
    weight = await measurePageWeight(server.url);
    process.stdout.write(`${formatPageWeight(weight)}\n`);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await t?.close();
  }, 30_000);

  it('sends at most 60 KB of HTML, CSS and JavaScript, compressed, for a typical search', () => {
    expect(weight.transfers[0]).toMatchObject({ kind: 'page', status: 200 });
    expect(weight.transfers.map((transfer) => `${transfer.path} ${transfer.status}`)).toEqual(weight.transfers.map((transfer) => `${transfer.path} 200`));
    expect(weight.transfers.filter((transfer) => transfer.kind === 'css').length).toBeGreaterThan(0);
    // Text this size is worth compressing: the page and the stylesheet travel compressed.
    expect(weight.transfers.filter((transfer) => transfer.decodedBytes > 2048).map((transfer) => transfer.encoding)).not.toContain('identity');
    expect(weight.total).toBeLessThanOrEqual(PAGE_WEIGHT_BUDGET);
  });

  it('loads no web font that would block rendering (system fonts render Arabic and Cyrillic)', () => {
    expect(weight.fontProblems).toEqual([]);
  });

  it('counts the site’s own stylesheets and scripts, but not the map library that loads with the map', () => {
    const html = '<link rel="stylesheet" href="/assets/css/site.css"><link rel="stylesheet" href="/assets/leaflet/leaflet.css"><script src="/assets/js/a.js" defer></script><script src="https://cdn.example/x.js"></script><link rel="preload" as="font" href="/f.woff2">';
    expect(referencedAssets(html)).toEqual([
      { path: '/assets/css/site.css', kind: 'css' },
      { path: '/assets/js/a.js', kind: 'js' },
    ]);
    expect(fontProblems(html, [])).toEqual(['the page preloads the font /f.woff2']);
  });
});
