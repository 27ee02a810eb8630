import { apiTokenModel, userModel } from '../../src/accounts/account.models';
import { errorOf, paramsOf } from '../support/api-errors';
import { givenProvider, loginAs, type Session } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';

const PASSWORD = 'correct horse battery';

/**
 * The app's clock: real time, moved to around noon UTC. The login limit knows a client by a key that changes with
 * the UTC day (src/lib/client-key.ts): a test counting failures across midnight would start counting afresh.
 */
const SHIFT_MS = 12 * 3_600_000 - (Date.now() % 86_400_000);
const clock = { now: () => new Date(Date.now() + SHIFT_MS) };

let t: TestApp;
let admin: Session;
let providerId: string;

beforeAll(async () => {
  t = await createTestApp('accounts', { clock, env: { LOGIN_MAX_FAILURES: '3' } });
  providerId = await givenProvider(t);
  admin = await loginAs(t, 'admin');
});
afterAll(async () => {
  await t.close();
});

const users = () => userModel(t.services.deps.db);
const tokens = () => apiTokenModel(t.services.deps.db);
let emails = 0;
const anEmail = (label: string) => `${label}-${++emails}-${Date.now().toString(36)}@test.example`;

/** A counselor account, created through the service, that nobody has logged in with yet. */
async function aCounselor(label: string): Promise<string> {
  const email = anEmail(label);
  await t.services.accounts.createUser({ email, password: PASSWORD, role: 'counselor' });
  return email;
}

const login = (email: string, password: string) => t.http.post('/api/v1/auth/token').send({ email, password });

describe('logging in for a token', () => {
  it('gives a working bearer token with its expiry, and stores only its hash', async () => {
    const email = await aCounselor('login');
    const before = clock.now().getTime();
    const res = await login(email, PASSWORD);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ token: expect.any(String), expiresAt: expect.any(String) });
    const { token, expiresAt } = res.body as { token: string; expiresAt: string };
    expect(token.length).toBeGreaterThanOrEqual(40);
    const ttl = new Date(expiresAt).getTime() - before;
    expect(ttl).toBeGreaterThan(29 * 86_400_000);
    expect(ttl).toBeLessThanOrEqual(30 * 86_400_000 + 60_000);

    const user = await users().findOne({ email }).lean();
    const stored = await tokens().find({ userId: user?._id }).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.tokenHash).not.toContain(token);
    expect(JSON.stringify(stored)).not.toContain(token);

    // The token identifies a counselor: logged in (not 401), but not allowed to write courses (403).
    const write = await t.http.post('/api/v1/courses').set('Authorization', `Bearer ${token}`).send({});
    expect(write.status).toBe(403);
  });

  it('accepts the email in any letter case', async () => {
    const email = await aCounselor('casing');
    const res = await login(email.toUpperCase(), PASSWORD);
    expect(res.status).toBe(200);
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const email = await aCounselor('wrong');
    const wrongPassword = await login(email, 'not the password');
    const unknownEmail = await login(anEmail('nobody'), PASSWORD);

    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(errorOf(wrongPassword).code).toBe('unauthorized');
    expect(wrongPassword.body).toEqual(unknownEmail.body);
    expect(wrongPassword.body).not.toHaveProperty('token');
  });

  it('refuses a login body with unknown fields', async () => {
    const res = await t.http.post('/api/v1/auth/token').send({ email: 'a@test.example', password: PASSWORD, role: 'admin' });
    expect(res.status).toBe(400);
    expect(paramsOf(res)).toEqual(['role']);
  });

  it('revokes a token on DELETE /api/v1/auth/token: the next request with it is 401', async () => {
    const session = await loginAs(t, 'admin');
    const revoke = await t.http.delete('/api/v1/auth/token').set(session.auth);
    expect(revoke.status).toBe(204);
    expect(await tokens().countDocuments({ userId: session.userId })).toBe(0);

    const after = await t.http.post('/api/v1/users').set(session.auth).send({ email: anEmail('after-revoke'), password: PASSWORD, role: 'counselor' });
    expect(after.status).toBe(401);
    expect(errorOf(after).code).toBe('unauthorized');
    expect(await users().countDocuments({ email: /after-revoke/ })).toBe(0);
  });

  it('revokes only the token that was used', async () => {
    const email = await aCounselor('two-devices');
    const phone = (await login(email, PASSWORD)).body.token as string;
    const laptop = (await login(email, PASSWORD)).body.token as string;
    expect((await t.http.delete('/api/v1/auth/token').set('Authorization', `Bearer ${phone}`)).status).toBe(204);
    expect((await t.http.delete('/api/v1/auth/token').set('Authorization', `Bearer ${phone}`)).status).toBe(401);
    expect((await t.http.post('/api/v1/courses').set('Authorization', `Bearer ${laptop}`).send({})).status).toBe(403);
  });

  it.each([
    ['a random bearer token', 'Bearer garbage'],
    ['a made-up token with the right prefix', 'Bearer skf_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['an overlong token', `Bearer skf_${'x'.repeat(500)}`],
    ['another authorization scheme', 'Basic YWRtaW46YWRtaW4='],
  ])('answers 401 for %s', async (_name, header) => {
    const res = await t.http.post('/api/v1/users').set('Authorization', header).send({ email: anEmail('garbage'), password: PASSWORD, role: 'admin' });
    expect(res.status).toBe(401);
    expect(errorOf(res).code).toBe('unauthorized');
    expect(await users().countDocuments({ email: /garbage/ })).toBe(0);
  });
});

