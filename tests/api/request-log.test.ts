import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../../src/app';
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

it('logs every search with its id, request, status and time, but not the same security headers each time', async () => {
  const res = await http.get('/api/v1/courses').query({ level: 'A1' }).set('Authorization', 'Bearer not-a-token').set('X-Request-Id', 'search-log-1');
  expect(res.status).toBe(401);
  expect(res.headers['content-security-policy']).toBeDefined();
  const ok = await http.get('/api/v1/courses').query({ level: 'A1' }).set('X-Request-Id', 'search-log-2');
  expect(ok.status).toBe(200);

  const logged = (id: string) => lines.find((l) => (l.req as { id?: string } | undefined)?.id === id);
  const denied = logged('search-log-1');
  expect(denied).toMatchObject({ level: 30, req: { method: 'GET', url: '/api/v1/courses?level=A1', headers: { authorization: '[redacted]' } }, res: { statusCode: 401 } });
  const found = logged('search-log-2');
  expect(found).toMatchObject({ level: 30, msg: 'request completed', req: { method: 'GET', url: '/api/v1/courses?level=A1' }, res: { statusCode: 200 } });
  expect(typeof found?.responseTime).toBe('number');
  expect(found?.res).toEqual({ statusCode: 200 });
});
