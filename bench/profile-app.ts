/**
 * The app's own CPU cost per search, and where it goes:
 *   node --max-old-space-size=128 --import tsx bench/profile-app.ts [--courses 5000] [--duration 5]
 *     [--connections 1,32] [--page (the results page; PAGE_ENCODING=identity to leave out gzip)] [--rounds 1] [--sequential ROUNDS] [--no-load] [--mix default|slots] [--log-level info] [--profile DIR] > app.log
 * Starts mongod + Meilisearch and loads N courses like bench/search-bench.ts, then runs the app IN THIS
 * PROCESS (createApp, on a free port; its pino lines go to stdout, so redirect it to a file as production
 * does) and drives it from the separate load worker. Per connection count it reports req/s, p50/p95 and,
 * the number that the machine's other load hardly moves, this process's CPU time per request
 * (process.cpuUsage). With --profile, a V8 CPU profile of each run (node:inspector) is written to DIR;
 * summarise it with bench/cpuprofile-summary.ts. With --sequential R, it first sends R rounds of 50 sequential
 * requests to the API and the same 50 multi-searches straight to Meilisearch from this process, and reports the
 * best round of each: on a shared machine the least disturbed, i.e. closest to the code's own cost.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http, { type Server } from 'node:http';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { createApp } from '../src/app';
import { createAppServices } from '../src/app-services';
import { loadConfig } from '../src/config';
import { systemClock } from '../src/lib/clock';
import { createLogger } from '../src/lib/logger';
import { loadCatalog, log, round, runLoad, startBackends } from './backends';
import { buildQueryStrings, isQueryMixKind, toBenchQuery, type QueryMixKind } from './query-mix';
import type { LoadJob } from './load-worker';

/** The best of many short rounds is what the code costs when no other process takes the CPU away. */
const SEQUENTIAL_BATCH = 50;

type Options = { courses: number; duration: number; connections: number[]; mix: QueryMixKind; page: boolean; logLevel: string; profileDir: string | undefined; samplingUs: number; rounds: number; sequentialRounds: number };

