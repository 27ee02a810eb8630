import * as cheerio from 'cheerio';
import { Types } from 'mongoose';
import type { Actor } from '../../src/accounts/actor';
import { courseModel } from '../../src/courses/course.model';
import { createCourseBodySchema } from '../../src/courses/course.schema';
import { aCourse, aVenue, givenProvider, type CourseOverrides } from '../support/builders';
import { text } from '../support/pages';
import { createTestApp, type TestApp } from '../support/test-app';
import { webSessionAs, type WebSession } from '../support/web-session';

const now = new Date('2027-02-01T09:00:00Z');
let t: TestApp;
let providerA: string;
let providerB: string;
let sessionA: WebSession;
let sessionB: WebSession;
const admin: Actor = { userId: new Types.ObjectId().toString(), role: 'admin' };
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestApp('workspace', { clock: { now: () => now } });
  providerA = await givenProvider(t, { name: 'Volkshochschule Landau', venues: [aVenue(), aVenue({ name: 'Alte Post', street: 'Ostring 2' })] });
  providerB = await givenProvider(t, { name: 'Sprachschule Süd' });
  sessionA = await webSessionAs(t, 'provider', providerA);
  sessionB = await webSessionAs(t, 'provider', providerB);
});
afterAll(() => t.close());

/** A listing last confirmed `days` ago (the clock stays put: moving it would end the test's sessions). */
async function backdate(id: string, days: number) {
  await courseModel(t.services.deps.db).updateOne({ _id: id }, { $set: { lastConfirmedAt: new Date(now.getTime() - days * DAY) } });
}

async function givenCourse(providerId: string, overrides: CourseOverrides = {}) {
  return t.services.courses.create(admin, createCourseBodySchema.parse({ ...aCourse(overrides), providerId }));
}

/** The editor's form as a browser would send it back, read from the rendered page. */
function formFields(html: string, selector = 'form.course-editor'): Record<string, string> {
  const $ = cheerio.load(html);
  const fields: Record<string, string> = {};
  $(selector).find('input, select, textarea').each((_i, el) => {
    const name = $(el).attr('name');
    const type = $(el).attr('type');
    if (!name || type === 'submit') return;
    if (type === 'checkbox' || type === 'radio') {
      if ($(el).is('[checked]')) fields[name] = $(el).attr('value') ?? 'on';
      return;
    }
    if (el.tagName === 'select') fields[name] = $(el).find('option[selected]').attr('value') ?? $(el).find('option').first().attr('value') ?? '';
    else if (el.tagName === 'textarea') fields[name] = $(el).text();
    else fields[name] = $(el).attr('value') ?? '';
  });
  return fields;
}

