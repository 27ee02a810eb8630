/**
 * The website's start and results pages (api.md → Website): language and direction, the same courses in the same
 * order as GET /api/v1/courses, facets, chips, "what would help" when nothing fits, and friendly 400 and 404 pages.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load, type CheerioAPI } from 'cheerio';
import { LOCALES_DIR } from '../../src/i18n/i18n';
import { aCourse, aVenue, givenProvider, LANDAU, loginAs } from '../support/builders';
import { arrangeCourses, variedCourses } from '../support/search-helpers';
import { createTestApp, type TestApp } from '../support/test-app';

const PROVIDER = 'Volkshochschule Landau';
let t: TestApp;

const berlin = (day: 'tue' | 'thu' | 'sat', start: string, end: string) => ({ timezone: 'Europe/Berlin', flexible: false, sessions: [{ day, start, end }] });

beforeAll(async () => {
  t = await createTestApp('searchpages');
  const providerId = await givenProvider(t, { name: PROVIDER });
  const provider = await loginAs(t, 'provider', providerId);
  await arrangeCourses(t, provider, PROVIDER, [
    aCourse({ title: { de: 'Frauenkurs am Dienstagmorgen', ar: 'دورة للنساء صباح الثلاثاء' }, womenOnly: true, schedule: berlin('tue', '09:00', '12:00'), childcare: { available: true, minAgeMonths: 12, maxAgeMonths: 36 }, venue: aVenue({ ...LANDAU }) }),
    aCourse({ title: { de: 'Abendkurs Donnerstag' }, schedule: berlin('thu', '18:00', '20:30'), seats: { capacity: 12, available: 0, waitlist: 4 } }),
    aCourse({ title: { de: 'Samstagskurs' }, schedule: berlin('sat', '10:00', '13:00'), cost: { free: false, pricePerLessonEur: 3 } }),
    ...variedCourses(30, 2031, 'Vielfalt '),
  ]);
});

afterAll(async () => {
  await t?.close();
});

async function page(path: string, headers: Record<string, string> = {}): Promise<{ status: number; $: CheerioAPI; headers: Record<string, string> }> {
  const response = await t.http.get(path).set(headers);
  return { status: response.status, $: load(response.text), headers: response.headers as Record<string, string> };
}

const cardIds = ($: CheerioAPI) => $('[data-course-id]').map((_, el) => $(el).attr('data-course-id')).get();

describe('language and direction', () => {
  it.each([
    ['de', 'ltr'],
    ['en', 'ltr'],
    ['ar', 'rtl'],
    ['fa', 'rtl'],
    ['tr', 'ltr'],
    ['uk', 'ltr'],
    ['ru', 'ltr'],
  ])('renders the start page in %s with dir=%s, one main with an h1, and a viewport', async (lang, dir) => {
    const { status, $ } = await page(`/?lang=${lang}`);
    expect(status).toBe(200);
    expect($('html').attr('lang')).toBe(lang);
    expect($('html').attr('dir')).toBe(dir);
    expect($('main')).toHaveLength(1);
    expect($('main h1')).toHaveLength(1);
    expect($('meta[name=viewport]').attr('content')).toBe('width=device-width, initial-scale=1');
    expect($('form[action="/courses"][method="get"]')).toHaveLength(1);
  });

  it('takes the language from Accept-Language, then remembers a chosen one in a cookie that outranks it', async () => {
    expect((await page('/', { 'Accept-Language': 'ar-SY,ar;q=0.9,en;q=0.5' })).$('html').attr('lang')).toBe('ar');
    expect((await page('/', { 'Accept-Language': 'fr-FR, pt;q=0.8' })).$('html').attr('lang')).toBe('de');
    const chosen = await t.http.get('/?lang=uk');
    const cookie = String(chosen.headers['set-cookie']);
    expect(cookie).toMatch(/^lang=uk;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const later = await page('/courses', { Cookie: 'lang=uk', 'Accept-Language': 'ar' });
    expect(later.$('html').attr('lang')).toBe('uk');
    expect((await page('/courses?lang=tr', { Cookie: 'lang=uk' })).$('html').attr('lang')).toBe('tr');
  });

  it('offers every language, each named in itself, keeping the other parameters', async () => {
    const { $ } = await page('/courses?womenOnly=true&lang=de');
    const links = $('.language-switcher a').map((_, el) => ({ text: $(el).text(), href: $(el).attr('href'), lang: $(el).attr('lang') })).get();
    expect(links.map((link) => link.text)).toEqual(['Deutsch', 'English', 'العربية', 'فارسی', 'Українська', 'Русский', 'Türkçe']);
    expect(links.find((link) => link.lang === 'ar')?.href).toBe('/courses?womenOnly=true&lang=ar');
  });

  it('shows enum values translated even where the provider wrote German only, and marks a German title lang="de"', async () => {
    const { $ } = await page('/courses?q=Samstagskurs&lang=ar');
    const card = $('[data-course-id]').first();
    expect(card.find('.card__title a').attr('lang')).toBe('de');
    const hit = ((await t.http.get('/api/v1/courses?q=Samstagskurs')).body as { hits: Array<{ type: string }> }).hits[0];
    const arabic = JSON.parse(readFileSync(path.join(LOCALES_DIR, 'ar', 'common.json'), 'utf8')) as { enum: { type: Record<string, string> } };
    const german = JSON.parse(readFileSync(path.join(LOCALES_DIR, 'de', 'common.json'), 'utf8')) as { enum: { type: Record<string, string> } };
    expect(card.find('.card__kind').text()).toContain(arabic.enum.type[hit?.type ?? ''] ?? 'missing');
    expect(card.find('.card__kind').text()).not.toContain(german.enum.type[hit?.type ?? ''] ?? 'missing');
    const ownTitle = await page('/courses?womenOnly=true&lang=ar');
    const arabicCard = ownTitle.$('[data-course-id]').filter((_, el) => ownTitle.$(el).text().includes('دورة للنساء صباح الثلاثاء'));
    expect(arabicCard).toHaveLength(1);
    expect(arabicCard.find('.card__title a').attr('lang')).toBeUndefined();
  });
});

describe('results are the API results', () => {
  it.each([
    '',
    'level=A1&level=A2',
    'slots=tue-morning&slots=thu-evening',
    'childAgeMonths=14,30',
    'womenOnly=true',
    'postcode=76829&radiusKm=10&sort=distance',
    'place=Landau%20in%20der%20Pfalz&includeOnline=true',
    'sort=start&page=2&perPage=5',
    'q=Vielfalt&free=true',
    'mode=online&mode=hybrid&seats=available',
  ])('same ids in the same order and the same total for "%s"', async (query) => {
    const apiExact = await t.http.get(`/api/v1/courses?${query}`);
    const { status, $ } = await page(`/courses?${query}`);
    expect(status).toBe(200);
    expect(cardIds($)).toEqual((apiExact.body as { hits: Array<{ id: string }> }).hits.map((hit) => hit.id));
    expect(Number($('[data-total]').attr('data-total'))).toBe((apiExact.body as { total: number }).total);
  });

  it('links every card to its course page, and nothing else on the page carries data-course-id', async () => {
    const { $ } = await page('/courses?perPage=5');
    const cards = $('[data-course-id]');
    expect(cards).toHaveLength(5);
    cards.each((_, el) => {
      expect($(el).is('article')).toBe(true);
      expect($(el).find('a').first().attr('href')).toBe(`/courses/${$(el).attr('data-course-id')}`);
    });
  });

  it('shows on a card what matters at a glance: times, childcare ages, women-only, waiting list', async () => {
    const women = (await page('/courses?womenOnly=true&lang=de')).$;
    const card = women('[data-course-id]').filter((_, el) => women(el).text().includes('Frauenkurs am Dienstagmorgen'));
    expect(card.text()).toContain('Di 09:00–12:00');
    expect(card.text()).toContain('Kinderbetreuung: 12 Monate bis 3 Jahre alt');
    expect(card.text()).toContain('Nur für Frauen');
    const evening = (await page('/courses?q=Abendkurs&lang=de')).$;
    expect(evening('[data-course-id]').first().text()).toContain('Ausgebucht – 4 Personen auf der Warteliste');
  });

  it('counts facets disjunctively: a ticked level still shows the counts of the other levels', async () => {
    const api = (await t.http.get('/api/v1/courses?level=A1')).body as { facets: { level: Record<string, number> } };
    const { $ } = await page('/courses?level=A1&lang=en');
    for (const level of ['A1', 'A2', 'B1']) {
      expect($(`#f-level-${level}`).parent().find('.count').text()).toBe(`(${api.facets.level[level]})`);
    }
    expect($('#f-level-A1').attr('checked')).toBeDefined();
  });

  it('says in each cell of the week grid how many courses meet then, counted disjunctively like the API', async () => {
    const api = (await t.http.get('/api/v1/courses?slots=tue-morning&level=A1')).body as { total: number; facets: { slots: Record<string, number> } };
    const { $ } = await page('/courses?slots=tue-morning&level=A1&lang=en');
    const cells = $('.week-grid input[name=slots]')
      .map((_, el) => ({ slot: $(el).attr('value'), count: $(el).parent().find('.count').text(), checked: $(el).attr('checked') !== undefined }))
      .get();
    expect(cells).toHaveLength(21);
    for (const cell of cells) expect(cell.count).toBe(`(${api.facets.slots[cell.slot ?? ''] ?? 0})`);
    // Disjunctive: the ticked Tuesday morning does not hide the courses of the other times.
    expect(cells.filter((cell) => cell.count !== '(0)').length).toBeGreaterThan(1);
    expect(cells.find((cell) => cell.slot === 'tue-morning')).toMatchObject({ checked: true });
    // The count is part of the checkbox's label, after the cell's name.
    expect($('.week-grid input[value=thu-evening]').parent().text().replace(/\s+/g, ' ').trim()).toBe(`Thursday Evening (${api.facets.slots['thu-evening'] ?? 0})`);
    // The start page's grid asks before any search: no counts there.
    expect((await page('/?lang=en')).$('.week-grid .count')).toHaveLength(0);
  });

  it('shows each active filter as a chip whose link removes just that one', async () => {
    const { $ } = await page('/courses?slots=tue-morning&slots=thu-afternoon&womenOnly=true&page=2&lang=en');
    const chips = $('.chip:not(.chip--clear)').map((_, el) => ({ text: $(el).text(), href: $(el).attr('href') })).get();
    expect(chips.map((chip) => chip.href)).toEqual(['/courses?slots=thu-afternoon&womenOnly=true&lang=en', '/courses?slots=tue-morning&womenOnly=true&lang=en', '/courses?slots=tue-morning&slots=thu-afternoon&lang=en']);
    expect(chips[0]?.text).toContain('Tuesday Morning');
  });

  it('pages with links that keep the search', async () => {
    const { $ } = await page('/courses?perPage=5&level=A1&level=A2&level=B1&level=B2&level=C1&level=alpha&level=C2');
    expect($('a[rel=next]').attr('href')).toBe('/courses?level=A1&level=A2&level=B1&level=B2&level=C1&level=alpha&level=C2&page=2&perPage=5');
  });

  it('says why nothing fits and links the searches that would find something, with their counts', async () => {
    // The Saturday course is neither for women only nor free; without either filter it is found again.
    const { status, $ } = await page('/courses?q=Samstagskurs&womenOnly=true&free=true&lang=en');
    expect(status).toBe(200);
    expect($('[data-total]').attr('data-total')).toBe('0');
    const withoutWomen = (await t.http.get('/api/v1/courses?q=Samstagskurs&free=true')).body as { total: number };
    const withoutFree = (await t.http.get('/api/v1/courses?q=Samstagskurs&womenOnly=true')).body as { total: number };
    expect([withoutWomen.total, withoutFree.total]).toEqual([0, 0]);
    const both = await page('/courses?q=Samstagskurs&womenOnly=true&lang=en');
    expect(both.$('[data-total]').attr('data-total')).toBe('0');
    const links = both.$('.relaxations a').map((_, el) => ({ text: both.$(el).text(), href: both.$(el).attr('href') })).get();
    expect(links).toEqual([{ text: '1 course if you leave out “Women only”', href: '/courses?q=Samstagskurs&lang=en' }]);
    // When no single filter helps, the page says to try fewer choices.
    expect($('.relaxations')).toHaveLength(0);
    expect($('.no-results').text()).toContain('Try fewer choices');
  });

  it('when a schedule filter excludes everything, links the search without it, with the count the API gives', async () => {
    // The page counts no schedule facets; the totals without a schedule filter are asked for only when nothing fits.
    const { $ } = await page('/courses?q=Samstagskurs&days=mon&timeOfDay=morning&lang=en');
    expect($('[data-total]').attr('data-total')).toBe('0');
    const withoutDays = (await t.http.get('/api/v1/courses?q=Samstagskurs&timeOfDay=morning')).body as { total: number };
    expect(withoutDays.total).toBe(1);
    const links = $('.relaxations a').map((_, el) => ({ text: $(el).text(), href: $(el).attr('href') })).get();
    expect(links).toEqual([{ text: '1 course if you leave out “Monday”', href: '/courses?q=Samstagskurs&timeOfDay=morning&lang=en' }]);

    const grid = await page('/courses?q=Samstagskurs&slots=mon-morning&slots=sun-evening&lang=en');
    const gridLinks = grid.$('.relaxations a').map((_, el) => grid.$(el).text()).get();
    expect(gridLinks).toEqual(['1 course if you leave out “your 2 times in the week plan”']);
  });

  it('links the calendar feed of the same search', async () => {
    const { $ } = await page('/courses?womenOnly=true&page=2');
    const href = $('a[href^="/api/v1/courses.ics"]').attr('href');
    expect(href).toBe('/api/v1/courses.ics?womenOnly=true');
    const feed = await t.http.get(href ?? '');
    expect(feed.status).toBe(200);
    expect(feed.headers['content-type']).toMatch(/text\/calendar/);
  });

  it('turns five digits typed into the place field into a postcode search', async () => {
    const response = await t.http.get('/courses?place=76829&radiusKm=10');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/courses?radiusKm=10&postcode=76829');
  });

  it('lets a place typed into the filters replace an earlier "my location"', async () => {
    const response = await t.http.get('/courses?near=49.2,8.1&place=Landau+in+der+Pfalz&radiusKm=10');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/courses?place=Landau+in+der+Pfalz&radiusKm=10');
    expect((await t.http.get(response.headers.location ?? '')).status).toBe(200);
  });
});

describe('bad input and unknown pages', () => {
  it.each([
    ['level=Z9', 'level', 'Bitte wählen Sie eine Stufe aus der Liste.'],
    ['radiusKm=10', 'radiusKm', 'Bitte geben Sie an, wo Sie wohnen'],
    ['postcode=00000', 'postcode', 'Diese Postleitzahl kennen wir nicht.'],
    ['childAgeMonths=1,2,3,4,5,6,7', 'childAgeMonths', 'höchstens 6 Kinder'],
    ['page=abc', 'page', 'Diese Seite der Ergebnisse gibt es nicht.'],
  ])('answers %s with a 400 page naming the field, and the search form filled in', async (query, _param, message) => {
    const { status, $ } = await page(`/courses?${query}&womenOnly=true`);
    expect(status).toBe(400);
    expect($('html').attr('lang')).toBe('de');
    expect($('.error-summary').text()).toContain(message);
    expect($('form[action="/courses"]')).toHaveLength(1);
    expect($('#womenOnly').attr('checked')).toBeDefined();
  });

  it('answers in the page language', async () => {
    const { status, $ } = await page('/courses?radiusKm=10&lang=en');
    expect(status).toBe(400);
    expect($('.error-summary').text()).toContain('Please say where you live');
  });

  it('offers the places a short ambiguous name could mean', async () => {
    const { status, $ } = await page('/courses?place=Landau');
    expect(status).toBe(400);
    const choices = $('.place-choices a').map((_, el) => $(el).text()).get();
    // Nearest to the home region (Landau in der Pfalz by default) first.
    expect(choices[0]).toBe('Landau in der Pfalz');
    expect(choices).toContain('Landau an der Isar');
    const chosen = $('.place-choices a').filter((_, el) => $(el).text() === 'Landau in der Pfalz').attr('href');
    expect((await t.http.get(chosen ?? '')).status).toBe(200);
  });

  it('never answers a hostile query with a 500 or echoes markup', async () => {
    const response = await t.http.get('/courses?q=%3Cscript%3Ealert(1)%3C/script%3E&place=%3Cimg%20src=x%3E');
    expect(response.status).toBe(400);
    expect(response.text).not.toContain('<script>alert(1)');
    expect(response.text).not.toContain('<img src=x>');
  });

  it('shows a friendly 404 page in the reader\'s language', async () => {
    const { status, $ } = await page('/nothing-here?lang=en');
    expect(status).toBe(404);
    expect($('h1').text()).toBe('Page not found');
    expect($('html').attr('lang')).toBe('en');
  });

  it('keeps JSON errors under /api', async () => {
    const response = await t.http.get('/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: expect.objectContaining({ code: 'not_found' }) as unknown });
  });
});

describe('security headers', () => {
  it('sends a strict Content-Security-Policy: no inline scripts or styles', async () => {
    const response = await t.http.get('/');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toMatch(/style-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    const $ = load(response.text);
    expect($('script:not([src])')).toHaveLength(0);
    expect($('style')).toHaveLength(0);
    expect($('[style]')).toHaveLength(0);
  });

  it('compresses pages', async () => {
    const response = await t.http.get('/courses').set('Accept-Encoding', 'gzip');
    expect(response.headers['content-encoding']).toBe('gzip');
  });
});
