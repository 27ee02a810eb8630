import { auditModel } from '../../src/audit/audit.model';
import { courseModel, type CourseRecord } from '../../src/courses/course.model';
import { providerModel } from '../../src/providers/provider.model';
import { errorOf } from '../support/api-errors';
import { aVenue } from '../support/builders';
import { givenCast, type Cast } from '../support/cast';
import { createTestApp, type TestApp } from '../support/test-app';
import { aRow, BASIC_HEADER, csvFile } from './csv-support';

type RowReport = { row: number; ok: boolean; id?: string; errors?: Array<{ column: string; message: string }> };
type Report = { rows: RowReport[]; created: number };

let t: TestApp;
let cast: Cast;

beforeAll(async () => {
  t = await createTestApp('csvimport');
  cast = await givenCast(t, ['Volkshochschule Landau', 'Sprachschule Kaiserslautern']);
  // A second venue with umlauts, so rows can name either.
  await providerModel(t.services.deps.db).updateOne({ _id: cast.ownProviderId }, { $set: { venues: [aVenue(), aVenue({ name: 'Stadtteilbüro Süd', street: 'Südring 3' })] } });
});
afterAll(async () => {
  await t.close();
});

const courses = () => courseModel(t.services.deps.db);
const importCsv = (text: string, auth: Record<string, string>, query = '') =>
  t.http.post(`/api/v1/courses/import${query}`).set(auth).set('Content-Type', 'text/csv; charset=utf-8').send(text);
const reportOf = (res: { body: unknown }) => res.body as Report;
const storedByTitle = async (title: string) => courses().find({ 'title.de': title }).lean<CourseRecord[]>();

