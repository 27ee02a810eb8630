/**
 * Matching benchmark (npm run bench:match [-- --courses N --duration S --profiles N --connections 1,8 --keep]).
 *
 * 1. Starts its own mongod + Meilisearch in a temporary DATA_DIR and imports N synthetic courses (bench/backends.ts,
 *    the same path as the search benchmark).
 * 2. Starts the app as a child process exactly as `npm start` does and logs in a counselor.
 * 3. Builds a deterministic mix of client profiles and, for each, the plain search with the same filters
 *    (`GET /api/v1/courses?<matchSearchParams(profile, today)>`, the search's default page of 20). Checks once that
 *    every match answer has as many matches as that search's total (up to 100).
 * 4. From a second process (autocannon, bench/load-worker.ts) loads `POST /api/v1/match` and the plain search, at each
 *    connection count, alternately; reports p50/p95 and req/s side by side and the ratio match / search.
 * Output: a table on stdout and bench/results/match-<time>-<N>.json. Everything started is stopped by pid.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/infra/embedded/managed-process';
import { clientProfileSchema } from '../src/matching/client-profile.schema';
import { matchSearchParams, todayIn } from '../src/matching/match-constraints';
import { loadCatalog, log, readOptions, REPO, round, runLoad as runLoadWorker, spawnChild, startBackends, waitUntil, withCpuPerRequest } from './backends';
import type { LoadJob, LoadResult } from './load-worker';
import { stopOnExit } from './cleanup';
import { buildProfiles } from './match-profiles';

type Options = { courses: number; duration: number; profiles: number; connections: number[]; keep: boolean };

function parseOptions(argv: string[]): Options {
  const options: Options = { courses: 100_000, duration: 10, profiles: 100, connections: [1, 8], keep: false };
  readOptions(argv, (arg, value, positive) => {
    switch (arg) {
      case '--courses': options.courses = Math.floor(positive(value())); break;
      case '--duration': options.duration = positive(value()); break;
      case '--profiles': options.profiles = Math.floor(positive(value())); break;
      case '--connections': options.connections = value().split(',').map((c) => Math.floor(positive(c))); break;
      case '--keep': options.keep = true; break;
      case '--help':
        process.stdout.write('npm run bench:match -- [--courses 100000] [--duration 10] [--profiles 100] [--connections 1,8] [--keep]\n');
        return process.exit(0);
      default:
        throw new Error(`unknown option ${arg} (try --help)`);
    }
  });
  return options;
}

// ------------------------------------------------------------------------------------------------

const { stops: cleanups, cleanup } = stopOnExit(log);

function runLoad(job: LoadJob, dataDir: string, name: string): Promise<LoadResult> {
  return runLoadWorker(job, dataDir, name, (stop) => {
    cleanups.push(stop);
    return () => void cleanups.splice(cleanups.indexOf(stop), 1);
  });
}

function startScriptNodeArgs(): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return (scripts.start ?? '').split(/\s+/).filter((arg) => arg.startsWith('--max-old-space-size'));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const today = todayIn(new Date());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'skf-match-bench-'));
  cleanups.push(async () => {
    if (options.keep) log(`kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  });
  log(`data in ${dataDir}; ${options.courses} courses, ${options.duration} s per load run`);

  const backends = await startBackends({ dataDir, indexingMemory: '1GiB', logLevel: 'info' }, (stop) => cleanups.push(stop));
  const { meili, env, services } = backends;
  const { published } = await loadCatalog(backends, options.courses, today);

  // The app, as `npm start` runs it; its startup rebuild must be swapped in before anything is measured.
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const appLog = path.join(dataDir, 'app.log');
  const appStarted = new Date();
  const app = spawnChild(process.execPath, [...startScriptNodeArgs(), '--import', 'tsx', path.join(REPO, 'src/server.ts')], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    logFile: appLog,
  });
  cleanups.push(() => app.stop());
  await waitUntil('app /health', 60_000, async () => {
    if (app.child.exitCode !== null) throw new Error(`app exited with ${app.child.exitCode}: ${readFileSync(appLog, 'utf8').slice(-2000)}`);
    return (await fetch(`${baseUrl}/health`)).status === 200 ? true : undefined;
  });
  const meiliHeaders = { Authorization: `Bearer ${meili.masterKey}` };
  await waitUntil('app startup rebuild', 10 * 60_000, async () => {
    const since = encodeURIComponent(appStarted.toISOString());
    const response = await fetch(`${meili.url}/tasks?types=indexDeletion&statuses=succeeded&afterEnqueuedAt=${since}&limit=20`, { headers: meiliHeaders });
    const { results } = (await response.json()) as { results: Array<{ indexUid: string | null }> };
    return results.some((task) => task.indexUid?.includes('_build_')) ? true : undefined;
  }, 250);
  await waitUntil('index queue empty', 10 * 60_000, async () => {
    const response = await fetch(`${meili.url}/tasks?statuses=enqueued,processing&limit=1`, { headers: meiliHeaders });
    return ((await response.json()) as { total: number }).total === 0 ? true : undefined;
  }, 250);
  log(`app pid ${app.pid} ready`);

  const email = 'bench-counselor@bench.example';
  const password = `bench-${Date.now()}-password`;
  await services.accounts.createUser({ email, password, role: 'counselor' });
  const login = await fetch(`${baseUrl}/api/v1/auth/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (!login.ok) throw new Error(`POST /auth/token: ${login.status}`);
  const { token } = (await login.json()) as { token: string };

  // The mix, checked once (and so warmed): matches = the search's total, up to 100.
  const profiles = buildProfiles(options.profiles, 11, today);
  const requests = profiles.map((input) => {
    const profile = clientProfileSchema.parse(input);
    return {
      match: { method: 'POST' as const, path: '/api/v1/match', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Accept-Encoding': 'identity' }, body: JSON.stringify(input) },
      search: { method: 'GET' as const, path: `/api/v1/courses?${new URLSearchParams(matchSearchParams(profile, today)).toString()}`, headers: { 'Accept-Encoding': 'identity' } },
    };
  });
  const stats = { profiles: profiles.length, empty: 0, withNearMisses: 0, meanMatches: 0, meanNearMisses: 0, mismatches: 0 };
  for (const request of requests) {
    const matched = await fetch(`${baseUrl}${request.match.path}`, { method: 'POST', headers: request.match.headers, body: request.match.body });
    if (!matched.ok) throw new Error(`POST /api/v1/match: ${matched.status} ${await matched.text()}`);
    const answer = (await matched.json()) as { matches: unknown[]; nearMisses: unknown[] };
    const searched = await fetch(`${baseUrl}${request.search.path}`);
    if (!searched.ok) throw new Error(`GET ${request.search.path}: ${searched.status}`);
    const { total } = (await searched.json()) as { total: number };
    if (answer.matches.length !== Math.min(100, total)) stats.mismatches += 1;
    if (answer.matches.length === 0) stats.empty += 1;
    if (answer.nearMisses.length > 0) stats.withNearMisses += 1;
    stats.meanMatches += answer.matches.length / profiles.length;
    stats.meanNearMisses += answer.nearMisses.length / profiles.length;
  }
  stats.meanMatches = round(stats.meanMatches);
  stats.meanNearMisses = round(stats.meanNearMisses);
  log(`profile mix: ${JSON.stringify(stats)}`);
  if (stats.mismatches > 0) throw new Error(`${stats.mismatches} profiles: matches differ from the search's total`);

  const job = (kind: 'match' | 'search', connections: number, durationSeconds: number): LoadJob => ({
    url: baseUrl,
    connections,
    durationSeconds,
    requests: requests.map((r) => r[kind]),
  });
  log('warming up');
  await runLoad(job('search', 4, 3), dataDir, 'warm-search');
  await runLoad(job('match', 4, 3), dataDir, 'warm-match');

  // Beside latency, the CPU each request costs the app and Meilisearch: which of the two a match loads more.
  type Measured = LoadResult & { cpuMsPerRequest: { app: number; engine: number } };
  const measured = (kind: 'match' | 'search', connections: number): Promise<Measured> =>
    withCpuPerRequest({ app: app.pid, engine: meili.process.pid }, () => runLoad(job(kind, connections, options.duration), dataDir, `${kind}-${connections}`));
  const rows: Array<{ connections: number; search: Measured; match: Measured; ratio: { p50: number; p95: number } }> = [];
  const loadAverageBefore = os.loadavg().map((n) => round(n, 2));
  for (const connections of options.connections) {
    const search = await measured('search', connections);
    const match = await measured('match', connections);
    for (const r of [search, match]) if (r.non2xx + r.errors + r.timeouts > 0) log(`WARNING: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
    rows.push({ connections, search, match, ratio: { p50: round(match.latencyMs.p50 / search.latencyMs.p50, 2), p95: round(match.latencyMs.p95 / search.latencyMs.p95, 2) } });
    log(`${connections} conn: search p50 ${round(search.latencyMs.p50)} ms p95 ${round(search.latencyMs.p95)} ms; match p50 ${round(match.latencyMs.p50)} ms p95 ${round(match.latencyMs.p95)} ms`);
    log(`${connections} conn: CPU per request: search app ${search.cpuMsPerRequest.app} + engine ${search.cpuMsPerRequest.engine} ms; match app ${match.cpuMsPerRequest.app} + engine ${match.cpuMsPerRequest.engine} ms`);
  }

  const report = {
    at: new Date().toISOString(),
    courses: options.courses,
    published,
    durationSeconds: options.duration,
    machine: { cpus: os.cpus().length, node: process.version, loadAverageBefore },
    mix: stats,
    rows,
  };
  process.stdout.write('\nconnections | search p50 / p95 ms | match p50 / p95 ms | req/s search / match | match ÷ search p50 / p95 | CPU per request: search app + engine | match app + engine\n');
  for (const row of rows) {
    const cpu = (r: Measured) => `${r.cpuMsPerRequest.app} + ${r.cpuMsPerRequest.engine} ms`;
    process.stdout.write(
      `${row.connections} | ${round(row.search.latencyMs.p50)} / ${round(row.search.latencyMs.p95)} | ${round(row.match.latencyMs.p50)} / ${round(row.match.latencyMs.p95)} | ` +
        `${round(row.search.requestsPerSecond)} / ${round(row.match.requestsPerSecond)} | ${row.ratio.p50} × / ${row.ratio.p95} × | ${cpu(row.search)} | ${cpu(row.match)}\n`,
    );
  }
  const worst = Math.max(...rows.flatMap((row) => [row.ratio.p50, row.ratio.p95]));
  process.stdout.write(`target: matching with near-misses within 2 × of one search (p50 and p95): ${worst} × — ${worst <= 2 ? 'met' : 'MISSED'}\n`);
  const resultsDir = path.join(REPO, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `match-${report.at.replaceAll(':', '-')}-${options.courses}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote ${path.relative(REPO, file)}`);
}

main()
  .catch((error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  })
  .finally(() => cleanup());
