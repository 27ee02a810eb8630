import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT, TOOLS_DIR } from '../../src/infra/embedded/project-paths';

const run = promisify(execFile);

/** schemathesis 4.32.5 and every dependency, pinned with hashes (pip-compile --generate-hashes; see requirements.in). */
const REQUIREMENTS = path.join(PROJECT_ROOT, 'tests', 'fuzz', 'requirements.txt');
const VENV = path.join(TOOLS_DIR, 'schemathesis');
/** Written last: a venv without it (an interrupted install) or from other requirements is built again. */
const STAMP = path.join(VENV, 'requirements.sha256');
export const SCHEMATHESIS_BIN = path.join(VENV, 'bin', 'schemathesis');

/** The python3 on the PATH, or undefined: the only reason the fuzz test may skip. */
export function findPython(): string | undefined {
  const probe = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? 'python3' : undefined;
}

function requirementsHash(): string {
  return createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
}

/** Creates `.tools/schemathesis` (a venv with the hash-pinned requirements) unless it is there already. */
export async function ensureSchemathesis(python: string, say: (line: string) => void): Promise<string> {
  const wanted = requirementsHash();
  if (existsSync(SCHEMATHESIS_BIN) && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === wanted) return SCHEMATHESIS_BIN;
  say('Installing schemathesis 4.32.5 (hash-pinned, tests/fuzz/requirements.txt) into .tools/schemathesis — once only.');
  rmSync(VENV, { recursive: true, force: true });
  mkdirSync(TOOLS_DIR, { recursive: true });
  await run(python, ['-m', 'venv', VENV]);
  await run(path.join(VENV, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--require-hashes', '--no-deps', '-r', REQUIREMENTS], {
    maxBuffer: 16 * 1024 * 1024,
  });
  writeFileSync(STAMP, `${wanted}\n`);
  return SCHEMATHESIS_BIN;
}

/** The parts of schemathesis's JSON report (`--report json`) the fuzz test reads. */
export type SchemathesisReport = {
  complete: boolean;
  operations: { selected: number; tested: number; errored: number };
  test_cases: { generated: number };
  failures: Array<{ code: string; title: string; count: number }>;
  errors: Array<{ title: string; count: number }>;
};