describe('importing courses from a spreadsheet', () => {
  it('saves good rows into the provider’s own organisation, with every cell read as typed', async () => {
    const text = csvFile(BASIC_HEADER, [
      aRow({ title_de: 'Gute Zeile Eins', childcare: 'ja', childcare_minAgeMonths: '12', childcare_maxAgeMonths: '72' }),
      aRow({ title_de: 'Gute Zeile Zwei', venue: 'stadtteilbüro  süd', sessions: 'Mon 18:00-20:30 | Wed 18:00-20:30', startDate: '2027-02-01', endDate: '2027-06-30', cost_free: 'false' }),
    ]);
    const res = await importCsv(text, cast.own.auth);
    expect(res.status).toBe(200);
    expect(reportOf(res).created).toBe(2);
    expect(reportOf(res).rows.map((r) => [r.row, r.ok])).toEqual([
      [2, true],
      [3, true],
    ]);
    const [one] = await storedByTitle('Gute Zeile Eins');
    const [two] = await storedByTitle('Gute Zeile Zwei');
    expect(one?.providerId.toString()).toBe(cast.ownProviderId);
    expect(one?.schedule).toEqual({ timezone: 'Europe/Berlin', flexible: false, sessions: [{ day: 'tue', start: '09:00', end: '12:00' }, { day: 'thu', start: '09:00', end: '12:00' }] });
    expect(one?.startDate).toBe('2027-01-11');
    expect(one?.childcare).toEqual({ available: true, minAgeMonths: 12, maxAgeMonths: 72 });
    expect(one?.venue).toEqual(aVenue());
    expect(one?.title).toEqual({ de: 'Gute Zeile Eins', en: 'Integration course A1 (mornings)' });
    expect(two?.venue?.name).toBe('Stadtteilbüro Süd');
    expect(two?.schedule.sessions.map((s) => s.day)).toEqual(['mon', 'wed']);
    expect(two?.cost).toEqual({ free: false });
    expect(reportOf(res).rows[0]?.id).toBe(one?._id.toString());
  });

  it('reports bad rows by spreadsheet row and column, and still saves the good ones', async () => {
    const text = csvFile(BASIC_HEADER, [
      aRow({ title_de: 'Noch gut' }),
      aRow({ title_de: '', level: 'Z9', startDate: '31.02.2027', sessions: 'Dienstag früh', childcare: 'vielleicht' }),
      aRow({ title_de: 'Ende vor Anfang', startDate: '01.08.2027', endDate: '01.07.2027', childcare: 'ja', childcare_minAgeMonths: '40', childcare_maxAgeMonths: '12' }),
      aRow({ title_de: 'Unbekannter Ort', venue: 'Rathaus' }),
    ]);
    const res = await importCsv(text, cast.own.auth);
    expect(res.status).toBe(200);
    const report = reportOf(res);
    expect(report.created).toBe(1);
    const columnsOf = (row: number) => report.rows.find((r) => r.row === row)?.errors?.map((e) => e.column).sort();
    expect(report.rows.map((r) => r.ok)).toEqual([true, false, false, false]);
    expect(columnsOf(3)).toEqual(['childcare', 'level', 'sessions', 'startDate', 'title_de']);
    expect(columnsOf(4)).toEqual(['childcare_maxAgeMonths', 'endDate']);
    expect(columnsOf(5)).toEqual(['venue']);
    expect(report.rows[3]?.errors?.[0]?.message).toMatch(/Haus am Maulbeerbaum/);
    expect(await storedByTitle('Noch gut')).toHaveLength(1);
    expect(await storedByTitle('Ende vor Anfang')).toHaveLength(0);
  });

  it('reads a German Excel file: BOM, semicolons, umlauts, quoted line breaks, German dates and ja/nein', async () => {
    const text = csvFile(
      BASIC_HEADER,
      [
        aRow({ title_de: 'Frauenkurs „Grüß Gott“ – Übung', description_de: 'Zeile eins;\nZeile "zwei"\r\nZeile drei', childcare: 'ja', status: 'draft' }),
        aRow({ title_de: 'Nach der Zeile mit Umbrüchen', childcare: 'NEIN' }),
      ],
      { bom: true, separator: ';' },
    );
    const res = await importCsv(text, cast.own.auth);
    expect(reportOf(res).rows).toEqual([
      { row: 2, ok: true, id: expect.any(String) },
      // The quoted line breaks belong to row 2: the next record is row 3, as the spreadsheet shows it.
      { row: 3, ok: true, id: expect.any(String) },
    ]);
    const [course] = await storedByTitle('Frauenkurs „Grüß Gott“ – Übung');
    expect(course?.description?.de).toBe('Zeile eins;\nZeile "zwei"\r\nZeile drei');
    expect(course?.childcare.available).toBe(true);
    expect(course?.status).toBe('draft');
    expect(course?.endDate).toBe('2027-07-30');
  });

  it('reads a comma-separated file without BOM, with ISO dates and true/false', async () => {
    const text = csvFile(BASIC_HEADER, [aRow({ title_de: 'Komma-Datei', startDate: '2027-03-01', endDate: '2027-09-30', childcare: 'true', cost_free: 'true', sessions: 'flexible' })], {
      separator: ',',
      eol: '\n',
    });
    const res = await importCsv(text, cast.own.auth);
    expect(reportOf(res).created).toBe(1);
    const [course] = await storedByTitle('Komma-Datei');
    expect(course?.startDate).toBe('2027-03-01');
    expect(course?.schedule).toEqual({ timezone: 'Europe/Berlin', flexible: true, sessions: [] });
    expect(course?.childcare.available).toBe(true);
  });

  it('with ?dryRun=true reports every row and saves nothing', async () => {
    const before = await courses().countDocuments();
    const text = csvFile(BASIC_HEADER, [aRow({ title_de: 'Nur Probe' }), aRow({ title_de: 'Nur Probe', level: 'X' })]);
    const res = await importCsv(text, cast.own.auth, '?dryRun=true');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      rows: [
        { row: 2, ok: true },
        { row: 3, ok: false, errors: [{ column: 'level', message: expect.stringContaining('A1') }] },
      ],
      created: 0,
    });
    expect(await courses().countDocuments()).toBe(before);
  });

  it('writes an audit entry per imported course, naming the importing user', async () => {
    const res = await importCsv(csvFile(BASIC_HEADER, [aRow({ title_de: 'Mit Protokoll' })]), cast.own.auth);
    const id = reportOf(res).rows[0]?.id ?? '';
    const entries = await t.services.audit.listFor('course', id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'create', actor: { role: 'provider' } });
    expect(entries[0]?.actor.userId?.toString()).toBe(cast.own.userId);
    expect(entries[0]?.fields).toEqual(expect.arrayContaining(['title', 'schedule', 'venue']));
  });

  it('makes imported published courses findable in search, as any new course', async () => {
    const imported = await importCsv(csvFile(BASIC_HEADER, [aRow({ title_de: 'Zaubersprachkurs Quokka' })]), cast.own.auth);
    const reportId = reportOf(imported).rows[0]?.id;
    await t.settle();
    const res = await t.http.get('/api/v1/courses').query({ q: 'Quokka' });
    expect(res.body.hits.map((c: { id: string }) => c.id)).toEqual([reportId]);
  });

  it('saves nothing at all when one write fails inside the transaction', async () => {
    const db = t.services.deps.db;
    const before = { courses: await courses().countDocuments(), audit: await auditModel(db).countDocuments() };
    // The database itself refuses one of the rows (a rule the app does not know about): the whole import rolls back.
    await db.db?.command({ collMod: 'courses', validator: { 'title.de': { $ne: 'Scheitert in der Datenbank' } }, validationAction: 'error' });
    try {
      const text = csvFile(BASIC_HEADER, [aRow({ title_de: 'Wäre gespeichert worden' }), aRow({ title_de: 'Scheitert in der Datenbank' })]);
      const res = await importCsv(text, cast.own.auth);
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      await db.db?.command({ collMod: 'courses', validator: {} });
    }
    expect(await storedByTitle('Wäre gespeichert worden')).toHaveLength(0);
    expect({ courses: await courses().countDocuments(), audit: await auditModel(db).countDocuments() }).toEqual(before);
  });
});

