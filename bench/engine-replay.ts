/**
 * Shared by bench/engine-share.ts and bench/match-engine-share.ts: a private mongod + Meilisearch with N synthetic
 * courses, and multi-searches replayed to Meilisearch in several shapes, timing each shape and Meilisearch's CPU.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MultiSearchQuery } from 'meilisearch';
import { cpuSecondsOf, loadCatalog, log, round, startBackends, type Backends } from './backends';

/** Runs `body` on freshly loaded backends and exits the process: 0 when it succeeds, 1 with the error otherwise. */
export function runOnCatalog(name: string, courses: number, today: string, body: (backends: Backends) => Promise<void>): void {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `skf-${name}-`));
  const stops: Array<() => Promise<void>> = [];
  const run = async () => {
    try {
      const backends = await startBackends({ dataDir, indexingMemory: '1GiB', logLevel: 'warn' }, (stop) => stops.push(stop));
      await loadCatalog(backends, courses, today);
      await body(backends);
    } finally {
      for (const stop of stops.reverse()) await stop().catch((error: unknown) => log(`stop: ${String(error)}`));
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  run().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}

export type ReplaySample = { ms: number; cpuMs: number };

/**
 * Sends every multi-search of each shape one after another through the app's own Meilisearch client, `rounds` times;
 * per shape and round: the mean time and Meilisearch's CPU (user + system from /proc) per multi-search.
 */
export async function replayShapes(backends: Backends, shapes: ReadonlyArray<[string, MultiSearchQuery[][]]>, rounds: number): Promise<Map<string, ReplaySample[]>> {
  const { engine } = backends.services.deps;
  const pid = backends.meili.process.pid;
  const samples = new Map<string, ReplaySample[]>();
  for (let r = 0; r < rounds; r++) {
    for (const [name, bodies] of shapes) {
      const cpuBefore = cpuSecondsOf(pid);
      const started = performance.now();
      for (const queries of bodies) if (queries.length > 0) await engine.multiSearch(queries);
      const sample = { ms: (performance.now() - started) / bodies.length, cpuMs: ((cpuSecondsOf(pid) - cpuBefore) * 1000) / bodies.length };
      samples.set(name, [...(samples.get(name) ?? []), sample]);
      log(`round ${r + 1} ${name}: ${round(sample.ms, 2)} ms, engine CPU ${round(sample.cpuMs, 2)} ms`);
    }
  }
  return samples;
}
