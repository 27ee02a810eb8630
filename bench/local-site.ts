/**
 * The site for the page scripts (page weight, screenshots): either a running one (`--url http://…`) or the app
 * started here exactly as `npm start` starts it (embedded mongod + Meilisearch in a temporary DATA_DIR, demo data),
 * on a free loopback port. Everything started is stopped again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/lib/logger';
import { startRuntime } from '../src/runtime';
import { startInstance } from '../src/startup';

export type LocalSite = { url: string; stop(): Promise<void> };

/** `--url <base>` from the command line, if given. */
export function urlOption(argv: string[]): string | undefined {
  const at = argv.indexOf('--url');
  return at >= 0 ? argv[at + 1] : undefined;
}

export async function startLocalSite(argv: string[] = process.argv.slice(2)): Promise<LocalSite> {
  const given = urlOption(argv);
  if (given) return { url: given.replace(/\/$/, ''), stop: async () => {} };
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'skf-site-'));
  // Embedded servers even where the shell names external ones: the scripts measure the site as `npm start` serves it.
  const { MONGODB_URI: _mongo, MEILI_URL: _meili, MEILI_MASTER_KEY: _master, MEILI_API_KEY: _key, ...env } = process.env;
  const config = loadConfig({ ...env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO: 'true' });
  const logger = createLogger(config.logLevel);
  const runtime = await startRuntime(config, logger, { announce: false, reuseRunning: false });
  const { rebuilt } = await startInstance(runtime.services, config, logger);
  await rebuilt;
  const server: Server = await new Promise((resolve) => {
    const s = createApp(runtime.services).listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
