/** buildPlan / formatPlan and the `lp-infra plan` command. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerPlan, runPlan } from '../../../src/cli/plan';
import { ExitCode } from '../../../src/cli/exit-codes';
import { buildPlan, formatPlan, loadSpecFile, validateSpec } from '../../../src/model';
import { localPath, referencePath, testDay, validReference } from './helpers';

const plan = buildPlan(validReference(), { today: testDay });
const text = formatPlan(plan);

describe('buildPlan / formatPlan', () => {
  test('shows every component with what it waits for', () => {
    for (const component of plan.components) expect(text).toContain(component.id);
    expect(text).toContain(
      'cdn                         CloudFront distribution  <- storage, certificate, waf',
    );
    expect(plan.layers.flat()).toHaveLength(plan.components.length);
  });

  test('shows the critical path, policy findings and cost with its source', () => {
    expect(text).toContain(`Critical path: about ${Math.round(plan.criticalPath.seconds / 60)} min`);
    expect(text).toContain(plan.criticalPath.path.join(' -> '));
    expect(text).toMatch(/APPROVE cluster: .*0\.0\.0\.0\/0/);
    expect(text).toMatch(/Monthly cost estimate: \$[\d,]+\.\d\d/);
    expect(text).toContain(`prices as of ${plan.cost.asOf}`);
  });

  test('explains that outlierDetection stands for the reference circuitBreaker block', () => {
    expect(plan.components.find((c) => c.id === 'mesh')?.summary).toMatch(
      /outlierDetection 5 x 5xx \/ 10s, eject 30s, max 50%.*circuitBreaker block, which is not an Istio field/,
    );
  });

  test('holds a Mermaid graph with both regions, every edge and the critical path marked', () => {
    expect(plan.mermaid.startsWith('flowchart LR')).toBe(true);
    expect(plan.mermaid).toContain('subgraph primary["primary: us-east-1"]');
    expect(plan.mermaid).toContain('subgraph secondary["secondary: us-west-2"]');
    expect(plan.mermaid).toContain('database --> secondary_database_replica');
    const edges = plan.mermaid.split('\n').filter((l) => l.includes('-->'));
    expect(edges).toHaveLength(plan.components.reduce((n, c) => n + c.dependsOn.length, 0));
    expect(plan.mermaid).toContain(
      `class ${plan.criticalPath.path.map((id) => id.replace(/[^A-Za-z0-9]/g, '_')).join(',')} critical`,
    );
    expect(text).toContain('```mermaid');
  });

  test('is plain data (JSON round-trips)', () => {
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });
});

describe('lp-infra plan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-plan-'));
  let out: string[];
  let err: string[];
  beforeEach(() => {
    out = [];
    err = [];
    jest.spyOn(console, 'log').mockImplementation((...args) => void out.push(args.join(' ')));
    jest.spyOn(console, 'error').mockImplementation((...args) => void err.push(args.join(' ')));
  });
  afterEach(() => jest.restoreAllMocks());

  test('prints the plan; denies in the reference make it exit 3', () => {
    expect(runPlan(referencePath, {})).toBe(ExitCode.refused);
    expect(out.join('\n')).toContain('Plan for reference (production');
  });

  test('local.yaml (development) only needs attention for nothing: exit 0', () => {
    expect(runPlan(localPath, {})).toBe(ExitCode.ok);
    expect(out.join('\n')).toContain('Plan for local (development, emulated');
  });

  test('--json prints the plan as JSON', () => {
    runPlan(localPath, { json: true });
    expect(JSON.parse(out.join('\n'))).toMatchObject({
      valid: true,
      name: 'local',
      components: expect.any(Array),
    });
  });

  test('an invalid spec exits 2 and prints every problem', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      `extends: ${referencePath}\ncache:\n  numCacheClusters: 9\ncluster:\n  kubernetesVersion: 1.3\n`,
    );
    expect(runPlan(bad, {})).toBe(ExitCode.invalidInput);
    expect(err.join('\n')).toMatch(/2 problems/);
    expect(err.join('\n')).toContain('cache.numCacheClusters = 9');
    expect(err.join('\n')).toContain('cluster.kubernetesVersion = 1.3');
    expect(out).toEqual([]);
    expect(runPlan(bad, { json: true })).toBe(ExitCode.invalidInput);
    expect(JSON.parse(out.join('\n'))).toMatchObject({
      valid: false,
      issues: expect.arrayContaining([expect.objectContaining({ path: 'cache.numCacheClusters' })]),
    });
  });

  test('--emit-input writes the workflow input { spec } with the resolved spec, which validates to itself', () => {
    const input = join(dir, 'input.json');
    runPlan(localPath, { emitInput: input });
    const written = JSON.parse(readFileSync(input, 'utf8'));
    expect(Object.keys(written)).toEqual(['spec']);
    expect(written.spec).toEqual(loadSpecFile(localPath));
    expect(validateSpec(written.spec)).toEqual(written.spec);
    expect(written.spec.extends).toBeUndefined();
    expect(out.join('\n')).toContain(`--workflow-id provision/local --input-file ${input}`);
  });

  test('registers as a commander subcommand that sets the exit code', async () => {
    const program = new Command('lp-infra').exitOverride();
    registerPlan(program);
    await program.parseAsync(['node', 'lp-infra', 'plan', localPath, '--json']);
    expect(process.exitCode).toBe(ExitCode.ok);
    process.exitCode = undefined;
  });
});
