import os from 'node:os';
import mongoose, { Types } from 'mongoose';
import { courseModel } from '../../src/courses/course.model';
import { errorOf } from '../support/api-errors';
import { aCourse, givenProvider, loginAs, type Session } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';
import { eventually, indexVersions } from './index-state';

const WRITE_TIMEOUT_MS = 1500;
/**
 * How long the worker tries to clear a locked course's mark. Longer than the default (1 s), so that a worker held up
 * by the locked course is seconds slower, far more than a busy CI machine or a shared engine adds to a normal push.
 */
const CLEAR_TIMEOUT_MS = 4000;

/**
 * Two app instances on one database and one index, as two processes behind a load balancer. The first one "dies"
 * in the middle of a course write: its transaction stays open on the server (a killed process never commits or
 * aborts), holding that course's document until mongod aborts it.
 */
let a: TestApp;
let b: TestApp;
let provider: Session;
let orphanClient: mongoose.mongo.MongoClient;

beforeAll(async () => {
  const env = { WRITE_TIMEOUT_MS: String(WRITE_TIMEOUT_MS) };
  const syncOptions = { clearTimeoutMs: CLEAR_TIMEOUT_MS };
  a = await createTestApp('death', { env, syncOptions, startSync: false });
  b = await createTestApp('death', { env, syncOptions, startSync: false, sameDataAs: a });
  provider = await loginAs(a, 'provider', await givenProvider(a));
  orphanClient = new mongoose.mongo.MongoClient(process.env.TEST_MONGODB_URI ?? '', { runtimeAdapters: { os } });
  await orphanClient.connect();
});
afterAll(async () => {
  await orphanClient.close();
  await b.close();
  await a.close();
});

/** What a killed instance leaves behind: a transaction that wrote to the course and will never commit. */
async function orphanTransactionOn(courseId: string) {
  const session = orphanClient.startSession();
  session.startTransaction();
  await orphanClient
    .db(a.services.deps.db.name)
    .collection('courses')
    .updateOne({ _id: new Types.ObjectId(courseId) }, { $set: { 'title.de': 'Halb geschrieben' }, $inc: { version: 1 } }, { session });
  return {
    /** as mongod does when the transaction outlives transactionLifetimeLimitSeconds */
    abortAsMongodWould: () => orphanClient.db('admin').command({ killSessions: [session.id] }),
  };
}

async function timed<T>(run: () => PromiseLike<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await run();
  return { result, ms: Date.now() - started };
}

async function createCourse(t: TestApp, title: string): Promise<string> {
  const res = await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse({ title: { de: title } }));
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** ms from sending the PATCH until the index holds the new version */
async function patchUntilSearchable(t: TestApp, id: string, version: number, title: string): Promise<number> {
  const started = Date.now();
  const res = await t.http.patch(`/api/v1/courses/${id}`).set(provider.auth).send({ version, title: { de: title } });
  expect(res.status).toBe(200);
  await eventually('the new version in the index', async () => ((await indexVersions(a)).get(id) === version + 1 ? true : undefined), 10_000, 20);
  return Date.now() - started;
}

it('answers a write to a course an orphaned transaction holds with a quick 503, keeps indexing every other course, and takes the write once the orphan is gone', async () => {
  // X is marked for indexing when its writer dies, as in a burst: the worker must push it but cannot clear its mark.
  const x = await createCourse(a, 'Kurs Xylophon');
  const others = [await createCourse(a, 'Kurs Ysop'), await createCourse(b, 'Kurs Zeder')];
  const orphan = await orphanTransactionOn(x);
  a.services.sync.start();
  b.services.sync.start();

  // The worker holding the lease cannot clear X's mark: it holds X back and goes on.
  await eventually('X held back by the lease holder', async () => (a.services.sync.status().heldBack + b.services.sync.status().heldBack > 0 ? true : undefined), 10_000, 20);
  await eventually('the other courses in the index', async () => {
    const indexed = await indexVersions(a);
    return others.every((id) => indexed.get(id) === 1) ? true : undefined;
  }, 5_000, 20);

  // A write to X through the other instance: a 503 with Retry-After within the limit, not a minute of waiting.
  const { result: blocked, ms } = await timed(() => b.http.patch(`/api/v1/courses/${x}`).set(provider.auth).send({ version: 1, seats: { available: 0 } }));
  expect(blocked.status).toBe(503);
  expect(errorOf(blocked).code).toBe('write_timeout');
  expect(blocked.headers['retry-after']).toBe('2');
  expect(ms).toBeGreaterThanOrEqual(WRITE_TIMEOUT_MS - 100);
  expect(ms).toBeLessThan(WRITE_TIMEOUT_MS + 3000);

  // Writes to other courses, through either instance, reach search in their normal time.
  const latencies: number[] = [];
  for (const [i, id] of others.entries()) {
    latencies.push(await patchUntilSearchable(i === 0 ? a : b, id, 1, `Kurs neu ${i}`));
    latencies.push(await patchUntilSearchable(i === 0 ? b : a, id, 2, `Kurs neuer ${i}`));
  }
  expect(Math.max(...latencies)).toBeLessThan(CLEAR_TIMEOUT_MS / 2);

  // mongod aborts the orphan: X's next write goes through and reaches search; the half-written change never shows.
  await orphan.abortAsMongodWould();
  const took = await patchUntilSearchable(b, x, 1, 'Kurs Xylophon, neu');
  expect(took).toBeLessThan(3000);
  const stored = await courseModel(a.services.deps.db).findById(x).lean();
  expect(stored?.title.de).toBe('Kurs Xylophon, neu');
  expect(stored?.version).toBe(2);
  await a.settle();
  expect((await a.http.get('/health')).body).toMatchObject({ searchBacklog: 0, searchStuck: 0 });
}, 60_000);

