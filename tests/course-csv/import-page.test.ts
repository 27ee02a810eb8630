import { load } from 'cheerio';
import { courseModel } from '../../src/courses/course.model';
import { pendingImportModel } from '../../src/course-csv/pending-import.model';
import { createCourseBodySchema } from '../../src/courses/course.schema';
import { aCourse, givenProvider } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';
import { csrfTokenIn, webSessionAs, type WebSession } from '../support/web-session';
import { aRow, BASIC_HEADER, csvFile } from './csv-support';

let t: TestApp;
let ownProviderId: string;
let otherProviderId: string;
let provider: WebSession & { userId: string };

beforeAll(async () => {
  t = await createTestApp('csvimportpage', { startSync: false });
  ownProviderId = await givenProvider(t, { name: 'Volkshochschule Landau' });
  otherProviderId = await givenProvider(t, { name: 'Sprachschule Kaiserslautern' });
  provider = await webSessionAs(t, 'provider', ownProviderId);
});
afterAll(async () => {
  await t.close();
});

const courses = () => courseModel(t.services.deps.db);
const FILE = csvFile(BASIC_HEADER, [aRow({ title_de: 'Seite: gute Zeile' }), aRow({ title_de: 'Seite: schlechte Zeile', level: 'Z9', startDate: '31.02.2027' })], { bom: true });

/** Uploads a file as the browser's multipart form does, with the page's `_csrf`. */
async function upload(session: WebSession, text: string, fields: Record<string, string> = {}) {
  const token = csrfTokenIn((await session.agent.get('/provider/import')).text);
  let req = session.agent.post('/provider/import').field('_csrf', token);
  for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
  return req.attach('file', Buffer.from(text, 'utf8'), { filename: 'kurse.csv', contentType: 'text/csv' });
}

describe('the provider import page', () => {
  it('sends anonymous visitors to the login', async () => {
    const res = await t.http.get('/provider/import');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fprovider%2Fimport');
  });

  it('offers upload, paste, the template and the export', async () => {
    const $ = load((await provider.agent.get('/provider/import')).text);
    expect($('form[enctype="multipart/form-data"] input[type=file][name=file]')).toHaveLength(1);
    expect($('textarea[name=text]')).toHaveLength(1);
    expect($('a[href="/api/v1/courses/import/template.csv"]')).toHaveLength(1);
    expect($('a[href="/provider/export.csv"]')).toHaveLength(1);
    expect($('select[name=providerId]')).toHaveLength(0);
  });

  it('previews every row with its errors per column and saves nothing before confirmation; confirming saves the valid rows', async () => {
    const before = await courses().countDocuments();
    const res = await upload(provider, FILE);
    expect(res.status).toBe(200);
    const $ = load(res.text);
    expect($('tr[data-row="2"]').hasClass('csv-row--ok')).toBe(true);
    expect($('tr[data-row="3"] .csv-column').map((_i, el) => $(el).text()).get().sort()).toEqual(['level', 'startDate']);
    expect(await courses().countDocuments()).toBe(before);
    const pendingId = String($('input[name=pendingId]').val());
    const pending = await pendingImportModel(t.services.deps.db).findById(pendingId).lean();
    expect(pending?.userId.toString()).toBe(provider.userId);

    const done = await provider.agent.post('/provider/import/confirm').type('form').send({ _csrf: csrfTokenIn(res.text), pendingId });
    expect(done.status).toBe(200);
    const saved = await courses().find({ 'title.de': /^Seite:/ }).lean();
    expect(saved.map((c) => c.title.de)).toEqual(['Seite: gute Zeile']);
    expect(saved[0]?.providerId.toString()).toBe(ownProviderId);
    expect(load(done.text)(`a[href="/provider/courses/${saved[0]?._id.toString()}/edit"]`)).toHaveLength(1);
    expect(await pendingImportModel(t.services.deps.db).findById(pendingId).lean()).toBeNull();
  });

  it('downloads the provider’s own courses in every status from the export link', async () => {
    const draft = await t.services.courses.create({ userId: provider.userId, role: 'provider', providerId: ownProviderId }, { ...createCourseBodySchema.parse({ ...aCourse({ title: { de: 'Eigener Entwurf' }, status: 'draft' }) }) });
    await t.services.courses.create({ userId: provider.userId, role: 'admin' }, createCourseBodySchema.parse({ ...aCourse({ title: { de: 'Fremder Kurs' } }), providerId: otherProviderId }));
    const res = await provider.agent.get('/provider/export.csv').buffer(true).parse((r, done) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (body += c));
      r.on('end', () => done(null, body));
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain('Eigener Entwurf');
    expect(res.body).not.toContain('Fremder Kurs');
    expect(draft.status).toBe('draft');
  });

  it('takes pasted text as well', async () => {
    const token = csrfTokenIn((await provider.agent.get('/provider/import')).text);
    const res = await provider.agent.post('/provider/import').type('form').send({ _csrf: token, text: csvFile(BASIC_HEADER, [aRow({ title_de: 'Eingefügt' })], { separator: ',' }) });
    expect(load(res.text)('tr[data-row="2"]').hasClass('csv-row--ok')).toBe(true);
  });

  it('never lets another user confirm someone’s upload', async () => {
    const $ = load((await upload(provider, csvFile(BASIC_HEADER, [aRow({ title_de: 'Nicht von dir' })]))).text);
    const pendingId = String($('input[name=pendingId]').val());
    const intruder = await webSessionAs(t, 'provider', otherProviderId);
    const token = csrfTokenIn((await intruder.agent.get('/provider/import')).text);
    const res = await intruder.agent.post('/provider/import/confirm').type('form').send({ _csrf: token, pendingId });
    expect(res.status).toBe(404);
    expect(await courses().countDocuments({ 'title.de': 'Nicht von dir' })).toBe(0);
  });

  it('refuses a confirmation without its form token', async () => {
    const $ = load((await upload(provider, csvFile(BASIC_HEADER, [aRow({ title_de: 'Ohne Token' })]))).text);
    const res = await provider.agent.post('/provider/import/confirm').type('form').send({ pendingId: String($('input[name=pendingId]').val()) });
    expect(res.status).toBe(403);
    expect(await courses().countDocuments({ 'title.de': 'Ohne Token' })).toBe(0);
  });

  it('lets an admin import into the provider the admin chose', async () => {
    const admin = await webSessionAs(t, 'admin');
    const form = load((await admin.agent.get('/provider/import')).text);
    expect(form(`select[name=providerId] option[value="${otherProviderId}"]`)).toHaveLength(1);
    const missing = await upload(admin, csvFile(BASIC_HEADER, [aRow({ title_de: 'Admin-Import' })]));
    expect(missing.status).toBe(400);
    const res = await upload(admin, csvFile(BASIC_HEADER, [aRow({ title_de: 'Admin-Import' })]), { providerId: otherProviderId });
    const $ = load(res.text);
    await admin.agent.post('/provider/import/confirm').type('form').send({ _csrf: csrfTokenIn(res.text), pendingId: String($('input[name=pendingId]').val()) });
    const [saved] = await courses().find({ 'title.de': 'Admin-Import' }).lean();
    expect(saved?.providerId.toString()).toBe(otherProviderId);
  });
});
