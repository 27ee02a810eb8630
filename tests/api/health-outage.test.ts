import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CourseResponse } from '../../src/courses/course.presenter';
import { startMongod, type EmbeddedMongo } from '../../src/infra/embedded/mongod';
import { errorOf } from '../support/api-errors';
import { aCourse, givenProvider, loginAs, type Session } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * This file stops and restarts its own mongod, so the run's shared server is never touched.
 * The tests run in order: up → down → back up.
 */
const binary = process.env.TEST_MONGOD_BIN;
if (!binary) throw new Error('TEST_MONGOD_BIN is not set: run through jest, whose global setup resolves the mongod binary.');

let dataDir: string;
let mongo: EmbeddedMongo;
let t: TestApp;
let provider: Session;
let course: CourseResponse;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'skf-outage-'));
  mongo = await startMongod({ binary, dataDir });
  t = await createTestApp('outage', { mongodbUri: mongo.uri });
  provider = await loginAs(t, 'provider', await givenProvider(t, { name: 'Ausfallsichere Sprachschule' }));
  const res = await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse({ title: { de: 'Kurs vor dem Ausfall' } }));
  expect(res.status).toBe(201);
  course = res.body as CourseResponse;
}, 60_000);

afterAll(async () => {
  await t?.close();
  await mongo?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

async function timed<T>(action: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await action();
  return { result, ms: Date.now() - started };
}

it('reports ok while the database is up', async () => {
  await t.settle();
  const res = await t.http.get('/health');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ status: 'ok', mongo: 'up', search: 'up', searchBacklog: 0, searchStuck: 0 });
});

it('answers 503 degraded within a few seconds when the database stops', async () => {
  await mongo.stop();
  const { result: res, ms } = await timed(() => t.http.get('/health'));
  expect(res.status).toBe(503);
  expect(res.body).toEqual({ status: 'degraded', mongo: 'down', search: 'up', searchBacklog: null, searchStuck: null });
  // The ping has a deadline of its own (1.5 s), shorter than the driver's server selection (3 s).
  expect(ms).toBeLessThan(2_500);
}, 20_000);

it('answers a write with 503 database_unavailable, not 500, while the database is down', async () => {
  const { result: res, ms } = await timed(() =>
    t.http.patch(`/api/v1/courses/${course.id}`).set(provider.auth).send({ version: 1, seats: { available: 0 } }),
  );
  expect(res.status).toBe(503);
  expect(errorOf(res).code).toBe('database_unavailable');
  expect(ms).toBeLessThan(15_000);

  const read = await t.http.get(`/api/v1/courses/${course.id}`);
  expect(read.status).toBe(503);
  expect(errorOf(read).code).toBe('database_unavailable');
}, 40_000);

it('keeps search answering from the search engine while the database is down', async () => {
  const res = await t.http.get('/api/v1/courses').query({ q: 'Ausfall' });
  expect(res.status).toBe(200);
  expect((res.body as { hits: Array<{ id: string }> }).hits.map((h) => h.id)).toEqual([course.id]);
});

it('returns to ok by itself when the database comes back, with the data written before the outage intact', async () => {
  mongo = await startMongod({ binary, dataDir, port: mongo.port });

  const deadline = Date.now() + 30_000;
  let health = await t.http.get('/health');
  while (health.status !== 200 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    health = await t.http.get('/health');
  }
  expect(health.status).toBe(200);
  expect(health.body).toMatchObject({ status: 'ok', mongo: 'up', search: 'up' });

  const read = await t.http.get(`/api/v1/courses/${course.id}`);
  expect(read.status).toBe(200);
  expect(read.body).toMatchObject({ id: course.id, version: 1, title: { de: 'Kurs vor dem Ausfall' }, seats: { available: 5 } });

  // The token issued before the outage still works, and writes succeed again.
  const write = await t.http.patch(`/api/v1/courses/${course.id}`).set(provider.auth).send({ version: 1, seats: { available: 0 } });
  expect(write.status).toBe(200);
  expect((await t.services.courses.findRecord(course.id)).seats.available).toBe(0);
}, 60_000);
