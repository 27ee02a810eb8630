import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config';
import { startMeilisearch } from './meilisearch';
import { startMongod } from './mongod';
import { resolveMongodBinary } from './mongod-binary';

export type BackingServices = {
  mongodbUri: string;
  meili: { url: string; masterKey: string | undefined };
  embedded: boolean;
  stop(): Promise<void>;
};

/**
 * External services when configured; otherwise real `mongod` and Meilisearch started as children,
 * with their data under DATA_DIR. The rest of the app only ever sees a URI and a URL.
 */
export async function startBackingServices(config: Config, say: (line: string) => void): Promise<BackingServices> {
  const dataDir = path.resolve(config.dataDir);
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    await Promise.all(stops.map((fn) => fn()));
  };
  try {
    let mongodbUri = config.mongodbUri;
    if (!mongodbUri) {
      mkdirSync(dataDir, { recursive: true });
      const mongo = await startMongod({ binary: resolveMongodBinary(config.mongodBin, say), dataDir });
      stops.push(mongo.stop);
      mongodbUri = mongo.uri;
    }
    let meili: BackingServices['meili'] | undefined = config.meili ? { url: config.meili.url, masterKey: config.meili.masterKey } : undefined;
    if (!meili) {
      const engine = await startMeilisearch({ dataDir });
      stops.push(engine.stop);
      meili = { url: engine.url, masterKey: engine.masterKey };
    }
    return { mongodbUri, meili, embedded: !config.mongodbUri || !config.meili, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
