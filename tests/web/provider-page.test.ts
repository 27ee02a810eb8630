import { aCourse, aProvider, aVenue, givenProvider, loginAs, type Session } from '../support/builders';
import { escaped, expectPageBasics, text } from '../support/pages';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let provider: Session;
let providerId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp('providerpage');
  providerId = await givenProvider(
    t,
    aProvider({
      name: 'Internationaler Bund Landau (Test)',
      description: { de: 'Wir bieten Deutschkurse seit 1990.', en: 'We have run German courses since 1990.' },
      contact: { email: 'ib@test.example', phone: '06341 987', website: 'https://ib.test.example/' },
      bamfApprovalNumber: '5-12345',
      staffLanguages: ['ar', 'tr', 'uk'],
      venues: [aVenue(), aVenue({ name: 'Bürgerhaus Süd', street: 'Südring 4', accessibility: { stepFree: false } })],
    }),
  );
  provider = await loginAs(t, 'provider', providerId);
  for (const [name, body] of Object.entries({
    later: aCourse({ title: { de: 'Abendkurs B1' }, startDate: '2027-05-03', endDate: '2027-09-30', days: ['mon'], start: '18:00', end: '20:00', childcare: { available: true, minAgeMonths: 36 } }),
    sooner: aCourse({ title: { de: 'Integrationskurs A1', ar: 'دورة الاندماج A1' }, startDate: '2027-02-01' }),
    draft: aCourse({ title: { de: 'Entwurf' }, status: 'draft' }),
  })) {
    const res = await t.http.post('/api/v1/courses').set(provider.auth).send(body);
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    ids[name] = res.body.id as string;
  }
});
afterAll(async () => {
  await t.close();
});

describe('the provider page', () => {
  it('shows in German who they are, how to reach them, their places, languages and published courses', async () => {
    const res = await t.http.get(`/providers/${providerId}`).query({ lang: 'de' });
    expectPageBasics(res, 'de');
    const html = res.text;
    expect(html).toContain('<h1>Internationaler Bund Landau (Test)</h1>');
    expect(html).toMatch(/<div class="detail-description">\s*<p>Wir bieten Deutschkurse seit 1990.<\/p>/);
    expect(html).toContain('href="mailto:ib@test.example"');
    expect(html).toContain('href="tel:06341987"');
    expect(html).toContain(escaped(text('de', 'provider:bamf', { number: '5-12345' })));
    // Staff languages named in the reader's language
    expect(html).toMatch(/<ul class="language-list">\s*<li>Arabisch<\/li>\s*<li>Türkisch<\/li>\s*<li>Ukrainisch<\/li>/);
    expect(html).toContain('Bürgerhaus Süd');
    expect(html).toContain(text('de', 'course:where.notStepFree'));
    // The same published courses as the API, as result cards, soonest first; no draft
    const api = await t.http.get(`/api/v1/providers/${providerId}`);
    const apiIds = (api.body.courses as Array<{ id: string }>).map((course) => course.id);
    const cardIds = [...html.matchAll(/data-course-id="([a-f0-9]{24})"/g)].map((m) => m[1]);
    expect(cardIds).toEqual(apiIds);
    expect(cardIds).toEqual([ids.sooner, ids.later]);
    expect(html).not.toContain('Entwurf');
    expect(html).toContain(`<a href="/courses/${ids.later}">Abendkurs B1</a>`);
    expect(html).toContain(text('de', 'provider:courses.heading', { count: 2 }));
    expect(html).toMatch(/<link rel="canonical" href="http:\/\/127\.0\.0\.1:\d+\/providers\/[a-f0-9]{24}">/);
  });

  it('in Arabic: right to left, texts in Arabic where written, German marked lang="de", languages named in Arabic', async () => {
    const res = await t.http.get(`/providers/${providerId}`).query({ lang: 'ar' });
    expectPageBasics(res, 'ar');
    const html = res.text;
    // The description exists in German and English only: German is shown, marked.
    expect(html).toMatch(/<div class="detail-description" lang="de" dir="auto">\s*<p>Wir bieten Deutschkurse seit 1990.<\/p>/);
    expect(html).toContain(`<a href="/courses/${ids.sooner}?lang=ar">دورة الاندماج A1</a>`);
    expect(html).toContain(`<a href="/courses/${ids.later}?lang=ar" lang="de" dir="auto">Abendkurs B1</a>`);
    expect(html).toContain(new Intl.DisplayNames(['ar'], { type: 'language' }).of('tr'));
    expect(html).toContain(escaped(text('ar', 'common:enum.type.integration_general')));
    expect(html).toContain(escaped(text('ar', 'provider:languages.heading')));
  });

  it('shows the English description to English readers', async () => {
    const html = (await t.http.get(`/providers/${providerId}`).query({ lang: 'en' })).text;
    expect(html).toMatch(/<div class="detail-description">\s*<p>We have run German courses since 1990.<\/p>/);
  });

  it('unknown and invalid ids are the friendly 404 page in the reader\'s language', async () => {
    for (const path of ['/providers/0123456789abcdef01234567', '/providers/nope']) {
      for (const lang of ['de', 'ar'] as const) {
        const res = await t.http.get(path).query({ lang });
        expectPageBasics(res, lang, 404);
        expect(res.text).toContain(`<h1>${escaped(text(lang, 'errors.notFound.title'))}</h1>`);
      }
    }
  });
});
