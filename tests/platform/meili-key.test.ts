/**
 * The app searches and writes with a scoped Meilisearch key, never with the master key
 * (src/infra/meili-keys.ts): the key reaches only the app's own indexes and cannot manage keys.
 */
import { loadConfig } from '../../src/config';
import { APP_KEY_ACTIONS, appKeyIndexes, appKeyUid, appKeyValue, provisionAppKey } from '../../src/infra/meili-keys';
import { createLogger } from '../../src/lib/logger';
import { startRuntime, type Runtime } from '../../src/runtime';
import { aCourse, givenProvider, loginAs } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';

const url = process.env.TEST_MEILI_URL ?? '';
const masterKey = process.env.TEST_MEILI_KEY ?? '';

function meili(path: string, key: string, init: RequestInit = {}): Promise<Response> {
  return fetch(new URL(path, url), { ...init, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...init.headers } });
}

let t: TestApp;
let other: TestApp;

beforeAll(async () => {
  [t, other] = await Promise.all([createTestApp('scopedkey'), createTestApp('otherapp')]);
});
afterAll(async () => {
  await Promise.all([t?.close(), other?.close()]);
});

describe('the key the app uses', () => {
  it('is not the master key, and is the scoped key Meilisearch holds for the app\'s prefix', async () => {
    const apiKey = t.services.deps.engine.apiKey ?? '';
    expect(apiKey).not.toBe(masterKey);
    const stored = await meili(`/keys/${appKeyUid(t.config.indexPrefix)}`, masterKey);
    expect(stored.status).toBe(200);
    const body = (await stored.json()) as { key: string; actions: string[]; indexes: string[]; expiresAt: string | null };
    expect(body.key).toBe(apiKey);
    expect(body.indexes).toEqual([`${t.config.indexPrefix}courses`, `${t.config.indexPrefix}courses_*`]);
    expect([...body.actions].sort()).toEqual([...APP_KEY_ACTIONS].sort());
    expect(body.actions).not.toContain('*');
    expect(body.actions).not.toContain('keys.get');
  });

  it('searches and writes the app\'s own index', async () => {
    const provider = await loginAs(t, 'provider', await givenProvider(t));
    const created = await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse({ title: { de: 'Schlüsselkurs' } }));
    expect(created.status).toBe(201);
    await t.settle();
    const res = await t.http.get('/api/v1/courses').query({ q: 'Schlüsselkurs' });
    expect(res.status).toBe(200);
    expect(res.body.hits.map((h: { id: string }) => h.id)).toEqual([created.body.id]);
  });

  it('cannot manage keys, nor touch another app\'s index or one outside its prefix', async () => {
    const apiKey = t.services.deps.engine.apiKey ?? '';
    expect((await meili('/keys', apiKey)).status).toBe(403);
    expect((await meili('/dumps', apiKey, { method: 'POST' })).status).toBe(403);
    expect((await meili('/indexes', apiKey, { method: 'POST', body: JSON.stringify({ uid: 'not_mine' }) })).status).toBe(403);
    expect((await meili('/indexes', apiKey, { method: 'POST', body: JSON.stringify({ uid: `${t.config.indexPrefix}other` }) })).status).toBe(403);
    const otherIndex = other.services.search.indexUid;
    expect((await meili(`/indexes/${otherIndex}/search`, apiKey, { method: 'POST', body: '{}' })).status).toBe(403);
    expect((await meili(`/indexes/${otherIndex}/documents`, apiKey, { method: 'DELETE' })).status).toBe(403);
    // the same requests with the other app's own key do work: the 403s above are the scope, not a broken request
    expect((await meili(`/indexes/${otherIndex}/search`, other.services.deps.engine.apiKey ?? '', { method: 'POST', body: '{}' })).status).toBe(200);
  });
});

describe('deriving the key', () => {
  it('computes the value Meilisearch gives the key (so an app that starts while the engine is down knows it)', async () => {
    const prefix = 'derive_probe_';
    const provisioned = await provisionAppKey(url, masterKey, prefix);
    expect(provisioned).toBe(appKeyValue(masterKey, appKeyUid(prefix)));
    expect(await provisionAppKey(url, masterKey, prefix)).toBe(provisioned);
    expect(appKeyUid(prefix)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(appKeyUid('a_')).not.toBe(appKeyUid('b_'));
  });

  it('replaces a key with other rights under the app\'s uid', async () => {
    const prefix = 'replace_probe_';
    const uid = appKeyUid(prefix);
    const wrong = await meili('/keys', masterKey, { method: 'POST', body: JSON.stringify({ uid, actions: ['*'], indexes: ['*'], expiresAt: null }) });
    expect(wrong.status).toBe(201);
    await provisionAppKey(url, masterKey, prefix);
    const stored = (await (await meili(`/keys/${uid}`, masterKey)).json()) as { actions: string[]; indexes: string[] };
    expect(stored.indexes).toEqual(appKeyIndexes(prefix));
    expect(stored.actions).not.toContain('*');
  });
});

describe('configuration', () => {
  it('MEILI_API_KEY alone is enough; MEILI_URL without any key stops the start naming both', () => {
    const config = loadConfig({ MEILI_URL: url, MEILI_API_KEY: 'k', MONGODB_URI: 'mongodb://127.0.0.1:1' });
    expect(config.meili).toMatchObject({ masterKey: undefined, apiKey: 'k' });
    expect(() => loadConfig({ MEILI_URL: url, MONGODB_URI: 'mongodb://127.0.0.1:1' })).toThrow(/MEILI_API_KEY or MEILI_MASTER_KEY/);
  });

  it('without a prefix (the default) the key still names only the app\'s own indexes', () => {
    expect(appKeyIndexes('')).toEqual(['courses', 'courses_*']);
  });

  it('the runtime hands the services the scoped key, and uses MEILI_API_KEY as given', async () => {
    const prefix = `rt_${Date.now()}_`;
    const base = { NODE_ENV: 'test', LOG_LEVEL: 'silent', MONGODB_URI: process.env.TEST_MONGODB_URI ?? '', MEILI_URL: url, MEILI_INDEX_PREFIX: prefix };
    const logger = createLogger('silent');
    const settled = async (runtime: Runtime) => Promise.all(Object.values(runtime.services.deps.db.models).map((model) => model.init()));
    const derived = await startRuntime(loadConfig({ ...base, MEILI_MASTER_KEY: masterKey }), logger, { announce: false, reuseRunning: false });
    try {
      expect(derived.services.deps.engine.apiKey).toBe(appKeyValue(masterKey, appKeyUid(prefix)));
      await derived.services.sync.ensureIndex();
    } finally {
      await settled(derived);
      await derived.stop();
    }
    const given = await startRuntime(loadConfig({ ...base, MEILI_API_KEY: appKeyValue(masterKey, appKeyUid(prefix)) }), logger, { announce: false, reuseRunning: false });
    try {
      expect(given.services.deps.engine.apiKey).toBe(appKeyValue(masterKey, appKeyUid(prefix)));
      const result = await given.services.search.search({ sort: 'relevance', page: 1, perPage: 1, lang: 'de' });
      expect(result.total).toBe(0);
      await given.services.deps.engine.client.deleteIndex(given.services.search.indexUid);
    } finally {
      await settled(given);
      await given.stop();
    }
  });
});
