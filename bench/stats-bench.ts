/**
 * Search statistics benchmark (npm run bench:stats [-- --courses N --rounds R]).
 *
 * Does recording a search for the statistics slow the search? Starts its own mongod + Meilisearch (temporary
 * DATA_DIR), imports N synthetic courses (default 5,000), then runs the same query mix (bench/query-mix.ts, 200
 * queries) through two search services over the same engine, alternating query by query so that load from other
 * processes hits both alike: one with recording off, one recording every search into the batched writer (flushed by
 * its timer as in production, plus a forced flush every 500 searches). Reports p50/p95/p99 per search of each, the
 * cost of `describeSearch` alone (per query kind: a point needs the nearest postcode) and how long a flush of 500
 * events takes in MongoDB. Everything started is stopped by pid.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/lib/clock';
import { searchQuerySchema, type SearchQuery } from '../src/search/search-query.schema';
import { createSearchService } from '../src/search/search.service';
import { describeSearch } from '../src/stats/search-event';
import { createStatsRecorder } from '../src/stats/stats-recorder';
import { loadCatalog, log, round, startBackends } from './backends';
import { buildQueryStrings } from './query-mix';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

function percentiles(samples: number[]): { p50: number; p95: number; p99: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: round(at(0.5), 2), p95: round(at(0.95), 2), p99: round(at(0.99), 2), mean: round(sorted.reduce((s, v) => s + v, 0) / sorted.length, 2) };
}

async function main(): Promise<void> {
  const courses = option('courses', 5_000);
  const rounds = option('rounds', 5);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'skf-stats-bench-'));
  const stops: Array<() => Promise<void>> = [];
  try {
    const backends = await startBackends({ dataDir, indexingMemory: '512MiB', logLevel: 'warn' }, (stop) => stops.push(stop));
    const today = new Date().toISOString().slice(0, 10);
    await loadCatalog(backends, courses, today);
    const { engine } = backends.services.deps;
    const queries: SearchQuery[] = buildQueryStrings(200, 7, today).map((q) => searchQuerySchema.parse(Object.fromEntries(new URLSearchParams(q))));
    const recorder = createStatsRecorder({ db: backends.db, clock: systemClock, logger: backends.logger });
    recorder.start();
    const off = createSearchService({ engine, clock: systemClock });
    const on = createSearchService({ engine, clock: systemClock, onSearch: recorder.recordSearch });

    // warm-up
    for (const query of queries.slice(0, 50)) {
      await off.search(query);
      await on.search(query);
    }
    const timesOff: number[] = [];
    const timesOn: number[] = [];
    let recorded = 0;
    for (let r = 0; r < rounds; r++) {
      for (const [i, query] of queries.entries()) {
        const order = (r + i) % 2 === 0 ? ([off, on] as const) : ([on, off] as const);
        for (const service of order) {
          const started = performance.now();
          await service.search(query);
          (service === on ? timesOn : timesOff).push(performance.now() - started);
        }
        recorded++;
        if (recorded % 500 === 0) await recorder.flush();
      }
    }

    // describeSearch alone (what the request pays; the write happens later, batched)
    const describeTimes: number[] = [];
    for (let r = 0; r < 20; r++) {
      for (const query of queries) {
        const started = performance.now();
        describeSearch(query, 3, new Date());
        describeTimes.push(performance.now() - started);
      }
    }
    const withPoint = queries.filter((q) => q.near);
    const pointTimes: number[] = [];
    for (let r = 0; r < 20; r++) {
      for (const query of withPoint.length > 0 ? withPoint : [{ ...queries[0], near: { lat: 49.2, lng: 8.1 } } as SearchQuery]) {
        const started = performance.now();
        describeSearch(query, 3, new Date());
        pointTimes.push(performance.now() - started);
      }
    }

    // one batched write of 500 events
    for (const query of queries.slice(0, 500)) recorder.recordSearch(query, 1);
    for (const query of queries.slice(0, 300)) recorder.recordSearch(query, 1);
    await recorder.flush();
    for (let i = 0; i < 500; i++) recorder.recordSearch(queries[i % queries.length] as SearchQuery, 1);
    const flushStarted = performance.now();
    await recorder.flush();
    const flushMs = round(performance.now() - flushStarted, 1);
    await recorder.stop();
    const stored = await backends.db.collection('search_events').countDocuments();

    const result = {
      courses,
      searchesEach: timesOn.length,
      recordingOffMs: percentiles(timesOff),
      recordingOnMs: percentiles(timesOn),
      describeSearchMs: percentiles(describeTimes),
      describeSearchWithPointMs: percentiles(pointTimes),
      flush500EventsMs: flushMs,
      eventsStored: stored,
      dropped: recorder.state().dropped,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log(`stop failed: ${String(error)}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
