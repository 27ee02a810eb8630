import * as cheerio from 'cheerio';
import { parse } from 'csv-parse/sync';
import { searchQuerySchema } from '../../src/search/search-query.schema';
import { describeSearch } from '../../src/stats/search-event';
import { demoSearchEvents } from '../../src/stats/demo-events';
import { SEARCH_EVENTS } from '../../src/stats/stats-recorder';
import { aCourse, aProvider, givenProvider, loginAs as apiLogin } from '../support/builders';
import { expectPageBasics, text } from '../support/pages';
import { createTestApp, type TestApp } from '../support/test-app';
import { loginAs, type WebSession } from '../support/web-session';

const NOW = new Date('2027-03-15T10:00:00Z');
const PASSWORD = 'a long and fine admin password';
let t: TestApp;
let admin: WebSession;

beforeAll(async () => {
  t = await createTestApp('statspages', { clock: { now: () => NOW } });
  const providerId = await givenProvider(t, aProvider({ name: '=HYPERLINK("http://evil.example") Schule' }));
  const provider = await apiLogin(t, 'provider', providerId);
  await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse({ childcare: { available: true, minAgeMonths: 0, maxAgeMonths: 36 } })).expect(201);
  await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse({ level: 'B1', targetLevel: 'B2' })).expect(201);
  const search = (query: Record<string, string>, results: number) => describeSearch(searchQuerySchema.parse(query), results, new Date('2027-03-10T09:00:00Z'));
  await t.services.deps.db.collection(SEARCH_EVENTS).insertMany([
    search({ childcare: 'true', childAgeMonths: '10', timeOfDay: 'morning', postcode: '76829', level: 'A1' }, 0),
    search({ childcare: 'true', childAgeMonths: '10', timeOfDay: 'morning', postcode: '76829', level: 'A1' }, 0),
    search({ level: 'A1', lang: 'ar' }, 2),
  ]);
  await t.services.accounts.createUser({ email: 'statistik@landau.example', password: PASSWORD, role: 'admin' });
  admin = await loginAs(t.app, 'statistik@landau.example', PASSWORD);
});
afterAll(async () => {
  await t.close();
});

