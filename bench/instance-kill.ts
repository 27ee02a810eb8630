/**
 * Instance-kill benchmark (architecture.md → Scaling out; bench/README.md has the method and the results):
 * two real app processes on one embedded mongod (replica set) and one Meilisearch, 200 courses, 400 PATCHes
 * spread over both; in the middle of the burst the instance holding the sync lease is killed with SIGKILL, and a
 * transaction it "had open" on one course is left behind (a raw driver session that writes and never commits —
 * the kill itself only rarely lands inside one of the app's millisecond transactions). Measures the longest write
 * through the survivor and the time from the kill until search equals MongoDB again.
 *
 *   npx tsx bench/instance-kill.ts [--courses 200] [--writes 400] [--concurrency 8]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import mongoose, { Types } from 'mongoose';
import { createAppServices } from '../src/app-services';
import { loadConfig } from '../src/config';
import { courseModel } from '../src/courses/course.model';
import { startMeilisearch } from '../src/infra/embedded/meilisearch';
import { startMongod, TRANSACTION_LIFETIME_SECONDS } from '../src/infra/embedded/mongod';
import { resolveMongodBinary } from '../src/infra/embedded/mongod-binary';
import { freePort, startManagedProcess, type ManagedProcess } from '../src/infra/embedded/managed-process';
import { connectMeilisearch } from '../src/infra/meili';
import { connectMongo } from '../src/infra/mongo';
import { systemClock } from '../src/lib/clock';
import { createLogger } from '../src/lib/logger';
import { importCatalog } from '../src/seeding/catalog-import';
import { generateSyntheticData } from '../seed/synthetic';

const REPO = path.resolve(__dirname, '..');
const log = (line: string) => process.stdout.write(`[instance-kill] ${line}\n`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const cleanups: Array<() => Promise<unknown> | unknown> = [];
async function cleanup(): Promise<void> {
  for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
}

type Instance = { name: string; url: string; process: ManagedProcess; dead: boolean };
type Attempt = { instance: string; status: number | 'refused'; ms: number; at: number };

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

async function main(): Promise<void> {
  const courses = option('courses', 200);
  const writes = option('writes', 400);
  const concurrency = option('concurrency', 8);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'skf-kill-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));

  const mongo = await startMongod({ binary: resolveMongodBinary(process.env.MONGOD_BIN, log), dataDir });
  cleanups.push(() => mongo.stop());
  const meili = await startMeilisearch({ dataDir });
  cleanups.push(() => meili.stop());
  const env = {
    NODE_ENV: 'production',
    MONGODB_URI: mongo.uri,
    MEILI_URL: meili.url,
    MEILI_MASTER_KEY: meili.masterKey,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
  };
  const db = await connectMongo(mongo.uri);
  cleanups.push(() => db.close());
  const engine = connectMeilisearch(meili.url, meili.masterKey, '');
  const services = createAppServices({ config: loadConfig(env), db, engine, clock: systemClock, logger: createLogger('warn') });
  await Promise.all(Object.values(db.models).map((model) => model.init()));
  const data = generateSyntheticData({ courses, seed: 1, today: new Date().toISOString().slice(0, 10) });
  await importCatalog(db, new Date(), data.providers, data.courses);
  const email = 'kill-bench@bench.example';
  const password = 'kill-bench-password-1';
  await services.accounts.createUser({ email, password, role: 'admin' });

  /** id → version of the published courses in MongoDB and in the index: equal means search == MongoDB */
  const inMongo = async () => new Map((await courseModel(db).find({ status: 'published' }, { version: 1 }).lean()).map((c) => [c._id.toString(), c.version]));
  const inSearch = async () => {
    const page = await engine.client.index<{ id: string; version: number }>('courses').getDocuments({ limit: 10_000, fields: ['id', 'version'] });
    return new Map(page.results.map((d) => [d.id, d.version]));
  };
  const searchEqualsMongo = async () => {
    const [m, s] = await Promise.all([inMongo(), inSearch()]);
    return m.size === s.size && [...m].every(([id, v]) => s.get(id) === v);
  };

  const instances: Instance[] = [];
  for (const name of ['A', 'B']) {
    const port = await freePort();
    const logFile = path.join(dataDir, `app-${name}.log`);
    const child = startManagedProcess(process.execPath, ['--max-old-space-size=128', '--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: path.join(dataDir, name) },
      cwd: REPO,
      logFile,
    });
    cleanups.push(() => child.stop());
    instances.push({ name, url: `http://127.0.0.1:${port}`, process: child, dead: false });
  }
  for (const instance of instances) {
    await waitUntil(`${instance.name} /health`, 60_000, async () => (await fetch(`${instance.url}/health`)).status === 200);
  }
  await waitUntil('search == MongoDB before the burst', 60_000, searchEqualsMongo);
  const tokenResponse = await fetch(`${instances[0]?.url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const { token } = (await tokenResponse.json()) as { token: string };
  const lease = await db.collection<{ _id: string; pid?: number }>('search_sync_lease').findOne({ _id: 'courses' });
  const victim = instances.find((i) => i.process.pid === lease?.pid);
  const survivor = instances.find((i) => i !== victim);
  if (!victim || !survivor) throw new Error(`lease holder not found (lease: ${JSON.stringify(lease)})`);
  log(`${courses} courses; lease held by ${victim.name} (pid ${victim.process.pid}); ${writes} writes, ${concurrency} at a time, alternating A/B`);

  const ids = (await courseModel(db).find({}, { _id: 1, version: 1 }).sort({ _id: 1 }).lean()).map((c) => ({ id: c._id.toString(), version: c.version }));
  const orphanClient = new mongoose.mongo.MongoClient(mongo.uri, { runtimeAdapters: { os } });
  await orphanClient.connect();
  cleanups.push(() => orphanClient.close());
  const orphanCourse = ids[Math.floor(ids.length / 2) + 1];

  const attempts: Attempt[] = [];
  const started = performance.now();
  let next = 0;
  let killAt: number | undefined;
  let gaveUp = 0;

  async function kill(): Promise<void> {
    if (!victim || !orphanCourse) return;
    victim.process.child.kill('SIGKILL');
    victim.dead = true;
    killAt = performance.now();
    // what the victim left open: a transaction that wrote to one course and never commits
    const session = orphanClient.startSession();
    session.startTransaction();
    await orphanClient
      .db()
      .collection('courses')
      .updateOne({ _id: new Types.ObjectId(orphanCourse.id) }, { $set: { 'title.de': 'nie bestätigt' }, $inc: { version: 1 } }, { session });
    log(`killed ${victim.name} after ${next} writes; left a transaction open on course ${orphanCourse.id}`);
  }

  async function writeOne(i: number): Promise<void> {
    const course = ids[i % ids.length];
    if (!course) return;
    for (let attempt = 0; attempt < 20; attempt++) {
      const preferred = instances[i % 2];
      const instance = preferred && !preferred.dead ? preferred : survivor;
      if (!instance) return;
      const t0 = performance.now();
      let status: number | 'refused';
      let retryAfter = 0;
      try {
        const response = await fetch(`${instance.url}/api/v1/courses/${course.id}`, {
          method: 'PATCH',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ version: course.version, seats: { capacity: 20, available: (i * 7) % 20, waitlist: 0 } }),
          signal: AbortSignal.timeout(60_000),
        });
        status = response.status;
        const body = (await response.json()) as { version?: number; error?: { currentVersion?: number; retryAfterSeconds?: number } };
        if (status === 200 && body.version) course.version = body.version;
        if (status === 409 && body.error?.currentVersion) course.version = body.error.currentVersion;
        retryAfter = Number(response.headers.get('retry-after') ?? 0);
      } catch {
        status = 'refused'; // the killed instance: a load balancer sends the request to the survivor
      }
      attempts.push({ instance: instance === survivor ? 'survivor' : 'victim', status, ms: performance.now() - t0, at: t0 - started });
      if (status === 200) return;
      if (retryAfter > 0) await sleep(retryAfter * 1000);
    }
    gaveUp += 1;
  }

  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < writes) {
        const i = next++;
        if (i === Math.floor(writes / 2)) await kill();
        await writeOne(i);
      }
    }),
  );
  const burstEnd = performance.now();
  log(`burst done in ${((burstEnd - started) / 1000).toFixed(1)} s`);
  await waitUntil('search == MongoDB after the kill', 120_000, searchEqualsMongo);
  const converged = performance.now();

  const survivorAttempts = attempts.filter((a) => a.instance === 'survivor');
  const byStatus = (list: Attempt[]) => list.reduce<Record<string, number>>((acc, a) => ({ ...acc, [String(a.status)]: (acc[String(a.status)] ?? 0) + 1 }), {});
  const sorted = survivorAttempts.map((a) => a.ms).sort((x, y) => x - y);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  const health = (await (await fetch(`${survivor.url}/health`)).json()) as Record<string, unknown>;
  const result = {
    courses,
    writes,
    concurrency,
    transactionLifetimeSeconds: TRANSACTION_LIFETIME_SECONDS,
    attemptsThroughSurvivor: survivorAttempts.length,
    statusesThroughSurvivor: byStatus(survivorAttempts),
    statusesThroughVictim: byStatus(attempts.filter((a) => a.instance === 'victim')),
    writesGivenUp: gaveUp,
    survivorWriteMs: { p50: Math.round(pct(50)), p95: Math.round(pct(95)), p99: Math.round(pct(99)), max: Math.round(sorted[sorted.length - 1] ?? 0) },
    burstSeconds: Math.round((burstEnd - started) / 100) / 10,
    killToSearchEqualsMongoSeconds: Math.round((converged - (killAt ?? converged)) / 100) / 10,
    survivorHealthAfter: health,
  };
  log(JSON.stringify(result, null, 2));
  mkdirSync(path.join(REPO, 'bench/results'), { recursive: true });
  writeFileSync(path.join(REPO, `bench/results/instance-kill-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(result, null, 2));
  const ok = result.survivorWriteMs.max < 10_000 && result.killToSearchEqualsMongoSeconds < 60 && gaveUp === 0;
  log(ok ? 'PASS: every write through the survivor < 10 s, search == MongoDB within 60 s of the kill' : 'FAIL');
  process.exitCode = ok ? 0 : 1;
}

process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
main()
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => void cleanup());
