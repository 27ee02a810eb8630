import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  // the engine runs, but refuses this app's key (a rotated or mistyped MEILI_MASTER_KEY)
  t = await createTestApp('wrongkey', {
    meili: { url: process.env.TEST_MEILI_URL ?? '', key: 'not-the-master-key' },
    prepareIndex: false,
    startSync: false,
  });
});
afterAll(async () => {
  await t.close();
});

it('answers 503 search_unavailable, not the engine\'s 403, when the engine refuses the key', async () => {
  const res = await t.http.get('/api/v1/courses').query({ level: 'A1' });
  expect(res.status).toBe(503);
  expect(res.body.error.code).toBe('search_unavailable');
  expect(JSON.stringify(res.body)).not.toMatch(/invalid_api_key|at .*\.ts/);
});

it('reports search as down in /health', async () => {
  const res = await t.http.get('/health');
  expect(res.status).toBe(503);
  expect(res.body).toMatchObject({ mongo: 'up', search: 'down' });
});
