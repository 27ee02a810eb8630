/**
 * The app alone in a small process of its own, for tests/course-csv/export-memory.test.ts: a jest worker's heap holds
 * what every earlier test file left behind, and one full collection of it took seconds inside the suite.
 *
 *   MONGODB_URI=… DB_NAME=… node --expose-gc --max-old-space-size=128 --import tsx tests/support/export-server.ts
 *
 * Prints `ready <port>`. For each line `measure` on stdin it prints the bytes retained (JS heap + ArrayBuffers after
 * two full collections, the second a turn of the event loop later, once V8 has returned the freed ArrayBuffers).
 * Exits when stdin closes, so it never outlives the test that started it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { createApp } from '../../src/app';
import { createAppServices } from '../../src/app-services';
import { loadConfig } from '../../src/config';
import { connectMeilisearch } from '../../src/infra/meili';
import { connectMongo } from '../../src/infra/mongo';
import { systemClock } from '../../src/lib/clock';
import { createLogger } from '../../src/lib/logger';

const gc = (global as { gc?: () => void }).gc;

async function retained(): Promise<number> {
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

async function main(): Promise<void> {
  const uri = process.env.MONGODB_URI ?? '';
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', MONGODB_URI: uri, MEILI_URL: 'http://127.0.0.1:9', MEILI_MASTER_KEY: 'unused-by-the-exports' });
  const db = await connectMongo(uri, process.env.DB_NAME);
  // The exports read MongoDB only; the search engine client is never called.
  const services = createAppServices({ config, db, engine: connectMeilisearch('http://127.0.0.1:9', 'unused', ''), clock: systemClock, logger: createLogger('silent') });
  const server = http.createServer(createApp(services)).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line === 'measure') void retained().then((bytes) => process.stdout.write(`${bytes}\n`));
  });
  lines.on('close', () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`export-server: ${String(error)}\n`);
  process.exit(1);
});
