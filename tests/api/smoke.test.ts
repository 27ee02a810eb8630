import { aCourse, givenProvider, loginAs } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp('smoke');
});
afterAll(async () => {
  await t.close();
});

it('reports both services up with an empty backlog', async () => {
  const res = await t.http.get('/health');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ status: 'ok', mongo: 'up', search: 'up', searchBacklog: 0, searchStuck: 0 });
});

it('finds a course a provider just created', async () => {
  const providerId = await givenProvider(t);
  const provider = await loginAs(t, 'provider', providerId);
  const created = await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse({ title: { de: 'Abendkurs Zebra' } }));
  expect(created.status).toBe(201);
  await t.settle();
  const res = await t.http.get('/api/v1/courses').query({ q: 'Zebra' });
  expect(res.status).toBe(200);
  expect(res.body.hits.map((h: { id: string }) => h.id)).toEqual([created.body.id]);
});
