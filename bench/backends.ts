/**
 * What the search benchmark and the app profile share: their own mongod + Meilisearch in a temporary
 * directory, N synthetic courses imported through the bulk path and pushed by the sync worker, and the
 * load worker run as a separate process.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAppServices, type AppServices } from '../src/app-services';
import { loadConfig } from '../src/config';
import { courseModel } from '../src/courses/course.model';
import { startMeilisearch, type EmbeddedMeilisearch } from '../src/infra/embedded/meilisearch';
import { startMongod, type EmbeddedMongo } from '../src/infra/embedded/mongod';
import { resolveMongodBinary } from '../src/infra/embedded/mongod-binary';
import { startManagedProcess, type ManagedProcess, type ManagedProcessOptions } from '../src/infra/embedded/managed-process';
import { connectMeilisearch } from '../src/infra/meili';
import { connectMongo, type Connection } from '../src/infra/mongo';
import { systemClock } from '../src/lib/clock';
import { createLogger, type Logger } from '../src/lib/logger';
import { importCatalog } from '../src/seeding/catalog-import';
import { generateSyntheticData, type SyntheticData } from '../seed/synthetic';
import type { LoadJob, LoadResult } from './load-worker';

export const REPO = path.resolve(__dirname, '..');
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Walks `--name [value]` command-line options for the benchmark scripts: `handle` sets one option, calling `value()`
 * to take the next argument and `positive()` to read it as a number > 0 (both throw with the option's name).
 */
export function readOptions(argv: string[], handle: (arg: string, value: () => string, positive: (v: string) => number) => void): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const positive = (v: string) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${arg} must be a positive number`);
      return n;
    };
    handle(arg, value, positive);
  }
}

/** CPU seconds (user + system, all threads) a process has used so far, from /proc/<pid>/stat (Linux). */
export function cpuSecondsOf(pid: number): number {
  try {
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields of the line.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}
/** USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK) is not reachable from node). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU per request (ms, user + system of each named process over the load run, from /proc) beside the run's result. */
export async function withCpuPerRequest<N extends string, R extends { ok: number; non2xx: number }>(
  pids: Record<N, number>,
  run: () => Promise<R>,
): Promise<R & { cpuMsPerRequest: Record<N, number> }> {
  const names = Object.keys(pids) as N[];
  const before = names.map((name) => cpuSecondsOf(pids[name]));
  const result = await run();
  const requests = Math.max(1, result.ok + result.non2xx);
  const cpuMsPerRequest = Object.fromEntries(names.map((name, i) => [name, round(((cpuSecondsOf(pids[name]) - (before[i] ?? 0)) * 1000) / requests, 2)])) as Record<N, number>;
  return { ...result, cpuMsPerRequest };
}

/** Processes the benchmark starts die with it, like the app's own servers (see managed-process.ts). */
export function spawnChild(command: string, args: string[], options: Omit<ManagedProcessOptions, 'cwd'>): ManagedProcess {
  return startManagedProcess(command, args, { ...options, cwd: REPO });
}

export async function waitUntil<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const result = await attempt();
      if (result !== undefined) return result;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms${lastError instanceof Error ? ` (${lastError.message})` : ''}`);
}

/** Runs bench/load-worker.ts as its own process (so its CPU is never the measured process's); `track` registers its stop for Ctrl-C. */
export async function runLoad(job: LoadJob, dataDir: string, name: string, track: (stop: () => Promise<void>) => () => void = () => () => {}): Promise<LoadResult> {
  const jobFile = path.join(dataDir, `load-${name}.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  const worker = spawnChild(process.execPath, ['--import', 'tsx', path.join(REPO, 'bench/load-worker.ts'), jobFile], { stdout: 'pipe' });
  const untrack = track(() => worker.stop());
  let stdout = '';
  worker.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const code = await worker.exited;
  untrack();
  if (code !== 0) throw new Error(`load worker for ${name} exited with ${code}`);
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as LoadResult;
}

export type Backends = {
  mongo: EmbeddedMongo;
  meili: EmbeddedMeilisearch;
  /** the environment the app process gets (LOG_LEVEL as given) */
  env: Record<string, string>;
  db: Connection;
  services: AppServices;
  logger: Logger;
};

/** Starts mongod + Meilisearch in `dataDir` and the services of the app against them; `onStop` receives each stop in start order. */
export async function startBackends(options: { dataDir: string; indexingMemory: string; logLevel: string }, onStop: (stop: () => Promise<void>) => void): Promise<Backends> {
  const { dataDir } = options;
  const mongo = await startMongod({ binary: resolveMongodBinary(process.env.MONGOD_BIN, log), dataDir });
  onStop(() => mongo.stop());
  const meili = await startMeilisearch({ dataDir, maxIndexingMemory: options.indexingMemory });
  onStop(() => meili.stop());
  const env = {
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    MONGODB_URI: mongo.uri,
    MEILI_URL: meili.url,
    MEILI_MASTER_KEY: meili.masterKey,
    MEILI_INDEX_PREFIX: '',
    SEED_DEMO: 'false',
    LOG_LEVEL: options.logLevel,
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
  };
  const config = loadConfig(env);
  // The benchmark's own services log only warnings: their lines would otherwise mix with the measured app's.
  const logger = createLogger('warn');
  const db = await connectMongo(mongo.uri);
  onStop(() => db.close());
  const engine = connectMeilisearch(meili.url, meili.masterKey, config.indexPrefix);
  const services = createAppServices({ config, db, engine, clock: systemClock, logger, syncOptions: { batchSize: 5_000, pollIntervalMs: 50 } });
  onStop(() => services.sync.stop());
  await services.sync.ensureIndex();
  return { mongo, meili, env, db, services, logger };
}

export type LoadedCatalog = { data: SyntheticData; published: number; generateMs: number; importMs: number; initialSyncMs: number };

/** Generates N synthetic courses (seed 1), imports them through `importCatalog` and lets the sync worker push them. */
export async function loadCatalog(backends: Backends, courses: number, today: string): Promise<LoadedCatalog> {
  const { db, services } = backends;
  let t = performance.now();
  const data = generateSyntheticData({ courses, seed: 1, today });
  const generateMs = performance.now() - t;
  t = performance.now();
  await importCatalog(db, new Date(), data.providers, data.courses);
  const importMs = performance.now() - t;
  const published = await courseModel(db).countDocuments({ status: 'published' });
  log(`generated ${data.courses.length} courses (${data.providers.length} providers) in ${round(generateMs / 1000, 2)} s, imported in ${round(importMs / 1000, 2)} s; ${published} published`);
  t = performance.now();
  services.sync.start();
  await waitUntil('initial sync', 30 * 60_000, async () => ((await services.sync.backlog()) === 0 ? true : undefined), 250);
  await services.sync.stop();
  const initialSyncMs = performance.now() - t;
  log(`sync worker indexed the import in ${round(initialSyncMs / 1000, 2)} s`);
  return { data, published, generateMs, importMs, initialSyncMs };
}
