import { apiTokenModel, userModel } from '../../src/accounts/account.models';
import { courseModel } from '../../src/courses/course.model';
import { createLogger } from '../../src/lib/logger';
import { providerModel } from '../../src/providers/provider.model';
import { importCatalog } from '../../src/seeding/catalog-import';
import { demoCatalog, DEMO_ACCOUNTS } from '../../src/seeding/demo-seed';
import { startInstance } from '../../src/startup';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp('takeover', { env: { SEED_DEMO: 'true' }, startSync: false, prepareIndex: false });
});
afterAll(async () => {
  await t.close();
});

it('takes over the demo load of an instance killed halfway through it: no minute of waiting, the demo catalogue once, search in step', async () => {
  const db = t.services.deps.db;
  const catalog = demoCatalog(new Date());
  // What the killed instance left: its claim without doneAt, every provider, half the courses, one account.
  await db.collection('seed_markers').insertOne({ _id: 'demo' as never, holder: 'killed-instance', startedAt: new Date(Date.now() - 3_600_000) });
  const half = await importCatalog(db, new Date(), catalog.providers, catalog.courses.slice(0, Math.ceil(catalog.courses.length / 2)));
  const admin = DEMO_ACCOUNTS.find((a) => a.role === 'admin');
  await t.services.accounts.ensureUser({ email: admin?.email ?? '', password: admin?.password ?? '', role: 'admin' });
  await t.http.post('/api/v1/auth/token').send({ email: admin?.email, password: admin?.password }).expect(200);
  // Another instance that started anyway has pushed the half-loaded courses to search.
  await t.services.sync.runOnce();
  expect(half.courses).toBeGreaterThan(0);

  const started = Date.now();
  const { rebuilt } = await startInstance(t.services, t.config, createLogger('silent'));
  expect(Date.now() - started).toBeLessThan(10_000);
  await rebuilt;

  expect(await providerModel(db).countDocuments()).toBe(catalog.providers.length);
  expect(await courseModel(db).countDocuments()).toBe(catalog.courses.length);
  expect(await providerModel(db).countDocuments({ _id: { $in: half.providerIds } })).toBe(0);
  for (const account of DEMO_ACCOUNTS) expect(await userModel(db).countDocuments({ email: account.email })).toBe(1);
  const providerAccount = await userModel(db).findOne({ role: 'provider' }).lean();
  expect(await providerModel(db).exists({ _id: providerAccount?.providerId })).not.toBeNull();
  expect(await apiTokenModel(db).countDocuments()).toBe(0);
  const marker = await db.collection('seed_markers').findOne({ _id: 'demo' as never });
  expect(marker?.doneAt).toBeInstanceOf(Date);
  expect(marker?.holder).not.toBe('killed-instance');

  await t.settle(20_000);
  const published = await courseModel(db).countDocuments({ status: 'published' });
  const search = await t.http.get('/api/v1/courses').query({ perPage: 1 });
  expect(search.body.total).toBe(published);
}, 30_000);
