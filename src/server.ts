import type { Server } from 'node:http';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { MissingToolError } from './infra/embedded/mongod-binary';
import { createLogger } from './lib/logger';
import { startRuntime } from './runtime';
import { DEMO_ACCOUNTS } from './seeding/demo-seed';
import { startInstance } from './startup';

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

  await startInstance(services, config, logger);

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
