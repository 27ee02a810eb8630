/**
 * Search benchmark (npm run bench:search [-- --courses N --duration S --writes N --keep]).
 *
 * 1. Starts its own mongod + Meilisearch in a temporary DATA_DIR.
 * 2. Imports N synthetic courses through the bulk path (importCatalog: same schemas, same index marks),
 *    lets the sync worker push them, then times a full `rebuild()` of the index from MongoDB.
 * 3. Starts the app as a child process (node + tsx, src/server.ts) against those servers and waits until
 *    its own startup rebuild has been swapped in and the sync backlog is empty.
 * 4. From a second process (autocannon, bench/load-worker.ts) sends a mix of realistic filtered queries
 *    at 1 and 32 connections to GET /api/v1/courses, and the exact same multi-search bodies straight to
 *    Meilisearch's /multi-search, and to the website's results page /courses?… (gzip, as a browser asks);
 *    reports p50/p95/p99 and req/s side by side, with the ratios API / raw and page / API.
 * 5. Measures write → searchable (PATCH a title to a unique word, poll the API every 20 ms) and the app's RSS.
 * Output: a table on stdout and bench/results/search-<time>-<N>.json. Everything started is stopped by pid.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AppServices } from '../src/app-services';
import { courseModel } from '../src/courses/course.model';
import type { EmbeddedMeilisearch } from '../src/infra/embedded/meilisearch';
import { freePort } from '../src/infra/embedded/managed-process';
import type { Connection } from '../src/infra/mongo';
import { loadCatalog, log, readOptions, REPO, round, runLoad as runLoadWorker, sleep, spawnChild, startBackends, waitUntil, withCpuPerRequest } from './backends';
import { buildPlacePrefixes, buildQueryStrings, isQueryMixKind, QUERY_MIX_KINDS, toBenchQuery, type BenchQuery, type QueryMixKind } from './query-mix';
import type { LoadJob, LoadResult } from './load-worker';
import { stopOnExit } from './cleanup';

// ------------------------------------------------------------------------------------------------
// Options

/** The app is started exactly as `npm start` starts it: its script's node flags are read from package.json. */
function startScriptNodeArgs(): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return (scripts.start ?? '').split(/\s+/).filter((arg) => arg.startsWith('--max-old-space-size'));
}

type Options = {
  courses: number;
  duration: number;
  writes: number;
  queries: number;
  connections: number[];
  keep: boolean;
  indexingMemory: string;
  appNodeArgs: string[];
  /** the app's LOG_LEVEL: `info` as in production, so every request writes its pino-http line */
  logLevel: string;
  mix: QueryMixKind;
  /** also load `GET /api/v1/places?q=<prefix>` (no raw counterpart) */
  places: boolean;
};

function parseOptions(argv: string[]): Options {
  const options: Options = {
    courses: 100_000,
    duration: 10,
    writes: 50,
    queries: 200,
    connections: [1, 32],
    keep: false,
    indexingMemory: '1GiB',
    appNodeArgs: startScriptNodeArgs(),
    logLevel: 'info',
    mix: 'default',
    places: false,
  };
  readOptions(argv, (arg, value, positive) => {
    switch (arg) {
      case '--courses': options.courses = Math.floor(positive(value())); break;
      case '--duration': options.duration = positive(value()); break;
      case '--writes': options.writes = Math.floor(positive(value())); break;
      case '--queries': options.queries = Math.floor(positive(value())); break;
      case '--connections': options.connections = value().split(',').map((c) => Math.floor(positive(c))); break;
      case '--indexing-memory': options.indexingMemory = value(); break;
      case '--app-node-args': options.appNodeArgs = value().split(/\s+/).filter(Boolean); break;
      case '--keep': options.keep = true; break;
      case '--log-level': options.logLevel = value(); break;
      case '--mix': {
        const mix = value();
        if (!isQueryMixKind(mix)) throw new Error(`--mix must be one of ${QUERY_MIX_KINDS.join(', ')}`);
        options.mix = mix;
        break;
      }
      case '--places': options.places = true; break;
      case '--help':
        process.stdout.write('npm run bench:search -- [--courses 100000] [--duration 10] [--writes 50] [--queries 200] [--connections 1,32] [--indexing-memory 1GiB] [--app-node-args "--max-old-space-size=128"] [--log-level info] [--mix default|slots] [--places] [--keep]\n');
        return process.exit(0);
      default:
        throw new Error(`unknown option ${arg} (try --help)`);
    }
  });
  return options;
}