describe('whose courses an import creates', () => {
  it('refuses a provider’s row that names another organisation', async () => {
    const header = ['providerId', ...BASIC_HEADER];
    const text = csvFile(header, [aRow({ providerId: cast.otherProviderId, title_de: 'Fremd' }), aRow({ providerId: cast.ownProviderId, title_de: 'Eigen mit Id' })]);
    const report = reportOf(await importCsv(text, cast.own.auth));
    expect(report.rows[0]).toMatchObject({ ok: false, errors: [{ column: 'providerId' }] });
    expect(report.created).toBe(1);
    expect(await storedByTitle('Fremd')).toHaveLength(0);
    expect((await storedByTitle('Eigen mit Id'))[0]?.providerId.toString()).toBe(cast.ownProviderId);
  });

  it('needs a providerId column from an admin, and uses it', async () => {
    const without = reportOf(await importCsv(csvFile(BASIC_HEADER, [aRow({ title_de: 'Admin ohne Anbieter' })]), cast.admin.auth));
    expect(without.rows[0]).toMatchObject({ ok: false, errors: [{ column: 'providerId', message: 'is required for administrators' }] });
    const header = ['providerId', ...BASIC_HEADER];
    const text = csvFile(header, [
      aRow({ providerId: cast.otherProviderId, title_de: 'Admin für Kaiserslautern' }),
      aRow({ providerId: '0123456789abcdef01234567', title_de: 'Admin für niemanden' }),
    ]);
    const report = reportOf(await importCsv(text, cast.admin.auth));
    expect(report.rows[1]).toMatchObject({ ok: false, errors: [{ column: 'providerId', message: 'is not a known provider' }] });
    expect((await storedByTitle('Admin für Kaiserslautern'))[0]?.providerId.toString()).toBe(cast.otherProviderId);
  });

  it.each([
    ['anonymous', 401],
    ['a counselor', 403],
  ] as const)('refuses %s', async (who, status) => {
    const res = await importCsv(csvFile(BASIC_HEADER, [aRow({ title_de: `Von ${who}` })]), cast.authOf(who));
    expect(res.status).toBe(status);
    expect(await storedByTitle(`Von ${who}`)).toHaveLength(0);
  });
});

describe('files the import cannot take', () => {
  it('answers 413 for a body over 2 MB', async () => {
    const row = csvFile(BASIC_HEADER, [aRow({ description_de: 'x'.repeat(4000) })]).split('\r\n')[1] ?? '';
    const text = `${BASIC_HEADER.join(';')}\r\n${`${row}\r\n`.repeat(Math.ceil((2 * 1024 * 1024) / row.length) + 1)}`;
    const before = await courses().countDocuments();
    const res = await importCsv(text, cast.own.auth);
    expect(res.status).toBe(413);
    expect(errorOf(res).code).toBe('payload_too_large');
    expect(await courses().countDocuments()).toBe(before);
  });

  it('answers 400 naming an unknown column', async () => {
    const res = await importCsv('title_de;Kursleiterin\r\nA;B\r\n', cast.own.auth);
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'invalid_csv', details: [{ param: 'Kursleiterin' }] });
  });

  it('answers 400 when the body is not CSV', async () => {
    const res = await t.http.post('/api/v1/courses/import').set(cast.own.auth).send({ title: 'json' });
    expect(res.status).toBe(400);
  });
});
