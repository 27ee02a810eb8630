import { load } from 'cheerio';
import type { ClientResponse } from '../../src/clients/client.schema';
import { clientModel } from '../../src/clients/client.models';
import { aCourse, givenProvider, loginAs as apiLoginAs } from '../support/builders';
import { expectPageBasics, text } from '../support/pages';
import { createTestApp, type TestApp } from '../support/test-app';
import { csrfTokenIn, webSessionAs, type WebSession } from '../support/web-session';

let t: TestApp;
let counselor: WebSession & { userId: string };
let other: WebSession & { userId: string };
let providerWeb: WebSession & { userId: string };
const courseIds: string[] = [];
const clients = () => clientModel(t.services.deps.db);

const FORM = {
  label: 'AZ-77',
  level: 'A1',
  slots: ['tue-morning', 'thu-morning'],
  childAgesMonths: ['12', '', ''],
  womenOnly: 'preferred',
  place: '76829',
  maxDistanceKm: '15',
  lang: 'ar',
  note: 'Nur vormittags, Kind 1 Jahr',
};

async function postForm(session: WebSession, path: string, form: Record<string, unknown>, formPage: string) {
  const page = await session.agent.get(formPage);
  return session.agent.post(path).type('form').send({ ...form, _csrf: csrfTokenIn(page.text) });
}

async function aClientOf(session: WebSession & { userId: string }, label = 'AZ-1'): Promise<ClientResponse> {
  return t.services.clients.create({ userId: session.userId, role: 'counselor' }, { label, note: 'geheim', level: 'A1', slots: ['tue-morning', 'thu-morning'], childAgesMonths: [12], womenOnly: 'no', maxDistanceKm: 25, onlinePossible: false, freeOnly: false, lang: 'ar' });
}

beforeAll(async () => {
  t = await createTestApp('counselorpages');
  const providerId = await givenProvider(t, { name: 'Sprachschule Seiten' });
  const provider = await apiLoginAs(t, 'provider', providerId);
  const base = { startDate: '2030-01-08', endDate: '2030-06-30' };
  const courses = [
    aCourse({ ...base, title: { de: 'A1 Dienstag Donnerstag mit Kind' }, childcare: { available: true, minAgeMonths: 6, maxAgeMonths: 36 } }),
    aCourse({ ...base, title: { de: 'A1 Dienstag mit Kinderbetreuung' }, days: ['tue'], childcare: { available: true, minAgeMonths: 0, maxAgeMonths: 48 } }),
    aCourse({ ...base, title: { de: 'A1 Mittwoch mit Kind' }, days: ['wed'], childcare: { available: true, minAgeMonths: 6, maxAgeMonths: 36 } }),
    aCourse({ ...base, title: { de: 'A1 ohne Kinderbetreuung' }, childcare: { available: false } }),
  ];
  for (const course of courses) courseIds.push(((await t.http.post('/api/v1/courses').set(provider.auth).send(course)).body as { id: string }).id);
  await t.settle();
  [counselor, other, providerWeb] = await Promise.all([webSessionAs(t, 'counselor'), webSessionAs(t, 'counselor'), webSessionAs(t, 'provider', providerId)]);
});
afterAll(() => t.close());