describe('repeated failed logins', () => {
  it('answers 429 with Retry-After after three failures, even with the right password', async () => {
    const email = await aCounselor('guessed');
    for (let attempt = 1; attempt <= 3; attempt++) {
      const res = await login(email, `guess number ${attempt}`);
      expect(res.status).toBe(401);
    }
    const res = await login(email, PASSWORD);
    expect(res.status).toBe(429);
    expect(errorOf(res).code).toBe('rate_limited');
    expect(res.body).not.toHaveProperty('token');
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(errorOf(res).retryAfterSeconds).toBe(retryAfter);
    const user = await users().findOne({ email }).lean();
    expect(await tokens().countDocuments({ userId: user?._id })).toBe(0);
  });

  it('limits unknown emails the same way, so the answer reveals nothing', async () => {
    const email = anEmail('unknown-guessed');
    for (let attempt = 1; attempt <= 3; attempt++) expect((await login(email, PASSWORD)).status).toBe(401);
    expect((await login(email, PASSWORD)).status).toBe(429);
  });

  it('checks at most three of ten parallel guesses against the password', async () => {
    const email = await aCounselor('parallel-guesses');
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => login(email, `parallel guess ${i}`)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    expect((await login(email, PASSWORD)).status).toBe(429);
  });

  it('does not lock out other accounts', async () => {
    const victim = await aCounselor('victim');
    const bystander = await aCounselor('bystander');
    for (let attempt = 1; attempt <= 3; attempt++) await login(victim, 'wrong password');
    expect((await login(victim, PASSWORD)).status).toBe(429);
    expect((await login(bystander, PASSWORD)).status).toBe(200);
  });

  const loginFrom = (ip: string, email: string, password: string) =>
    t.http.post('/api/v1/auth/token').set('X-Forwarded-For', ip).send({ email, password });

  it('limits guesses at one account spread over many addresses (4 × the per-client limit)', async () => {
    const email = await aCounselor('distributed');
    for (let i = 1; i <= 12; i++) expect((await loginFrom(`198.51.100.${i}`, email, `guess ${i}`)).status).toBe(401);
    const res = await loginFrom('198.51.100.200', email, PASSWORD);
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('limits one address trying many accounts (30 × the per-client limit)', async () => {
    for (let i = 1; i <= 90; i++) expect((await loginFrom('203.0.113.7', anEmail(`spray-${i}`), 'Sommer2027!')).status).toBe(401);
    const email = await aCounselor('sprayed');
    expect((await loginFrom('203.0.113.7', email, PASSWORD)).status).toBe(429);
    expect((await loginFrom('203.0.113.8', email, PASSWORD)).status).toBe(200);
  });

  it('forgets earlier failures after a successful login', async () => {
    const email = await aCounselor('forgetful');
    await login(email, 'wrong password 1');
    await login(email, 'wrong password 2');
    expect((await login(email, PASSWORD)).status).toBe(200);
    await login(email, 'wrong password 3');
    await login(email, 'wrong password 4');
    expect((await login(email, PASSWORD)).status).toBe(200);
  });
});

describe('POST /api/v1/users', () => {
  it('lets an admin create an account that can log in', async () => {
    const email = anEmail('new-counselor');
    const res = await t.http.post('/api/v1/users').set(admin.auth).send({ email, password: PASSWORD, role: 'counselor' });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^[a-f0-9]{24}$/), email, role: 'counselor' });
    const stored = await users().findById(res.body.id).lean();
    expect(stored).toMatchObject({ email, role: 'counselor' });
    expect(stored).not.toHaveProperty('providerId');
    expect((await login(email, PASSWORD)).status).toBe(200);
  });

  it('links a provider account to its provider', async () => {
    const email = anEmail('new-provider');
    const res = await t.http.post('/api/v1/users').set(admin.auth).send({ email, password: PASSWORD, role: 'provider', providerId });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email, role: 'provider', providerId });
    expect((await users().findById(res.body.id).lean())?.providerId?.toString()).toBe(providerId);
  });

  it.each([
    ['a counselor', 'counselor', 403, 'forbidden'],
    ['a provider', 'provider', 403, 'forbidden'],
    ['anonymous', undefined, 401, 'unauthorized'],
  ] as const)('refuses %s creating an account', async (_who, role, status, code) => {
    const headers = role === undefined ? {} : (await loginAs(t, role, role === 'provider' ? providerId : undefined)).auth;
    const email = anEmail('sneaky-admin');
    const res = await t.http.post('/api/v1/users').set(headers).send({ email, password: PASSWORD, role: 'admin' });
    expect(res.status).toBe(status);
    expect(errorOf(res).code).toBe(code);
    expect(await users().countDocuments({ email })).toBe(0);
  });

  it.each([
    ['a provider account without providerId', { role: 'provider' }, 'providerId'],
    ['a counselor account with a providerId', { role: 'counselor', providerId: 'aaaaaaaaaaaaaaaaaaaaaaaa' }, 'providerId'],
    ['a provider that does not exist', { role: 'provider', providerId: 'aaaaaaaaaaaaaaaaaaaaaaaa' }, 'providerId'],
    ['an unknown role', { role: 'superuser' }, 'role'],
    ['a short password', { role: 'counselor', password: 'short' }, 'password'],
    ['an invalid email', { role: 'counselor', email: 'not-an-email' }, 'email'],
    ['an unknown field', { role: 'counselor', verified: true }, 'verified'],
  ])('refuses %s, naming the field', async (_name, fields, param) => {
    const email = anEmail('invalid');
    const res = await t.http.post('/api/v1/users').set(admin.auth).send({ email, password: PASSWORD, ...fields });
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe('invalid_body');
    expect(paramsOf(res)).toContain(param);
    expect(await users().countDocuments({ email })).toBe(0);
  });

  it('refuses a second account with the same email with 409 email_taken', async () => {
    const email = anEmail('taken');
    expect((await t.http.post('/api/v1/users').set(admin.auth).send({ email, password: PASSWORD, role: 'counselor' })).status).toBe(201);
    const res = await t.http.post('/api/v1/users').set(admin.auth).send({ email, password: 'another password', role: 'admin' });
    expect(res.status).toBe(409);
    expect(errorOf(res).code).toBe('email_taken');
    const stored = await users().find({ email }).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.role).toBe('counselor');
  });

  it('treats differently-cased emails as the same account', async () => {
    const email = anEmail('casing-taken');
    expect((await t.http.post('/api/v1/users').set(admin.auth).send({ email, password: PASSWORD, role: 'counselor' })).status).toBe(201);
    const res = await t.http.post('/api/v1/users').set(admin.auth).send({ email: email.toUpperCase(), password: PASSWORD, role: 'admin' });
    expect(res.status).toBe(409);
    expect(errorOf(res).code).toBe('email_taken');
    expect(await users().countDocuments({ email: new RegExp(`^${email}$`, 'i') })).toBe(1);
  });

  it('stores the password only as an argon2id hash', async () => {
    const email = anEmail('hashed');
    const password = 'Zwetschgenkuchen mit Sahne 42';
    const res = await t.http.post('/api/v1/users').set(admin.auth).send({ email, password, role: 'counselor' });
    expect(res.status).toBe(201);
    expect(JSON.stringify(res.body)).not.toContain(password);
    expect(res.body).not.toHaveProperty('passwordHash');

    const stored = await users().collection.findOne({ email });
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
    expect(JSON.stringify(stored)).not.toContain(password);
    expect((await login(email, password)).status).toBe(200);
  });
});

describe('the unique email index on the real server', () => {
  it('exists as a unique index on users.email', async () => {
    const indexes = await users().collection.indexes();
    expect(indexes).toContainEqual(expect.objectContaining({ key: { email: 1 }, unique: true }));
  });

  it('rejects a second user with the same email written straight through the model (E11000)', async () => {
    const email = anEmail('direct');
    await users().create({ email, passwordHash: '$argon2id$placeholder', role: 'counselor' });
    await expect(users().create({ email, passwordHash: '$argon2id$placeholder', role: 'admin' })).rejects.toMatchObject({ code: 11000 });
    expect(await users().countDocuments({ email })).toBe(1);
  });

  it('rejects two concurrent sign-ups with one email: one 201, one 409', async () => {
    const email = anEmail('race');
    const responses = await Promise.all(
      ['counselor', 'admin'].map((role) => t.http.post('/api/v1/users').set(admin.auth).send({ email, password: PASSWORD, role })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await users().countDocuments({ email })).toBe(1);
  });
});
