import { escaped, expectPageBasics, text } from '../support/pages';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp('sitepages');
});
afterAll(async () => {
  await t.close();
});

describe('about, privacy and imprint', () => {
  it.each(['de', 'ar'] as const)('are plain-language pages in %s', async (lang) => {
    for (const [path, title] of [['/about', 'site:about.title'], ['/privacy', 'site:privacy.title'], ['/imprint', 'site:imprint.title']] as const) {
      const res = await t.http.get(path).query({ lang });
      expectPageBasics(res, lang);
      expect(res.text).toContain(`<h1>${escaped(text(lang, title))}</h1>`);
      expect(res.text).toContain(`<title>${escaped(text(lang, title))} – `);
    }
  });

  it('about says what the site is, that it is free, where listings come from and the city\'s goal', async () => {
    const html = (await t.http.get('/about')).text;
    for (const key of ['site:about.free', 'site:about.listings', 'site:about.goal', 'site:about.goalChildcare', 'site:about.goalWomen', 'site:about.goalTimes']) {
      expect(html).toContain(escaped(text('de', key)));
    }
    expect(html).toContain(escaped(text('de', 'site:about.stale', { count: 90 })));
  });

  it('privacy names the one cookie, the logs and the anonymous statistics', async () => {
    const res = await t.http.get('/privacy').query({ lang: 'en' });
    for (const key of ['site:privacy.lead', 'site:privacy.cookieLang', 'site:privacy.logs', 'site:privacy.statistics', 'site:privacy.map']) {
      expect(res.text).toContain(escaped(text('en', key)));
    }
    // The counselors' profiles: deleted after 180 unused days; a share link lasts 30 days (the defaults), each in its own plural.
    expect(res.text).toContain(escaped(`${text('en', 'counselor:privacy.text', { count: 180 })} ${text('en', 'counselor:privacy.linkText', { count: 30 })}`));
    expect(res.text).toContain('A share link works for 30 days');
    // What the page says is what the site does: the language choice is the only cookie a reader gets.
    expect(res.headers['set-cookie']).toEqual([expect.stringMatching(/^lang=en; Max-Age=31536000; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/)]);
    expect((await t.http.get('/privacy').set('Accept-Language', 'ar')).headers['set-cookie']).toBeUndefined();
  });

  it('the imprint marks the operator as a demo and credits the data sources with their licences', async () => {
    const html = (await t.http.get('/imprint')).text;
    expect(html).toContain('<span lang="de">Stadt Landau in der Pfalz – Integrationsbüro (Demo)</span>');
    expect(html).toContain(escaped(text('de', 'site:imprint.demo')));
    expect(html).toContain('© OpenStreetMap-Mitwirkende');
    expect(html).toContain('ODbL');
    expect(html).toContain('GeoNames');
    expect(html).toContain('CC BY 4.0');
  });
});