// ------------------------------------------------------------------------------------------------
// Helpers

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** VmRSS / VmHWM of a process in MB, from /proc (Linux). */
function memoryOf(pid: number): { rssMb: number; peakMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMb: round(kb('VmRSS') / 1024), peakMb: round(kb('VmHWM') / 1024) };
  } catch {
    return undefined;
  }
}


/** Jiffies of the machine's `cpu` line in /proc/stat (to see co-tenant load and hypervisor steal during a run). */
function cpuTimes(): { busy: number; steal: number; total: number } | undefined {
  try {
    const fields = (/^cpu\s+(.*)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1] ?? '').trim().split(/\s+/).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    return { busy: user + nice + system + irq + softirq, steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------------------------------------
// Cleanup: everything started is stopped by its own handle (pid), in reverse order.

const { stops: cleanups, cleanup } = stopOnExit(log);

// ------------------------------------------------------------------------------------------------
// Steps

function runLoad(job: LoadJob, dataDir: string, name: string): Promise<LoadResult> {
  return runLoadWorker(job, dataDir, name, (stop) => {
    cleanups.push(stop);
    return () => void cleanups.splice(cleanups.indexOf(stop), 1);
  });
}

type MeiliTask = { uid: number; indexUid: string | null; type: string; status: string; enqueuedAt: string; finishedAt: string | null };

async function meiliGet<T>(meili: EmbeddedMeilisearch, pathAndQuery: string): Promise<T> {
  const response = await fetch(`${meili.url}${pathAndQuery}`, { headers: { Authorization: `Bearer ${meili.masterKey}`, 'Accept-Encoding': 'identity' } });
  if (!response.ok) throw new Error(`Meilisearch ${pathAndQuery}: ${response.status}`);
  return (await response.json()) as T;
}

/** The app rebuilds the index at startup: wait until its build index has been swapped in and deleted. */
async function waitForAppRebuild(meili: EmbeddedMeilisearch, since: Date, timeoutMs: number): Promise<MeiliTask> {
  return waitUntil('app startup rebuild', timeoutMs, async () => {
    const tasks = await meiliGet<{ results: MeiliTask[] }>(meili, `/tasks?types=indexDeletion&afterEnqueuedAt=${encodeURIComponent(since.toISOString())}&limit=20`);
    const failed = tasks.results.find((t) => t.status === 'failed' || t.status === 'canceled');
    if (failed) throw new Error(`app rebuild: task ${failed.uid} ${failed.status}`);
    return tasks.results.find((t) => t.status === 'succeeded' && t.indexUid?.includes('_build_'));
  }, 250);
}

async function waitForQuiet(meili: EmbeddedMeilisearch, services: AppServices): Promise<void> {
  await waitUntil('index queue empty', 10 * 60_000, async () => {
    const busy = await meiliGet<{ total: number }>(meili, '/tasks?statuses=enqueued,processing&limit=1');
    return busy.total === 0 && (await services.sync.backlog()) === 0 ? true : undefined;
  }, 250);
}

type MeiliBatch = { uid: number; duration: string | null; startedAt: string; stats: { indexUids: Record<string, number>; types: Record<string, number>; progressTrace?: Record<string, string> } };

/** Seconds of an ISO 8601 duration as Meilisearch writes it (`PT3.49S`, `PT1M2.5S`). */
function isoSeconds(duration: string | null): number {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(duration ?? '');
  if (!match) return Number.NaN;
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

/** Milliseconds of a progress-trace step (`2.20s`, `865.73ms`, `31.80µs`, `1m2s`). */
function traceMs(value: string | undefined): number {
  if (!value) return 0;
  let ms = 0;
  for (const [, n, unit] of value.matchAll(/([\d.]+)(ns|µs|ms|s|m|h)/g)) {
    const f = { ns: 1e-6, µs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 }[unit as 'ns' | 'µs' | 'ms' | 's' | 'm' | 'h'];
    ms += Number(n) * f;
  }
  return ms;
}

/** What Meilisearch itself spent on document batches since `since` (engine-side evidence for the report). */
async function documentBatches(meili: EmbeddedMeilisearch, since: Date, indexMatch: (uid: string) => boolean) {
  const page = await meiliGet<{ results: MeiliBatch[] }>(meili, `/batches?types=documentAdditionOrUpdate&afterStartedAt=${encodeURIComponent(since.toISOString())}&limit=1000`);
  const batches = page.results.filter((b) => Object.keys(b.stats.indexUids).some(indexMatch));
  const seconds = batches.map((b) => isoSeconds(b.duration) * 1000);
  const geo = batches.map((b) => traceMs(b.stats.progressTrace?.['processing tasks > indexing > writing geo points']));
  return {
    batches: batches.length,
    totalMs: round(seconds.reduce((a, b) => a + b, 0)),
    p50Ms: round(percentile(seconds, 50)),
    p95Ms: round(percentile(seconds, 95)),
    geoStepP50Ms: round(percentile(geo, 50)),
    geoStepTotalMs: round(geo.reduce((a, b) => a + b, 0)),
  };
}

type WriteResult = { samples: number; visibleMs: { p50: number; p95: number; p99: number; max: number }; patchMs: { p50: number; p95: number }; timedOut: number };

async function measureWrites(options: { baseUrl: string; db: Connection; services: AppServices; writes: number }): Promise<WriteResult> {
  const { baseUrl, db, services } = options;
  const email = 'bench-admin@bench.example';
  const password = `bench-${Date.now()}-password`;
  await services.accounts.createUser({ email, password, role: 'admin' });
  const tokenResponse = await fetch(`${baseUrl}/api/v1/auth/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (!tokenResponse.ok) throw new Error(`POST /auth/token: ${tokenResponse.status} ${await tokenResponse.text()}`);
  const { token } = (await tokenResponse.json()) as { token: string };

  const candidates = await courseModel(db).find({ status: 'published' }, { _id: 1 }).sort({ _id: 1 }).limit(options.writes * 50).lean();
  const step = Math.max(1, Math.floor(candidates.length / options.writes));
  const ids = candidates.filter((_, i) => i % step === 0).slice(0, options.writes).map((c) => c._id.toString());
  // Random 12-letter words: far apart (no typo-tolerant cross matches) and one token each.
  let seed = 12345;
  const letter = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return String.fromCharCode(97 + (seed % 26));
  };
  const visible: number[] = [];
  const patch: number[] = [];
  let timedOut = 0;
  for (const id of ids) {
    const word = `zq${Array.from({ length: 10 }, letter).join('')}`;
    const current = await fetch(`${baseUrl}/api/v1/courses/${id}`, { headers: { Authorization: `Bearer ${token}` } });
    if (!current.ok) throw new Error(`GET /courses/${id}: ${current.status}`);
    const { version } = (await current.json()) as { version: number };
    const t0 = performance.now();
    const response = await fetch(`${baseUrl}/api/v1/courses/${id}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ version, title: { de: `Deutschkurs ${word} Benchmark` } }),
    });
    if (!response.ok) throw new Error(`PATCH /courses/${id}: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
    patch.push(performance.now() - t0);
    const deadline = t0 + 30_000;
    let seen = false;
    while (performance.now() < deadline) {
      const search = await fetch(`${baseUrl}/api/v1/courses?q=${word}&perPage=5`);
      const body = (await search.json()) as { hits?: Array<{ id: string }> };
      if (body.hits?.some((hit) => hit.id === id)) {
        seen = true;
        break;
      }
      await sleep(20);
    }
    if (seen) visible.push(performance.now() - t0);
    else timedOut += 1;
  }
  return {
    samples: visible.length,
    visibleMs: { p50: round(percentile(visible, 50)), p95: round(percentile(visible, 95)), p99: round(percentile(visible, 99)), max: round(Math.max(...visible)) },
    patchMs: { p50: round(percentile(patch, 50)), p95: round(percentile(patch, 95)) },
    timedOut,
  };
}

// ------------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const today = new Date().toISOString().slice(0, 10);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'skf-bench-'));
  cleanups.push(async () => {
    if (options.keep) log(`kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  });
  log(`data in ${dataDir}; ${options.courses} courses, ${options.duration} s per load run`);

  // 1. Backing servers, 2. Data
  const backends = await startBackends({ dataDir, indexingMemory: options.indexingMemory, logLevel: options.logLevel }, (stop) => cleanups.push(stop));
  const { meili, env, db, services } = backends;
  const { data, published, generateMs, importMs, initialSyncMs } = await loadCatalog(backends, options.courses, today);

  const rebuildT0 = performance.now();
  const rebuildStarted = new Date();
  const rebuilt = await services.sync.rebuild();
  const rebuildMs = performance.now() - rebuildT0;
  const rebuildEngine = await documentBatches(meili, rebuildStarted, (uid) => uid.includes('_build_'));
  log(`full rebuild: ${rebuilt.documents} documents in ${round(rebuildMs / 1000, 2)} s (Meilisearch indexing ${round(rebuildEngine.totalMs / 1000, 2)} s in ${rebuildEngine.batches} batches)`);

  // 3. The app, as its own process (node + tsx loader, the same as `tsx src/server.ts` without tsx's wrapper process)
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const appLog = path.join(dataDir, 'app.log');
  const appStarted = new Date();
  const app = spawnChild(process.execPath, [...options.appNodeArgs, '--import', 'tsx', path.join(REPO, 'src/server.ts')], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    logFile: appLog,
  });
  cleanups.push(() => app.stop());
  try {
    await waitUntil('app /health', 60_000, async () => {
      if (app.child.exitCode !== null) throw new Error(`app exited with ${app.child.exitCode}`);
      return (await fetch(`${baseUrl}/health`)).status === 200 ? true : undefined;
    });
  } catch (error) {
    log(`app log:\n${readFileSync(appLog, 'utf8').slice(-4000)}`);
    throw error;
  }
  const healthyMs = Date.now() - appStarted.getTime();
  const appRebuildTask = await waitForAppRebuild(meili, appStarted, 10 * 60_000);
  const appRebuildMs = new Date(appRebuildTask.finishedAt ?? Date.now()).getTime() - appStarted.getTime();
  await waitForQuiet(meili, services);
  const memoryIdle = memoryOf(app.pid);
  log(`app pid ${app.pid} healthy after ${healthyMs} ms; its startup rebuild was swapped in ${round(appRebuildMs / 1000, 2)} s after spawn; RSS ${memoryIdle?.rssMb} MB`);

  // 4. Query mix, checked once against both targets (also warms both)
  const strings = buildQueryStrings(options.queries, 7, today, options.mix);
  const mix: BenchQuery[] = strings.map((s) => toBenchQuery(s, services.search.indexUid));
  const rawHeaders = { Authorization: `Bearer ${meili.masterKey}`, 'Content-Type': 'application/json', 'Accept-Encoding': 'identity' };
  let mismatches = 0;
  let emptyResults = 0;
  for (const query of mix) {
    const api = await fetch(`${baseUrl}${query.apiPath}`, { headers: { 'Accept-Encoding': 'identity' } });
    if (!api.ok) throw new Error(`GET ${query.apiPath}: ${api.status} ${await api.text()}`);
    const apiBody = (await api.json()) as { total: number };
    const raw = await fetch(`${meili.url}/multi-search`, { method: 'POST', headers: rawHeaders, body: query.multiSearchBody });
    if (!raw.ok) throw new Error(`POST /multi-search: ${raw.status} ${await raw.text()}`);
    const rawBody = (await raw.json()) as { results: Array<{ totalHits?: number }> };
    if (rawBody.results[0]?.totalHits !== apiBody.total) mismatches += 1;
    if (apiBody.total === 0) emptyResults += 1;
  }
  const mixStats = {
    queries: mix.length,
    meanSubQueries: round(mix.reduce((a, q) => a + q.queries, 0) / mix.length, 2),
    maxSubQueries: Math.max(...mix.map((q) => q.queries)),
    withText: strings.filter((s) => s.includes('q=')).length,
    withLocation: strings.filter((s) => s.includes('near=') || s.includes('postcode=')).length,
    emptyResults,
    totalMismatches: mismatches,
  };
  log(`query mix: ${JSON.stringify(mixStats)}`);
  if (mismatches > 0) throw new Error(`${mismatches} queries gave a different total from the API than from Meilisearch`);

  // 5. Load: raw engine vs API, from a separate process
  const apiJob = (connections: number, durationSeconds: number): LoadJob => ({
    url: baseUrl,
    connections,
    durationSeconds,
    requests: mix.map((q) => ({ method: 'GET', path: q.apiPath, headers: { 'Accept-Encoding': 'identity' } })),
  });
  // A browser asks for a compressed page, so the page runs pay for gzip as a real visit does.
  const pageJob = (connections: number, durationSeconds: number): LoadJob => ({
    url: baseUrl,
    connections,
    durationSeconds,
    // What Chromium sends: the page answers in brotli, as it does for browsers.
    requests: mix.map((q) => ({ method: 'GET', path: q.pagePath, headers: { 'Accept-Encoding': 'gzip, deflate, br, zstd', 'Accept-Language': 'de' } })),
  });
  const rawJob = (connections: number, durationSeconds: number): LoadJob => ({
    url: meili.url,
    connections,
    durationSeconds,
    requests: mix.map((q) => ({ method: 'POST', path: '/multi-search', headers: rawHeaders, body: q.multiSearchBody })),
  });
  const loadAverageBefore = os.loadavg().map((n) => round(n, 2));
  const cpuBefore = cpuTimes();
  const warmup = Math.max(2, Math.min(5, Math.round(options.duration / 3)));
  log(`warming up (${warmup} s each)`);
  await runLoad(rawJob(8, warmup), dataDir, 'warm-raw');
  await runLoad(apiJob(8, warmup), dataDir, 'warm-api');
  await runLoad(pageJob(8, warmup), dataDir, 'warm-page');

  /** CPU per request (user + system, all threads, ms) of the app and of Meilisearch during one load run, from /proc. */
  type Measured = LoadResult & { cpuMsPerRequest: { app: number; engine: number } };
  const measured = (job: LoadJob, label: string): Promise<Measured> =>
    withCpuPerRequest({ app: app.pid, engine: meili.process.pid }, () => runLoad(job, dataDir, label));
  type Pair = {
    connections: number;
    raw: Measured;
    api: Measured;
    page: Measured;
    /** the API run's app CPU per request (kept under this name for earlier result files) */
    appCpuMsPerRequest: number;
    ratio: { p50: number; p95: number; p99: number; throughput: number };
    pageRatio: { p50: number; p95: number; throughput: number };
  };
  const pairs: Pair[] = [];
  let peakDuringLoadMb = 0;
  for (const connections of options.connections) {
    const raw = await measured(rawJob(connections, options.duration), `raw-${connections}`);
    log(`raw  ${connections} conn: ${round(raw.requestsPerSecond)} req/s p50 ${round(raw.latencyMs.p50, 2)} ms; engine CPU ${raw.cpuMsPerRequest.engine} ms per request`);
    const sampler = setInterval(() => {
      peakDuringLoadMb = Math.max(peakDuringLoadMb, memoryOf(app.pid)?.rssMb ?? 0);
    }, 250);
    const api = await measured(apiJob(connections, options.duration), `api-${connections}`);
    clearInterval(sampler);
    log(`api  ${connections} conn: ${round(api.requestsPerSecond)} req/s p50 ${round(api.latencyMs.p50, 2)} ms; CPU per request: app ${api.cpuMsPerRequest.app} ms, engine ${api.cpuMsPerRequest.engine} ms`);
    const page = await measured(pageJob(connections, options.duration), `page-${connections}`);
    log(`page ${connections} conn: ${round(page.requestsPerSecond)} req/s p50 ${round(page.latencyMs.p50, 2)} ms; CPU per request: app ${page.cpuMsPerRequest.app} ms, engine ${page.cpuMsPerRequest.engine} ms`);
    for (const r of [raw, api, page]) if (r.non2xx + r.errors + r.timeouts > 0) log(`WARNING: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
    pairs.push({
      connections,
      raw,
      api,
      page,
      appCpuMsPerRequest: api.cpuMsPerRequest.app,
      pageRatio: {
        p50: round(page.latencyMs.p50 / api.latencyMs.p50, 2),
        p95: round(page.latencyMs.p95 / api.latencyMs.p95, 2),
        throughput: round(page.requestsPerSecond / api.requestsPerSecond, 2),
      },
      ratio: {
        p50: round(api.latencyMs.p50 / raw.latencyMs.p50, 2),
        p95: round(api.latencyMs.p95 / raw.latencyMs.p95, 2),
        p99: round(api.latencyMs.p99 / raw.latencyMs.p99, 2),
        throughput: round(api.requestsPerSecond / raw.requestsPerSecond, 2),
      },
    });
  }
  // Place suggestions (another endpoint, nothing raw to compare with): latency and throughput only.
  const placeRuns: LoadResult[] = [];
  if (options.places) {
    const prefixes = buildPlacePrefixes();
    const probe = await fetch(`${baseUrl}/api/v1/places?q=${encodeURIComponent(prefixes[0] ?? 'Land')}`);
    if (!probe.ok) throw new Error(`GET /api/v1/places answered ${probe.status}: this code has no place suggestions yet (merge main first)`);
    await probe.arrayBuffer();
    const placesJob = (connections: number, durationSeconds: number): LoadJob => ({
      url: baseUrl,
      connections,
      durationSeconds,
      requests: prefixes.map((prefix) => ({ method: 'GET', path: `/api/v1/places?q=${encodeURIComponent(prefix)}`, headers: { 'Accept-Encoding': 'identity' } })),
    });
    await runLoad(placesJob(8, warmup), dataDir, 'warm-places');
    for (const connections of options.connections) {
      const run = await runLoad(placesJob(connections, options.duration), dataDir, `places-${connections}`);
      log(`places ${connections} conn: ${round(run.requestsPerSecond)} req/s p50 ${round(run.latencyMs.p50, 2)} ms`);
      if (run.non2xx + run.errors + run.timeouts > 0) log(`WARNING: ${run.non2xx} non-2xx, ${run.errors} errors, ${run.timeouts} timeouts`);
      placeRuns.push(run);
    }
  }
  const memoryAfterLoad = memoryOf(app.pid);
  const cpuAfter = cpuTimes();
  const cpuDuringLoad = cpuBefore && cpuAfter
    ? { busyPercent: round((100 * (cpuAfter.busy - cpuBefore.busy)) / (cpuAfter.total - cpuBefore.total)), stealPercent: round((100 * (cpuAfter.steal - cpuBefore.steal)) / (cpuAfter.total - cpuBefore.total), 2) }
    : undefined;

  // 6. Write → searchable
  log(`write → searchable: ${options.writes} sequential PATCHes`);
  const writesStarted = new Date();
  const writes = await measureWrites({ baseUrl, db, services, writes: options.writes });
  const writeEngine = await documentBatches(meili, writesStarted, (uid) => uid === services.search.indexUid);
  const memoryEnd = memoryOf(app.pid);

  // 7. Report
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadAverageBeforeLoad: loadAverageBefore,
    cpuDuringLoad,
  };
  const appMemory = {
    idleAfterStartMb: memoryIdle?.rssMb,
    peakSampledDuringLoadMb: peakDuringLoadMb,
    afterLoadMb: memoryAfterLoad?.rssMb,
    atEndMb: memoryEnd?.rssMb,
    highWaterMarkMb: memoryEnd?.peakMb,
  };
  const at32 = pairs.find((p) => p.connections === 32) ?? pairs[pairs.length - 1];
  const worstP50 = Math.max(...pairs.map((p) => p.ratio.p50));
  const worstP95 = Math.max(...pairs.map((p) => p.ratio.p95));
  const worstPageP50 = Math.max(...pairs.map((p) => p.pageRatio.p50));
  const worstPageP95 = Math.max(...pairs.map((p) => p.pageRatio.p95));
  const targets = [
    { target: 'results page p50 ≤ 1.3 × API (all connection counts)', value: `${worstPageP50} ×`, met: worstPageP50 <= 1.3 },
    { target: 'results page p95 ≤ 1.3 × API (all connection counts)', value: `${worstPageP95} ×`, met: worstPageP95 <= 1.3 },
    { target: 'API p50 ≤ 1.5 × raw (all connection counts)', value: `${worstP50} ×`, met: worstP50 <= 1.5 },
    { target: 'API p95 ≤ 1.5 × raw (all connection counts)', value: `${worstP95} ×`, met: worstP95 <= 1.5 },
    { target: `API throughput ≥ 60 % of raw at ${at32?.connections} connections`, value: `${round((at32?.ratio.throughput ?? 0) * 100, 0)} %`, met: (at32?.ratio.throughput ?? 0) >= 0.6 },
    { target: 'full rebuild < 30 s', value: `${round(rebuildMs / 1000, 2)} s (${rebuilt.documents} docs)`, met: rebuildMs < 30_000 },
    { target: 'write → searchable p95 < 1 s', value: `${writes.visibleMs.p95} ms`, met: writes.visibleMs.p95 < 1000 && writes.timedOut === 0 },
    { target: 'app RSS < 250 MB (high-water mark over the whole run, startup rebuild included)', value: `${appMemory.highWaterMarkMb} MB`, met: (appMemory.highWaterMarkMb ?? Infinity) < 250 },
    { target: 'app RSS < 250 MB under search load (sampled every 250 ms, and after)', value: `${Math.max(appMemory.peakSampledDuringLoadMb, appMemory.afterLoadMb ?? 0)} MB`, met: Math.max(appMemory.peakSampledDuringLoadMb, appMemory.afterLoadMb ?? Infinity) < 250 },
  ];
  const result = {
    at: new Date().toISOString(),
    options,
    appCommand: ['node', ...options.appNodeArgs, '--import', 'tsx', 'src/server.ts'].join(' '),
    machine,
    data: { courses: options.courses, published, providers: data.providers.length, generateMs: round(generateMs), importMs: round(importMs), initialSyncMs: round(initialSyncMs) },
    rebuild: { documents: rebuilt.documents, ms: round(rebuildMs), engine: rebuildEngine, appStartupRebuildSwappedAfterSpawnMs: appRebuildMs, appHealthyAfterMs: healthyMs },
    queryMix: { ...mixStats, examples: strings.slice(0, 5) },
    load: pairs,
    places: placeRuns,
    writeToSearchable: { ...writes, engine: writeEngine },
    appMemory,
    targets,
  };

  const fmt = (n: number, digits = 1) => round(n, digits).toFixed(digits);
  const lines: string[] = [];
  lines.push('', `Search benchmark — ${options.courses} courses (${published} published), ${mix.length} queries (mix "${options.mix}", app LOG_LEVEL=${options.logLevel}; mean ${mixStats.meanSubQueries} sub-queries per multi-search), ${options.duration} s per run`);
  lines.push(`Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}; load average before the load runs ${loadAverageBefore.join(' ')}; CPU during them ${cpuDuringLoad?.busyPercent}% busy, ${cpuDuringLoad?.stealPercent}% stolen`, '');
  lines.push('conn | target      |    req/s |  p50 ms |  p95 ms |  p99 ms | errors');
  lines.push('-----|-------------|----------|---------|---------|---------|-------');
  for (const p of pairs) {
    for (const [name, r] of [['raw engine', p.raw], ['API', p.api], ['page', p.page]] as const) {
      lines.push(`${String(p.connections).padStart(4)} | ${name.padEnd(11)} | ${fmt(r.requestsPerSecond).padStart(8)} | ${fmt(r.latencyMs.p50, 2).padStart(7)} | ${fmt(r.latencyMs.p95, 2).padStart(7)} | ${fmt(r.latencyMs.p99, 2).padStart(7)} | ${r.non2xx + r.errors + r.timeouts}`);
    }
    lines.push(`${String(p.connections).padStart(4)} | API / raw   | ${`${fmt(p.ratio.throughput * 100, 0)} %`.padStart(8)} | ${`${p.ratio.p50} ×`.padStart(7)} | ${`${p.ratio.p95} ×`.padStart(7)} | ${`${p.ratio.p99} ×`.padStart(7)} |`);
    lines.push(`${String(p.connections).padStart(4)} | page / API  | ${`${fmt(p.pageRatio.throughput * 100, 0)} %`.padStart(8)} | ${`${p.pageRatio.p50} ×`.padStart(7)} | ${`${p.pageRatio.p95} ×`.padStart(7)} |         |`);
    const cpu = (r: Measured) => `app ${fmt(r.cpuMsPerRequest.app, 2)} + engine ${fmt(r.cpuMsPerRequest.engine, 2)} ms`;
    lines.push(`     | CPU per request (user + system, from /proc): raw ${cpu(p.raw)}; API ${cpu(p.api)}; page ${cpu(p.page)}`);
  }
  for (const r of placeRuns) {
    lines.push(`${String(r.connections).padStart(4)} | ${'places'.padEnd(11)} | ${fmt(r.requestsPerSecond).padStart(8)} | ${fmt(r.latencyMs.p50, 2).padStart(7)} | ${fmt(r.latencyMs.p95, 2).padStart(7)} | ${fmt(r.latencyMs.p99, 2).padStart(7)} | ${r.non2xx + r.errors + r.timeouts}`);
  }
  lines.push('');
  lines.push(`Import ${fmt(importMs / 1000, 2)} s; sync worker indexed it in ${fmt(initialSyncMs / 1000, 2)} s; full rebuild ${fmt(rebuildMs / 1000, 2)} s (${rebuilt.documents} docs; Meilisearch busy ${fmt(rebuildEngine.totalMs / 1000, 2)} s in ${rebuildEngine.batches} batches)`);
  lines.push(`App process: healthy ${healthyMs} ms after spawn; its own startup rebuild swapped in ${fmt(appRebuildMs / 1000, 2)} s after spawn`);
  lines.push(`Write → searchable (${writes.samples} writes, ${writes.timedOut} timed out): p50 ${writes.visibleMs.p50} ms, p95 ${writes.visibleMs.p95} ms, max ${writes.visibleMs.max} ms (PATCH itself p50 ${writes.patchMs.p50} ms)`);
  lines.push(`  Meilisearch per write batch: p50 ${writeEngine.p50Ms} ms, p95 ${writeEngine.p95Ms} ms, of which "writing geo points" p50 ${writeEngine.geoStepP50Ms} ms (${writeEngine.batches} batches)`);
  lines.push(`App RSS: ${appMemory.idleAfterStartMb} MB idle, ${appMemory.peakSampledDuringLoadMb} MB peak under load, ${appMemory.afterLoadMb} MB after load, high-water mark ${appMemory.highWaterMarkMb} MB`, '');
  for (const target of targets) lines.push(`${target.met ? 'MET   ' : 'MISSED'} ${target.target}: ${target.value}`);
  process.stdout.write(`${lines.join('\n')}\n`);

  const resultsDir = path.join(REPO, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `search-${result.at.replaceAll(':', '-').slice(0, 19)}-${options.courses}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\nJSON: ${path.relative(REPO, file)}\n`);
}

main()
  .then(() => cleanup())
  .then(() => process.exit(0))
  .catch(async (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await cleanup();
    process.exit(1);
  });