describe('the counselor workspace', () => {
  it('creates a profile from the form and goes to its matches, with reasons and near-misses grouped by the failed constraint', async () => {
    const res = await postForm(counselor, '/counselor/clients', FORM, '/counselor/clients/new');
    expect(res.status).toBe(303);
    const stored = await clients().findOne({ ownerId: counselor.userId, label: 'AZ-77' }).lean();
    expect(stored?.profile).toMatchObject({ level: 'A1', slots: ['tue-morning', 'thu-morning'], childAgesMonths: [12], womenOnly: 'preferred', location: { postcode: '76829' }, maxDistanceKm: 15, lang: 'ar' });
    expect(res.headers.location).toBe(`/counselor/clients/${stored?._id.toString()}/matches`);

    const page = await counselor.agent.get(res.headers.location as string);
    expectPageBasics(page, 'de');
    const $ = load(page.text);
    const matched = $('.match-list').first().find('[data-match-id]').map((_, el) => $(el).attr('data-match-id')).get();
    expect(matched.sort()).toEqual([courseIds[0], courseIds[1]].sort());
    expect($(`[data-match-id="${courseIds[0]}"] [data-reason]`).length).toBeGreaterThan(0);
    expect($('[data-failed-group="schedule"] [data-match-id]').map((_, el) => $(el).attr('data-match-id')).get()).toEqual([courseIds[2]]);
    expect($('[data-failed-group="childcare"] [data-match-id]').map((_, el) => $(el).attr('data-match-id')).get()).toEqual([courseIds[3]]);
    expect($(`[data-match-id="${courseIds[0]}"] form input[name="_csrf"]`)).toHaveLength(1);
  });

  it('keeps everything typed and shows the error beside each wrong field', async () => {
    const res = await postForm(counselor, '/counselor/clients', { ...FORM, label: 'A'.repeat(30), childAgesMonths: ['zwölf'], place: 'Nirgendwo am See', startBy: '2001-01-01' }, '/counselor/clients/new');
    expect(res.status).toBe(400);
    const $ = load(res.text);
    expect($('.error-summary a').map((_, el) => $(el).attr('href')).get()).toEqual(['#label', '#child-1', '#place']);
    expect($('#label-error').text()).toBe(text('de', 'counselor:form.errors.label', { max: 20 }));
    expect($('#label').val()).toBe('A'.repeat(30));
    expect($('#place').val()).toBe('Nirgendwo am See');
    expect($('#child-1').val()).toBe('zwölf');
    expect($('#note').text()).toBe(FORM.note);
    expect($('input[name="slots"][value="tue-morning"]').attr('checked')).toBeDefined();
    expect($('#women-preferred').attr('checked')).toBeDefined();

    const past = await postForm(counselor, '/counselor/clients', { ...FORM, startBy: '2001-01-01' }, '/counselor/clients/new');
    expect(past.status).toBe(400);
    expect(load(past.text)('#startBy-error').text()).toBe(text('de', 'counselor:form.errors.startBy'));
  });

  it('orders the shortlist with up/down buttons, keeps a note per course, and the handout follows', async () => {
    const client = await aClientOf(counselor);
    const path = `/counselor/clients/${client.id}`;
    for (const courseId of [courseIds[0], courseIds[1]]) {
      const res = await postForm(counselor, `${path}/shortlist`, { action: 'add', courseId, back: `${path}/matches` }, path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${path}/matches?done=added`);
    }
    await postForm(counselor, `${path}/shortlist`, { action: 'down', courseId: courseIds[0] }, path);
    await postForm(counselor, `${path}/shortlist`, { action: 'note', courseId: courseIds[0], note: 'Frau Keller fragen' }, path);
    const page = await counselor.agent.get(path);
    const $ = load(page.text);
    expect($('.shortlist__item').map((_, el) => $(el).attr('data-course-id')).get()).toEqual([courseIds[1], courseIds[0]]);
    expect($('.shortlist__item').eq(1).find('textarea').text()).toBe('Frau Keller fragen');

    const handout = await counselor.agent.get(`${path}/handout`);
    expectPageBasics(handout, 'ar');
    const h = load(handout.text);
    expect(h('.handout-course h2').map((_, el) => h(el).text()).get().join('|')).toMatch(/Dienstag mit Kinderbetreuung.*\|.*Donnerstag mit Kind/);
    expect(handout.text).toContain('Frau Keller fragen');
    expect(handout.text).not.toContain('AZ-1');
    expect(handout.text).not.toContain('geheim');
  });

  it('creates a share link shown once, revokes it, and deletes the profile now', async () => {
    const client = await aClientOf(counselor, 'AZ-SHARE');
    const path = `/counselor/clients/${client.id}`;
    const created = await postForm(counselor, `${path}/share`, {}, path);
    expect(created.status).toBe(201);
    const url = load(created.text)('#share-url').val() as string;
    expect(url).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
    const token = url.split('/s/')[1] ?? '';
    expect((await t.http.get(`/s/${token}`)).status).toBe(200);
    expect((await postForm(counselor, `${path}/share/revoke`, {}, path)).status).toBe(303);
    expect((await t.http.get(`/s/${token}`)).status).toBe(410);
    const deleted = await postForm(counselor, `${path}/delete`, {}, path);
    expect(deleted.headers.location).toBe('/counselor/clients?done=deleted');
    expect(await clients().findById(client.id).lean()).toBeNull();
  });

  it('adds a course to a client from the public course page', async () => {
    const client = await aClientOf(counselor, 'AZ-COURSE');
    const page = await counselor.agent.get(`/courses/${courseIds[3]}`);
    const $ = load(page.text);
    const form = $('form[action="/counselor/shortlist"]');
    expect(form.find(`option[value="${client.id}"]`).text()).toContain('AZ-COURSE');
    const res = await counselor.agent.post('/counselor/shortlist').type('form').send({ _csrf: form.find('input[name="_csrf"]').val(), clientId: client.id, courseId: courseIds[3] });
    expect(res.status).toBe(303);
    expect((await clients().findById(client.id).lean())?.shortlist.map((i) => i.courseId.toString())).toEqual([courseIds[3]]);
    // anonymous visitors and other roles see no such form
    expect(load((await t.http.get(`/courses/${courseIds[3]}`)).text)('form[action="/counselor/shortlist"]')).toHaveLength(0);
  });
});

describe('privacy of the counselor pages', () => {
  it('answers another counselor 404 on every page and form of a profile, and changes nothing', async () => {
    const client = await aClientOf(counselor, 'AZ-PRIV');
    const path = `/counselor/clients/${client.id}`;
    for (const sub of ['', '/edit', '/matches', '/handout']) expect([sub, (await other.agent.get(`${path}${sub}`)).status]).toEqual([sub, 404]);
    const token = await other.csrf('/counselor/clients');
    for (const [sub, form] of [['/edit', FORM], ['/shortlist', { action: 'add', courseId: courseIds[0] }], ['/share', {}], ['/share/revoke', {}], ['/delete', {}]] as const) {
      expect([sub, (await other.agent.post(`${path}${sub}`).type('form').send({ ...form, _csrf: token })).status]).toEqual([sub, 404]);
    }
    const res = await other.agent.post('/counselor/shortlist').type('form').send({ _csrf: token, clientId: client.id, courseId: courseIds[0] });
    expect(res.status).toBe(404);
    expect(await clients().findById(client.id).lean()).toMatchObject({ label: 'AZ-PRIV', shortlist: [] });
    expect((await other.agent.get('/counselor/clients')).text).not.toContain('AZ-PRIV');
  });

  it('heads the list "Meine Klientinnen und Klienten" and says after how many unused days a profile is deleted', async () => {
    const $ = load((await counselor.agent.get('/counselor/clients')).text);
    expect($('h1').text()).toBe('Meine Klientinnen und Klienten');
    expect($('.detail-muted').text()).toContain('Profile, die Sie 180 Tage nicht benutzen, werden automatisch gelöscht.');
  });

  it('sends anonymous visitors to the login and answers providers 403', async () => {
    const client = await aClientOf(counselor, 'AZ-ROLE');
    const anonymous = await t.http.get(`/counselor/clients/${client.id}`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/login\?next=/);
    expect((await providerWeb.agent.get(`/counselor/clients/${client.id}`)).status).toBe(403);
    expect((await providerWeb.agent.get('/counselor/clients')).status).toBe(403);
  });

  it('refuses a form without its _csrf token and changes nothing', async () => {
    const client = await aClientOf(counselor, 'AZ-CSRF');
    const res = await counselor.agent.post(`/counselor/clients/${client.id}/delete`).type('form').send({});
    expect(res.status).toBe(403);
    expect(await clients().findById(client.id).lean()).not.toBeNull();
  });
});
