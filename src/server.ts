import type { Server } from 'node:http';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { MissingToolError } from './infra/embedded/mongod-binary';
import { createLogger } from './lib/logger';
import { startRuntime } from './runtime';
import { DEMO_ACCOUNTS, isCatalogEmpty, seedDemo } from './seeding/demo-seed';
import { suggestPlaces } from './places/places';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const runtime = await startRuntime(config, logger, { announce: true, reuseRunning: false });
  const { services } = runtime;
  const http: { server?: Server } = {};
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await new Promise<void>((resolve) => (http.server ? http.server.close(() => resolve()) : resolve()));
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await services.sync.ensureIndex().catch((error: unknown) => {
    // Degraded, not dead: writes work, search answers 503, and the sync worker creates the index when the engine answers.
    logger.warn({ err: error instanceof Error ? error.message : error }, 'search engine unreachable at start; search is unavailable until it answers');
  });
  if (config.seedDemo && (await isCatalogEmpty(services.deps.db))) {
    const seeded = await seedDemo(services.deps.db, services.accounts, new Date());
    logger.info({ courses: seeded.courses }, 'demo data loaded');
  }
  if (config.admin) {
    const created = await services.accounts.ensureUser({ email: config.admin.email.toLowerCase(), password: config.admin.password, role: 'admin' });
    if (created) logger.info({ email: created.email }, 'admin account created from ADMIN_EMAIL');
  }
  // Builds the offline place index (about 0.7 s) now rather than in the first search with a postcode.
  suggestPlaces('Landau');
  services.sync.start();
  // Startup reconcile: a fresh index from MongoDB, swapped in while the old one keeps answering.
  services.sync
    .rebuild()
    .then((result) => logger.info(result, 'search index rebuilt'))
    .catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.message : error }, 'search index rebuild failed; the sync worker keeps retrying'));

  http.server = createApp(services).listen(config.port, config.host, () => {
    const address = http.server?.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const lines = [`Sprachkursfinder is running at http://${config.host}:${port}/`];
    if (config.seedDemo) {
      lines.push('Demo accounts (demo data only):');
      for (const a of DEMO_ACCOUNTS) lines.push(`  ${a.role.padEnd(9)} ${a.email}  password: ${a.password}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof MissingToolError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Sprachkursfinder could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
