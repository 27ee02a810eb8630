import { courseModel } from '../../src/courses/course.model';
import type { CourseSearchDocument } from '../../src/search/search-document';
import type { TestApp } from '../support/test-app';

/** `id → version` of every document in the app's course index, read straight from Meilisearch. */
export async function indexVersions(t: TestApp): Promise<Map<string, number>> {
  const index = t.services.deps.engine.client.index<CourseSearchDocument>(t.services.sync.indexUid);
  const versions = new Map<string, number>();
  for (let offset = 0; ; offset += 1000) {
    const page = await index.getDocuments({ limit: 1000, offset, fields: ['id', 'version'] });
    for (const doc of page.results) versions.set(doc.id, doc.version);
    if (page.results.length < 1000) return versions;
  }
}

/** `id → version` of every published course in MongoDB: what the index must hold. */
export async function publishedVersions(t: TestApp): Promise<Map<string, number>> {
  const rows = await courseModel(t.services.deps.db).find({ status: 'published' }, { version: 1 }).lean();
  return new Map(rows.map((row) => [row._id.toString(), row.version]));
}

/** Index and MongoDB as sorted `id@version` lists, so a failing comparison shows the difference. */
export async function indexAndMongo(t: TestApp): Promise<{ index: string[]; mongo: string[] }> {
  const [index, mongo] = await Promise.all([indexVersions(t), publishedVersions(t)]);
  const list = (m: Map<string, number>) => [...m].map(([id, v]) => `${id}@${v}`).sort();
  return { index: list(index), mongo: list(mongo) };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a value (not undefined) or the time is up. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms${last instanceof Error ? ` (last error: ${last.message})` : ''}`);
    await sleep(intervalMs);
  }
}