describe('the dashboard', () => {
  it('shows only the organisation’s own courses, with status, seats and how long ago each was confirmed', async () => {
    const own = await givenCourse(providerA, { title: { de: 'Deutsch am Morgen' } });
    await givenCourse(providerB, { title: { de: 'Fremder Kurs' } });
    const page = await sessionA.agent.get('/provider');
    expect(page.status).toBe(200);
    const $ = cheerio.load(page.text);
    expect($(`#course-${own.id}`).text()).toContain('Deutsch am Morgen');
    expect(page.text).not.toContain('Fremder Kurs');
    expect($(`#available-${own.id}`).attr('value')).toBe('5');
    expect($(`#course-${own.id}`).text()).toContain(text('de', 'workspace:status.published'));
  });

  it('warns about listings older than 90 days, and "still current" confirms one course', async () => {
    const old = await givenCourse(providerA, { title: { de: 'Alter Kurs' } });
    await backdate(old.id, 100);
    const page = await sessionA.agent.get('/provider');
    expect(page.text).toContain(text('de', 'workspace:dashboard.staleWarning', { count: 90 }));
    expect(cheerio.load(page.text)(`#course-${old.id}`).hasClass('workspace-course--stale')).toBe(true);
    const res = await sessionA.post(`/provider/courses/${old.id}/confirm`);
    expect(res.status).toBe(303);
    const record = await t.services.courses.findRecord(old.id);
    expect(record.lastConfirmedAt.getTime()).toBe(now.getTime());
    const after = await sessionA.agent.get('/provider');
    expect(cheerio.load(after.text)(`#course-${old.id}`).hasClass('workspace-course--stale')).toBe(false);
  });

  it('confirms all courses at once', async () => {
    const one = await givenCourse(providerA);
    const two = await givenCourse(providerA);
    await backdate(one.id, 100);
    await backdate(two.id, 120);
    expect((await sessionA.post('/provider/confirm-all')).status).toBe(303);
    for (const id of [one.id, two.id]) expect((await t.services.courses.findRecord(id)).lastConfirmedAt.getTime()).toBe(now.getTime());
    const page = await sessionA.agent.get('/provider');
    expect(page.text).not.toContain(text('de', 'workspace:dashboard.staleWarning', { count: 90 }));
  });

  it('saves seats and waiting list in place, and a stale version shows the conflict and overwrites nothing', async () => {
    const course = await givenCourse(providerA);
    const saved = await sessionA.post(`/provider/courses/${course.id}/seats`, { available: '0', waitlist: '7', version: String(course.version) });
    expect(saved.status).toBe(303);
    const record = await t.services.courses.findRecord(course.id);
    expect(record.seats).toMatchObject({ available: 0, waitlist: 7, capacity: 20 });
    const stale = await sessionA.post(`/provider/courses/${course.id}/seats`, { available: '3', waitlist: '1', version: String(course.version) });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain(text('de', 'workspace:dashboard.seatsConflict'));
    expect((await t.services.courses.findRecord(course.id)).seats).toMatchObject({ available: 0, waitlist: 7 });
  });
});

describe('an administrator', () => {
  it('chooses a provider and works in its workspace; a stale seat form shows the conflict there', async () => {
    const course = await givenCourse(providerB, { title: { de: 'Kurs von B für die Verwaltung' } });
    const adminSession = await webSessionAs(t, 'admin');
    const chooser = await adminSession.agent.get('/provider');
    expect(cheerio.load(chooser.text)(`select[name="provider"] option[value="${providerB}"]`).length).toBe(1);
    const dash = await adminSession.agent.get(`/provider?provider=${providerB}`);
    expect(dash.text).toContain('Kurs von B für die Verwaltung');
    const token = /name="_csrf" value="([^"]+)"/.exec(dash.text)?.[1] ?? '';
    const stale = await adminSession.agent.post(`/provider/courses/${course.id}/seats`).type('form').send({ _csrf: token, available: '1', version: '99' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Kurs von B für die Verwaltung');
    expect(stale.text).toContain(text('de', 'workspace:dashboard.seatsConflict'));
  });
});

describe('another provider', () => {
  it('gets 403 or 404 on every page and form of A’s course, and A’s course stays as it was', async () => {
    const course = await givenCourse(providerA, { title: { de: 'Kurs von A' } });
    const before = await t.services.courses.findRecord(course.id);
    const get = await sessionB.agent.get(`/provider/courses/${course.id}/edit`);
    expect([403, 404]).toContain(get.status);
    expect(get.text).not.toContain('Kurs von A');
    for (const action of ['edit', 'seats', 'confirm', 'duplicate', 'publish', 'unpublish', 'archive']) {
      const res = await sessionB.post(`/provider/courses/${course.id}/${action}`, { version: String(course.version), available: '0', 'title[de]': 'Übernommen' });
      expect([403, 404]).toContain(res.status);
    }
    // (`search` is the sync worker's bookkeeping, which moves on its own.)
    const { search: _before, ...unchanged } = before;
    const { search: _after, ...now } = await t.services.courses.findRecord(course.id);
    expect(now).toEqual(unchanged);
    // B's own dashboard and an admin-style provider parameter never show A.
    const dash = await sessionB.agent.get(`/provider?provider=${providerA}`);
    expect(dash.text).not.toContain('Kurs von A');
  });
});

