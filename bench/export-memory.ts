/**
 * Memory of the streamed exports (issue 12): seeds N synthetic courses into a private mongod, then runs the app in
 * a child process with the production heap limit (`--max-old-space-size=128`, as `npm start`) and downloads
 * `GET /api/v1/courses/export.csv` (anonymous and admin) and `GET /api/v1/export/courses.json` from it, sampling
 * the child's RSS and heap every 100 ms. The child is the measured process; the seeding's memory is not in it.
 *
 *   node --import tsx bench/export-memory.ts [--courses 100000]
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateSyntheticData } from '../seed/synthetic';
import { createApp } from '../src/app';
import { createAppServices } from '../src/app-services';
import { loadConfig } from '../src/config';
import { startMongod } from '../src/infra/embedded/mongod';
import { resolveMongodBinary } from '../src/infra/embedded/mongod-binary';
import { connectMeilisearch } from '../src/infra/meili';
import { connectMongo } from '../src/infra/mongo';
import { systemClock } from '../src/lib/clock';
import { createLogger } from '../src/lib/logger';
import { importCatalog } from '../src/seeding/catalog-import';
import { log, REPO, round } from './backends';

const MB = 1024 * 1024;
type Sample = { rss: number; heapUsed: number };
type Run = { path: string; as: string; bytes: number; ms: number; peakRssMb: number; peakHeapMb: number };

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** The measured side: the app on a random port; answers "ready <port>" and then one JSON line of samples per request it is told. */
async function serve(mongoUri: string): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'warn', MONGODB_URI: mongoUri, MEILI_URL: 'http://127.0.0.1:9', MEILI_MASTER_KEY: 'unused-in-this-bench', SEED_DEMO: 'false', SESSION_SECRET: 'bench-session-secret-0123456789abcdef' });
  const logger = createLogger('warn');
  const db = await connectMongo(mongoUri, 'exportbench');
  // Search is not involved in the exports; the engine client is never called.
  const services = createAppServices({ config, db, engine: connectMeilisearch('http://127.0.0.1:9', 'unused', ''), clock: systemClock, logger });
  const server = http.createServer(createApp(services)).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  let samples: Sample[] = [];
  setInterval(() => {
    const { rss, heapUsed } = process.memoryUsage();
    samples.push({ rss, heapUsed });
  }, 100).unref();
  process.stdin.setEncoding('utf8').on('data', (line: string) => {
    if (line.startsWith('reset')) {
      (global as { gc?: () => void }).gc?.();
      samples = [];
      process.stdout.write('ok\n');
    } else if (line.startsWith('report')) {
      process.stdout.write(`${JSON.stringify({ peakRss: Math.max(...samples.map((s) => s.rss)), peakHeap: Math.max(...samples.map((s) => s.heapUsed)) })}\n`);
    } else if (line.startsWith('token')) {
      void services.accounts.createUser({ email: 'bench-admin@bench.example', password: 'correct horse battery staple', role: 'admin' }).then(async () => {
        const { token } = await services.accounts.issueToken('bench-admin@bench.example', 'correct horse battery staple', 'bench');
        process.stdout.write(`${token}\n`);
      });
    }
  });
  process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
}

async function download(port: number, urlPath: string, headers: Record<string, string>): Promise<{ bytes: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, headers }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => (res.statusCode === 200 ? resolve({ bytes, ms: performance.now() - started }) : reject(new Error(`${urlPath}: ${res.statusCode}`))));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function main(): Promise<void> {
  const courses = option('--courses', 100_000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'export-bench-'));
  const mongo = await startMongod({ binary: resolveMongodBinary(process.env.MONGOD_BIN, log), dataDir });
  try {
    const db = await connectMongo(mongo.uri, 'exportbench');
    const t = performance.now();
    const data = generateSyntheticData({ courses, seed: 1, today: '2027-01-15' });
    await importCatalog(db, new Date(), data.providers, data.courses);
    const published = await db.collection('courses').countDocuments({ status: 'published' });
    log(`seeded ${courses} courses (${published} published) in ${round((performance.now() - t) / 1000)} s`);
    await db.close();

    await measure(courses, mongo.uri);
  } finally {
    await mongo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs the app as a child (stdin: commands, stdout: answers) and downloads each export from it. */
async function measure(courses: number, mongoUri: string): Promise<void> {
  {
    const db = await connectMongo(mongoUri, 'exportbench');
    const published = await db.collection('courses').countDocuments({ status: 'published' });
    const total = courses || (await db.collection('courses').countDocuments());
    await db.close();
    const child = { child: spawn(process.execPath, ['--expose-gc', '--max-old-space-size=128', '--import', 'tsx', __filename, '--serve', mongoUri], { cwd: REPO, stdio: ['pipe', 'pipe', 'inherit'] }) };
    const lines: string[] = [];
    let waiting: ((line: string) => void) | undefined;
    let buffered = '';
    child.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
        const line = buffered.slice(0, i);
        buffered = buffered.slice(i + 1);
        if (waiting) {
          const w = waiting;
          waiting = undefined;
          w(line);
        } else lines.push(line);
      }
    });
    const nextLine = () => new Promise<string>((resolve) => (lines.length > 0 ? resolve(lines.shift() ?? '') : (waiting = resolve)));
    const ask = async (command: string) => {
      child.child.stdin?.write(`${command}\n`);
      return nextLine();
    };
    const port = Number((await nextLine()).split(' ')[1]);
    const token = await ask('token');
    const runs: Run[] = [];
    for (const [urlPath, as, headers] of [
      ['/api/v1/courses/export.csv', 'anonymous', {}],
      ['/api/v1/courses/export.csv', 'admin', { Authorization: `Bearer ${token}` }],
      ['/api/v1/export/courses.json', 'anonymous', {}],
    ] as const) {
      await ask('reset');
      const { bytes, ms } = await download(port, urlPath, headers);
      const { peakRss, peakHeap } = JSON.parse(await ask('report')) as { peakRss: number; peakHeap: number };
      runs.push({ path: urlPath, as, bytes, ms: Math.round(ms), peakRssMb: round(peakRss / MB), peakHeapMb: round(peakHeap / MB) });
      log(`${urlPath} (${as}): ${round(bytes / MB)} MB in ${round(ms / 1000)} s, peak RSS ${round(peakRss / MB)} MB, peak heap ${round(peakHeap / MB)} MB`);
    }
    process.stdout.write(`${JSON.stringify({ courses: total, published, runs })}\n`);
    child.child.kill();
  }
}

if (process.argv.includes('--serve')) {
  void serve(process.argv[process.argv.indexOf('--serve') + 1] ?? '');
} else if (process.argv.includes('--mongo-uri')) {
  // An existing database `exportbench` (e.g. left by a run with --keep): measure only.
  measure(0, process.argv[process.argv.indexOf('--mongo-uri') + 1] ?? '').catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
