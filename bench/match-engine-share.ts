/**
 * Where Meilisearch's time per match goes:
 *   node --import tsx bench/match-engine-share.ts [--courses 100000] [--rounds 2]
 * Loads N courses like the other benchmarks, runs `services.matching.match` once for each of the 100 profiles of
 * bench/match-profiles.ts to record the multi-search each one sends, then replays those multi-searches straight to
 * Meilisearch one after the other, whole and in parts: the candidates query alone, the near-miss queries alone, the
 * near-misses only counted (no hits), and the candidates with only the ranking's fields retrieved. Reports the mean
 * time and Meilisearch's CPU (user + system from /proc) per match for each.
 */
import type { MultiSearchQuery } from 'meilisearch';
import { clientProfileSchema } from '../src/matching/client-profile.schema';
import { todayIn } from '../src/matching/match-constraints';
import { readOptions, round } from './backends';
import { replayShapes, runOnCatalog } from './engine-replay';
import { buildProfiles } from './match-profiles';

const RANKING_FIELDS = ['id', 'startDateIso', 'rollingEntry', 'seatsAvailable', 'waitlist', 'venue', 'lastConfirmedAt', 'womenOnly'];

const options = { courses: 100_000, rounds: 2 };
readOptions(process.argv.slice(2), (arg, value, positive) => {
  if (arg === '--courses') options.courses = Math.floor(positive(value()));
  else if (arg === '--rounds') options.rounds = Math.floor(positive(value()));
  else throw new Error(`unknown option ${arg}`);
});
const today = todayIn(new Date());
runOnCatalog('match-engine-share', options.courses, today, async (backends) => {
  const { matching } = backends.services;
  const searchEngine = backends.services.deps.engine;
  const send = searchEngine.multiSearch;
  const recorded: MultiSearchQuery[][] = [];
  searchEngine.multiSearch = (queries) => {
    recorded.push(queries);
    return send(queries);
  };
  for (const input of buildProfiles(100, 11, today)) await matching.match(clientProfileSchema.parse(input));
  searchEngine.multiSearch = send;

  const shapes: Array<[string, MultiSearchQuery[][]]> = [
    ['whole multi-search, as matching sends it', recorded],
    ['candidates with only the ranking fields, near-misses as sent', recorded.map(([first, ...rest]) => (first ? [{ ...first, attributesToRetrieve: RANKING_FIELDS }, ...rest] : rest))],
    ['candidates query alone', recorded.map((q) => q.slice(0, 1))],
    ['near-miss queries alone', recorded.map((q) => q.slice(1))],
    ['near-miss queries, counted only (no hits, no sort)', recorded.map((q) => q.slice(1).map(({ sort: _sort, ...query }) => ({ ...query, hitsPerPage: 0 })))],
  ];
  const samples = await replayShapes(backends, shapes, options.rounds);
  const best = (values: number[]) => Math.min(...values);
  const lines = [`\nMatch engine share — ${options.courses} courses, ${recorded.length} profiles, best of ${options.rounds} rounds, per match`, 'shape | ms | engine CPU ms'];
  for (const [name, values] of samples) lines.push(`${name} | ${round(best(values.map((v) => v.ms)), 1)} | ${round(best(values.map((v) => v.cpuMs)), 1)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
});