describe('the course editor', () => {
  it('creates and edits a course with every field, read back through the API', async () => {
    const newPage = await sessionA.agent.get('/provider/courses/new');
    expect(newPage.status).toBe(200);
    const form = {
      ...formFields(newPage.text),
      'title[de]': 'Elternkurs mit Kinderbetreuung', 'title[en]': 'Parents’ course', 'title[ar]': 'دورة الوالدين',
      'description[de]': 'Deutsch für Eltern.', 'description[tr]': 'Ebeveynler için Almanca.',
      type: 'integration_parents', level: 'A1', targetLevel: 'B1', exam: 'DTZ', mode: 'in_person', venue: 'v1',
      'sessions[0][day]': 'mon', 'sessions[0][start]': '09:00', 'sessions[0][end]': '12:00',
      'sessions[1][day]': 'wed', 'sessions[1][start]': '13:30', 'sessions[1][end]': '15:00',
      startDate: '2027-03-01', endDate: '2027-09-30', rollingEntry: '1', lessonsTotal: '700', lessonsPerWeek: '12', womenOnly: '1',
      'childcare[available]': '1', 'childcare[minAgeMonths]': '12', 'childcare[maxAgeMonths]': '72', 'childcare[places]': '8', 'childcare[onSite]': '1', 'childcare[note]': 'Im Erdgeschoss',
      'cost[pricePerLessonEur]': '2,20', 'cost[note]': 'Ermäßigung möglich',
      'seats[capacity]': '16', 'seats[available]': '4', 'seats[waitlist]': '2',
      'registration[url]': 'https://vhs.example/anmelden', 'registration[email]': 'anmeldung@vhs.example', 'registration[phone]': '06341 123',
      'registration[contact]': 'Frau Yilmaz', 'registration[deadline]': '2027-02-20', 'registration[note][de]': 'Bitte Pass mitbringen.',
      status: 'draft',
    };
    const created = await sessionA.post('/provider/courses/new', form);
    expect(created.status).toBe(303);
    const id = /\/provider\/courses\/([a-f0-9]{24})\/edit/.exec(created.headers.location ?? '')?.[1] ?? '';
    const api = await t.services.courses.getVisible({ userId: sessionA.email, role: 'provider', providerId: providerA }, id);
    expect(api).toMatchObject({
      title: { de: 'Elternkurs mit Kinderbetreuung', en: 'Parents’ course', ar: 'دورة الوالدين' },
      description: { de: 'Deutsch für Eltern.', tr: 'Ebeveynler için Almanca.' },
      type: 'integration_parents', level: 'A1', targetLevel: 'B1', exam: 'DTZ', mode: 'in_person',
      venue: { name: 'Alte Post', street: 'Ostring 2' },
      schedule: { timezone: 'Europe/Berlin', flexible: false, sessions: [{ day: 'mon', start: '09:00', end: '12:00' }, { day: 'wed', start: '13:30', end: '15:00' }] },
      startDate: '2027-03-01', endDate: '2027-09-30', rollingEntry: true, lessonsTotal: 700, lessonsPerWeek: 12, womenOnly: true,
      childcare: { available: true, minAgeMonths: 12, maxAgeMonths: 72, places: 8, onSite: true, note: 'Im Erdgeschoss' },
      cost: { free: false, pricePerLessonEur: 2.2, note: 'Ermäßigung möglich' },
      seats: { capacity: 16, available: 4, waitlist: 2 },
      registration: { url: 'https://vhs.example/anmelden', email: 'anmeldung@vhs.example', phone: '06341 123', contact: 'Frau Yilmaz', deadline: '2027-02-20', note: { de: 'Bitte Pass mitbringen.' } },
      status: 'draft',
    });
    // The editor shows it all again; changing fields and clearing others is read back the same way.
    const edit = await sessionA.agent.get(`/provider/courses/${id}/edit`);
    const again = formFields(edit.text);
    expect(again).toMatchObject({ 'title[ar]': 'دورة الوالدين', venue: 'v1', 'sessions[1][start]': '13:30', 'childcare[maxAgeMonths]': '72', 'cost[pricePerLessonEur]': '2.2', rollingEntry: '1' });
    const saved = await sessionA.post(`/provider/courses/${id}/edit`, {
      ...again, 'title[en]': '', 'sessions[1][day]': '', 'sessions[1][start]': '', 'sessions[1][end]': '', flexible: undefined,
      mode: 'online', 'cost[free]': '1', 'cost[pricePerLessonEur]': '', womenOnly: undefined, 'childcare[available]': undefined, status: 'published',
    });
    expect(saved.status).toBe(303);
    const read = await t.services.courses.getVisible(undefined, id);
    expect(read.title).toEqual({ de: 'Elternkurs mit Kinderbetreuung', ar: 'دورة الوالدين' });
    expect(read.schedule.sessions).toEqual([{ day: 'mon', start: '09:00', end: '12:00' }]);
    expect(read).toMatchObject({ mode: 'online', cost: { free: true, note: 'Ermäßigung möglich' }, womenOnly: false, childcare: { available: false }, status: 'published' });
    expect(read.venue).toBeUndefined();
    expect(read.cost.pricePerLessonEur).toBeUndefined();
  });

  it('shows each message beside its field in the reader’s language, with a summary, and keeps everything typed', async () => {
    // Its own session: the language choice is remembered in a cookie.
    const english = await webSessionAs(t, 'provider', providerA);
    const page = await english.agent.get('/provider/courses/new?lang=en');
    const form = { ...formFields(page.text), 'title[de]': '', 'title[en]': 'Only English', 'description[fa]': 'متن فارسی', level: 'B1', targetLevel: 'A2', startDate: '2027-05-01', endDate: '2027-04-01', 'seats[capacity]': '5', 'seats[available]': 'viele', 'registration[email]': 'keine-adresse', 'sessions[0][day]': 'tue', 'sessions[0][start]': '10:00', 'sessions[0][end]': '09:00' };
    const res = await english.post('/provider/courses/new', form);
    expect(res.status).toBe(400);
    const $ = cheerio.load(res.text);
    const beside = (id: string) => $(`#${id}-error`).text();
    expect(beside('title-de')).toBe(text('en', 'workspace:errors.germanRequired'));
    expect(beside('seats-available')).toBe(text('en', 'workspace:errors.notNumber'));
    expect(beside('registration-email')).toBe(text('en', 'workspace:errors.format.email'));
    expect(beside('sessions-0-end')).toBe(text('en', 'workspace:errors.endBeforeStartTime'));
    expect($('.error-summary a[href="#title-de"]').text()).toBe(text('en', 'workspace:errors.germanRequired'));
    expect($('.error-summary a[href="#seats-available"]').length).toBe(1);
    const kept = formFields(res.text);
    expect(kept).toMatchObject({ 'title[en]': 'Only English', 'description[fa]': 'متن فارسی', level: 'B1', 'seats[available]': 'viele', 'registration[email]': 'keine-adresse', 'sessions[0][end]': '09:00', startDate: '2027-05-01' });
    // The rules between fields are checked once every field on its own is right.
    const second = await english.post('/provider/courses/new', { ...kept, 'title[de]': 'Kurs', 'seats[available]': '9', 'registration[email]': 'a@b.example', 'sessions[0][end]': '11:00', venue: '' });
    const $2 = cheerio.load(second.text);
    expect(second.status).toBe(400);
    expect($2('#targetLevel-error').text()).toBe(text('en', 'workspace:errors.belowLevel'));
    expect($2('#endDate-error').text()).toBe(text('en', 'workspace:errors.endBeforeStart'));
    expect($2('#venue-error').text()).toBe(text('en', 'workspace:errors.venueRequired'));
    expect($2('#seats-available-error').text()).toBe(text('en', 'workspace:errors.aboveCapacity'));
    
  });

  it('adds more session rows without JavaScript, keeping what was typed', async () => {
    const page = await sessionA.agent.get('/provider/courses/new');
    const res = await sessionA.post('/provider/courses/new', { ...formFields(page.text), 'title[de]': 'Noch nicht fertig', 'sessions[0][day]': 'fri', addRows: '1' });
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($('select[name^="sessions["][name$="[day]"]').length).toBe(8);
    expect(formFields(res.text)).toMatchObject({ 'title[de]': 'Noch nicht fertig', 'sessions[0][day]': 'fri' });
  });

  it('never overwrites: a second editor sees both versions and chooses field by field', async () => {
    const course = await givenCourse(providerA, { title: { de: 'Abendkurs' }, lessonsTotal: 300 });
    const other = await webSessionAs(t, 'provider', providerA);
    const mineForm = formFields((await sessionA.agent.get(`/provider/courses/${course.id}/edit`)).text);
    const theirsForm = formFields((await other.agent.get(`/provider/courses/${course.id}/edit`)).text);
    expect((await other.post(`/provider/courses/${course.id}/edit`, { ...theirsForm, 'title[de]': 'Abendkurs (neu)', 'seats[available]': '1', lessonsTotal: '400' })).status).toBe(303);
    const conflict = await sessionA.post(`/provider/courses/${course.id}/edit`, { ...mineForm, 'title[de]': 'Abendkurs für Berufstätige', exam: 'DTZ', lessonsTotal: '350' });
    expect(conflict.status).toBe(409);
    const $ = cheerio.load(conflict.text);
    const row = (field: string) => $(`tr[data-field="${field}"]`);
    expect(row('title').text()).toContain('Abendkurs (neu)');
    expect(row('title').text()).toContain('Abendkurs für Berufstätige');
    expect(row('seats').length).toBe(1);
    expect(row('exam').length).toBe(1);
    expect((await t.services.courses.findRecord(course.id)).title).toEqual({ de: 'Abendkurs (neu)' });
    const resolve = formFields(conflict.text, 'form:has(input[name="resolve"])');
    const saved = await sessionA.post(`/provider/courses/${course.id}/edit`, { ...resolve, 'choice[title]': 'mine', 'choice[exam]': 'mine', 'choice[seats]': 'theirs', 'choice[lessonsTotal]': 'theirs' });
    expect(saved.status).toBe(303);
    const result = await t.services.courses.findRecord(course.id);
    expect(result).toMatchObject({ title: { de: 'Abendkurs für Berufstätige' }, exam: 'DTZ', lessonsTotal: 400, seats: { available: 1 } });
  });

  it('duplicates as a draft, publishes, takes back to draft and archives', async () => {
    const course = await givenCourse(providerA, { title: { de: 'Vorlage' } });
    const dup = await sessionA.post(`/provider/courses/${course.id}/duplicate`);
    expect(dup.status).toBe(303);
    const copyId = /courses\/([a-f0-9]{24})\/edit/.exec(dup.headers.location ?? '')?.[1] ?? '';
    expect(copyId).not.toBe(course.id);
    expect(await t.services.courses.findRecord(copyId)).toMatchObject({ title: { de: 'Vorlage' }, status: 'draft' });
    expect((await sessionA.post(`/provider/courses/${copyId}/publish`)).status).toBe(303);
    expect((await t.services.courses.findRecord(copyId)).status).toBe('published');
    expect((await sessionA.post(`/provider/courses/${copyId}/unpublish`)).status).toBe(303);
    expect((await t.services.courses.findRecord(copyId)).status).toBe('draft');
    expect((await sessionA.post(`/provider/courses/${copyId}/archive`)).status).toBe(303);
    expect((await t.services.courses.findRecord(copyId)).status).toBe('archived');
    const archivedList = await sessionA.agent.get('/provider?archived=1');
    expect(archivedList.text).toContain(`course-${copyId}`);
    expect((await sessionA.agent.get('/provider')).text).not.toContain(`course-${copyId}`);
  });
});

