import { aProvider, loginAs, type Session } from '../support/builders';
import { paramsOf } from '../support/api-errors';
import { createTestApp, type TestApp } from '../support/test-app';

/** What a standard `format: uri` check (RFC 3986) accepts of an http(s) address: the description promises it. */
const RFC3986_HTTP_URI = /^https?:\/\/(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;

let t: TestApp;
let admin: Session;

beforeAll(async () => {
  t = await createTestApp('contactfields');
  admin = await loginAs(t, 'admin');
});
afterAll(async () => {
  await t.close();
});

function createProvider(contact: Record<string, string>) {
  return t.http.post('/api/v1/providers').set(admin.auth).send({ ...aProvider(), contact });
}

describe('e-mail addresses are accepted only as the API description (format: email) promises them back', () => {
  it('takes 64 characters before the @, and refuses 65 naming the field', async () => {
    const ok = await createProvider({ email: `${'a'.repeat(64)}@test.example` });
    expect(ok.status).toBe(201);
    expect(ok.body.contact.email).toBe(`${'a'.repeat(64)}@test.example`);

    const tooLong = await createProvider({ email: `${'a'.repeat(65)}@test.example` });
    expect(tooLong.status).toBe(400);
    expect(paramsOf(tooLong)).toEqual(['contact.email']);
  });

  it.each(['kurse@vhs-.example', 'kurse@-vhs.example', `kurse@${'v'.repeat(64)}.example`])('refuses the domain of %s', async (email) => {
    const res = await createProvider({ email });
    expect(res.status).toBe(400);
    expect(paramsOf(res)).toEqual(['contact.email']);
  });

  it('refuses a user account whose address breaks the same rules', async () => {
    const res = await t.http.post('/api/v1/users').set(admin.auth).send({ email: `${'b'.repeat(65)}@test.example`, password: 'correct horse battery', role: 'counselor' });
    expect(res.status).toBe(400);
    expect(paramsOf(res)).toEqual(['email']);
  });
});

describe('web addresses are stored as URIs (format: uri), however people type them', () => {
  it('keeps an address that already is a URI exactly as written', async () => {
    const res = await createProvider({ website: 'https://vhs-landau.example/kurse?sprache=de' });
    expect(res.status).toBe(201);
    expect(res.body.contact.website).toBe('https://vhs-landau.example/kurse?sprache=de');
  });

  it('stores an address with umlauts and spaces in its encoded form', async () => {
    const res = await createProvider({ website: 'https://müller-sprachschule.example/Kurse für Frauen' });
    expect(res.status).toBe(201);
    expect(res.body.contact.website).toBe('https://xn--mller-sprachschule-m6b.example/Kurse%20f%C3%BCr%20Frauen');
    expect(res.body.contact.website).toMatch(RFC3986_HTTP_URI);
    const stored = await t.http.get(`/api/v1/providers/${res.body.id}`);
    expect(stored.body.contact.website).toBe(res.body.contact.website);
  });

  it.each(['https://vhs.example/a|b', 'https://vhs.example/100%', 'ftp://vhs.example/', ''])('refuses %j naming the field', async (website) => {
    const res = await createProvider({ website });
    expect(res.status).toBe(400);
    expect(paramsOf(res)).toEqual(['contact.website']);
  });
});

it('ignores a JSON body sent to an endpoint that takes none (no undocumented 400 or 413)', async () => {
  const res = await t.http.get('/api/v1/openapi.json').set('Content-Type', 'application/json').send('{"not json');
  expect(res.status).toBe(200);
  // … while an endpoint with a body still answers broken JSON with its documented 400.
  const broken = await t.http.post('/api/v1/providers').set(admin.auth).set('Content-Type', 'application/json').send('{"not json');
  expect(broken.status).toBe(400);
  expect(broken.body.error.code).toBe('invalid_json');
});
