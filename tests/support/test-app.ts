import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import { createAppServices, type AppServices } from '../../src/app-services';
import { loadConfig, type Config } from '../../src/config';
import { connectMeilisearch, type SearchEngine } from '../../src/infra/meili';
import { resolveAppKey } from '../../src/infra/meili-keys';
import { connectMongo } from '../../src/infra/mongo';
import type { Clock } from '../../src/lib/clock';
import { createLogger } from '../../src/lib/logger';
import type { SearchSyncOptions } from '../../src/search/search-sync';

export type TestApp = {
  /** names the database (`t_<id>`) and the index prefix (`t_<id>_`) */
  id: string;
  app: Express;
  services: AppServices;
  http: ReturnType<typeof request>;
  config: Config;
  /** waits until the sync worker has pushed every marked course */
  settle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

export type TestAppOptions = {
  env?: Record<string, string>;
  clock?: Clock;
  mongodbUri?: string;
  meili?: { url: string; key: string };
  syncOptions?: SearchSyncOptions;
  startSync?: boolean;
  /** create the index before the test (default); false: as a server that started while the engine was down */
  prepareIndex?: boolean;
  /** another instance of the same deployment: this app uses that app's database and index prefix */
  sameDataAs?: TestApp;
};

/**
 * A complete app against the run's real servers, with its own database and index prefix,
 * so test files run in parallel without seeing each other's data.
 */
export async function createTestApp(name: string, options: TestAppOptions = {}): Promise<TestApp> {
  const suffix = randomBytes(4).toString('hex');
  const id = options.sameDataAs?.id ?? `${name.replace(/[^a-z0-9]/gi, '').slice(0, 20)}_${suffix}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MONGODB_URI: options.mongodbUri ?? process.env.TEST_MONGODB_URI,
    MEILI_URL: options.meili?.url ?? process.env.TEST_MEILI_URL,
    MEILI_MASTER_KEY: options.meili?.key ?? process.env.TEST_MEILI_KEY,
    MEILI_INDEX_PREFIX: `t_${id}_`,
    ...options.env,
  });
  const logger = createLogger(config.logLevel);
  const db = await connectMongo(config.mongodbUri ?? '', `t_${id}`);
  // As in production: the app works with its scoped key, derived from the master key (src/infra/meili-keys.ts).
  const key = await resolveAppKey({ url: config.meili?.url ?? '', masterKey: config.meili?.masterKey, apiKey: config.meili?.apiKey, indexPrefix: config.indexPrefix, logger });
  const engine: SearchEngine = connectMeilisearch(config.meili?.url ?? '', key.apiKey, config.indexPrefix);
  const services = createAppServices({
    config,
    db,
    engine,
    clock: options.clock ?? { now: () => new Date() },
    logger,
    syncOptions: { pollIntervalMs: 50, maxBackoffMs: 500, ...options.syncOptions },
  });
  await Promise.all(Object.values(db.models).map((model) => model.init()));
  if (options.prepareIndex !== false) await services.sync.ensureIndex();
  if (options.startSync !== false) services.sync.start();
  const app = createApp(services);
  return {
    id,
    app,
    services,
    http: request(app),
    config,
    async settle(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while ((await services.sync.backlog()) > 0) {
        if (Date.now() > deadline) throw new Error(`search backlog did not drain within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      key.stop();
      await services.jobs.stop();
      await services.stats.stop();
      await services.sync.stop();
      await db.dropDatabase().catch(() => undefined);
      await db.close();
      const indexes = await engine.client.getIndexes({ limit: 1000 }).catch(() => ({ results: [] as Array<{ uid: string }> }));
      await Promise.all(indexes.results.filter((i) => i.uid.startsWith(config.indexPrefix)).map((i) => engine.client.deleteIndex(i.uid).catch(() => undefined)));
    },
  };
}
