/**
 * Load generator, run as its own process by bench/search-bench.ts:
 *   node --import tsx bench/load-worker.ts <job.json>
 * Drives one target with autocannon, rotating through the job's request list, and prints one JSON line
 * with every-response latency percentiles (autocannon's own summary has no p95) and throughput.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export type LoadJob = {
  url: string;
  connections: number;
  durationSeconds: number;
  requests: Array<{ method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string }>;
};

export type LoadResult = {
  connections: number;
  durationSeconds: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; mean: number; max: number };
  bytesPerResponse: number;
};

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

async function main(): Promise<void> {
  const jobFile = process.argv[2];
  if (!jobFile) throw new Error('usage: load-worker.ts <job.json>');
  const job = JSON.parse(readFileSync(jobFile, 'utf8')) as LoadJob;
  const latencies: number[] = [];
  let bytes = 0;
  let non2xx = 0;
  const started = process.hrtime.bigint();
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      { url: job.url, connections: job.connections, pipelining: 1, duration: job.durationSeconds, timeout: 30, requests: job.requests },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  if (!instance) throw new Error('autocannon did not start');
  instance.on('response', (_client, statusCode, resBytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) {
      latencies.push(responseTime);
      bytes += resBytes;
    } else {
      non2xx += 1;
    }
  });
  const result = await done;
  const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const sorted = Float64Array.from(latencies).sort();
  const sum = latencies.reduce((a, b) => a + b, 0);
  const out: LoadResult = {
    connections: job.connections,
    durationSeconds: Math.round(elapsedSeconds * 100) / 100,
    ok: latencies.length,
    non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    requestsPerSecond: latencies.length / Math.min(elapsedSeconds, result.duration || elapsedSeconds),
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      mean: latencies.length ? sum / latencies.length : Number.NaN,
      max: sorted.length ? (sorted[sorted.length - 1] ?? Number.NaN) : Number.NaN,
    },
    bytesPerResponse: latencies.length ? Math.round(bytes / latencies.length) : 0,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`load-worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
