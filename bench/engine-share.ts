/**
 * Where Meilisearch's time per search goes, for the benchmark's query mix:
 *   node --import tsx bench/engine-share.ts [--courses 100000] [--rounds 3] [--mix default|slots]
 * Loads N courses like bench/search-bench.ts, then sends the 200 multi-searches of the mix one after the other from
 * this process, in several shapes: as the API builds them, as the results page builds them (only the facet groups
 * it shows), without any facet counts, and the main query alone. Per shape it reports the mean time per
 * multi-search and Meilisearch's CPU per multi-search (user + system of its process, from /proc), the number other
 * load on the machine moves least. Which part of a search costs what decides what the website may leave out.
 */
import { parse as parseQueryString } from 'node:querystring';
import type { MultiSearchQuery } from 'meilisearch';
import { buildMultiSearchQueries, CARD_FACET_GROUPS } from '../src/search/search.service';
import { searchQuerySchema } from '../src/search/search-query.schema';
import { readOptions, round } from './backends';
import { replayShapes, runOnCatalog } from './engine-replay';
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

const options = parseOptions(process.argv.slice(2));
const today = new Date().toISOString().slice(0, 10);
runOnCatalog('engine-share', options.courses, today, async (backends) => {
  const indexUid = backends.services.search.indexUid;
  const queries = buildQueryStrings(200, 7, today, options.mix).map((s) => searchQuerySchema.parse(parseQueryString(s)));
  const withoutFacets = (q: MultiSearchQuery): MultiSearchQuery => ({ ...q, facets: [] });
  const shapes: Array<[string, MultiSearchQuery[][]]> = [
    ['API (all facet groups, disjunctive)', queries.map((q) => buildMultiSearchQueries(indexUid, q).queries)],
    ['results page (the groups it shows)', queries.map((q) => buildMultiSearchQueries(indexUid, q, CARD_FACET_GROUPS).queries)],
    ['API shape without facet counts', queries.map((q) => buildMultiSearchQueries(indexUid, q).queries.map(withoutFacets))],
    ['main query only', queries.map((q) => buildMultiSearchQueries(indexUid, q).queries.slice(0, 1))],
    ['main query only, no facet counts', queries.map((q) => buildMultiSearchQueries(indexUid, q).queries.slice(0, 1).map(withoutFacets))],
  ];
  const samples = await replayShapes(backends, shapes, options.rounds);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;
  const lines = [`\nEngine share — ${options.courses} courses, mix "${options.mix}", 200 multi-searches sent one after another, median of ${options.rounds} rounds`];
  lines.push('shape | sub-queries per multi-search | ms per multi-search | engine CPU ms per multi-search');
  for (const [name, bodies] of shapes) {
    const values = samples.get(name) ?? [];
    const subQueries = round(bodies.reduce((sum, body) => sum + body.length, 0) / bodies.length, 2);
    lines.push(`${name} | ${subQueries} | ${round(median(values.map((v) => v.ms)), 2)} | ${round(median(values.map((v) => v.cpuMs)), 2)}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
});
