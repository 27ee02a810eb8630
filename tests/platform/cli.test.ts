import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { userModel } from '../../src/accounts/account.models';
import { courseModel } from '../../src/courses/course.model';
import { connectMeilisearch } from '../../src/infra/meili';
import { connectMongo, type Connection } from '../../src/infra/mongo';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const id = `cli_${randomBytes(4).toString('hex')}`;
const mongoUri = (process.env.TEST_MONGODB_URI ?? '').replace('/?', `/${id}?`);
const env = {
  ...process.env,
  MONGODB_URI: mongoUri,
  MEILI_URL: process.env.TEST_MEILI_URL ?? '',
  MEILI_MASTER_KEY: process.env.TEST_MEILI_KEY ?? '',
  MEILI_INDEX_PREFIX: `${id}_`,
  LOG_LEVEL: 'silent',
};
const engine = connectMeilisearch(env.MEILI_URL, env.MEILI_MASTER_KEY, env.MEILI_INDEX_PREFIX);

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function indexedCount(): Promise<number> {
  const stats = await engine.client.index(`${id}_courses`).getStats();
  return stats.numberOfDocuments;
}

let db: Connection;
beforeAll(async () => {
  db = await connectMongo(mongoUri);
});
afterAll(async () => {
  await db.dropDatabase();
  await db.close();
  const { results } = await engine.client.getIndexes({ limit: 1000 });
  await Promise.all(results.filter((i) => i.uid.startsWith(`${id}_`)).map((i) => engine.client.deleteIndex(i.uid)));
});

describe('npm run cli', () => {
  it('users:create stores an argon2id-hashed account', async () => {
    const result = await cli('users:create', '--email', 'Beraterin@Landau.example', '--password', 'lange-passphrase-1', '--role', 'counselor');
    expect(result).toMatchObject({ code: 0, stdout: expect.stringMatching(/^created counselor beraterin@landau\.example/) });
    const user = await userModel(db).findOne({ email: 'beraterin@landau.example' }).lean();
    expect(user?.role).toBe('counselor');
    expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
  }, 30_000);

  it('users:create names the missing field in one clear message', async () => {
    const result = await cli('users:create', '--email', 'anbieter@landau.example', '--password', 'lange-passphrase-1', '--role', 'provider');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('providerId: is required for the role "provider"');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 30_000);

  it('seed:synthetic imports and indexes N courses, and search:reindex rebuilds the index from MongoDB', async () => {
    const seeded = await cli('seed:synthetic', '--courses', '60');
    if (seeded.code !== 0) throw new Error(`seed:synthetic failed: ${seeded.stderr}`);
    expect(seeded.stdout).toMatch(/^imported 60 courses from \d+ providers/);
    const published = await courseModel(db).countDocuments({ status: 'published' });
    expect(published).toBeGreaterThan(40);
    expect(await indexedCount()).toBe(published);
    expect(await courseModel(db).countDocuments({ 'search.pendingVersion': { $exists: true } })).toBe(0);

    // the index is lost; a reindex brings it back from the source of truth
    await engine.client.index(`${id}_courses`).deleteAllDocuments().waitTask();
    expect(await indexedCount()).toBe(0);
    const reindexed = await cli('search:reindex');
    expect(reindexed.stdout).toMatch(new RegExp(`^reindexed ${published} published courses`));
    expect(await indexedCount()).toBe(published);
  }, 60_000);

  it('seed:demo loads the demo data once', async () => {
    const before = await courseModel(db).countDocuments();
    const first = await cli('seed:demo');
    expect(first.stdout).toMatch(/^loaded 100 demo courses/);
    expect(await courseModel(db).countDocuments()).toBe(before + 100);
    const again = await cli('seed:demo');
    expect(again.stdout).toMatch(/already loaded/);
    expect(await courseModel(db).countDocuments()).toBe(before + 100);
  }, 60_000);
});
