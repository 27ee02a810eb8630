import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, openSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';

/** A server process this app started; it is stopped by its pid, never by name. */
export type ManagedProcess = {
  readonly pid: number;
  readonly child: ChildProcess;
  /** resolves with the exit code once the process has ended */
  readonly exited: Promise<number | null>;
  stop(timeoutMs?: number): Promise<void>;
};

const SETPRIV = '/usr/bin/setpriv';

function hasSetpriv(): boolean {
  try {
    accessSync(SETPRIV, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export type ManagedProcessOptions = {
  /** stdout and stderr are appended here (a chatty server never blocks on a full pipe); stderr is inherited without it */
  logFile?: string;
  /** keep stdout as a pipe for the caller to read (`child.stdout`) */
  stdout?: 'pipe';
  env?: NodeJS.ProcessEnv;
  cwd?: string;
};

/**
 * Starts `command` so that it cannot outlive this process: on Linux `setpriv --pdeathsig TERM`
 * makes the kernel send SIGTERM to the server when its parent dies, even by SIGKILL. setpriv execs,
 * so the pid is the started process itself.
 */
export function startManagedProcess(command: string, args: string[], options: ManagedProcessOptions): ManagedProcess {
  const [file, argv] = hasSetpriv() ? [SETPRIV, ['--pdeathsig', 'TERM', '--', command, ...args]] : [command, args];
  const log = options.logFile ? openSync(options.logFile, 'a') : undefined;
  const stdout = options.stdout ?? log ?? 'ignore';
  const child = spawn(file, argv, { stdio: ['ignore', stdout, log ?? 'inherit'], env: options.env ?? process.env, ...(options.cwd ? { cwd: options.cwd } : {}) });
  if (log !== undefined) closeSync(log);
  if (child.pid === undefined) throw new Error(`Could not start ${command}.`);
  const pid = child.pid;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  let stopping: Promise<void> | undefined;
  return {
    pid,
    child,
    exited,
    stop(timeoutMs = 10_000) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs: number, died?: Promise<unknown>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void died?.then(() => {
    dead = true;
  });
  let lastError: unknown;
  while (Date.now() < deadline && !dead) {
    try {
      const result = await attempt();
      if (result !== undefined) return result;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const reason = dead ? 'the process exited' : `no answer within ${timeoutMs} ms`;
  throw new Error(`${what} did not start: ${reason}${lastError instanceof Error ? ` (${lastError.message})` : ''}.`);
}
