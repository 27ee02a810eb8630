import { Types } from 'mongoose';
import { courseModel } from '../../src/courses/course.model';
import { aCourse, givenProvider, loginAs } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';
import { indexVersions } from './index-state';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp('rejected', { startSync: false });
});
afterAll(async () => {
  await t.close();
});

it('keeps indexing the other courses when the engine rejects one document, and keeps that one marked', async () => {
  const provider = await loginAs(t, 'provider', await givenProvider(t));
  const ids: string[] = [];
  for (const title of ['Kurs Ahorn', 'Kurs Birke', 'Kurs Eiche']) {
    const res = await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse({ title: { de: title } }));
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
  // A stored course the engine refuses (a latitude that is not a number, as older or hand-edited data might hold).
  await courseModel(t.services.deps.db).collection.updateOne({ _id: new Types.ObjectId(ids[1]) }, { $set: { 'venue.lat': 'north' } });

  await expect(t.services.sync.runOnce()).rejects.toThrow(`rejected courses ${ids[1]}`);

  const indexed = await indexVersions(t);
  expect([...indexed.keys()].sort()).toEqual([ids[0], ids[2]].sort());
  const stillMarked = await courseModel(t.services.deps.db).find({ 'search.pendingVersion': { $exists: true } }, { _id: 1 }).lean();
  expect(stillMarked.map((c) => c._id.toString())).toEqual([ids[1]]);
  expect((await t.http.get('/health')).body).toMatchObject({ searchBacklog: 1 });
});
