import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMeilisearch } from '../../src/infra/embedded/meilisearch';
import { startMongod } from '../../src/infra/embedded/mongod';
import { resolveMongodBinary } from '../../src/infra/embedded/mongod-binary';
import { connectMeilisearch } from '../../src/infra/meili';
import { warmUpSegmenters } from '../../src/search/search.service';

/** One real mongod (replica set) and one real Meilisearch for the whole run; test files get their own database and index prefix. */
export default async function globalSetup(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'skf-test-'));
  const binary = resolveMongodBinary(process.env.MONGOD_BIN, (line) => process.stdout.write(`\n${line}\n`));
  const [mongo, meili] = await Promise.all([startMongod({ binary, dataDir }), startMeilisearch({ dataDir })]);
  process.env.TEST_MONGODB_URI = mongo.uri;
  process.env.TEST_MEILI_URL = meili.url;
  process.env.TEST_MEILI_KEY = meili.masterKey;
  process.env.TEST_MONGOD_BIN = binary;
  process.env.TEST_DATA_DIR = dataDir;
  (globalThis as Record<string, unknown>).__skfServers = { mongo, meili, dataDir };
  // As an app does at start (src/startup.ts): the engine loads its CJK/Thai dictionaries once, not in some test's query.
  const engine = connectMeilisearch(meili.url, meili.masterKey, 'warmup_');
  await engine.client.createIndex('warmup_courses').waitTask();
  // On a busy machine loading the dictionaries can outlast one request's timeout; the engine keeps loading, so ask again.
  for (let attempt = 1; ; attempt++) {
    try {
      await warmUpSegmenters(engine, 'warmup_courses');
      break;
    } catch (error) {
      if (attempt >= 6) throw error;
    }
  }
}