describe('the statistics dashboard', () => {
  it('is for admins only: anonymous visitors are sent to the login, counselors get 403', async () => {
    const anonymous = await t.http.get('/admin/stats');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Fadmin%2Fstats');
    await t.http.get('/admin/stats/gaps.csv').expect(303);
    await t.services.accounts.createUser({ email: 'beratung@landau.example', password: PASSWORD, role: 'counselor' });
    const counselor = await loginAs(t.app, 'beratung@landau.example', PASSWORD);
    expect((await counselor.agent.get('/admin/stats')).status).toBe(403);
  });

  it('shows every chart with a summary sentence, bars and a table holding the numbers, without any script', async () => {
    const res = await admin.agent.get('/admin/stats');
    expectPageBasics(res, 'de');
    const $ = cheerio.load(res.text);
    expect($('script[src]').length).toBe(0);
    expect($('figure.stats-chart').length).toBe(12);
    $('figure.stats-chart').each((_i, figure) => {
      expect($(figure).find('figcaption').text().trim()).not.toBe('');
      expect($(figure).find('table').length).toBe(1);
      expect($(figure).find('a[download]').attr('href')).toMatch(/^\/admin\/stats\/[a-z-]+\.csv$/);
    });
    const row = (chart: string, label: string) =>
      $(`table[data-chart="${chart}"] tbody tr`)
        .filter((_i, tr) => $(tr).find('th').text().trim() === label)
        .find('td')
        .map((_i, td) => Number($(td).attr('data-value')))
        .get();
    expect(row('supply-levels', 'A1')).toEqual([1]);
    expect(row('supply-levels', 'B1')).toEqual([1]);
    expect(row('supply-child-ages', text('de', 'stats:ageBucket.0-11'))).toEqual([1]);
    expect(row('demand-months', '2027-03')).toEqual([3, 2, 0, 2]);
    expect(row('demand-languages', 'Arabisch')).toEqual([1]);
    expect($('table[data-chart="gaps"] tbody tr').length).toBe(1);
    expect($('table[data-chart="gaps"] tbody th').text()).toBe('Kinderbetreuung für unter 1 Jahr, Vormittag, Gebiet 768, A1');
    expect(row('gaps', 'Kinderbetreuung für unter 1 Jahr, Vormittag, Gebiet 768, A1')).toEqual([2]);
    expect($('#chart-gaps figcaption').text()).toBe('Am häufigsten ohne Ergebnis: Kinderbetreuung für unter 1 Jahr, Vormittag, Gebiet 768, A1 (2 Suchen).');
    expect($('#chart-supply-features figcaption').text()).toContain('50 % der Kurse haben Kinderbetreuung');
    // bars are drawn from the same numbers: A1 and B1 each fill the whole width of the levels chart
    expect($('#chart-supply-levels rect[width="100"]').length).toBe(2);
  });

  it('counts courses and searches in the summaries with each language\'s plural (2 courses, 3 searches)', async () => {
    const caption = async (lang: string, chart: string) => cheerio.load((await admin.agent.get(`/admin/stats?lang=${lang}`)).text)(`#chart-${chart} figcaption`).text();
    expect(await caption('de', 'supply-types')).toBe('Es gibt 2 veröffentlichte Kurse.');
    expect(await caption('de', 'supply-levels')).toBe('So verteilen sich die 2 Kurse auf die Niveaus.');
    expect(await caption('de', 'demand-months')).toMatch(/^3 Suchen: /);
    expect(await caption('en', 'demand-filters')).toBe('Which filters the 3 searches used (a search may use several).');
    expect(await caption('ar', 'supply-types')).toBe('توجد دورتان منشورتان.');
    expect(await caption('ru', 'supply-types')).toBe('Опубликовано 2 курса.');
    expect(await caption('uk', 'demand-months')).toMatch(/^3 пошуки\. /);
    await admin.agent.get('/admin/stats?lang=de'); // the agent keeps the language cookie; later tests read German
  });

  it('draws the bars from the right in Arabic', async () => {
    const res = await admin.agent.get('/admin/stats?lang=ar');
    expectPageBasics(res, 'ar');
    const $ = cheerio.load(res.text);
    const widths = $('#chart-supply-levels rect').map((_i, r) => [[Number($(r).attr('x')), Number($(r).attr('width'))]]).get() as Array<[number, number]>;
    expect(widths.filter(([, w]) => w > 0).every(([x, w]) => x + w === 100)).toBe(true);
  });

  it('downloads every chart as CSV with the same numbers, and cells that a spreadsheet would run as formulas defused', async () => {
    const res = await admin.agent.get('/admin/stats/freshness.csv?lang=de');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="freshness.csv"');
    const rows = parse(res.text) as string[][];
    expect(rows).toEqual([
      ['Anbieter', 'Kurse', 'bestätigt (90 Tage)', 'Prozent'],
      ["'=HYPERLINK(\"http://evil.example\") Schule", '2', '2', '100'],
    ]);
    const months = parse((await admin.agent.get('/admin/stats/demand-months.csv?lang=en')).text) as string[][];
    expect(months).toEqual([
      ['Month', 'Searches', 'with childcare', 'women only', 'without a result'],
      ['2027-03', '3', '2', '0', '2'],
    ]);
    expect((await admin.agent.get('/admin/stats/nonsense.csv')).status).toBe(404);
  });

  it('has a public summary page only when the city enables it', async () => {
    await t.http.get('/statistics').expect(404);
    const enabled = await createTestApp('statspublic', { env: { STATS_PUBLIC: 'true' } });
    try {
      const res = await enabled.http.get('/statistics');
      expectPageBasics(res, 'de');
      const $ = cheerio.load(res.text);
      expect($('figure.stats-chart').length).toBe(7);
      expect($('#chart-freshness').length).toBe(0);
      await enabled.http.get('/statistics/goal.csv').expect(200);
      await enabled.http.get('/statistics/freshness.csv').expect(404);
    } finally {
      await enabled.close();
    }
  });
});

describe('the demo statistics', () => {
  it('span six months of plausible, anonymous searches', () => {
    const events = demoSearchEvents(NOW);
    const months = new Set(events.map((e) => e.hour.toISOString().slice(0, 7)));
    expect(months.size).toBeGreaterThanOrEqual(6);
    expect(events.length).toBeGreaterThan(1000);
    expect(events.every((e) => e.hour <= NOW && e.hour.getUTCMinutes() === 0)).toBe(true);
    const childcare = events.filter((e) => e.childcare).length / events.length;
    expect(childcare).toBeGreaterThan(0.15);
    expect(childcare).toBeLessThan(0.45);
  });
});
