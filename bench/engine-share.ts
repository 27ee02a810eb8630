/**
 * Where Meilisearch's time per search goes, for the benchmark's query mix:
 *   node --import tsx bench/engine-share.ts [--courses 100000] [--rounds 3] [--mix default|slots]
 * Loads N courses like bench/search-bench.ts, then sends the 200 multi-searches of the mix one after the other from
 * this process, in several shapes: as the API builds them, as the results page builds them (only the facet groups
 * it shows), without any facet counts, and the main query alone. Per shape it reports the mean time per
 * multi-search and Meilisearch's CPU per multi-search (user + system of its process, from /proc), the number other
 * load on the machine moves least. Which part of a search costs what decides what the website may leave out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { parse as parseQueryString } from 'node:querystring';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MultiSearchQuery } from 'meilisearch';
import { buildMultiSearchQueries, CARD_FACET_GROUPS } from '../src/search/search.service';
import { searchQuerySchema } from '../src/search/search-query.schema';
import { cpuSecondsOf, loadCatalog, log, readOptions, round, startBackends } from './backends';
import { buildQueryStrings, isQueryMixKind, type QueryMixKind } from './query-mix';

type Options = { courses: number; rounds: number; mix: QueryMixKind };

function parseOptions(argv: string[]): Options {
  const options: Options = { courses: 100_000, rounds: 3, mix: 'default' };
  readOptions(argv, (arg, value, positive) => {
    switch (arg) {
      case '--courses': options.courses = Math.floor(positive(value())); break;
      case '--rounds': options.rounds = Math.floor(positive(value())); break;
      case '--mix': {
        const mix = value();
        if (!isQueryMixKind(mix)) throw new Error(`unknown mix ${mix}`);
        options.mix = mix;
        break;
      }
      default: throw new Error(`unknown option ${arg}`);
    }
  });
  return options;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const today = new Date().toISOString().slice(0, 10);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'skf-engine-share-'));
  const stops: Array<() => Promise<void>> = [];
  try {
    const backends = await startBackends({ dataDir, indexingMemory: '1GiB', logLevel: 'warn' }, (stop) => stops.push(stop));
    await loadCatalog(backends, options.courses, today);
    const indexUid = backends.services.search.indexUid;
    const queries = buildQueryStrings(200, 7, today, options.mix).map((s) => searchQuerySchema.parse(parseQueryString(s)));
    const withoutFacets = (q: MultiSearchQuery): MultiSearchQuery => ({ ...q, facets: [] });
    const shapes: Record<string, MultiSearchQuery[][]> = {
      'API (all facet groups, disjunctive)': queries.map((q) => buildMultiSearchQueries(indexUid, q).queries),
      'results page (the groups it shows)': queries.map((q) => buildMultiSearchQueries(indexUid, q, CARD_FACET_GROUPS).queries),
      'API shape without facet counts': queries.map((q) => buildMultiSearchQueries(indexUid, q).queries.map(withoutFacets)),
      'main query only': queries.map((q) => buildMultiSearchQueries(indexUid, q).queries.slice(0, 1)),
      'main query only, no facet counts': queries.map((q) => buildMultiSearchQueries(indexUid, q).queries.slice(0, 1).map(withoutFacets)),
    };
    const url = `${backends.meili.url}/multi-search`;
    const headers = { Authorization: `Bearer ${backends.meili.masterKey}`, 'Content-Type': 'application/json', 'Accept-Encoding': 'identity' };
    const pid = backends.meili.process.pid;
    const results = new Map<string, Array<{ ms: number; cpuMs: number }>>();
    for (let r = 0; r < options.rounds; r++) {
      for (const [name, bodies] of Object.entries(shapes)) {
        const texts = bodies.map((body) => JSON.stringify({ queries: body }));
        const cpuBefore = cpuSecondsOf(pid);
        const started = performance.now();
        for (const body of texts) {
          const response = await fetch(url, { method: 'POST', headers, body });
          if (!response.ok) throw new Error(`${name}: Meilisearch answered ${response.status}: ${await response.text()}`);
          await response.arrayBuffer();
        }
        const sample = { ms: (performance.now() - started) / texts.length, cpuMs: ((cpuSecondsOf(pid) - cpuBefore) * 1000) / texts.length };
        results.set(name, [...(results.get(name) ?? []), sample]);
        log(`round ${r + 1} ${name}: ${round(sample.ms, 2)} ms per multi-search, engine CPU ${round(sample.cpuMs, 2)} ms`);
      }
    }
    const subQueries = (name: string) => round((shapes[name] ?? []).reduce((sum, body) => sum + body.length, 0) / queries.length, 2);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;
    const lines = [`\nEngine share — ${options.courses} courses, mix "${options.mix}", 200 multi-searches sent one after another, median of ${options.rounds} rounds`];
    lines.push('shape | sub-queries per multi-search | ms per multi-search | engine CPU ms per multi-search');
    for (const [name, samples] of results) {
      lines.push(`${name} | ${subQueries(name)} | ${round(median(samples.map((s) => s.ms)), 2)} | ${round(median(samples.map((s) => s.cpuMs)), 2)}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log(`stop: ${String(error)}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`engine-share: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
