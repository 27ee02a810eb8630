import { load } from 'cheerio';
import type { Actor } from '../../src/accounts/actor';
import { aCourse, givenProvider, loginAs } from '../support/builders';
import { escaped, expectPageBasics, text } from '../support/pages';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let now = new Date('2027-01-04T09:00:00Z');
const clock = { now: () => now };
let counselor: Actor;
let courseIds: string[];
const LABEL = 'AZ-4711';
const NOTE = 'Mutter, sehr motiviert';

beforeAll(async () => {
  t = await createTestApp('handoutshare', { clock });
  const providerId = await givenProvider(t, { name: 'Volkshochschule Handout', contact: { email: 'vhs@test.example', phone: '+49 6341 12345' } });
  const provider = await loginAs(t, 'provider', providerId);
  const session = await loginAs(t, 'counselor');
  counselor = { userId: session.userId, role: 'counselor' };
  courseIds = [];
  for (const [title, childcare] of [['Deutsch mit Kind am Dienstag', { available: true, minAgeMonths: 6, maxAgeMonths: 36 }], ['Frauenkurs Donnerstag', { available: false }]] as const) {
    const res = await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse({ title: { de: title }, childcare, registration: { phone: '+49 6341 999', contact: 'Frau Keller' } }));
    courseIds.push((res.body as { id: string }).id);
  }
});
afterAll(() => t.close());

async function aSharedClient(lang: 'ar' | 'de' | 'fa' = 'ar') {
  const client = await t.services.clients.create(counselor, { label: LABEL, note: NOTE, level: 'A1', slots: ['tue-morning', 'thu-morning'], childAgesMonths: [12], womenOnly: 'preferred', maxDistanceKm: 10, onlinePossible: false, freeOnly: false, lang });
  await t.services.clients.setShortlist(counselor, client.id, [
    { courseId: courseIds[0] ?? '', note: 'Frau Keller anrufen, Dienstag ab 8 Uhr' },
    { courseId: courseIds[1] ?? '', note: '' },
  ]);
  const link = await t.services.clients.createShare(counselor, client.id);
  return { client, token: link.token };
}

describe('a shared handout (/s/:token)', () => {
  it('shows the shortlist in the client language, right to left for Arabic, with a QR code per course and the notes for the client', async () => {
    const { token } = await aSharedClient('ar');
    const res = await t.http.get(`/s/${token}`);
    expectPageBasics(res, 'ar');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-robots-tag']).toBe('noindex');
    expect(res.headers['cache-control']).toBe('private, no-store');
    const $ = load(res.text);
    const courses = $('.handout-course');
    expect(courses).toHaveLength(2);
    expect(courses.eq(0).text()).toContain('Deutsch mit Kind am Dienstag');
    expect(courses.eq(1).text()).toContain('Frauenkurs Donnerstag');
    expect(courses.eq(0).find('.print-qr svg')).toHaveLength(1);
    expect(courses.eq(1).find('.print-qr svg')).toHaveLength(1);
    expect(courses.eq(0).find('.handout-note').text()).toContain('Frau Keller anrufen, Dienstag ab 8 Uhr');
    expect(courses.eq(0).text()).toContain(text('ar', 'course:childcare.heading'));
    expect(courses.eq(0).text()).toContain('Volkshochschule Handout');
    expect(courses.eq(0).find('a[href^="tel:"]').length).toBeGreaterThan(0);
    expect(courses.eq(0).find('.print-url').first().text()).toMatch(new RegExp(`/courses/${courseIds[0]}\\?lang=ar$`));
  });

  it('never shows the profile label or the counselor note', async () => {
    for (const lang of ['ar', 'de'] as const) {
      const { token } = await aSharedClient(lang);
      const res = await t.http.get(`/s/${token}`);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(LABEL);
      expect(res.text).not.toContain(NOTE);
    }
  });

  it('lets the reader switch the language with ?lang=', async () => {
    const { token } = await aSharedClient('fa');
    expectPageBasics(await t.http.get(`/s/${token}`), 'fa');
    expectPageBasics(await t.http.get(`/s/${token}?lang=de`), 'de');
  });

  it('answers 410 once revoked or expired, and 404 for a token that was never issued or was replaced', async () => {
    const { client, token } = await aSharedClient('de');
    await t.services.clients.revokeShare(counselor, client.id);
    const revoked = await t.http.get(`/s/${token}`);
    expectPageBasics(revoked, 'de', 410);
    expect(revoked.text).toContain(text('de', 'counselor:share.goneTitle'));
    expect(revoked.text).not.toContain('Deutsch mit Kind');

    const second = await aSharedClient('de');
    const replacement = await t.services.clients.createShare(counselor, second.client.id);
    expect((await t.http.get(`/s/${second.token}`)).status).toBe(404);
    expect((await t.http.get(`/s/${replacement.token}`)).status).toBe(200);

    const start = now;
    now = new Date(start.getTime() + 31 * 86_400_000);
    expect((await t.http.get(`/s/${replacement.token}`)).status).toBe(410);
    now = start;

    expect((await t.http.get('/s/not-a-real-token-at-all-000000000000')).status).toBe(404);
  });

  it('says on the privacy page what is stored for counselors\u2019 clients and for how long', async () => {
    const res = await t.http.get('/privacy?lang=en');
    expect(res.status).toBe(200);
    expect(res.text).toContain(escaped(text('en', 'counselor:privacy.heading')));
    expect(res.text).toContain('180 days');
  });
});
