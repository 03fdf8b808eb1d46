/**
 * A worker that dies in the middle of an engine run (SIGKILL, OOM, a node lost) leaves the
 * stack's lock behind, and every retry then fails with "the stack is currently locked". A
 * lock is released here only when its holder provably is gone: it was taken on this host
 * by a process that no longer runs. A lock held by another host is left alone (its engine
 * may still run); `docs/pulumi.md` says how to clear one by hand.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alive } from '../pid';

interface LockFile {
  pid?: number;
  hostname?: string;
}

/** Where a file backend keeps the locks of one stack; undefined for other backends. */
export function lockDirectory(backendUrl: string, project: string, stack: string): string | undefined {
  if (!backendUrl.startsWith('file://')) return undefined;
  const root = fileURLToPath(backendUrl.split('?')[0]);
  return path.join(root, '.pulumi', 'locks', 'organization', project, stack);
}

/** Removes the stack's locks whose engine process is gone; returns what it removed. */
export async function releaseStaleLocks(
  backendUrl: string,
  project: string,
  stack: string,
): Promise<string[]> {
  const dir = lockDirectory(backendUrl, project, stack);
  if (!dir) return [];
  const names = await readdir(dir).catch(() => [] as string[]);
  const released: string[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const file = path.join(dir, name);
    const lock = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as LockFile;
    if (lock.hostname !== hostname() || typeof lock.pid !== 'number' || alive(lock.pid)) continue;
    await rm(file, { force: true });
    await rm(`${file}.attrs`, { force: true });
    released.push(`${name} (pid ${lock.pid} on ${lock.hostname})`);
  }
  return released;
}
