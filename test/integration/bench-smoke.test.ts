/**
 * The benchmark harness at smoke size: `npm run bench -- --tiny` against its own dev
 * server writes a report with every figure's section and its charts. No timing is
 * asserted: the numbers of a tiny run mean nothing.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lp-bench-smoke-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('npm run bench --tiny writes the report with every figure and its charts', async () => {
  const out = path.join(dir, 'benchmarks.md');
  await run('npm', ['run', '--silent', 'bench', '--', '--tiny', '--out', out], {
    cwd: path.resolve(__dirname, '..', '..'),
    timeout: 480_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const report = readFileSync(out, 'utf8');
  for (const heading of [
    '## 1. Critical-path efficiency',
    '## 2. Many environments at once on one worker',
    '## 3. Drift check',
    '## 4. Failover RTO',
    '## 5. Orchestration overhead per activity',
  ]) {
    expect(report).toContain(heading);
  }
  expect(report).toMatch(/Machine: \d+ × .*load average/s);
  expect(report).toContain('| lp-infra provisionEnvironment, the worker warm (its second environment) |');
  expect(report).toContain(
    '| lp-infra provisionEnvironment, the worker just started (its first environment) |',
  );
  expect(report).toContain('| sequential script, same steps (measured, run alongside) |');
  for (const chart of ['critical-path', 'critical-path-timeline', 'many-environments', 'activity-overhead']) {
    const file = path.join(dir, 'benchmarks', `${chart}.svg`);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/^<svg/);
  }
  const results = JSON.parse(readFileSync(path.join(dir, 'benchmarks', 'results.json'), 'utf8'));
  expect(results.reports.map((r: { id: string }) => r.id)).toEqual([
    'critical-path',
    'many-environments',
    'drift',
    'failover',
    'overhead',
  ]);
}, 540_000);
