import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { lockDirectory, releaseStaleLocks } from '../../../src/infra/pulumi/locks';

describe('stale stack locks', () => {
  let backend: string;
  let dir: string;
  const lock = (name: string, content: object) => {
    writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(content));
    writeFileSync(path.join(dir, `${name}.json.attrs`), '{}');
  };

  beforeEach(() => {
    backend = mkdtempSync(path.join(tmpdir(), 'lp-infra-locks-'));
    dir = lockDirectory(pathToFileURL(backend).href, 'lp-infra', 'local-storage')!;
    mkdirSync(dir, { recursive: true });
  });
  afterEach(() => rmSync(backend, { recursive: true, force: true }));

  test('a lock of a process that is gone from this host is released; live and foreign ones stay', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    lock('crashed', { pid: gone, hostname: hostname() });
    lock('running', { pid: process.pid, hostname: hostname() });
    lock('elsewhere', { pid: gone, hostname: `not-${hostname()}` });

    const released = await releaseStaleLocks(pathToFileURL(backend).href, 'lp-infra', 'local-storage');

    expect(released).toEqual([`crashed.json (pid ${gone} on ${hostname()})`]);
    expect(existsSync(path.join(dir, 'crashed.json'))).toBe(false);
    expect(existsSync(path.join(dir, 'crashed.json.attrs'))).toBe(false);
    expect(existsSync(path.join(dir, 'running.json'))).toBe(true);
    expect(existsSync(path.join(dir, 'elsewhere.json'))).toBe(true);
  });

  test('backends other than a folder are left to their own locking', async () => {
    expect(lockDirectory('s3://bucket/state', 'lp-infra', 'local-storage')).toBeUndefined();
    expect(await releaseStaleLocks('s3://bucket/state', 'lp-infra', 'local-storage')).toEqual([]);
  });
});
