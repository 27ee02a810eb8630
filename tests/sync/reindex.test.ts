import { Types } from 'mongoose';
import { courseModel } from '../../src/courses/course.model';
import { importCatalog, type ImportCourse } from '../../src/seeding/catalog-import';
import { aCourse, aProvider, givenProvider, loginAs, type Session } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';
import { indexAndMongo, indexVersions, sleep } from './index-state';

const COURSES = 300;

describe('rebuild while searching', () => {
  let t: TestApp;
  let admin: Session;
  let published: number;

  beforeAll(async () => {
    t = await createTestApp('reindex');
    admin = await loginAs(t, 'admin');
    const courses: ImportCourse[] = Array.from({ length: COURSES }, (_, i) => ({
      providerIndex: i % 2,
      // every 10th course is a draft: the index holds published courses only
      content: aCourse({ title: { de: `Deutschkurs Nummer ${i}` }, level: (['A1', 'A2', 'B1'] as const)[i % 3], status: i % 10 === 9 ? 'draft' : 'published' }),
      confirmedDaysAgo: i % 30,
    }));
    await importCatalog(t.services.deps.db, new Date(), [{ content: aProvider(), verified: true }, { content: aProvider({ name: 'Volkshochschule Test' }), verified: true }], courses);
    t.services.sync.kick();
    await t.settle(30_000);
    published = await courseModel(t.services.deps.db).countDocuments({ status: 'published' });
    expect(published).toBe(COURSES - COURSES / 10);
  }, 60_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  it('answers every search with the full result while the index is rebuilt, and keeps writes made meanwhile', async () => {
    const before = await indexAndMongo(t);
    expect(before.index).toEqual(before.mongo);
    expect(before.index).toHaveLength(published);
    const ids = (await courseModel(t.services.deps.db).find({ status: 'published' }, { _id: 1 }).limit(8).lean()).map((c) => c._id.toString());

    let rebuilding = true;
    const answers: Array<{ status: number; total: unknown }> = [];
    const searchLoop = async () => {
      while (rebuilding) {
        const res = await t.http.get('/api/v1/courses').query({ perPage: 1 });
        answers.push({ status: res.status, total: res.body.total });
        await sleep(2);
      }
    };
    // Title edits concurrent with the rebuild: each course is edited repeatedly until the rebuild has finished.
    const edits: string[] = [];
    let editsDuringRebuild = 0;
    const editLoop = async (id: string, delayMs: number) => {
      await sleep(delayMs);
      for (let round = 0; rebuilding || round === 0; round += 1) {
        const current = await t.http.get(`/api/v1/courses/${id}`);
        const res = await t.http.patch(`/api/v1/courses/${id}`).set(admin.auth).send({ version: current.body.version, title: { de: `Neuer Titel ${id} ${round}` } });
        expect(res.status).toBe(200);
        edits.push(`${id}@${res.body.version}`);
        if (rebuilding) editsDuringRebuild += 1;
        await sleep(5);
      }
    };

    // Hold the rebuild right after it asked for the swap until a few more searches have been answered, so searches
    // certainly run while the swap task is queued and processed (not only before or after it).
    const { writer } = t.services.deps.engine;
    const swapIndexes = writer.swapIndexes.bind(writer);
    let answeredDuringSwap = 0;
    jest.spyOn(writer, 'swapIndexes').mockImplementationOnce(((...args: Parameters<typeof swapIndexes>) => {
      const enqueued = swapIndexes(...args);
      return (async () => {
        const task = await enqueued;
        const before = answers.length;
        while (answers.length < before + 4) await sleep(2);
        answeredDuringSwap = answers.length - before;
        return task;
      })();
    }) as unknown as typeof writer.swapIndexes);

    const loops = [searchLoop(), searchLoop(), searchLoop(), ...ids.map((id, i) => editLoop(id, i * 3))];
    const result = await t.services.sync.rebuild().finally(() => {
      rebuilding = false;
    });
    await Promise.all(loops);

    expect(result.documents).toBe(published);
    expect(answeredDuringSwap).toBeGreaterThanOrEqual(4);
    // no error and no empty (or partial) window at any moment of the rebuild
    expect(answers.filter((a) => a.status !== 200 || a.total !== published)).toEqual([]);

    // every write made during the rebuild is in the index afterwards, and nothing else changed
    expect(edits.length).toBeGreaterThanOrEqual(ids.length);
    expect(editsDuringRebuild).toBeGreaterThanOrEqual(ids.length);
    await t.settle(15_000);
    const { index, mongo } = await indexAndMongo(t);
    expect(index).toEqual(mongo);
    const latest = await indexVersions(t);
    for (const id of ids) expect(latest.get(id)).toBeGreaterThan(1);
  }, 60_000);

  it('leaves exactly one index with the app prefix (the build index is deleted)', async () => {
    const { results } = await t.services.deps.engine.client.getIndexes({ limit: 1000 });
    expect(results.map((i) => i.uid).filter((uid) => uid.startsWith(t.config.indexPrefix))).toEqual([t.services.sync.indexUid]);
    const settings = await t.services.deps.engine.client.index(t.services.sync.indexUid).getSettings();
    expect(settings.filterableAttributes).toEqual(expect.arrayContaining(['level', 'days', '_geo']));
    // the swapped-in index answers filtered searches (its settings came along)
    const res = await t.http.get('/api/v1/courses').query({ level: 'A2', perPage: 1 });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(await courseModel(t.services.deps.db).countDocuments({ status: 'published', level: 'A2' }));
  });

  it('drops its half-built index and keeps the live one answering when a rebuild fails', async () => {
    const { writer, client } = t.services.deps.engine;
    const published = await courseModel(t.services.deps.db).countDocuments({ status: 'published' });
    jest.spyOn(writer, 'swapIndexes').mockImplementationOnce(() => {
      throw new Error('engine refused the swap');
    });
    await expect(t.services.sync.rebuild()).rejects.toThrow('engine refused the swap');
    const { results } = await client.getIndexes({ limit: 1000 });
    expect(results.map((i) => i.uid).filter((uid) => uid.startsWith(t.config.indexPrefix))).toEqual([t.services.sync.indexUid]);
    const res = await t.http.get('/api/v1/courses').query({ perPage: 1 });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(published);
  });
});

describe('conditional clear of the pending mark', () => {
  let t: TestApp;
  let provider: Session;
  let providerId: string;

  beforeAll(async () => {
    t = await createTestApp('syncclear', { startSync: false });
    providerId = await givenProvider(t);
    provider = await loginAs(t, 'provider', providerId);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  const courses = () => courseModel(t.services.deps.db);
  async function drain(): Promise<void> {
    for (let round = 0; round < 20 && (await t.services.sync.backlog()) > 0; round += 1) await t.services.sync.runOnce();
    expect(await t.services.sync.backlog()).toBe(0);
  }
  async function patchTitle(id: string, title: string): Promise<number> {
    const { version } = (await courses().findById(id, { version: 1 }).lean())!;
    const res = await t.http.patch(`/api/v1/courses/${id}`).set(provider.auth).send({ version, title: { de: title } });
    expect(res.status).toBe(200);
    return res.body.version;
  }
  async function renameProvider(name: string): Promise<void> {
    const res = await t.http.patch(`/api/v1/providers/${providerId}`).set(provider.auth).send({ name });
    expect(res.status).toBe(200);
  }
  async function indexedProviderName(id: string): Promise<string> {
    return (await t.services.deps.engine.client.index<{ providerName: string }>(t.services.sync.indexUid).getDocument(id)).providerName;
  }
  async function indexedTitle(id: string): Promise<{ version: number; title: string }> {
    const doc = await t.services.deps.engine.client.index<{ version: number; title: { de: string } }>(t.services.sync.indexUid).getDocument(id);
    return { version: doc.version, title: doc.title.de };
  }

  it('keeps the mark when a newer version was written while an older one was being pushed', async () => {
    const created = await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse({ title: { de: 'Version eins' } }));
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    expect((await courses().findById(id).lean())!.search?.pendingVersion).toBe(1);

    // The newer write lands after the worker pushed version 1 and before it clears the mark.
    const model = courses();
    const bulkWrite = model.bulkWrite.bind(model);
    const spy = jest.spyOn(model, 'bulkWrite').mockImplementationOnce((async (...args: Parameters<typeof bulkWrite>) => {
      await patchTitle(id, 'Version zwei');
      return bulkWrite(...args);
    }) as typeof model.bulkWrite);

    expect(await t.services.sync.runOnce()).toBe(1);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(await indexedTitle(id)).toEqual({ version: 1, title: 'Version eins' });
    const after = (await courses().findById(id).lean())!;
    expect(after.version).toBe(2);
    expect(after.search?.pendingVersion).toBe(2); // not cleared by the push of version 1
    expect(await t.services.sync.backlog()).toBe(1);

    await drain();
    expect(await indexedTitle(id)).toEqual({ version: 2, title: 'Version zwei' });
  });

  it('clears the mark when nothing changed meanwhile, and deletes archived courses from the index', async () => {
    const created = await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse({ title: { de: 'Wird archiviert' } }));
    const id: string = created.body.id;
    await drain();
    expect(await indexedTitle(id)).toEqual({ version: 1, title: 'Wird archiviert' });
    expect(await t.http.delete(`/api/v1/courses/${id}`).set(provider.auth)).toHaveProperty('status', 204);
    expect(await t.services.sync.backlog()).toBe(1);
    await drain();
    await expect(indexedTitle(id)).rejects.toThrow();
    expect((await courses().findById(id).lean())!.search?.pendingVersion).toBeUndefined();
  });

  it('leaves updatedAt alone: indexing a course is not a change of it', async () => {
    const created = await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse({ title: { de: 'Zeitstempel' } }));
    const id: string = created.body.id;
    await sleep(20);
    await drain();
    await t.services.sync.rebuild();
    await drain();
    const res = await t.http.get(`/api/v1/courses/${id}`);
    expect(res.body.version).toBe(1);
    expect(res.body.updatedAt).toBe(created.body.updatedAt);
  });

  it('does not lose a write whose push straddles a rebuild swap', async () => {
    const created = await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse({ title: { de: 'Vor dem Umbau' } }));
    const id: string = created.body.id;
    await drain();

    // 1. The rebuild has copied version 1 into its build index and is about to swap.
    // 2. Now version 2 is written and the worker pushes it into the live (old) index …
    // 3. … but clears the mark only after the rebuild swapped, deleted the old index and re-marked recent writes.
    const { client } = t.services.deps.engine;
    const model = courses();
    const bulkWrite = model.bulkWrite.bind(model);
    let rebuildDone!: () => void;
    const rebuilt = new Promise<void>((resolve) => (rebuildDone = resolve));
    let pushed!: () => void;
    const pushedV2 = new Promise<void>((resolve) => (pushed = resolve));
    jest.spyOn(model, 'bulkWrite').mockImplementationOnce((async (...args: Parameters<typeof bulkWrite>) => {
      pushed();
      await rebuilt;
      return bulkWrite(...args);
    }) as typeof model.bulkWrite);
    const getTasks = client.tasks.getTasks.bind(client.tasks);
    let worker: Promise<number> | undefined;
    jest.spyOn(client.tasks, 'getTasks').mockImplementationOnce(async (...args) => {
      await patchTitle(id, 'Nach dem Umbau');
      worker = t.services.sync.runOnce();
      await pushedV2;
      expect(await indexedTitle(id)).toEqual({ version: 2, title: 'Nach dem Umbau' }); // in the old index
      return getTasks(...args);
    });

    await t.services.sync.rebuild();
    rebuildDone();
    expect(worker).toBeDefined();
    await worker;
    await drain();
    expect((await courses().findById(id).lean())!.version).toBe(2);
    expect(await indexedTitle(id)).toEqual({ version: 2, title: 'Nach dem Umbau' });
  });

  it('does not lose a provider rename that lands while a push of its course is in flight', async () => {
    const created = await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse({ title: { de: 'Kurs mit Anbieter' } }));
    const id: string = created.body.id;
    await drain();
    // The worker has read the course and the provider name and pushed them; the rename commits before the clear.
    const model = courses();
    const bulkWrite = model.bulkWrite.bind(model);
    await patchTitle(id, 'Kurs mit Anbieter, geändert');
    jest.spyOn(model, 'bulkWrite').mockImplementationOnce((async (...args: Parameters<typeof bulkWrite>) => {
      await renameProvider('Sprachschule Umbenannt');
      return bulkWrite(...args);
    }) as typeof model.bulkWrite);
    await t.services.sync.runOnce();
    expect(await indexedProviderName(id)).not.toBe('Sprachschule Umbenannt');
    await drain();
    expect(await indexedProviderName(id)).toBe('Sprachschule Umbenannt');
  });

  it('does not lose a provider rename made while the index is rebuilt', async () => {
    const created = await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse({ title: { de: 'Kurs beim Umbau' } }));
    const id: string = created.body.id;
    await drain();
    // last written an hour ago, so only the rename can bring it into the rebuild's catch-up
    await courses().collection.updateOne({ _id: new Types.ObjectId(id) }, { $set: { updatedAt: new Date(Date.now() - 3_600_000) } });
    // The build index has the old name; the rename is pushed (into the old index) before the swap.
    const { client } = t.services.deps.engine;
    const getTasks = client.tasks.getTasks.bind(client.tasks);
    jest.spyOn(client.tasks, 'getTasks').mockImplementationOnce(async (...args) => {
      await renameProvider('Anbieter nach dem Umbau');
      await drain();
      expect(await indexedProviderName(id)).toBe('Anbieter nach dem Umbau'); // in the old index
      return getTasks(...args);
    });
    await t.services.sync.rebuild();
    await drain();
    expect(await indexedProviderName(id)).toBe('Anbieter nach dem Umbau');
  });
});

