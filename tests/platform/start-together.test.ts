import { userModel } from '../../src/accounts/account.models';
import { courseModel } from '../../src/courses/course.model';
import { createLogger } from '../../src/lib/logger';
import { providerModel } from '../../src/providers/provider.model';
import { demoCatalog, DEMO_ACCOUNTS } from '../../src/seeding/demo-seed';
import { startInstance } from '../../src/startup';
import { createTestApp, type TestApp } from '../support/test-app';

const ADMIN = { ADMIN_EMAIL: 'leitung@landau.example', ADMIN_PASSWORD: 'gemeinsam-gestartet-2027' };

let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  const env = { SEED_DEMO: 'true', ...ADMIN };
  a = await createTestApp('together', { env, startSync: false, prepareIndex: false });
  b = await createTestApp('together', { env, startSync: false, prepareIndex: false, sameDataAs: a });
});
afterAll(async () => {
  await b.close();
  await a.close();
});

it('starts two instances at the same moment on an empty database: both come up, the admin and the demo catalogue exist once', async () => {
  const logger = createLogger('silent');
  const [first, second] = await Promise.all([startInstance(a.services, a.config, logger), startInstance(b.services, b.config, logger)]);
  await Promise.all([first.rebuilt, second.rebuilt]);

  const db = a.services.deps.db;
  expect(await userModel(db).countDocuments({ email: ADMIN.ADMIN_EMAIL })).toBe(1);
  for (const account of DEMO_ACCOUNTS) expect(await userModel(db).countDocuments({ email: account.email })).toBe(1);
  const catalog = demoCatalog(new Date());
  expect(await providerModel(db).countDocuments()).toBe(catalog.providers.length);
  expect(await courseModel(db).countDocuments()).toBe(catalog.courses.length);

  for (const t of [a, b]) {
    const login = await t.http.post('/api/v1/auth/token').send({ email: ADMIN.ADMIN_EMAIL, password: ADMIN.ADMIN_PASSWORD });
    expect(login.status).toBe(200);
  }
  await a.settle(20_000);
  const published = await courseModel(db).countDocuments({ status: 'published' });
  const search = await b.http.get('/api/v1/courses').query({ perPage: 1 });
  expect(search.body.total).toBe(published);
}, 60_000);

it('starts a third instance later without loading the demo catalogue again', async () => {
  const before = await courseModel(a.services.deps.db).countDocuments();
  const c = await createTestApp('together', { env: { SEED_DEMO: 'true', ...ADMIN }, startSync: false, sameDataAs: a });
  try {
    const { rebuilt } = await startInstance(c.services, c.config, createLogger('silent'));
    await rebuilt;
    expect(await courseModel(a.services.deps.db).countDocuments()).toBe(before);
  } finally {
    await c.close();
  }
}, 30_000);