it('counts in /health the courses whose marks stay for longer than a minute', async () => {
  const id = await createCourse(a, 'Kurs Lärche');
  await a.settle();
  // Both workers stopped, so the mark stays as the test leaves it.
  await a.services.sync.stop();
  await b.services.sync.stop();
  await courseModel(a.services.deps.db).collection.updateOne(
    { _id: new Types.ObjectId(id) },
    { $set: { 'search.pendingVersion': 1, 'search.markId': 'held-by-test', 'search.markedAt': new Date(Date.now() - 120_000) } },
  );
  const health = await b.http.get('/health');
  expect(health.body).toMatchObject({ status: 'ok', searchBacklog: 1, searchStuck: 1 });
});

it('forgets a held-back course once its mark went by another route, so /health does not count it for ever', async () => {
  // Both workers are stopped (the test before); the rounds are driven by hand, the first one empties the queue.
  await a.services.sync.runOnce();
  const id = await createCourse(a, 'Kurs Eibe');
  const orphan = await orphanTransactionOn(id);
  await a.services.sync.runOnce();
  // The round pushed the course but could not clear its mark: held back. Its one-by-one clear gives up after clearTimeoutMs.
  expect(a.services.sync.status().heldBack).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, CLEAR_TIMEOUT_MS + 1500));
  await orphan.abortAsMongodWould();
  // The mark goes another way (as a rebuild's catch-up clears it), before the course's retry time.
  await courseModel(a.services.deps.db).collection.updateOne({ _id: new Types.ObjectId(id) }, { $unset: { 'search.pendingVersion': '', 'search.markId': '', 'search.markedAt': '' } });
  await eventually('the held-back course forgotten', async () => {
    await a.services.sync.runOnce();
    return a.services.sync.status().heldBack === 0 ? true : undefined;
  }, 10_000, 200);
}, 30_000);

it('a rebuild whose catch-up meets a locked course still swaps in, marks it again once the lock is gone, and pushes it', async () => {
  // Workers stopped (the tests before); rounds driven by hand. Y turned stale while it was being streamed, as far as
  // the catch-up can tell: the index holds it as fresh, MongoDB says the stale sweep pushed it to the old index.
  await a.services.sync.runOnce();
  const y = await createCourse(a, 'Kurs Ulme');
  const z = await createCourse(a, 'Kurs Tanne');
  await a.services.sync.runOnce();
  const courses = courseModel(a.services.deps.db).collection;
  await courses.updateMany({ _id: { $in: [new Types.ObjectId(y), new Types.ObjectId(z)] } }, { $set: { 'search.indexedStale': true } });
  const orphan = await orphanTransactionOn(y);

  // Before: the catch-up's one update ran into Y's lock, timed out, and the rebuild failed with Z unmarked.
  await expect(a.services.sync.rebuild()).resolves.toMatchObject({ documents: expect.any(Number) });
  expect((await courses.findOne({ _id: new Types.ObjectId(z) }))?.search).toMatchObject({ pendingVersion: 1 });
  expect((await courses.findOne({ _id: new Types.ObjectId(y) }))?.search?.pendingVersion).toBeUndefined();

  await orphan.abortAsMongodWould();
  await eventually('Y marked again and pushed', async () => {
    await a.services.sync.runOnce();
    const stored = await courses.findOne({ _id: new Types.ObjectId(y) });
    return stored?.search?.pendingVersion === undefined && stored?.search?.indexedStale === false ? true : undefined;
  }, 15_000, 200);
  expect((await indexVersions(a)).get(y)).toBe(1);
}, 60_000);