describe('rebuild after a bulk import', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('bulkrebuild', { startSync: false });
  });
  afterAll(async () => {
    await t.close();
  });

  it('indexes every imported course once and leaves nothing for the worker to push again', async () => {
    const imported: ImportCourse[] = Array.from({ length: 40 }, (_, i) => ({
      providerIndex: 0,
      confirmedDaysAgo: 3,
      content: aCourse({ title: { de: `Importkurs ${i}` }, status: i % 10 === 0 ? 'draft' : 'published' }),
    }));
    await importCatalog(t.services.deps.db, new Date(), [{ content: aProvider(), verified: true }], imported);
    expect(await t.services.sync.backlog()).toBe(40);
    const result = await t.services.sync.rebuild();
    expect(result.documents).toBe(36);
    // the four drafts stay marked: the worker takes them out of the index (where they never were)
    expect(await t.services.sync.backlog()).toBe(4);
    const { index, mongo } = await indexAndMongo(t);
    expect(index).toEqual(mongo);
  });
});

describe('a listing that turns stale while the index is rebuilt', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('staleduringrebuild', { startSync: false, syncOptions: { staleSweepIntervalMs: 0 } });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  it('ends up ranked as stale in the new index', async () => {
    const provider = await loginAs(t, 'provider', await givenProvider(t));
    const created = await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse({ title: { de: 'Kurs Wacholder' } }));
    expect(created.status).toBe(201);
    await t.services.sync.runOnce();
    const model = courseModel(t.services.deps.db);
    const { client } = t.services.deps.engine;
    const getTasks = client.tasks.getTasks.bind(client.tasks);
    // Between streaming and swapping (the rebuild's last check before the swap): the listing passes 90 days,
    // the sweep marks it, and the worker pushes it to the old index.
    jest.spyOn(client.tasks, 'getTasks').mockImplementationOnce(async (...args) => {
      await model.collection.updateOne({ _id: new Types.ObjectId(created.body.id) }, { $set: { lastConfirmedAt: new Date(Date.now() - 100 * 86_400_000) } });
      await t.services.sync.runOnce();
      expect(await model.countDocuments({ 'search.indexedStale': true })).toBe(1);
      return getTasks(...args);
    });
    await t.services.sync.rebuild();
    for (let round = 0; round < 5 && (await t.services.sync.backlog()) > 0; round += 1) await t.services.sync.runOnce();
    const doc = await client.index(t.services.sync.indexUid).getDocument(created.body.id);
    expect(doc.staleRank).toBe(1);
  });
});
