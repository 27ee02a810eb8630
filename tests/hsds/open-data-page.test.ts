import { load } from 'cheerio';
import { escaped, expectPageBasics, text } from '../support/pages';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp('opendatapage');
});
afterAll(async () => {
  await t.close();
});

describe('the developers\' page /open-data', () => {
  it.each(['de', 'ar'] as const)('renders in %s with the page rules, the licence, every endpoint and the mapping', async (lang) => {
    const res = await t.http.get('/open-data').set('Host', 'kurse.example').query({ lang });
    expectPageBasics(res, lang);
    const $ = load(res.text);
    expect($('main h1').text()).toBe(text(lang, 'opendata:page.title'));
    expect($('meta[name="viewport"]').attr('content')).toBe('width=device-width, initial-scale=1');
    expect($('[data-licence]').attr('data-licence')).toBe('dl-de-by-2.0');
    expect($('a[rel="license"]').attr('href')).toBe('https://www.govdata.de/dl-de/by-2-0');
    const examples = $('pre.code-example code').map((_i, el) => $(el).text()).get();
    for (const path of ['/api/hsds/', '/api/hsds/services?page=1&per_page=20', '/api/hsds/services/{id}', '/api/hsds/organizations', '/api/hsds/taxonomy_terms', '/api/v1/courses/export.csv', '/api/v1/export/courses.json']) {
      expect(examples).toContain(`http://kurse.example${path}`);
    }
    expect(examples.some((example) => example.startsWith('http://kurse.example/api/v1/courses?'))).toBe(true);
    expect($('a[href="/api/v1/courses/export.csv"]')).toHaveLength(1);
    expect($('a[href="/api/v1/export/courses.json"]')).toHaveLength(1);
    expect($('a[href="http://kurse.example/api/hsds/openapi.json"]')).toHaveLength(1);
    expect($('#mapping + ul li')).toHaveLength(10);
    expect(res.text).toContain(escaped(text(lang, 'opendata:page.mappingSchedules')));
    expect($('[data-version]').attr('data-version')).toBe('1.0');
    // The footer of every page links here.
    expect($(`footer a[href="/open-data?lang=${lang}"], footer a[href="/open-data"]`).text()).toBe(text(lang, 'opendata:page.title'));
  });

  it('the footer of other pages links the developers\' page', async () => {
    const $ = load((await t.http.get('/about').query({ lang: 'de' })).text);
    expect($('footer a').filter((_i, el) => ($(el).attr('href') ?? '').startsWith('/open-data')).text()).toBe('Offene Daten');
  });

  it('names the licence the operator chose (OPEN_DATA_LICENCE), in the page and the HSDS OpenAPI description', async () => {
    const other = await createTestApp('opendatapage', { env: { OPEN_DATA_LICENCE: 'cc-by-4.0' }, startSync: false, sameDataAs: t });
    try {
      const $ = load((await other.http.get('/open-data').query({ lang: 'en' })).text);
      expect($('[data-licence]').attr('data-licence')).toBe('cc-by-4.0');
      expect($('[data-licence]').text()).toContain('CC BY 4.0');
      expect($('a[rel="license"]').attr('href')).toBe('https://creativecommons.org/licenses/by/4.0/');
      expect((await other.http.get('/api/hsds/openapi.json')).body.info.license.url).toBe('https://creativecommons.org/licenses/by/4.0/');
    } finally {
      await other.close();
    }
  });
});
