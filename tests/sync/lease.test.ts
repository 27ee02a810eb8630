import { connectMeilisearch } from '../../src/infra/meili';
import { createLogger } from '../../src/lib/logger';
import { createSearchSync } from '../../src/search/search-sync';
import { aCourse, givenProvider, loginAs } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';
import { sleep } from './index-state';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp('lease', { startSync: false });
});
afterAll(async () => {
  jest.restoreAllMocks();
  await t.close();
});

/** A second sync worker on the same database and index, as another app instance would run it. */
function anotherInstance(leaseMs: number) {
  const { db, engine, clock } = t.services.deps;
  const ownEngine = connectMeilisearch(engine.url, engine.apiKey, engine.indexPrefix);
  return { engine: ownEngine, sync: createSearchSync({ db, engine: ownEngine, clock, logger: createLogger('silent'), options: { leaseMs } }) };
}

it('keeps the lease while a round waits on the engine longer than the lease lasts, so no second instance pushes meanwhile', async () => {
  const provider = await loginAs(t, 'provider', await givenProvider(t));
  expect((await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse())).status).toBe(201);

  // A lease of 1 s, renewed every third of it: long enough that a busy CI machine (event loop or MongoDB late by a
  // few hundred ms) still renews in time, short enough that the slow write below outlasts it twice over.
  const first = anotherInstance(1000);
  const second = anotherInstance(1000);
  await first.sync.ensureIndex();
  const realIndex = first.engine.writer.index.bind(first.engine.writer);
  jest.spyOn(first.engine.writer, 'index').mockImplementation(((uid: string) => {
    const index = realIndex(uid);
    const addDocuments = index.addDocuments.bind(index);
    // a slow engine: the first instance's write takes 3 s to be accepted
    index.addDocuments = ((...args: Parameters<typeof addDocuments>) =>
      sleep(3000).then(() => addDocuments(...args))) as unknown as typeof index.addDocuments;
    return index;
  }) as typeof first.engine.writer.index);

  const round = first.sync.runOnce();
  await sleep(2200); // more than twice the lease
  expect(await second.sync.runOnce()).toBe(0);
  expect(await round).toBe(1);
  expect(await t.services.sync.backlog()).toBe(0);
});
