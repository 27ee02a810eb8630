import { Command, InvalidArgumentError } from 'commander';
import { DateTime } from 'luxon';
import { generateSyntheticData } from '../seed/synthetic';
import { roleSchema } from './accounts/account.enums';
import { createUserBodySchema } from './accounts/account.schema';
import { ConfigError, loadConfig } from './config';
import { MissingToolError } from './infra/embedded/mongod-binary';
import { AppError } from './lib/errors';
import { createLogger } from './lib/logger';
import { parseInput } from './lib/validation';
import { startRuntime, type Runtime } from './runtime';
import { importCatalog } from './seeding/catalog-import';
import { isDemoLoaded, seedDemo } from './seeding/demo-seed';

/** Runs one command against the configured (or the running embedded, or freshly started) services. */
async function withRuntime(work: (runtime: Runtime) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const runtime = await startRuntime(config, logger, { announce: false, reuseRunning: true });
  try {
    await runtime.services.sync.ensureIndex();
    await work(runtime);
  } finally {
    await runtime.stop();
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new InvalidArgumentError('must be a whole number from 1 to 1000000');
  return n;
}

/** Pushes everything marked for indexing before the command ends (the CLI has no long-running worker). */
async function drainSearchBacklog(runtime: Runtime): Promise<void> {
  const { sync } = runtime.services;
  sync.start();
  while ((await sync.backlog()) > 0) await new Promise((r) => setTimeout(r, 100));
}

const program = new Command('sprachkursfinder').description('Sprachkursfinder administration');

program
  .command('users:create')
  .description('create a user account')
  .requiredOption('--email <email>')
  .requiredOption('--password <password>')
  .requiredOption('--role <role>', 'admin | counselor | provider', (v) => roleSchema.parse(v))
  .option('--provider <id>', 'provider id (role provider)')
  .action(async (options: { email: string; password: string; role: string; provider?: string }) => {
    const input = parseInput(createUserBodySchema, { email: options.email, password: options.password, role: options.role, ...(options.provider ? { providerId: options.provider } : {}) }, 'body');
    await withRuntime(async ({ services }) => {
      const user = await services.accounts.createUser(input);
      process.stdout.write(`created ${user.role} ${user.email} (${user.id})\n`);
    });
  });

program
  .command('search:reindex')
  .description('rebuild the search index from MongoDB and swap it in atomically')
  .action(async () => {
    await withRuntime(async (runtime) => {
      const result = await runtime.services.sync.rebuild();
      await drainSearchBacklog(runtime);
      process.stdout.write(`reindexed ${result.documents} published courses in ${result.ms} ms\n`);
    });
  });

program
  .command('seed:demo')
  .description('load the demo providers, courses and accounts')
  .action(async () => {
    await withRuntime(async (runtime) => {
      if (await isDemoLoaded(runtime.services.deps.db)) {
        process.stdout.write('demo data is already loaded\n');
        return;
      }
      const result = await seedDemo(runtime.services.deps.db, runtime.services.accounts, new Date());
      await drainSearchBacklog(runtime);
      process.stdout.write(`loaded ${result.courses} demo courses\n`);
    });
  });

program
  .command('seed:synthetic')
  .description('generate N realistic synthetic courses across Germany (for benchmarks)')
  .requiredOption('--courses <n>', 'number of courses', positiveInt)
  .option('--seed <n>', 'random seed', positiveInt, 1)
  .action(async (options: { courses: number; seed: number }) => {
    await withRuntime(async (runtime) => {
      const today = DateTime.now().setZone('Europe/Berlin').toISODate() ?? '';
      const data = generateSyntheticData({ courses: options.courses, seed: options.seed, today });
      const started = Date.now();
      await importCatalog(runtime.services.deps.db, new Date(), data.providers, data.courses);
      const rebuilt = await runtime.services.sync.rebuild();
      await drainSearchBacklog(runtime);
      process.stdout.write(`imported ${data.courses.length} courses from ${data.providers.length} providers and indexed ${rebuilt.documents} in ${Date.now() - started} ms\n`);
    });
  });

program.parseAsync().catch((error: unknown) => {
  if (error instanceof AppError) {
    process.stderr.write(`${error.message}${error.details.map((d) => `\n  ${d.param}: ${d.message}`).join('')}\n`);
  } else if (error instanceof ConfigError || error instanceof MissingToolError || error instanceof Error) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`${String(error)}\n`);
  }
  process.exit(1);
});
