import { importCatalog } from '../../src/seeding/catalog-import';
import { demoCatalog } from '../../src/seeding/demo-seed';
import type { TestApp } from './test-app';

/** Loads the demo catalogue (seed/demo, relative to today, as `npm start` does) and waits until it is searchable. */
export async function seedDemoCatalog(t: TestApp, now = new Date()): Promise<void> {
  const catalog = demoCatalog(now);
  await importCatalog(t.services.deps.db, now, catalog.providers, catalog.courses);
  await t.settle(30_000);
}