describe('the organisation profile', () => {
  it('saves texts, contact, languages and venues; empty coordinates come from the postcode', async () => {
    const page = await sessionA.agent.get('/provider/profile');
    expect(page.status).toBe(200);
    const form = formFields(page.text, 'form.profile-form');
    const res = await sessionA.post('/provider/profile', {
      ...form, 'description[de]': 'Wir sind die VHS.', 'description[uk]': 'Ми — народний університет.',
      'contact[email]': 'info@vhs.example', 'contact[phone]': '06341 999', 'contact[website]': 'https://vhs.example', staffLanguages: 'ar, tr, uk',
      'venues[1][remove]': '1',
      'venues[2][name]': 'Neues Haus', 'venues[2][street]': 'Weststraße 5', 'venues[2][postcode]': '76829', 'venues[2][city]': 'Landau in der Pfalz', 'venues[2][stepFree]': '1',
    });
    expect(res.status).toBe(303);
    const provider = await t.services.providers.getRecord(providerA);
    expect(provider.description).toEqual({ de: 'Wir sind die VHS.', uk: 'Ми — народний університет.' });
    expect(provider.contact).toEqual({ email: 'info@vhs.example', phone: '06341 999', website: 'https://vhs.example' });
    expect(provider.staffLanguages).toEqual(['ar', 'tr', 'uk']);
    expect(provider.venues.map((v) => v.name)).toEqual(['Haus am Maulbeerbaum', 'Neues Haus']);
    const added = provider.venues[1];
    expect(added?.lat).toBeCloseTo(49.2, 0);
    expect(added?.accessibility).toEqual({ stepFree: true });
    const bad = await sessionA.post('/provider/profile', { ...formFields((await sessionA.agent.get('/provider/profile')).text, 'form.profile-form'), 'venues[0][postcode]': '7682', 'contact[email]': 'nein' });
    expect(bad.status).toBe(400);
    const $ = cheerio.load(bad.text);
    expect($('#venues-0-postcode-error').text()).toBe(text('de', 'workspace:errors.format.postcode'));
    expect($('#contact-email-error').text()).toBe(text('de', 'workspace:errors.format.email'));
  });
});

describe('the audit trail', () => {
  it('shows who changed which course field, old → new', async () => {
    const course = await givenCourse(providerA, { title: { de: 'Kurs mit Spur' } });
    const record = await t.services.courses.findRecord(course.id);
    await sessionA.post(`/provider/courses/${course.id}/seats`, { available: '2', waitlist: '9', version: String(record.version) });
    const page = await sessionA.agent.get('/provider/audit');
    expect(page.status).toBe(200);
    const $ = cheerio.load(page.text);
    const entry = $('.audit-entry').filter((_i, el) => $(el).text().includes('Kurs mit Spur') && $(el).text().includes(sessionA.email)).first();
    expect(entry.length).toBe(1);
    const rows = entry.find('.audit-changes tbody tr').map((_i, tr) => $(tr).children().map((_j, cell) => $(cell).text().trim()).get().join(' ')).get();
    expect(rows).toContain(`${text('de', 'workspace:fields.seats_available')} 5 2`);
    expect(rows).toContain(`${text('de', 'workspace:fields.seats_waitlist')} 0 9`);
    const other = await sessionB.agent.get('/provider/audit');
    expect(other.text).not.toContain('Kurs mit Spur');
  });
});
