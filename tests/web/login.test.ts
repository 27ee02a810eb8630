import request from 'supertest';
import { userModel } from '../../src/accounts/account.models';
import { text } from '../support/pages';
import { createTestApp, type TestApp } from '../support/test-app';
import { anonymousVisitor, csrfTokenIn, loginAs } from '../support/web-session';

const PASSWORD = 'kurse finden in landau';
let now = new Date('2027-02-01T09:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp('login', { clock: { now: () => now }, env: { LOGIN_MAX_FAILURES: '3' } });
});
afterAll(() => t.close());

async function aUser(role: 'admin' | 'counselor' | 'provider' = 'counselor') {
  const email = `${role}-${Math.random().toString(36).slice(2, 8)}@landau.example`;
  const user = await t.services.accounts.createUser({ email, password: PASSWORD, role, ...(role === 'provider' ? { providerId: undefined } : {}) });
  return { email, id: user.id };
}

function sessionCookie(res: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith('skf.sid='));
}

describe('logging in on the website', () => {
  it('logs in with a new session id, a secure HttpOnly SameSite=Lax cookie, and goes to the role\'s workspace', async () => {
    const { email } = await aUser('counselor');
    const agent = request.agent(t.app);
    const form = await agent.get('/login');
    expect(form.status).toBe(200);
    const before = sessionCookie(form);
    expect(before).toBeDefined();
    const res = await agent.post('/login').set('X-Forwarded-Proto', 'https').type('form').send({ email, password: PASSWORD, _csrf: csrfTokenIn(form.text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/counselor');
    const after = sessionCookie(res);
    expect(after).toMatch(/HttpOnly/);
    expect(after).toMatch(/SameSite=Lax/);
    expect(after).toMatch(/Secure/);
    expect(after?.split(';')[0]).not.toBe(before?.split(';')[0]);
    // The cookie is Secure now, so a browser sends it only over HTTPS (here: through the trusted local proxy).
    const page = await request(t.app).get('/account/password').set('X-Forwarded-Proto', 'https').set('Cookie', after?.split(';')[0] ?? '');
    expect(page.status).toBe(200);
    expect(page.text).toContain(text('de', 'account:nav.logout'));
  });

  it('does not set Secure on plain HTTP, so local development works', async () => {
    const res = await request(t.app).get('/login');
    expect(sessionCookie(res)).not.toMatch(/Secure/);
  });

  it('answers a wrong password and an unknown email with the same 401 message, and logs nobody in', async () => {
    const { email } = await aUser();
    const visitor = await anonymousVisitor(t.app);
    const wrong = await visitor.agent.post('/login').type('form').send({ email, password: 'falsches passwort hier', _csrf: visitor.csrf });
    const unknown = await visitor.agent.post('/login').type('form').send({ email: 'niemand@landau.example', password: PASSWORD, _csrf: visitor.csrf });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const message = text('de', 'account:login.errors.wrong');
    expect(wrong.text).toContain(message);
    expect(unknown.text).toContain(message);
    expect((await visitor.agent.get('/account/password')).status).toBe(303);
  });

  it('refuses a login form without or with a wrong CSRF token with 403', async () => {
    const { email } = await aUser();
    const visitor = await anonymousVisitor(t.app);
    const missing = await visitor.agent.post('/login').type('form').send({ email, password: PASSWORD });
    const wrong = await visitor.agent.post('/login').type('form').send({ email, password: PASSWORD, _csrf: 'x'.repeat(64) });
    expect(missing.status).toBe(403);
    expect(wrong.status).toBe(403);
    expect(missing.text).toContain(text('de', 'account:formExpired.title'));
    expect((await visitor.agent.get('/account/password')).status).toBe(303);
  });

  it('rate-limits wrong passwords with 429, a clear message and Retry-After', async () => {
    const { email } = await aUser();
    const visitor = await anonymousVisitor(t.app);
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await visitor.agent.post('/login').type('form').send({ email, password: 'falsch falsch falsch', _csrf: visitor.csrf })).status).toBe(401);
    }
    const limited = await visitor.agent.post('/login').type('form').send({ email, password: PASSWORD, _csrf: visitor.csrf });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.text).toContain(text('de', 'account:login.errors.tooMany', { count: 15 }));
  });

  it('goes back to the page that asked for the login, but never to another site', async () => {
    const { email } = await aUser('admin');
    const anonymous = await request(t.app).get('/admin/users?page=2');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Fadmin%2Fusers%3Fpage%3D2');
    const visitor = await anonymousVisitor(t.app);
    const back = await visitor.agent.post('/login').type('form').send({ email, password: PASSWORD, next: '/admin/users?page=2', _csrf: visitor.csrf });
    expect(back.headers.location).toBe('/admin/users?page=2');
    const other = await anonymousVisitor(t.app);
    const evil = await other.agent.post('/login').type('form').send({ email, password: PASSWORD, next: '//evil.example/x', _csrf: other.csrf });
    expect(evil.headers.location).toBe('/admin');
  });

  it('shows a wrong role a 403 page', async () => {
    const { email } = await aUser('counselor');
    const session = await loginAs(t.app, email, PASSWORD);
    expect((await session.agent.get('/admin')).status).toBe(403);
    expect((await session.agent.get('/provider')).status).toBe(403);
  });
});

