import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createClientKeys } from '../../src/lib/client-key';
import { createLogger } from '../../src/lib/logger';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
const lines: Array<Record<string, unknown>> = [];
let http: ReturnType<typeof request>;

beforeAll(async () => {
  t = await createTestApp('requestlog');
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  // The same app on the production logger at info level, writing into `lines`.
  http = request(createApp({ ...t.services, deps: { ...t.services.deps, logger: createLogger('info', sink) } }));
});
afterAll(async () => {
  await t.close();
});

it('logs every request with its id, method, path, status and time, and nothing about the person', async () => {
  const res = await http
    .get('/api/v1/courses')
    .query({ level: 'A1', q: 'Anna Beispiel' })
    .set('Authorization', 'Bearer not-a-token')
    .set('User-Agent', 'Distinctive-Agent/9.9')
    .set('Referer', 'https://referer.example/page')
    .set('X-Forwarded-For', '203.0.113.77')
    .set('X-Request-Id', 'search-log-1');
  expect(res.status).toBe(401);
  expect(res.headers['content-security-policy']).toBeDefined();
  const ok = await http.get('/api/v1/courses').query({ level: 'A1' }).set('X-Request-Id', 'search-log-2');
  expect(ok.status).toBe(200);

  const logged = (id: string) => lines.find((l) => (l.req as { id?: string } | undefined)?.id === id);
  const denied = logged('search-log-1');
  expect(denied).toEqual({ level: 30, time: expect.any(Number), msg: 'request completed', req: { id: 'search-log-1', method: 'GET', path: '/api/v1/courses' }, res: { statusCode: 401 }, responseTime: expect.any(Number) });
  const found = logged('search-log-2');
  expect(found).toMatchObject({ level: 30, msg: 'request completed', req: { id: 'search-log-2', method: 'GET', path: '/api/v1/courses' }, res: { statusCode: 200 } });
  expect(typeof found?.responseTime).toBe('number');
  const everything = JSON.stringify(lines);
  for (const secret of ['Anna', 'Beispiel', 'level=A1', 'Distinctive-Agent', 'referer.example', '203.0.113.77', '127.0.0.1', 'remoteAddress', 'user-agent']) {
    expect(everything).not.toContain(secret);
  }
});

it('masks the token of a shared handout or a reset link in the logged path', async () => {
  const token = 'geheimes-token-7f3a9c';
  await http.get(`/s/${token}`).set('X-Request-Id', 'share-log-1');
  await http.get(`/reset/${token}`).set('X-Request-Id', 'reset-log-1');
  const paths = lines.filter((l) => ['share-log-1', 'reset-log-1'].includes(String((l.req as { id?: string } | undefined)?.id))).map((l) => (l.req as { path: string }).path);
  expect(paths.sort()).toEqual(['/reset/…', '/s/…']);
  expect(JSON.stringify(lines)).not.toContain(token);
});

it('logs the full URL and headers only when LOG_REQUEST_DETAILS=true (for debugging)', async () => {
  const detailed: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) detailed.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const config = { ...t.services.deps.config, logRequestDetails: true };
  const debugHttp = request(createApp({ ...t.services, deps: { ...t.services.deps, config, logger: createLogger('info', sink) } }));
  await debugHttp.get('/api/v1/courses').query({ level: 'A1' }).set('Authorization', 'Bearer not-a-token').set('X-Request-Id', 'debug-log-1').expect(401);
  const line = detailed.find((l) => (l.req as { id?: string } | undefined)?.id === 'debug-log-1');
  expect(line).toMatchObject({ req: { method: 'GET', url: '/api/v1/courses?level=A1', headers: { authorization: '[redacted]' } }, res: { statusCode: 401 } });
});

it('keeps a keyed hash of the client address for the login limit, never the address, with a new key every day', async () => {
  await http.post('/api/v1/auth/token').set('X-Request-Id', 'login-1').send({ email: 'nobody@test.example', password: 'wrong password 1' }).expect(401);
  const stored = await t.services.deps.db.collection('login_failures').find({}).toArray();
  expect(stored.length).toBeGreaterThan(0);
  const text = JSON.stringify(stored);
  expect(text).not.toContain('127.0.0.1');
  expect(text).not.toContain('::1');
  const clientKeys = t.services.clientKeys;
  expect(clientKeys('203.0.113.77')).toBe(clientKeys('203.0.113.77'));
  expect(clientKeys('203.0.113.77')).not.toBe(clientKeys('203.0.113.78'));
  // Not even the address's first part; "203" alone turns up by chance in the day's base64url key, "203.0" cannot.
  expect(clientKeys('203.0.113.77')).not.toContain('203.0');
  let day = new Date('2027-03-26T23:59:00Z');
  const daily = createClientKeys('a secret of at least thirty-two characters', { now: () => day });
  const today = daily('203.0.113.77');
  expect(daily('203.0.113.77')).toBe(today);
  day = new Date('2027-03-27T00:01:00Z');
  expect(daily('203.0.113.77')).not.toBe(today);
});