function parseOptions(argv: string[]): Options {
  const options: Options = { courses: 5000, duration: 5, connections: [1, 32], mix: 'default', page: false, logLevel: 'info', profileDir: undefined, samplingUs: 200, rounds: 1, sequentialRounds: 0 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i] ?? '';
    switch (arg) {
      case '--courses': options.courses = Number(value()); break;
      case '--duration': options.duration = Number(value()); break;
      case '--connections': options.connections = value().split(',').map(Number); break;
      case '--page': options.page = true; break;
      case '--mix': {
        const mix = value();
        if (!isQueryMixKind(mix)) throw new Error(`unknown mix ${mix}`);
        options.mix = mix;
        break;
      }
      case '--log-level': options.logLevel = value(); break;
      case '--profile': options.profileDir = path.resolve(value()); break;
      case '--sampling-us': options.samplingUs = Number(value()); break;
      case '--rounds': options.rounds = Number(value()); break;
      case '--sequential': options.sequentialRounds = Number(value()); break;
      case '--no-load': options.connections = []; break;
      default: throw new Error(`unknown option ${arg}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const today = new Date().toISOString().slice(0, 10);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'skf-profile-'));
  const stops: Array<() => Promise<void>> = [];
  let server: Server | undefined;
  let sequentialLine: string | undefined;
  try {
    const backends = await startBackends({ dataDir, indexingMemory: '1GiB', logLevel: options.logLevel }, (stop) => stops.push(stop));
    await loadCatalog(backends, options.courses, today);

    // The measured app: its own services and logger, exactly as server.ts wires them (no sync worker running).
    const config = loadConfig(backends.env);
    const services = createAppServices({ ...backends.services.deps, config, logger: createLogger(config.logLevel), clock: systemClock });
    const app = createApp(services);
    const port = await new Promise<number>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => {
        const address = server?.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    // --page: the website's results page for the same queries, compressed as a browser asks.
    const requests = buildQueryStrings(200, 7, today, options.mix).map((s): LoadJob['requests'][number] => {
      const query = toBenchQuery(s, services.search.indexUid);
      return options.page
        ? { method: 'GET' as const, path: query.pagePath, headers: { 'Accept-Encoding': process.env.PAGE_ENCODING ?? 'gzip', 'Accept-Language': 'de' } }
        : { method: 'GET' as const, path: query.apiPath, headers: { 'Accept-Encoding': 'identity' } };
    });
    const job = (connections: number, durationSeconds: number): LoadJob => ({ url: baseUrl, connections, durationSeconds, requests });

    if (options.sequentialRounds > 0) {
      const mix = buildQueryStrings(200, 7, today, options.mix).map((q) => toBenchQuery(q, services.search.indexUid));
      const rawHeaders = { Authorization: `Bearer ${backends.meili.masterKey}`, 'Content-Type': 'application/json', 'Accept-Encoding': 'identity' };
      const apiAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const rawAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const send = (url: URL, agent: http.Agent, method: string, headers: Record<string, string>, body?: string) =>
        new Promise<void>((resolve, reject) => {
          const req = http.request(url, { method, agent, headers }, (res) => {
            if ((res.statusCode ?? 0) >= 300) reject(new Error(`${url.pathname}: ${res.statusCode}`));
            res.resume();
            res.on('end', resolve);
          });
          req.on('error', reject);
          req.end(body);
        });
      const rawUrl = new URL('/multi-search', backends.meili.url);
      const batch = async (api: boolean) => {
        const t0 = performance.now();
        for (const q of mix.slice(0, SEQUENTIAL_BATCH)) {
          if (api) await send(new URL(q.apiPath, baseUrl), apiAgent, 'GET', { 'Accept-Encoding': 'identity' });
          else await send(rawUrl, rawAgent, 'POST', rawHeaders, q.multiSearchBody);
        }
        return ((performance.now() - t0) * 1000) / SEQUENTIAL_BATCH;
      };
      const apiMeans: number[] = [];
      const rawMeans: number[] = [];
      for (let r = 0; r < options.sequentialRounds; r++) {
        rawMeans.push(await batch(false));
        apiMeans.push(await batch(true));
      }
      const min = (v: number[]) => Math.min(...v);
      const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1] ?? Number.NaN;
      const line =
        `sequential, ${options.sequentialRounds} rounds of ${SEQUENTIAL_BATCH} requests each (client in this process): mean per request, best round / median round: ` +
        `raw ${round(min(rawMeans), 0)} / ${round(median(rawMeans), 0)} µs, API ${round(min(apiMeans), 0)} / ${round(median(apiMeans), 0)} µs, ` +
        `API − raw ${round(min(apiMeans) - min(rawMeans), 0)} µs (best rounds), API / raw ${round(min(apiMeans) / min(rawMeans), 2)} ×`;
      log(line);
      sequentialLine = line;
      apiAgent.destroy();
      rawAgent.destroy();
    }
    if (options.connections.length > 0) {
      log('warming up (5 s)');
      await runLoad(job(8, 5), dataDir, 'warm');
    }
    const session = new Session();
    if (options.profileDir) {
      mkdirSync(options.profileDir, { recursive: true });
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: options.samplingUs });
    }
    const lines: string[] = sequentialLine ? [sequentialLine] : [];
    const runs = Array.from({ length: options.rounds }, (_, round) => options.connections.map((connections) => ({ round, connections }))).flat();
    for (const { round: roundIndex, connections } of runs) {
      if (options.profileDir) await session.post('Profiler.start');
      let gcMs = 0;
      let gcCount = 0;
      const gc = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          gcMs += entry.duration;
          gcCount += 1;
        }
      });
      gc.observe({ entryTypes: ['gc'] });
      const cpu = process.cpuUsage();
      const elu = performance.eventLoopUtilization();
      const result = await runLoad(job(connections, options.duration), dataDir, `app-${connections}-${roundIndex}`);
      const cpuUs = process.cpuUsage(cpu);
      const loopBusy = performance.eventLoopUtilization(elu).utilization;
      gc.disconnect();
      const requestsDone = result.ok + result.non2xx;
      let profileNote = '';
      if (options.profileDir) {
        const { profile } = await session.post('Profiler.stop');
        const file = path.join(options.profileDir, `app-${options.mix}-${connections}conn-${roundIndex + 1}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        profileNote = ` profile ${file}`;
      }
      lines.push(
        `${String(connections).padStart(4)} conn: ${round(result.requestsPerSecond).toFixed(1).padStart(7)} req/s, p50 ${result.latencyMs.p50.toFixed(2)} ms, p95 ${result.latencyMs.p95.toFixed(2)} ms, ` +
          `${requestsDone} requests (${result.non2xx} non-2xx), app CPU ${round((cpuUs.user + cpuUs.system) / requestsDone, 0)} µs/request ` +
          `(user ${round(cpuUs.user / requestsDone, 0)}, system ${round(cpuUs.system / requestsDone, 0)}), event loop ${round(loopBusy * 100, 0)} % busy, GC ${round((gcMs * 1000) / requestsDone, 0)} µs/request in ${gcCount} pauses;${profileNote}`,
      );
      log(lines[lines.length - 1] ?? '');
    }
    session.disconnect();
    process.stderr.write(`\nApp profile — ${options.courses} courses, mix "${options.mix}", LOG_LEVEL=${options.logLevel}, ${options.duration} s per run, node ${process.version} ${process.execArgv.join(' ')}; load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}\n${lines.join('\n')}\n`);
  } finally {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log(`stop: ${String(error)}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`profile-app: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