describe('ending sessions', () => {
  it('logout deletes the session: the old cookie no longer opens anything', async () => {
    const { email } = await aUser();
    const session = await loginAs(t.app, email, PASSWORD);
    const page = await session.agent.get('/account/password');
    const cookie = (page.request as unknown as { cookies: string }).cookies;
    const out = await session.post('/logout');
    expect(out.status).toBe(303);
    expect((await session.agent.get('/account/password')).status).toBe(303);
    expect((await request(t.app).get('/account/password').set('Cookie', cookie)).status).toBe(303);
  });

  it('ends a session idle for more than 30 minutes, and one older than 12 hours however busy', async () => {
    const { email } = await aUser();
    const idle = await loginAs(t.app, email, PASSWORD);
    now = new Date(now.getTime() + 29 * 60_000);
    expect((await idle.agent.get('/account/password')).status).toBe(200);
    now = new Date(now.getTime() + 31 * 60_000);
    const expired = await idle.agent.get('/account/password');
    expect(expired.status).toBe(303);

    const busy = await loginAs(t.app, email, PASSWORD);
    for (let hour = 0; hour < 12 * 3; hour++) {
      now = new Date(now.getTime() + 20 * 60_000);
      expect((await busy.agent.get('/account/password')).status).toBe(200);
    }
    now = new Date(now.getTime() + 20 * 60_000);
    expect((await busy.agent.get('/account/password')).status).toBe(303);
  });

  it('ends the sessions of a deactivated account at once', async () => {
    const { email, id } = await aUser();
    const session = await loginAs(t.app, email, PASSWORD);
    await userModel(t.services.deps.db).updateOne({ _id: id }, { $set: { deactivatedAt: now } });
    expect((await session.agent.get('/account/password')).status).toBe(303);
    const visitor = await anonymousVisitor(t.app);
    expect((await visitor.agent.post('/login').type('form').send({ email, password: PASSWORD, _csrf: visitor.csrf })).status).toBe(401);
  });
});

describe('passwords', () => {
  it('changes the password: too short, too easy to guess, or not repeated alike is refused beside the field', async () => {
    const { email } = await aUser();
    const session = await loginAs(t.app, email, PASSWORD);
    const elsewhere = await loginAs(t.app, email, PASSWORD);
    const short = await session.post('/account/password', { current: PASSWORD, password: 'kurz', confirm: 'kurz' });
    expect(short.status).toBe(400);
    expect(short.text).toContain(text('de', 'account:password.errors.tooShort', { count: 12 }));
    const weak = await session.post('/account/password', { current: PASSWORD, password: 'passwort1234', confirm: 'passwort1234' });
    expect(weak.status).toBe(400);
    expect(weak.text).toContain(text('de', 'account:password.errors.tooWeak'));
    const mismatch = await session.post('/account/password', { current: PASSWORD, password: 'weinberg tulpe fahrrad', confirm: 'weinberg tulpe fahrad' });
    expect(mismatch.status).toBe(400);
    const wrongCurrent = await session.post('/account/password', { current: 'nicht das passwort', password: 'weinberg tulpe fahrrad', confirm: 'weinberg tulpe fahrrad' });
    expect(wrongCurrent.text).toContain(text('de', 'account:password.errors.wrongCurrent'));

    const ok = await session.post('/account/password', { current: PASSWORD, password: 'weinberg tulpe fahrrad', confirm: 'weinberg tulpe fahrrad' });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain(text('de', 'account:password.changed'));
    expect((await session.agent.get('/account/password')).status).toBe(200);
    expect((await elsewhere.agent.get('/account/password')).status).toBe(303);
    await expect(loginAs(t.app, email, 'weinberg tulpe fahrrad')).resolves.toBeDefined();
    const stored = await userModel(t.services.deps.db).findOne({ email }).lean();
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('sets a new password through an admin-issued link once, within 24 hours', async () => {
    const admin = await aUser('admin');
    const { email, id } = await aUser();
    const link = await t.services.accounts.issueResetLink({ userId: admin.id, role: 'admin' }, id);
    const visitor = request.agent(t.app);
    const form = await visitor.get(`/reset/${link.token}`);
    expect(form.status).toBe(200);
    expect(form.headers['referrer-policy']).toBe('no-referrer');
    const done = await visitor.post(`/reset/${link.token}`).type('form').send({ _csrf: csrfTokenIn(form.text), password: 'mandelblüte am hambacher schloss', confirm: 'mandelblüte am hambacher schloss' });
    expect(done.status).toBe(200);
    await expect(loginAs(t.app, email, 'mandelblüte am hambacher schloss')).resolves.toBeDefined();
    expect((await visitor.get(`/reset/${link.token}`)).status).toBe(410);

    const late = await t.services.accounts.issueResetLink({ userId: admin.id, role: 'admin' }, id);
    now = new Date(now.getTime() + 25 * 3_600_000);
    expect((await request(t.app).get(`/reset/${late.token}`)).status).toBe(410);
    expect((await request(t.app).get('/reset/not-a-real-token')).status).toBe(410);
    const stored = await t.services.deps.db.collection('password_resets').find({ userId: late.token }).toArray();
    expect(stored).toHaveLength(0);
    const hashes = await t.services.deps.db.collection('password_resets').find({}).toArray();
    expect(hashes.every((row) => row.tokenHash !== link.token && row.tokenHash !== late.token)).toBe(true);
  });
});
