import { parse } from 'csv-parse/sync';
import { courseModel } from '../../src/courses/course.model';
import { contentOf } from '../../src/courses/course.presenter';
import { createCourseBodySchema, type CourseContentInput } from '../../src/courses/course.schema';
import { COURSE_CSV_COLUMNS } from '../../src/course-csv/course-csv.columns';
import { LANGUAGES } from '../../src/lib/localized-text';
import { providerModel } from '../../src/providers/provider.model';
import { aCourse, aVenue } from '../support/builders';
import { givenCast, type Cast } from '../support/cast';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let cast: Cast;

const every = (prefix: string) => Object.fromEntries(LANGUAGES.map((lang) => [lang, `${prefix} (${lang}) äöü ß`]));
const venue = aVenue({ name: 'Stadtteilbüro Süd', street: 'Südring 3', accessibility: { stepFree: true, note: 'Aufzug' }, transitNote: 'Bus 531' });

/** A course with every field the CSV carries, several of them starting like a spreadsheet formula. */
const FULL: CourseContentInput = {
  title: every('=Integrationskurs'),
  description: { ...every('Beschreibung'), de: '- erster Punkt\n- zweiter Punkt; mit "Anführung"' },
  type: 'integration_women',
  level: 'A2',
  targetLevel: 'B1',
  exam: 'DTZ',
  mode: 'hybrid',
  venue,
  schedule: { timezone: 'Europe/Berlin', flexible: false, sessions: [{ day: 'mon', start: '08:30', end: '11:45' }, { day: 'sat', start: '14:00', end: '16:00' }] },
  startDate: '2027-01-11',
  endDate: '2027-07-30',
  rollingEntry: true,
  lessonsTotal: 700,
  lessonsPerWeek: 12,
  womenOnly: true,
  childcare: { available: true, minAgeMonths: 6, maxAgeMonths: 72, places: 8, onSite: false, note: '@Kita nebenan' },
  cost: { free: false, pricePerLessonEur: 2.29, note: '+ Fahrtkosten' },
  seats: { capacity: 20, available: 3, waitlist: 4 },
  registration: {
    contact: "'Frau Yılmaz' (typed with quotes)",
    email: 'kurse@vhs.example',
    phone: '+49 6341 123456',
    url: 'https://vhs.example/anmeldung?kurs=1&x=2',
    deadline: '2026-12-15',
    note: every('Anmeldung'),
  },
  status: 'draft',
};

const exportCsv = (auth: Record<string, string> = {}) => t.http.get('/api/v1/courses/export.csv').set(auth).buffer(true).parse((res, done) => {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (text += chunk));
  res.on('end', () => done(null, text));
});
const rowsOf = (text: string) => parse(text, { bom: true, delimiter: ';', columns: true }) as Array<Record<string, string>>;

async function created(course: CourseContentInput, providerId: string): Promise<string> {
  return (await t.services.courses.create({ userId: cast.admin.userId, role: 'admin' }, createCourseBodySchema.parse({ ...course, providerId }))).id;
}

let ids: { published: string; draft: string; archived: string; otherPublished: string; full: string };

beforeAll(async () => {
  t = await createTestApp('csvexport', { startSync: false });
  cast = await givenCast(t, ['Volkshochschule Landau', 'Sprachschule Kaiserslautern']);
  await providerModel(t.services.deps.db).updateOne({ _id: cast.ownProviderId }, { $set: { venues: [aVenue(), venue] } });
  ids = {
    published: await created(aCourse({ title: { de: 'Öffentlich' } }), cast.ownProviderId),
    draft: await created(aCourse({ title: { de: 'Entwurf' }, status: 'draft' }), cast.ownProviderId),
    archived: await created(aCourse({ title: { de: 'Archiviert' }, status: 'archived' }), cast.ownProviderId),
    otherPublished: await created(aCourse({ title: { de: 'Anderer Anbieter' } }), cast.otherProviderId),
    full: await created(FULL, cast.ownProviderId),
  };
});
afterAll(async () => {
  await t.close();
});

