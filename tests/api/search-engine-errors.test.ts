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

it('shows the results page as a friendly 503 in the reader\'s language, with Retry-After, never a stack trace', async () => {
  const res = await t.http.get('/courses?level=A1&lang=en');
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toBeDefined();
  expect(res.headers['content-type']).toMatch(/text\/html/);
  expect(res.text).toContain('Search is not available right now');
  expect(res.text).toMatch(/<html lang="en" dir="ltr">/);
  expect(res.text).not.toMatch(/invalid_api_key|at .*\.ts|Meili/);
});
