import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config';
import { createAppServices, type AppServices } from './app-services';
import { startBackingServices } from './infra/embedded/embedded-services';
import { connectMeilisearch } from './infra/meili';
import { resolveAppKey } from './infra/meili-keys';
import { connectMongo } from './infra/mongo';
import { systemClock } from './lib/clock';
import type { Logger } from './lib/logger';

export type Runtime = { services: AppServices; embedded: boolean; stop(): Promise<void> };

type RuntimeFile = { pid: number; mongodbUri: string; meiliUrl: string; meiliKey: string | undefined };

function runtimeFile(config: Config): string {
  return path.resolve(config.dataDir, 'runtime.json');
}

/** Embedded servers of a running `npm start` over the same DATA_DIR, so the CLI can reuse them. */
function runningEmbedded(config: Config): RuntimeFile | undefined {
  const file = runtimeFile(config);
  if (!existsSync(file)) return undefined;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as RuntimeFile;
    process.kill(info.pid, 0);
    return info;
  } catch {
    return undefined;
  }
}

/** Connects to (or starts) MongoDB and Meilisearch and wires every service. */
export async function startRuntime(config: Config, logger: Logger, options: { announce: boolean; reuseRunning: boolean }): Promise<Runtime> {
  const say = (line: string) => logger.info(line);
  const reuse = options.reuseRunning && !config.mongodbUri && !config.meili ? runningEmbedded(config) : undefined;
  const backing = reuse
    ? { mongodbUri: reuse.mongodbUri, meili: { url: reuse.meiliUrl, masterKey: reuse.meiliKey }, embedded: false, stop: async () => {} }
    : await startBackingServices(config, say);
  let stopKey = () => {};
  try {
    const db = await connectMongo(backing.mongodbUri);
    // The master key stays with process management: the app itself searches and writes with a scoped key.
    const key = await resolveAppKey({ url: backing.meili.url, masterKey: backing.meili.masterKey, apiKey: config.meili?.apiKey, indexPrefix: config.indexPrefix, logger });
    stopKey = key.stop;
    const engine = connectMeilisearch(backing.meili.url, key.apiKey, config.indexPrefix);
    const services = createAppServices({ config, db, engine, clock: systemClock, logger });
    if (options.announce && backing.embedded) {
      mkdirSync(path.resolve(config.dataDir), { recursive: true });
      const info: RuntimeFile = { pid: process.pid, mongodbUri: backing.mongodbUri, meiliUrl: backing.meili.url, meiliKey: backing.meili.masterKey };
      writeFileSync(runtimeFile(config), JSON.stringify(info), { mode: 0o600 });
    }
    return {
      services,
      embedded: backing.embedded,
      async stop() {
        stopKey();
        await services.jobs.stop();
        await services.stats.stop();
        await services.sync.stop();
        await db.close();
        if (options.announce && backing.embedded) rmSync(runtimeFile(config), { force: true });
        await backing.stop();
      },
    };
  } catch (error) {
    stopKey();
    await backing.stop();
    throw error;
  }
}