describe('exporting courses as CSV', () => {
  it('gives anonymous visitors only published courses, without a providerId column', async () => {
    const res = await exportCsv();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const rows = rowsOf(res.body as string);
    expect(rows.map((r) => r.title_de).sort()).toEqual(['Anderer Anbieter', 'Öffentlich']);
    expect(Object.keys(rows[0] ?? {})).not.toContain('providerId');
    expect((res.body as string).startsWith('\uFEFFtitle_de;')).toBe(true);
  });

  it('gives a provider its own courses in every status, and no one else’s', async () => {
    const rows = rowsOf((await exportCsv(cast.own.auth)).body as string);
    expect(rows.map((r) => r.title_de).sort()).toEqual(["'=Integrationskurs (de) äöü ß", 'Archiviert', 'Entwurf', 'Öffentlich']);
    expect(rows.find((r) => r.title_de === 'Entwurf')?.status).toBe('draft');
  });

  it('gives an admin every course with its providerId', async () => {
    const rows = rowsOf((await exportCsv(cast.admin.auth)).body as string);
    expect(rows).toHaveLength(5);
    expect(rows.find((r) => r.title_de === 'Anderer Anbieter')?.providerId).toBe(cast.otherProviderId);
  });

  it('neutralises cells a spreadsheet would run as a formula, and only those', async () => {
    const full = rowsOf((await exportCsv(cast.own.auth)).body as string).find((r) => r.title_de?.includes('Integrationskurs')) ?? {};
    expect(full.title_de).toBe("'=Integrationskurs (de) äöü ß");
    expect(full.description_de).toBe('\'- erster Punkt\n- zweiter Punkt; mit "Anführung"');
    expect(full.childcare_note).toBe("'@Kita nebenan");
    expect(full.cost_note).toBe("'+ Fahrtkosten");
    expect(full.registration_phone).toBe("'+49 6341 123456");
    expect(full.registration_contact).toBe("'Frau Yılmaz' (typed with quotes)");
    expect(full).toMatchObject({ sessions: 'Mo 08:30-11:45 | Sa 14:00-16:00', cost_pricePerLessonEur: '2,29', womenOnly: 'ja', childcare_onSite: 'nein', venue: 'Stadtteilbüro Süd' });
  });

  it('round-trips every field: export → import gives the same course', async () => {
    const exported = (await exportCsv(cast.own.auth)).body as string;
    const res = await t.http.post('/api/v1/courses/import').set(cast.own.auth).set('Content-Type', 'text/csv').send(exported);
    expect(res.status).toBe(200);
    expect(res.body.rows.every((r: { ok: boolean }) => r.ok)).toBe(true);
    const original = await t.services.courses.findRecord(ids.full);
    const copies = await Promise.all((res.body.rows as Array<{ id: string }>).map((r) => t.services.courses.findRecord(r.id)));
    const copy = copies.find((c) => c.title.de === FULL.title.de);
    expect(copy && contentOf(copy)).toEqual(contentOf(original));
    // every column carried a value in this course, so the comparison covered all of them
    const fullRow = rowsOf(exported).find((r) => r.title_de?.includes('Integrationskurs')) ?? {};
    expect(COURSE_CSV_COLUMNS.filter((c) => !c.adminOnly && (fullRow[c.name] ?? '') === '').map((c) => c.name)).toEqual([]);
  });
});

describe('the import template', () => {
  it('is a header and an example row that imports as it is', async () => {
    const template = await t.http.get('/api/v1/courses/import/template.csv').buffer(true).parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => done(null, text));
    });
    expect(template.status).toBe(200);
    const rows = rowsOf(template.body as string);
    expect(rows).toHaveLength(1);
    const check = await t.http.post('/api/v1/courses/import?dryRun=true').set(cast.own.auth).set('Content-Type', 'text/csv').send(template.body as string);
    expect(check.body).toEqual({ rows: [{ row: 2, ok: true }], created: 0 });
  });
});

describe('open data: all published courses as JSON', () => {
  it('streams every published course in the public shape of GET /api/v1/courses/:id', async () => {
    const res = await t.http.get('/api/v1/export/courses.json');
    expect(res.status).toBe(200);
    const list = res.body as Array<{ id: string; status: string; provider: { name: string } }>;
    const published = await courseModel(t.services.deps.db).find({ status: 'published' }, { _id: 1 }).lean();
    expect(list.map((c) => c.id).sort()).toEqual(published.map((c) => c._id.toString()).sort());
    expect(list.map((c) => c.id)).toEqual(expect.arrayContaining([ids.published, ids.otherPublished]));
    expect(list.map((c) => c.id)).not.toContain(ids.draft);
    const single = await t.http.get(`/api/v1/courses/${ids.published}`);
    const exported = list.find((c) => c.id === ids.published);
    expect(exported).toEqual(single.body);
  });
});
