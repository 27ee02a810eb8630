import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMeilisearch } from '../../src/infra/embedded/meilisearch';
import { aCourse, givenProvider, loginAs } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';
import { sleep } from './index-state';

let dataDir: string;
let t: TestApp;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'skf-backoff-'));
  const engine = await startMeilisearch({ dataDir });
  await engine.stop(); // nobody answers on its port any more
  t = await createTestApp('backoff', { meili: { url: engine.url, key: engine.masterKey }, prepareIndex: false, syncOptions: { maxBackoffMs: 10_000 } });
});
afterAll(async () => {
  jest.restoreAllMocks();
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** How many rounds fit into `ms` at most when each failure doubles the wait from 200 ms (up to maxBackoffMs, 10 s). */
function roundsWithBackoffWithin(ms: number): number {
  let rounds = 1;
  for (let at = 0, wait = 200; at + wait <= ms; at += wait, wait = Math.min(2 * wait, 10_000)) rounds += 1;
  return rounds;
}

it('backs off while the engine is down, however many writes kick the worker meanwhile', async () => {
  const provider = await loginAs(t, 'provider', await givenProvider(t));
  const leases = t.services.deps.db.collection('search_sync_lease');
  const rounds = jest.spyOn(leases, 'updateOne');
  const started = Date.now();
  // 15 writes in ~1.5 s, each one kicking the worker
  for (let i = 0; i < 15; i++) {
    expect((await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse({ title: { de: `Kurs ${i}` } }))).status).toBe(201);
    await sleep(100);
  }
  const elapsed = Date.now() - started;
  // Backoff 200, 400, 800, 1600 ms…: a handful of rounds in that time, not one per write. The bound follows the time
  // the writes took (a busy machine may take several seconds), plus one round on the edge of the window.
  expect(rounds.mock.calls.length).toBeLessThanOrEqual(roundsWithBackoffWithin(elapsed) + 1);
  expect(rounds.mock.calls.length).toBeLessThan(15);
  expect(t.services.sync.status().failing).toBe(true);
  expect(await t.services.sync.backlog()).toBe(15);
});
