import * as cheerio from 'cheerio';
import request from 'supertest';
import { providerModel } from '../../src/providers/provider.model';
import { userModel } from '../../src/accounts/account.models';
import { MIN_PASSWORD_LENGTH } from '../../src/accounts/password-policy';
import { clientBodySchema } from '../../src/clients/client.schema';
import { givenProvider } from '../support/builders';
import { expectPageBasics, text } from '../support/pages';
import { createTestApp, type TestApp } from '../support/test-app';
import { WEB_PASSWORD, csrfTokenIn, loginAs, webSessionAs, type WebSession } from '../support/web-session';

let t: TestApp;
let admin: WebSession;

beforeAll(async () => {
  t = await createTestApp('adminpages');
  admin = await webSessionAs(t, 'admin');
});
afterAll(() => t.close());

const PAGES = ['/admin', '/admin/providers', '/admin/providers/new', '/admin/users', '/admin/stale', '/admin/search', '/admin/audit'];

describe('the administration', () => {
  it.each(PAGES)('shows %s to an admin, with the admin navigation and a link to the statistics', async (path) => {
    const res = await admin.agent.get(path);
    expectPageBasics(res, 'de');
    const $ = cheerio.load(res.text);
    expect($('nav.admin-nav a[href="/admin/stats"]').length).toBe(1);
    expect($('nav.admin-nav a[aria-current="page"]').length).toBeLessThanOrEqual(1);
  });

  it('shows the health, versions and counts of the system', async () => {
    await givenProvider(t, { name: 'Zählbar e.V.' });
    const counselor = { userId: '5f0000000000000000000001', role: 'counselor' as const };
    for (const label of ['A-1', 'A-2', 'A-3']) await t.services.clients.create(counselor, clientBodySchema.parse({ label, level: 'A1' }));
    const $ = cheerio.load((await admin.agent.get('/admin')).text);
    // Client profiles: how many, never which.
    const clientsCount = $('dt').filter((_i, el) => $(el).text() === text('de', 'admin:overview.clients')).next('dd').text();
    expect(clientsCount).toBe('3');
    expect($.text()).not.toContain('A-2');
    const facts = $('dl.admin-facts').text();
    expect(facts).toContain(process.version);
    expect(facts).toMatch(/MongoDB\s*läuft/);
    expect($('dd[dir="ltr"]').eq(2).text()).toMatch(/^\d+\.\d+/); // MongoDB's version
    expect($('dd[dir="ltr"]').eq(3).text()).toMatch(/^1\.\d+/); // Meilisearch's version
    expect(facts).toContain(text('de', 'admin:overview.providersActive'));
  });

  it('creates a provider and then its user, who can log in and is linked to that provider', async () => {
    const created = await admin.post('/admin/providers/new', { name: 'Sprachschule Queichtal', email: 'info@queichtal.example', staffLanguages: 'ar, fa', verified: 'on' });
    expect(created.status).toBe(303);
    const providerId = /provider=([a-f0-9]{24})/.exec(created.headers.location ?? '')?.[1] ?? '';
    const stored = await providerModel(t.services.deps.db).findById(providerId).lean();
    expect(stored).toMatchObject({ name: 'Sprachschule Queichtal', verified: true, staffLanguages: ['ar', 'fa'], contact: { email: 'info@queichtal.example' } });
    const form = cheerio.load((await admin.agent.get(created.headers.location ?? '')).text);
    expect(form(`#providerId option[value="${providerId}"]`).attr('selected')).toBeDefined();

    const user = await admin.post('/admin/users', { email: 'lehrerin@queichtal.example', password: WEB_PASSWORD, role: 'provider', providerId });
    expect(user.status).toBe(303);
    const account = await userModel(t.services.deps.db).findOne({ email: 'lehrerin@queichtal.example' }).lean();
    expect(account?.providerId?.toString()).toBe(providerId);
    const login = await loginAs(t.app, 'lehrerin@queichtal.example', WEB_PASSWORD);
    expect(login.email).toBe('lehrerin@queichtal.example');
    // and the audit trail shows the creation under that provider
    const audit = cheerio.load((await admin.agent.get(`/admin/audit?provider=${providerId}`)).text);
    expect(audit('.audit-list li').length).toBeGreaterThan(0);
  });

  it('refuses a provider without a name and a user with a weak password, and says which field', async () => {
    const noName = await admin.post('/admin/providers/new', { name: '' });
    expect(noName.status).toBe(400);
    expect(cheerio.load(noName.text)('.error-summary a[href="#name"]').length).toBe(1);
    const weak = await admin.post('/admin/users', { email: 'schwach@test.example', password: 'kurz', role: 'counselor' });
    expect(weak.status).toBe(400);
    const form = cheerio.load(weak.text);
    expect(form('.error-summary a[href="#password"]').length).toBe(1);
    // the hint and the field state the policy's minimum, not a number of their own
    expect(form('#password-hint').text()).toBe(text('de', 'admin:users.form.passwordHint', { count: MIN_PASSWORD_LENGTH }));
    expect(form('#password-hint').text()).toContain(`Mindestens ${MIN_PASSWORD_LENGTH} Zeichen`);
    expect(form('#password').attr('minlength')).toBe(String(MIN_PASSWORD_LENGTH));
    expect(await userModel(t.services.deps.db).exists({ email: 'schwach@test.example' })).toBeNull();
  });

  it('verifies and unverifies a provider; the badge shows on its public page', async () => {
    const id = await givenProvider(t, { name: 'Prüfbar gGmbH' });
    await providerModel(t.services.deps.db).updateOne({ _id: id }, { $set: { verified: false } });
    const version = (await providerModel(t.services.deps.db).findById(id).lean())?.version;
    expect((await admin.post(`/admin/providers/${id}/verify`, { verified: 'true', version: String(version) })).status).toBe(303);
    expect((await request(t.app).get(`/providers/${id}`)).text).toContain(text('de', 'provider:verified'));
    const again = (await providerModel(t.services.deps.db).findById(id).lean())?.version;
    await admin.post(`/admin/providers/${id}/verify`, { verified: 'false', version: String(again) });
    expect((await request(t.app).get(`/providers/${id}`)).text).not.toContain(text('de', 'provider:verified'));
  });

  it('edits a provider with a version check: an old version is a conflict and changes nothing', async () => {
    const id = await givenProvider(t, { name: 'Alt und Neu' });
    const page = cheerio.load((await admin.agent.get(`/admin/providers/${id}/edit`)).text);
    const version = page('input[name="version"]').val();
    expect((await admin.post(`/admin/providers/${id}/edit`, { name: 'Neu und Alt', version: String(version) })).status).toBe(303);
    expect((await admin.post(`/admin/providers/${id}/edit`, { name: 'Zu spät', version: String(version) })).status).toBe(409);
    expect((await providerModel(t.services.deps.db).findById(id).lean())?.name).toBe('Neu und Alt');
  });

  it('deactivating a user ends their session at once; reactivating lets them log in again', async () => {
    const counselor = await webSessionAs(t, 'counselor');
    expect((await counselor.agent.get('/account/password')).status).toBe(200);
    expect((await admin.post(`/admin/users/${counselor.userId}/deactivate`)).status).toBe(303);
    expect((await counselor.agent.get('/account/password')).status).toBe(303);
    await expect(loginAs(t.app, counselor.email, WEB_PASSWORD)).rejects.toThrow(/401/);
    await admin.post(`/admin/users/${counselor.userId}/reactivate`);
    await expect(loginAs(t.app, counselor.email, WEB_PASSWORD)).resolves.toBeDefined();
  });

  it('issues a reset link, shown once, that works exactly once', async () => {
    const counselor = await webSessionAs(t, 'counselor');
    const res = await admin.post(`/admin/users/${counselor.userId}/reset-link`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toContain('no-store');
    const url = cheerio.load(res.text)('#reset-url').val() as string;
    const path = new URL(url).pathname;
    expect(path).toMatch(/^\/reset\/[A-Za-z0-9_-]{40,}$/);
    // the token is stored only hashed
    const stored = await t.services.deps.db.collection('password_resets').findOne({});
    expect(JSON.stringify(stored)).not.toContain(path.split('/')[2]);
    const visitor = request.agent(t.app);
    const form = await visitor.get(path);
    expect(form.status).toBe(200);
    const newPassword = 'ein ganz neues passwort für landau';
    const done = await visitor.post(path).type('form').send({ _csrf: csrfTokenIn(form.text), password: newPassword, confirm: newPassword });
    expect(done.status).toBe(200);
    expect((await request(t.app).get(path)).status).toBe(410);
    await expect(loginAs(t.app, counselor.email, newPassword)).resolves.toBeDefined();
  });

  it('starts a rebuild of the search index in the background and shows its state', async () => {
    const res = await admin.post('/admin/search/rebuild');
    expect(res.status).toBe(303);
    expect(['running', 'done']).toContain(t.services.rebuilds.state().state);
    await t.services.rebuilds.settled();
    expect(t.services.rebuilds.state().state).toBe('done');
    const page = await admin.agent.get('/admin/search');
    expect(page.text).toContain(text('de', 'admin:search.rebuildState.done', { count: 0, date: '' }).split(':')[0] ?? '');
  });
});

describe('who may change things in the administration', () => {
  const CHANGES = (providerId: string, userId: string): Array<[string, Record<string, string>]> => [
    ['/admin/providers/new', { name: 'Eindringling' }],
    [`/admin/providers/${providerId}/edit`, { name: 'Eindringling' }],
    [`/admin/providers/${providerId}/verify`, { verified: 'false' }],
    [`/admin/providers/${providerId}/deactivate`, {}],
    ['/admin/users', { email: 'eindringling@test.example', password: WEB_PASSWORD, role: 'admin' }],
    [`/admin/users/${userId}/deactivate`, {}],
    [`/admin/users/${userId}/reset-link`, {}],
    [`/admin/stale/${providerId}/remind`, {}],
    ['/admin/search/rebuild', {}],
  ];

  async function snapshot() {
    const db = t.services.deps.db;
    return JSON.stringify([
      await db.collection('providers').find({}).sort({ _id: 1 }).toArray(),
      await db.collection('users').find({}, { projection: { passwordHash: 0 } }).sort({ _id: 1 }).toArray(),
      await db.collection('password_resets').countDocuments(),
    ]);
  }

  it('answers 403 to providers and counselors, sends anonymous visitors to the login, and changes nothing', async () => {
    const providerId = await givenProvider(t, { name: 'Geschützt' });
    const victim = await webSessionAs(t, 'counselor');
    const others = [await webSessionAs(t, 'provider', providerId), await webSessionAs(t, 'counselor')];
    const before = await snapshot();
    for (const [path, form] of CHANGES(providerId, victim.userId)) {
      for (const other of others) {
        const res = await other.post(path, form);
        expect([path, res.status]).toEqual([path, 403]);
      }
      const anonymous = await request(t.app).post(path).type('form').send(form);
      expect([path, anonymous.status]).toEqual([path, 403]); // no session: no CSRF token, refused before anything runs
      expect((await others[0]?.agent.get(path.replace(/\/(deactivate|verify|reset-link|remind|rebuild)$/, '')))?.status).toBe(403);
    }
    expect(await snapshot()).toBe(before);
    expect(t.services.rebuilds.state().state).not.toBe('running');
  });

  it('refuses an admin\'s form without or with a wrong _csrf (403) and changes nothing', async () => {
    const providerId = await givenProvider(t, { name: 'CSRF-Test' });
    const victim = await webSessionAs(t, 'counselor');
    const before = await snapshot();
    for (const [path, form] of CHANGES(providerId, victim.userId)) {
      const missing = await admin.agent.post(path).type('form').send(form);
      const wrong = await admin.agent.post(path).type('form').send({ ...form, _csrf: 'x'.repeat(64) });
      expect([path, missing.status, wrong.status]).toEqual([path, 403, 403]);
    }
    expect(await snapshot()).toBe(before);
  });

  it('shows non-admins a 403 page for every admin page', async () => {
    const counselor = await webSessionAs(t, 'counselor');
    for (const path of PAGES) expect([path, (await counselor.agent.get(path)).status]).toEqual([path, 403]);
  });
});
