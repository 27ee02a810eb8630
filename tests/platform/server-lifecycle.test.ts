import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectMeilisearch } from '../../src/infra/meili';
import { connectMongo } from '../../src/infra/mongo';

const ROOT = path.resolve(__dirname, '..', '..');

function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

/** The database and search servers among a process's children (tsx also runs an esbuild helper). */
function serverPids(pid: number): number[] {
  return childPids(pid).filter((child) => ['mongod', 'meilisearch'].includes(commandOf(child)));
}

function commandOf(pid: number): string {
  try {
    return execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return commandOf(pid) !== '';
  } catch {
    return false;
  }
}

async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

/** Starts `npm start`'s entry point as one node process (or `npm start` itself) and resolves once it printed its URL. */
function startServer(dataDir: string, env: Record<string, string> = {}, throughNpm = false): Promise<{ child: ChildProcess; output: () => string }> {
  const [file, args] = throughNpm ? ['npm', ['start']] : [process.execPath, ['--import', 'tsx', 'src/server.ts']];
  const child = spawn(file, args, {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', MONGOD_BIN: process.env.TEST_MONGOD_BIN ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const check = setInterval(() => {
      if (/running at http/.test(output)) {
        clearInterval(check);
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    }, 50);
    child.once('exit', () => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`server exited early:\n${output}`));
    });
  });
}

describe('npm start with embedded servers', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'skf-lifecycle-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts real mongod and Meilisearch, prints the demo accounts, and leaves no server behind on SIGINT', async () => {
    const { child, output } = await startServer(dataDir);
    const servers = serverPids(child.pid!);
    expect(servers.map(commandOf).sort()).toEqual(['meilisearch', 'mongod']);
    expect(output()).toMatch(/admin@demo\.sprachkursfinder\.example/);
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await eventually(() => servers.every((pid) => !isAlive(pid)), 15_000)).toBe(true);
  }, 90_000);

  it('stops with its servers when a process manager sends SIGTERM to `npm start` itself', async () => {
    const { child } = await startServer(dataDir, { SEED_DEMO: 'false' }, true);
    // npm runs the script through `sh -c`; the script execs node, so npm's own child is the app.
    const [app] = childPids(child.pid!).filter((pid) => commandOf(pid) === 'node');
    expect(app).toBeDefined();
    const servers = serverPids(app!);
    expect(servers.map(commandOf).sort()).toEqual(['meilisearch', 'mongod']);
    child.kill('SIGTERM');
    expect(await eventually(() => [app!, ...servers].every((pid) => !isAlive(pid)), 20_000)).toBe(true);
  }, 90_000);

  it('takes its servers down with it even when killed with SIGKILL', async () => {
    const { child } = await startServer(dataDir, { SEED_DEMO: 'false' });
    const servers = serverPids(child.pid!);
    expect(servers).toHaveLength(2);
    child.kill('SIGKILL');
    expect(await eventually(() => servers.every((pid) => !isAlive(pid)), 15_000)).toBe(true);
  }, 90_000);
});

describe('npm start against existing servers', () => {
  it('spawns nothing and creates the admin from ADMIN_EMAIL and ADMIN_PASSWORD', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'skf-external-'));
    const db = `bootstrap_${process.pid}`;
    const { child, output } = await startServer(dataDir, {
      MONGODB_URI: (process.env.TEST_MONGODB_URI ?? '').replace('/?', `/${db}?`),
      MEILI_URL: process.env.TEST_MEILI_URL ?? '',
      MEILI_MASTER_KEY: process.env.TEST_MEILI_KEY ?? '',
      MEILI_INDEX_PREFIX: `${db}_`,
      ADMIN_EMAIL: 'integration@landau.example',
      ADMIN_PASSWORD: 'erste-sitzung-2027',
    });
    try {
      expect(serverPids(child.pid!)).toEqual([]);
      expect(output()).not.toMatch(/Demo accounts/);
      const port = /running at http:\/\/127\.0\.0\.1:(\d+)/.exec(output())?.[1];
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'integration@landau.example', password: 'erste-sitzung-2027' }),
      });
      expect(res.status).toBe(200);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(await health.json()).toMatchObject({ mongo: 'up', search: 'up' });
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      const conn = await connectMongo((process.env.TEST_MONGODB_URI ?? '').replace('/?', `/${db}?`));
      await conn.dropDatabase();
      await conn.close();
      const engine = connectMeilisearch(process.env.TEST_MEILI_URL ?? '', process.env.TEST_MEILI_KEY, `${db}_`);
      const { results } = await engine.client.getIndexes({ limit: 1000 });
      await Promise.all(results.filter((i) => i.uid.startsWith(`${db}_`)).map((i) => engine.client.deleteIndex(i.uid)));
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('configuration', () => {
  it('stops with one line naming a bad variable', () => {
    let stderr = '';
    let status = 0;
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env: { ...process.env, PORT: 'abc' }, stdio: 'pipe' });
    } catch (error) {
      const e = error as { status: number; stderr: Buffer };
      status = e.status;
      stderr = e.stderr.toString();
    }
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: PORT /)]);
  }, 30_000);
});
