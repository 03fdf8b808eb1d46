/**
 * `lp-infra drift` and `lp-infra schedule drift` as a user runs them: the built CLI in a child
 * process against a private local stack (dev server, moto, clusters, a real worker process with
 * the payload codec). The bucket is made with the storage driver straight into that stack's
 * cloud and Pulumi backend, then changed out of band. The worker serves its Prometheus metrics,
 * scraped at the end. Build first: `npm run build`.
 */
import { PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import path from 'node:path';
import type { ComponentOutputs } from '../../src/infra/components/contract';
import type { DriftReport } from '../../src/drift/report';
import { freePort } from '../../src/dev/processes';
import { awsClient } from '../../src/infra/aws/clients';
import { lpMetrics } from '../../src/observability/metrics';
import { driver, localSpec, requestFor, silentProgress } from '../helpers/components';
import { scrape, totalBy } from '../helpers/metrics';
import { startLocalStack, type LocalStack } from '../helpers/stack';

jest.setTimeout(900_000);

const spec = localSpec();
const outputs: Record<string, ComponentOutputs> = {};
const saved = { endpoint: process.env.LP_INFRA_AWS_ENDPOINT, backend: process.env.LP_INFRA_PULUMI_BACKEND };
let stack: LocalStack;
let metricsEndpoint: string;

beforeAll(async () => {
  stack = await startLocalStack();
  const metricsPort = await freePort();
  await stack.replaceWorker({
    LP_INFRA_METRICS_PORT: String(metricsPort),
    LP_INFRA_METRICS_HOST: '127.0.0.1',
  });
  metricsEndpoint = `http://127.0.0.1:${metricsPort}/metrics`;
  process.env.LP_INFRA_AWS_ENDPOINT = stack.info.awsEndpoint;
  process.env.LP_INFRA_PULUMI_BACKEND = path.join(stack.stateDir, 'pulumi'); // the worker's backend
  for (const id of ['kms', 'storage']) {
    const request = requestFor(spec, id, outputs);
    outputs[id] = (await driver(request).apply(request, silentProgress)).outputs;
  }
}, 900_000);

afterAll(async () => {
  await stack?.stop();
  for (const [name, value] of [
    ['LP_INFRA_AWS_ENDPOINT', saved.endpoint],
    ['LP_INFRA_PULUMI_BACKEND', saved.backend],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const suspendVersioning = () =>
  awsClient(S3Client, 'us-east-1').send(
    new PutBucketVersioningCommand({
      Bucket: String(outputs.storage.bucketName),
      VersioningConfiguration: { Status: 'Suspended' },
    }),
  );

test('lp-infra drift: exit 0 when clean; exit 5 and the finding when drifted', async () => {
  const clean = await stack.cli(['drift', 'local', '--only', 'storage', '--remediation', 'report-only']);
  expect({ code: clean.code, stdout: clean.stdout.trim() }).toEqual({
    code: 0,
    stdout: 'local: no drift in 1 component',
  });

  await suspendVersioning();
  const drifted = await stack.cli(['drift', 'local', '--only', 'storage', '--remediation', 'report-only']);
  expect(drifted.code).toBe(5);
  expect(drifted.stdout).toContain('local: drift in storage (1 finding); report only');
  expect(drifted.stdout).toContain('storage  aws:s3-bucket assets  versioning: false (spec: true)');

  const json = await stack.cli([
    'drift',
    'local',
    '--only',
    'storage',
    '--remediation',
    'report-only',
    '--json',
  ]);
  expect(json.code).toBe(5);
  const report = JSON.parse(json.stdout) as DriftReport;
  expect(report.components[0].findings).toEqual([
    expect.objectContaining({ property: 'versioning', desired: true, actual: false }),
  ]);
});

test('lp-infra schedule drift: create, update, trigger, describe the run, pause, unpause, delete', async () => {
  const args = ['schedule', 'drift', 'local', '--every', '15m', '--only', 'storage', '--remediation', 'auto'];
  expect((await stack.cli(args)).stdout.trim()).toBe('created schedule drift/local: every 15m');
  expect((await stack.cli(args)).stdout.trim()).toBe('updated schedule drift/local: every 15m');

  expect((await stack.cli(['schedule', 'drift', 'local', '--trigger'])).code).toBe(0);
  let described: { runs: string[]; latestReport?: DriftReport; paused: boolean } | undefined;
  for (let i = 0; i < 90; i++) {
    const result = await stack.cli(['schedule', 'drift', 'local', '--describe', '--json']);
    described = JSON.parse(result.stdout);
    const report = described?.latestReport;
    if (report?.remediation.status === 'reapplied' || report?.components.some((c) => c.status === 'failed'))
      break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  expect(described!.runs).toHaveLength(1);
  expect(described!.runs[0]).toMatch(/^drift\/local/);
  expect(described!.latestReport).toMatchObject({
    drifted: ['storage'],
    remediation: { mode: 'auto', status: 'reapplied', reapplied: ['storage'] },
  });
  expect(described!.latestReport!.remediation.after).toEqual([
    expect.objectContaining({ component: 'storage', status: 'clean' }),
  ]);

  await stack.cli(['schedule', 'drift', 'local', '--pause']);
  expect(
    JSON.parse((await stack.cli(['schedule', 'drift', 'local', '--describe', '--json'])).stdout).paused,
  ).toBe(true);
  await stack.cli(['schedule', 'drift', 'local', '--unpause']);
  expect(
    JSON.parse((await stack.cli(['schedule', 'drift', 'local', '--describe', '--json'])).stdout).paused,
  ).toBe(false);
  expect((await stack.cli(['schedule', 'drift', 'local', '--delete'])).code).toBe(0);
  const gone = await stack.cli(['schedule', 'drift', 'local', '--describe']);
  expect(gone.code).toBe(1);
  expect(gone.stderr).toContain('no drift schedule for local');

  // Repaired: a check now finds nothing.
  expect((await stack.cli(['drift', 'local', '--only', 'storage'])).code).toBe(0);
});

test("the worker's metrics count the drift runs, the findings of each check and the re-apply", async () => {
  const samples = await scrape(metricsEndpoint);
  const environment = spec.name;
  // The runs above: 3 checks, the scheduled run (1 finding, re-applied), the last check.
  expect(totalBy(samples, lpMetrics.runs.name, 'outcome', { action: 'drift', environment })).toEqual({
    succeeded: 5,
  });
  // 1 finding in each of the 2 drifted checks and in the scheduled run; the clean checks add 0.
  expect(totalBy(samples, lpMetrics.driftFindings.name, 'component', { environment })).toEqual({
    storage: 3,
  });
  const applies = `${lpMetrics.componentApplyDuration.name}_count`;
  expect(totalBy(samples, applies, 'kind', { environment, outcome: 'succeeded' })).toEqual({ storage: 1 });
});
