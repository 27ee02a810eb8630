/**
 * The app's own CPU cost per search, and where it goes:
 *   node --max-old-space-size=128 --import tsx bench/profile-app.ts [--courses 5000] [--duration 5]
 *     [--connections 1,32] [--page (the results page, asked for as Chromium does; PAGE_ENCODING=identity to leave out compression)] [--rounds 1] [--sequential ROUNDS] [--compare] [--no-load] [--mix default|slots] [--log-level info] [--profile DIR] > app.log
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
import { loadCatalog, log, readOptions, round, runLoad, startBackends } from './backends';
import { buildQueryStrings, isQueryMixKind, toBenchQuery, type QueryMixKind } from './query-mix';
import type { LoadJob } from './load-worker';

/** The best of many short rounds is what the code costs when no other process takes the CPU away. */
const SEQUENTIAL_BATCH = 50;

type Options = { courses: number; duration: number; connections: number[]; mix: QueryMixKind; page: boolean; logLevel: string; profileDir: string | undefined; samplingUs: number; rounds: number; sequentialRounds: number; compare: boolean };

function parseOptions(argv: string[]): Options {
  const options: Options = { courses: 5000, duration: 5, connections: [1, 32], mix: 'default', page: false, logLevel: 'info', profileDir: undefined, samplingUs: 200, rounds: 1, sequentialRounds: 0, compare: false };
  readOptions(argv, (arg, value, positive) => {
    switch (arg) {
      case '--courses': options.courses = Math.floor(positive(value())); break;
      case '--duration': options.duration = positive(value()); break;
      case '--connections': options.connections = value().split(',').map((c) => Math.floor(positive(c))); break;
      case '--page': options.page = true; break;
      case '--mix': {
        const mix = value();
        if (!isQueryMixKind(mix)) throw new Error(`unknown mix ${mix}`);
        options.mix = mix;
        break;
      }
      case '--log-level': options.logLevel = value(); break;
      case '--profile': options.profileDir = path.resolve(value()); break;
      case '--sampling-us': options.samplingUs = positive(value()); break;
      case '--rounds': options.rounds = Math.floor(positive(value())); break;
      case '--sequential': options.sequentialRounds = Math.floor(positive(value())); break;
      case '--no-load': options.connections = []; break;
      case '--compare': options.compare = true; break;
      default: throw new Error(`unknown option ${arg}`);
    }
  });
  return options;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const today = new Date().toISOString().slice(0, 10);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'skf-profile-'));
  const stops: Array<() => Promise<void>> = [];
  let server: Server | undefined;
  let floorServer: Server | undefined;
  let floorUpstreamAgent: http.Agent | undefined;
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
        ? { method: 'GET' as const, path: query.pagePath, headers: { 'Accept-Encoding': process.env.PAGE_ENCODING ?? 'gzip, deflate, br, zstd', 'Accept-Language': 'de' } }
        : { method: 'GET' as const, path: query.apiPath, headers: { 'Accept-Encoding': 'identity' } };
    });
    const job = (connections: number, durationSeconds: number): LoadJob => ({ url: baseUrl, connections, durationSeconds, requests });

    const mixQueries = buildQueryStrings(200, 7, today, options.mix).map((q) => toBenchQuery(q, services.search.indexUid));
    const rawUrl = new URL('/multi-search', backends.meili.url);
    const rawHeaders = { Authorization: `Bearer ${backends.meili.masterKey}`, 'Content-Type': 'application/json', 'Accept-Encoding': 'identity' };
    // The floor: the least any Node server can do for a search — take the request, post the prepared
    // multi-search body to Meilisearch over a keep-alive socket, parse its answer and send it back as JSON.
    // No validation, routing, logging or headers: what the app costs beyond this is its own.
    const bodyOfPath = new Map(mixQueries.map((q) => [q.apiPath, q.multiSearchBody]));
    const floorUpstream = new http.Agent({ keepAlive: true, maxSockets: 64 });
    floorUpstreamAgent = floorUpstream;
    const floor = http.createServer((req, res) => {
      const reply = (text: string) => {
        const body = JSON.stringify(JSON.parse(text));
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      };
      const upstream = http.request(rawUrl, { method: 'POST', agent: floorUpstream, headers: rawHeaders }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => reply(Buffer.concat(chunks).toString('utf8')));
      });
      upstream.end(bodyOfPath.get(req.url ?? '') ?? '{}');
    });
    const floorPort = await new Promise<number>((resolve) => {
      floorServer = floor;
      floor.listen(0, '127.0.0.1', () => {
        const address = floor.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
    if (options.sequentialRounds > 0) {
      const mix = mixQueries;
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
      const floorAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const batch = async (target: 'raw' | 'floor' | 'api') => {
        const t0 = performance.now();
        for (const q of mix.slice(0, SEQUENTIAL_BATCH)) {
          if (target === 'api') await send(new URL(q.apiPath, baseUrl), apiAgent, 'GET', { 'Accept-Encoding': 'identity' });
          else if (target === 'floor') await send(new URL(q.apiPath, `http://127.0.0.1:${floorPort}`), floorAgent, 'GET', {});
          else await send(rawUrl, rawAgent, 'POST', rawHeaders, q.multiSearchBody);
        }
        return ((performance.now() - t0) * 1000) / SEQUENTIAL_BATCH;
      };
      const apiMeans: number[] = [];
      const rawMeans: number[] = [];
      const floorMeans: number[] = [];
      for (let r = 0; r < options.sequentialRounds; r++) {
        rawMeans.push(await batch('raw'));
        floorMeans.push(await batch('floor'));
        apiMeans.push(await batch('api'));
      }
      floorAgent.destroy();
      const min = (v: number[]) => Math.min(...v);
      const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1] ?? Number.NaN;
      const line =
        `sequential, ${options.sequentialRounds} rounds of ${SEQUENTIAL_BATCH} requests each (client in this process): mean per request, best round / median round: ` +
        `raw ${round(min(rawMeans), 0)} / ${round(median(rawMeans), 0)} µs, minimal Node proxy ${round(min(floorMeans), 0)} / ${round(median(floorMeans), 0)} µs (${round(min(floorMeans) / min(rawMeans), 2)} × raw), API ${round(min(apiMeans), 0)} / ${round(median(apiMeans), 0)} µs, ` +
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
    // --compare: the raw engine, the minimal proxy and the app under the same load, one after the other.
    const compareLines: string[] = [];
    if (options.compare) {
      const rawRequests = mixQueries.map((q) => ({ method: 'POST' as const, path: '/multi-search', headers: rawHeaders, body: q.multiSearchBody }));
      const floorRequests = mixQueries.map((q) => ({ method: 'GET' as const, path: q.apiPath }));
      for (const connections of options.connections) {
        const raw = await runLoad({ url: backends.meili.url, connections, durationSeconds: options.duration, requests: rawRequests }, dataDir, `raw-${connections}`);
        const floor = await runLoad({ url: `http://127.0.0.1:${floorPort}`, connections, durationSeconds: options.duration, requests: floorRequests }, dataDir, `floor-${connections}`);
        const api = await runLoad(job(connections, options.duration), dataDir, `api-${connections}`);
        const row = (name: string, r: typeof raw) =>
          `${String(connections).padStart(4)} conn ${name.padEnd(14)} ${r.requestsPerSecond.toFixed(1).padStart(7)} req/s (${round((100 * r.requestsPerSecond) / raw.requestsPerSecond, 0)} % of raw), p50 ${r.latencyMs.p50.toFixed(2)} ms (${round(r.latencyMs.p50 / raw.latencyMs.p50, 2)} ×), p95 ${r.latencyMs.p95.toFixed(2)} ms (${round(r.latencyMs.p95 / raw.latencyMs.p95, 2)} ×)`;
        compareLines.push(row('raw engine', raw), row('minimal proxy', floor), row(options.page ? 'page' : 'API', api));
        for (const line of compareLines.slice(-3)) log(line);
      }
    }
    const session = new Session();
    if (options.profileDir) {
      mkdirSync(options.profileDir, { recursive: true });
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: options.samplingUs });
    }
    const lines: string[] = [...(sequentialLine ? [sequentialLine] : []), ...compareLines];
    const runs = Array.from({ length: options.compare ? 0 : options.rounds }, (_, round) => options.connections.map((connections) => ({ round, connections }))).flat();
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
    await new Promise<void>((resolve) => (floorServer ? floorServer.close(() => resolve()) : resolve()));
    floorUpstreamAgent?.destroy();
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
