/**
 * Where Meilisearch's time per match goes:
 *   node --import tsx bench/match-engine-share.ts [--courses 100000] [--rounds 2]
 * Loads N courses like the other benchmarks, runs `services.matching.match` once for each of the 100 profiles of
 * bench/match-profiles.ts to record the multi-search each one sends, then replays those multi-searches straight to
 * Meilisearch one after the other, whole and in parts: the candidates query alone, the near-miss queries alone, the
 * near-misses only counted (no hits), and the candidates with only the ranking's fields retrieved. Reports the mean
 * time and Meilisearch's CPU (user + system from /proc) per match for each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MultiSearchQuery } from 'meilisearch';
import { clientProfileSchema } from '../src/matching/client-profile.schema';
import { todayIn } from '../src/matching/match-constraints';
import { cpuSecondsOf, loadCatalog, log, readOptions, round, startBackends } from './backends';
import { buildProfiles } from './match-profiles';

const RANKING_FIELDS = ['id', 'startDateIso', 'rollingEntry', 'seatsAvailable', 'waitlist', 'venue', 'lastConfirmedAt', 'womenOnly'];

async function main(): Promise<void> {
  const options = { courses: 100_000, rounds: 2 };
  readOptions(process.argv.slice(2), (arg, value, positive) => {
    if (arg === '--courses') options.courses = Math.floor(positive(value()));
    else if (arg === '--rounds') options.rounds = Math.floor(positive(value()));
    else throw new Error(`unknown option ${arg}`);
  });
  const today = todayIn(new Date());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'skf-match-share-'));
  const stops: Array<() => Promise<void>> = [];
  try {
    const backends = await startBackends({ dataDir, indexingMemory: '1GiB', logLevel: 'warn' }, (stop) => stops.push(stop));
    await loadCatalog(backends, options.courses, today);
    const { engine, matching } = { engine: backends.services.deps.engine, matching: backends.services.matching };
    const send = engine.multiSearch;
    const recorded: MultiSearchQuery[][] = [];
    engine.multiSearch = (queries) => {
      recorded.push(queries);
      return send(queries);
    };
    for (const input of buildProfiles(100, 11, today)) await matching.match(clientProfileSchema.parse(input));
    engine.multiSearch = send;

    const shapes: Array<[string, (queries: MultiSearchQuery[]) => MultiSearchQuery[]]> = [
      ['whole multi-search, as matching sends it', (q) => q],
      ['candidates with only the ranking fields, near-misses as sent', ([first, ...rest]) => (first ? [{ ...first, attributesToRetrieve: RANKING_FIELDS }, ...rest] : rest)],
      ['candidates query alone', (q) => q.slice(0, 1)],
      ['near-miss queries alone', (q) => q.slice(1)],
      ['near-miss queries, counted only (no hits, no sort)', (q) => q.slice(1).map(({ sort: _sort, ...query }) => ({ ...query, hitsPerPage: 0 }))],
    ];
    const pid = backends.meili.process.pid;
    const samples = new Map<string, Array<{ ms: number; cpuMs: number }>>();
    for (let r = 0; r < options.rounds; r++) {
      for (const [name, shape] of shapes) {
        const bodies = recorded.map(shape).filter((queries) => queries.length > 0);
        const cpuBefore = cpuSecondsOf(pid);
        const started = performance.now();
        for (const queries of bodies) await send(queries);
        const sample = { ms: (performance.now() - started) / recorded.length, cpuMs: ((cpuSecondsOf(pid) - cpuBefore) * 1000) / recorded.length };
        samples.set(name, [...(samples.get(name) ?? []), sample]);
        log(`round ${r + 1} ${name}: ${round(sample.ms, 1)} ms, engine CPU ${round(sample.cpuMs, 1)} ms per match`);
      }
    }
    const best = (values: number[]) => Math.min(...values);
    const lines = [`\nMatch engine share — ${options.courses} courses, ${recorded.length} profiles, best of ${options.rounds} rounds, per match`, 'shape | ms | engine CPU ms'];
    for (const [name, values] of samples) lines.push(`${name} | ${round(best(values.map((v) => v.ms)), 1)} | ${round(best(values.map((v) => v.cpuMs)), 1)}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log(`stop: ${String(error)}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`match-engine-share: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
