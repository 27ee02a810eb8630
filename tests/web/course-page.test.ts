import { courseModel } from '../../src/courses/course.model';
import { aCourse, aProvider, aVenue, givenProvider, loginAs, type Session } from '../support/builders';
import { escaped, expectPageBasics, jsonLdBlocks, scriptTags, text } from '../support/pages';
import { createTestApp, type TestApp } from '../support/test-app';

// Friday 26 March 2027, 13:00 in Landau; daylight saving time starts on Sunday the 28th.
const NOW = new Date('2027-03-26T12:00:00Z');

let t: TestApp;
let provider: Session;
let providerId: string;

beforeAll(async () => {
  t = await createTestApp('coursepage', { clock: { now: () => NOW } });
  providerId = await givenProvider(t, aProvider({ name: 'Volkshochschule Landau (Test)', contact: { email: 'vhs@test.example', phone: '06341 123-45', website: 'https://vhs.test.example/' } }));
  provider = await loginAs(t, 'provider', providerId);
});
afterAll(async () => {
  await t.close();
});

async function create(body: object): Promise<string> {
  const res = await t.http.post('/api/v1/courses').set(provider.auth).send(body);
  if (res.status !== 201) throw new Error(`create → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

type Json = Record<string, unknown>;
function courseJsonLd(html: string): Json {
  const blocks = jsonLdBlocks(html) as Json[];
  expect(blocks).toHaveLength(1);
  return blocks[0] as Json;
}

describe('the course page', () => {
  const germanOnly = () =>
    aCourse({
      title: { de: 'Deutsch für Mütter am Vormittag' },
      description: { de: 'Wir lernen Deutsch für Kita, Schule und Arzt.' },
      type: 'integration_parents',
      level: 'A1',
      targetLevel: 'B1',
      exam: 'DTZ',
      venue: aVenue({ accessibility: { stepFree: true, note: 'Aufzug am Hintereingang' }, transitNote: 'Bus 531, Haltestelle Marktplatz' }),
      childcare: { available: true, minAgeMonths: 12, maxAgeMonths: 72, places: 8, onSite: true, note: 'Bitte Windeln mitbringen' },
      womenOnly: true,
      cost: { free: false, pricePerLessonEur: 2.29, note: 'Mit Berechtigungsschein kostenlos' },
      seats: { capacity: 16, available: 3, waitlist: 2 },
      registration: { contact: 'Frau Yilmaz', email: 'anmeldung@test.example', phone: '06341 555', deadline: '2027-04-15', note: { de: 'Bitte den Aufenthaltstitel mitbringen.' } },
      lessonsPerWeek: 10,
    });

  it('shows in German everything needed to decide and register', async () => {
    const id = await create(germanOnly());
    const res = await t.http.get(`/courses/${id}`).set('Accept-Language', 'de');
    expectPageBasics(res, 'de');
    const html = res.text;
    expect(html).toMatch(/<h1>Deutsch für Mütter am Vormittag<\/h1>/);
    expect(html).toContain(text('de', 'common:enum.type.integration_parents'));
    expect(html).toContain(escaped(text('de', 'course:levelRange', { level: 'A1', target: 'B1' })));
    expect(html).toContain(escaped(text('de', 'course:exam', { exam: 'DTZ' })));
    expect(html).toContain(text('de', 'course:womenOnly'));
    // Meeting times, childcare, cost, seats, registration and the provider, each from the data
    expect(html).toContain('Di und Do 09:00–12:00');
    expect(html).toContain('Di., 30. März 2027, 09:00–12:00 Uhr');
    expect(html).toContain('Aufzug am Hintereingang');
    expect(html).toContain('Bus 531, Haltestelle Marktplatz');
    expect(html).toContain(escaped(text('de', 'course:childcare.yes', { ages: text('de', 'common:childcare.agesBetween', { min: '12 Monate', max: '6 Jahre' }) })));
    expect(html).toContain(text('de', 'course:childcare.places', { count: 8 }));
    expect(html).toContain('Bitte Windeln mitbringen');
    expect(html).toContain('2,29\u00a0€');
    expect(html).toContain(text('de', 'course:seats.free', { count: 3 }));
    expect(html).toContain(text('de', 'course:seats.waitlist', { count: 2 }));
    expect(html).toContain('href="mailto:anmeldung@test.example"');
    expect(html).toContain('href="tel:06341555"');
    expect(html).toContain(text('de', 'course:register.deadline', { date: '15. Apr. 2027' }));
    expect(html).toContain('Bitte den Aufenthaltstitel mitbringen.');
    expect(html).toContain(`<a href="/providers/${providerId}">Volkshochschule Landau (Test)</a>`);
    expect(html).toContain('href="https://vhs.test.example/"');
    expect(html).toContain(text('de', 'course:confirmed', { ago: 'heute' }));
    // Calendar file, print view, share, canonical address
    expect(html).toContain(`href="/api/v1/courses/${id}.ics"`);
    expect(html).toContain(`href="/courses/${id}/print"`);
    expect(html).toMatch(new RegExp(`<button type="button" class="button" hidden data-share data-share-title="Deutsch für Mütter am Vormittag" data-share-url="http://127\\.0\\.0\\.1:\\d+/courses/${id}"`));
    expect(html).toMatch(new RegExp(`<input type="text" id="share-url" readonly value="http://127\\.0\\.0\\.1:\\d+/courses/${id}"`));
    expect(html).toMatch(new RegExp(`<link rel="canonical" href="http://127\\.0\\.0\\.1:\\d+/courses/${id}">`));
  });

  it('lists the next session dates in the course time zone, across the change to summer time', async () => {
    const id = await create(aCourse({ days: ['tue', 'thu'], start: '09:00', end: '12:00', startDate: '2027-01-11', endDate: '2027-07-30' }));
    const html = (await t.http.get(`/courses/${id}`).query({ lang: 'en' })).text;
    const dates = [...html.matchAll(/<time datetime="([^"]+)">([^<]+)<\/time>/g)].map((m) => [m[1], m[2]]);
    // 09:00 in Landau is 07:00 UTC from 28 March on (CEST), 08:00 UTC before.
    expect(dates.map(([iso]) => iso)).toEqual(['2027-03-30T07:00:00.000Z', '2027-04-01T07:00:00.000Z', '2027-04-06T07:00:00.000Z', '2027-04-08T07:00:00.000Z', '2027-04-13T07:00:00.000Z']);
    expect(dates[0]?.[1]).toMatch(/^Tue, Mar 30, 2027, 9:00\sAM\s–\s12:00\sPM$/);
  });

  it('shows a course in another zone at its own wall-clock times, and a meeting under way', async () => {
    // Friday 26 March, 08:00–14:00 in New York (UTC-4 then): under way at 12:00 UTC; ends 30 March.
    const id = await create(aCourse({ days: ['fri'], start: '08:00', end: '14:00', startDate: '2027-03-01', endDate: '2027-03-30', schedule: { timezone: 'America/New_York', flexible: false, sessions: [{ day: 'fri', start: '08:00', end: '14:00' }] } }));
    const html = (await t.http.get(`/courses/${id}`).query({ lang: 'en' })).text;
    const dates = [...html.matchAll(/<time datetime="([^"]+)">([^<]+)<\/time>/g)].map((m) => m[1]);
    expect(dates).toEqual(['2027-03-26T12:00:00.000Z']);
    expect(html).toMatch(/Fri 08:00\sAM–02:00\sPM/);
    expect(html).toContain(escaped(text('en', 'course:when.timeZone', { zone: 'Eastern Time' })));
  });

  it('says when a course has no more dates', async () => {
    const id = await create(aCourse({ startDate: '2027-01-04', endDate: '2027-03-19' }));
    const html = (await t.http.get(`/courses/${id}`).query({ lang: 'en' })).text;
    expect(html).not.toContain('<time datetime=');
    expect(html).toContain(text('en', 'course:when.noMoreDates'));
  });

  it('in Arabic: right to left, types translated, the German-only texts marked lang="de"', async () => {
    const id = await create(germanOnly());
    const res = await t.http.get(`/courses/${id}`).query({ lang: 'ar' });
    expectPageBasics(res, 'ar');
    const html = res.text;
    expect(html).toMatch(/<h1 lang="de" dir="auto">Deutsch für Mütter am Vormittag<\/h1>/);
    expect(html).toMatch(/<div class="detail-description" lang="de" dir="auto">\s*<p>Wir lernen Deutsch für Kita, Schule und Arzt.<\/p>/);
    expect(html).toContain('<p lang="de" dir="auto">Bitte den Aufenthaltstitel mitbringen.</p>');
    // Enum values come from the Arabic files, never the provider's German
    expect(html).toContain(`<span>${escaped(text('ar', 'common:enum.type.integration_parents'))}</span>`);
    expect(html).not.toContain(text('de', 'common:enum.type.integration_parents'));
    expect(html).toContain(escaped(text('ar', 'course:childcare.heading')));
    expect(html).toContain(`href="/api/v1/courses/${id}.ics?lang=ar"`);
    expect(html).toContain(`href="/courses/${id}/print?lang=ar"`);
    expect(html).toContain(`href="/providers/${providerId}?lang=ar"`);
    expect(html).toMatch(new RegExp(`<link rel="canonical" href="http://127\\.0\\.0\\.1:\\d+/courses/${id}\\?lang=ar">`));
  });

  it('shows the English title when the provider wrote one, without a language mark', async () => {
    const id = await create(aCourse());
    const html = (await t.http.get(`/courses/${id}`).query({ lang: 'en' })).text;
    expect(html).toMatch(/<h1>Integration course A1<\/h1>/);
  });

  it('tells childcare from birth as "up to" an age, not "from 0 months"', async () => {
    const id = await create(aCourse({ childcare: { available: true, minAgeMonths: 0, maxAgeMonths: 36 } }));
    const html = (await t.http.get(`/courses/${id}`).query({ lang: 'de' })).text;
    expect(html).toContain(escaped(text('de', 'course:childcare.yes', { ages: text('de', 'common:childcare.agesUpTo', { max: '3 Jahre' }) })));
    expect(html).not.toContain('0 Monate');
  });

  it('marks a listing not confirmed for more than 90 days as possibly out of date', async () => {
    const id = await create(aCourse());
    await courseModel(t.services.deps.db).updateOne({ _id: id }, { $set: { lastConfirmedAt: new Date(NOW.getTime() - 120 * 86_400_000) } });
    const html = (await t.http.get(`/courses/${id}`).query({ lang: 'en' })).text;
    expect(html).toContain(`class="confirmed confirmed--stale"`);
    expect(html).toContain(escaped(text('en', 'course:stale', { ago: '120 days ago' })));
  });

  it('carries the map container and its button, hidden until the map script runs, for a course with a venue', async () => {
    const id = await create(aCourse());
    const html = (await t.http.get(`/courses/${id}`).query({ lang: 'de' })).text;
    expect(html).toMatch(/<div class="course-map" id="course-map" hidden data-course-map data-lat="49.1989" data-lng="8.1169" data-label="[^"]+"/);
    expect(html).toMatch(/<button type="button" class="button button--secondary" hidden data-course-map-toggle aria-controls="course-map" aria-expanded="false">/);
    expect(scriptTags(html).map((tag) => /src="([^"]+)"/.exec(tag.attributes)?.[1]).filter(Boolean)).toEqual(['/assets/js/share.js', '/assets/js/course-actions.js', '/assets/js/leaflet-loader.js', '/assets/js/course-map.js']);

    const online = await create(aCourse({ mode: 'online', venue: undefined }));
    const onlineHtml = (await t.http.get(`/courses/${online}`).query({ lang: 'de' })).text;
    expect(onlineHtml).not.toContain('data-course-map');
    expect(onlineHtml).toContain(text('de', 'course:where.onlineHint'));
  });
});

describe('the course JSON-LD', () => {
  it('is a schema.org Course with an on-site CourseInstance, its place and its weekly schedule', async () => {
    const id = await create(aCourse({ schedule: { timezone: 'Europe/Berlin', flexible: false, sessions: [{ day: 'tue', start: '09:00', end: '12:00' }, { day: 'thu', start: '09:00', end: '12:00' }, { day: 'fri', start: '17:30', end: '19:00' }] } }));
    const data = courseJsonLd((await t.http.get(`/courses/${id}`).query({ lang: 'ar' })).text);
    expect(data).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Course',
      name: 'Integrationskurs A1',
      description: 'Deutsch lernen für den Alltag.',
      inLanguage: 'de',
      educationalLevel: 'A1 – B1',
      provider: { '@type': 'Organization', name: 'Volkshochschule Landau (Test)', email: 'vhs@test.example', telephone: '06341 123-45' },
      offers: [{ '@type': 'Offer', price: 0, priceCurrency: 'EUR' }],
    });
    expect(String(data.url)).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/courses/${id}$`));
    expect(String((data.provider as Json).url)).toMatch(new RegExp(`/providers/${providerId}$`));
    const [instance] = data.hasCourseInstance as Json[];
    expect(instance).toEqual({
      '@type': 'CourseInstance',
      courseMode: 'onsite',
      startDate: '2027-01-11',
      endDate: '2027-07-30',
      inLanguage: 'de',
      location: {
        '@type': 'Place',
        name: 'Haus am Maulbeerbaum',
        address: { '@type': 'PostalAddress', streetAddress: 'Marktstraße 1', postalCode: '76829', addressLocality: 'Landau in der Pfalz', addressCountry: 'DE' },
        geo: { '@type': 'GeoCoordinates', latitude: 49.1989, longitude: 8.1169 },
      },
      courseSchedule: [
        { '@type': 'Schedule', byDay: ['https://schema.org/Tuesday', 'https://schema.org/Thursday'], startTime: '09:00', endTime: '12:00', repeatFrequency: 'P1W', startDate: '2027-01-11', endDate: '2027-07-30', scheduleTimezone: 'Europe/Berlin' },
        { '@type': 'Schedule', byDay: ['https://schema.org/Friday'], startTime: '17:30', endTime: '19:00', repeatFrequency: 'P1W', startDate: '2027-01-11', endDate: '2027-07-30', scheduleTimezone: 'Europe/Berlin' },
      ],
    });
  });

  it('an online course is courseMode online without a place; a hybrid one blended; a flexible one has no schedule', async () => {
    const online = courseJsonLd((await t.http.get(`/courses/${await create(aCourse({ mode: 'online', venue: undefined }))}`)).text);
    expect((online.hasCourseInstance as Json[])[0]).toMatchObject({ courseMode: 'online' });
    expect((online.hasCourseInstance as Json[])[0]).not.toHaveProperty('location');

    const hybrid = courseJsonLd((await t.http.get(`/courses/${await create(aCourse({ mode: 'hybrid' }))}`)).text);
    expect((hybrid.hasCourseInstance as Json[])[0]).toMatchObject({ courseMode: 'blended', location: { '@type': 'Place' } });

    const flexible = courseJsonLd((await t.http.get(`/courses/${await create(aCourse({ schedule: { timezone: 'Europe/Berlin', flexible: true, sessions: [] } }))}`)).text);
    expect((flexible.hasCourseInstance as Json[])[0]).not.toHaveProperty('courseSchedule');

    const paid = courseJsonLd((await t.http.get(`/courses/${await create(aCourse({ cost: { free: false, pricePerLessonEur: 2.29 } }))}`)).text);
    expect(paid.offers).toEqual([expect.objectContaining({ '@type': 'Offer', price: 2.29, priceCurrency: 'EUR' })]);
  });

  it('cannot be broken out of by a provider text: "<" is written as \\u003c', async () => {
    const id = await create(aCourse({ title: { de: 'Kurs </script><script>alert(1)</script>' }, description: { de: '<!-- x' } }));
    const html = (await t.http.get(`/courses/${id}`)).text;
    const block = scriptTags(html).find((tag) => tag.attributes.includes('ld+json'));
    expect(block?.body).not.toContain('<');
    expect(block?.body).toContain('\\u003c/script>');
    expect(courseJsonLd(html).name).toBe('Kurs </script><script>alert(1)</script>');
    expect(html).toContain('Kurs &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('the course print view', () => {
  it('is one page with the key facts and a QR code (SVG, no script) to the page', async () => {
    const id = await create(aCourse());
    for (const lang of ['de', 'ar'] as const) {
      const res = await t.http.get(`/courses/${id}/print`).query({ lang });
      expectPageBasics(res, lang);
      const svg = /<div class="print-qr__code" role="img" aria-label="[^"]+"><svg [^>]*>[\s\S]*?<\/svg>/.exec(res.text)?.[0];
      expect(svg).toBeDefined();
      expect(svg).toMatch(/<path [^>]*d="M[^"]+"/);
      expect(svg).not.toMatch(/script|\son\w+=/i);
      expect(res.text).toMatch(new RegExp(`<span dir="ltr" class="print-url">http://127\\.0\\.0\\.1:\\d+/courses/${id}${lang === 'de' ? '' : '\\?lang=ar'}</span>`));
      expect(res.text).toContain('class="page page--print"');
      expect(res.text).toContain(`<button type="button" class="button" hidden data-print>`);
      expect(scriptTags(res.text).map((tag) => /src="([^"]+)"/.exec(tag.attributes)?.[1])).toEqual(['/assets/js/print.js']);
    }
  });

  it('is not found for a draft', async () => {
    const id = await create(aCourse({ status: 'draft' }));
    expect((await t.http.get(`/courses/${id}/print`)).status).toBe(404);
  });
});

describe('courses nobody may see', () => {
  it('drafts, archived, unknown and invalid ids are the friendly 404 page in the reader\'s language', async () => {
    const draft = await create(aCourse({ status: 'draft' }));
    const archived = await create(aCourse());
    expect((await t.http.delete(`/api/v1/courses/${archived}`).set(provider.auth)).status).toBe(204);
    for (const path of [`/courses/${draft}`, `/courses/${archived}`, '/courses/0123456789abcdef01234567', '/courses/not-an-id', '/courses/%24where']) {
      for (const lang of ['de', 'ar'] as const) {
        const res = await t.http.get(path).query({ lang });
        expectPageBasics(res, lang, 404);
        expect(res.text).toContain(`<h1>${escaped(text(lang, 'errors.notFound.title'))}</h1>`);
        expect(res.text).not.toContain('Integrationskurs A1');
      }
    }
    // Its provider still sees the draft through the API; the public page never shows it.
    expect((await t.http.get(`/api/v1/courses/${draft}`).set(provider.auth)).status).toBe(200);
  });
});
