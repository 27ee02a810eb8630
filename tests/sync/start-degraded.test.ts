import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMeilisearch, type EmbeddedMeilisearch } from '../../src/infra/embedded/meilisearch';
import { aCourse, givenProvider, loginAs } from '../support/builders';
import { createTestApp, type TestApp } from '../support/test-app';
import { eventually } from './index-state';

let dataDir: string;
let meili: EmbeddedMeilisearch | undefined;
let t: TestApp;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'skf-degraded-'));
  // an engine that is not running: its port and key are known, nobody answers
  const first = await startMeilisearch({ dataDir });
  await first.stop();
  meili = first;
  t = await createTestApp('degraded', { meili: { url: first.url, key: first.masterKey }, prepareIndex: false });
});
afterAll(async () => {
  await t.close();
  await meili?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('works without the search engine, then creates the index and catches up by itself when it answers', async () => {
  const provider = await loginAs(t, 'provider', await givenProvider(t));
  const created = await t.http.post('/api/v1/courses').set(provider.auth).send(aCourse({ title: { de: 'Nachtigallkurs' } }));
  expect(created.status).toBe(201);

  const health = await t.http.get('/health');
  expect(health.status).toBe(503);
  expect(health.body).toMatchObject({ mongo: 'up', search: 'down', searchBacklog: 1 });
  const search = await t.http.get('/api/v1/courses').query({ q: 'Nachtigallkurs' });
  expect(search.status).toBe(503);
  expect(search.body.error.code).toBe('search_unavailable');

  const port = Number(new URL(meili!.url).port);
  meili = await startMeilisearch({ dataDir, port });
  const hits = await eventually(
    'the course to be searchable',
    async () => {
      const res = await t.http.get('/api/v1/courses').query({ q: 'Nachtigallkurs' });
      return res.status === 200 && res.body.total === 1 ? res.body.hits : undefined;
    },
    30_000,
    200,
  );
  expect(hits[0].id).toBe(created.body.id);
  // The worker clears a course's mark once the engine reports the task done, which can come a moment after the
  // document is already searchable: the backlog empties by itself, not necessarily before the first hit.
  const healthy = await eventually(
    'the backlog to empty',
    async () => {
      const res = await t.http.get('/health');
      return res.body.searchBacklog === 0 ? res.body : undefined;
    },
    10_000,
    100,
  );
  expect(healthy).toMatchObject({ status: 'ok', search: 'up', searchBacklog: 0 });
}, 60_000);
