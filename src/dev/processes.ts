import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { alive as anyAlive } from '../infra/pid';

/** Whether one of our own processes (from a pid file) still runs. */
export const alive = (pid: number): boolean => anyAlive(pid, false);

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** True when something already listens on the port. */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, host, () => server.close(() => resolve(false)));
  });
}

export interface ServerProcess {
  child: ChildProcess;
  /** The last few KB the process wrote to stderr, for error messages. */
  stderrTail(): string;
}

export function startServerProcess(
  command: string,
  args: string[],
  options: SpawnOptions = {},
): ServerProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  let tail = '';
  child.stderr?.on('data', (chunk) => (tail = (tail + chunk).slice(-4000)));
  return { child, stderrTail: () => tail };
}

/** Polls an HTTP URL until it answers below 500, the process dies, or time runs out. */
export async function waitForHttp(
  url: string,
  server: ServerProcess,
  name: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { exitCode } = server.child;
    if (exitCode !== null) throw new Error(`${name} exited with code ${exitCode}: ${server.stderrTail()}`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.child.kill('SIGKILL');
  throw new Error(`${name} did not answer at ${url} within ${timeoutMs} ms: ${server.stderrTail()}`);
}

export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

/** The pid in a pid file, when that process still runs. */
export function runningPidFrom(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8'));
  return Number.isInteger(pid) && alive(pid) ? pid : undefined;
}

/** Stops a detached process and its group: SIGTERM, then SIGKILL after ten seconds. */
export async function stopPid(pid: number): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig); // the process group: each detached process leads its own
    } catch {
      if (alive(pid)) process.kill(pid, sig);
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) signal('SIGKILL');
}
