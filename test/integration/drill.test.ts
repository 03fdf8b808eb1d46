/**
 * Disaster recovery end to end, as an operator runs it on a private local stack (Temporal dev
 * server, moto, a kube-apiserver per region, a real worker process): `lp-infra up
 * environments/local.yaml`, then `lp-infra failover`, `lp-infra failback` and `lp-infra drill`.
 * What each changed is read back with the AWS SDK and the Kubernetes API, and what lp-infra
 * measured from the worker's Prometheus endpoint. The CLI and the worker run from dist/: run
 * `npm run build` first.
 */
import { DescribeNodegroupCommand, EKSClient } from '@aws-sdk/client-eks';
import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { freePort } from '../../src/dev/processes';
import type { SagaResult } from '../../src/disaster-recovery/saga';
import { awsClient } from '../../src/infra/aws/clients';
import { failoverAnswers } from '../../src/infra/disaster-recovery/dns';
import { roleConfigMap } from '../../src/infra/disaster-recovery/cluster';
import { nodeGroupsFor } from '../../src/infra/components/node-group-settings';
import type { KubeObject } from '../../src/infra/kubernetes/objects';
import { lpMetrics } from '../../src/observability/metrics';
import { componentGraph, type RegionRole } from '../../src/model';
import { localSpec } from '../helpers/components';
import { scrape, total, totalBy } from '../helpers/metrics';
import { startLocalStack, type LocalStack } from '../helpers/stack';

jest.setTimeout(1_800_000);

const spec = localSpec();
const specFile = 'environments/local.yaml';
let stack: LocalStack;
let metricsEndpoint: string;
/** RTO and RPO of each run, as its result reported them. */
const measured: Record<'failover' | 'failback', { rto: number; rpo: number }[]> = {
  failover: [],
  failback: [],
};
const keep = (result: SagaResult) => {
  measured[result.direction].push({ rto: result.rtoSeconds!, rpo: result.rpoSeconds! });
  return result;
};

beforeAll(async () => {
  stack = await startLocalStack();
  const metricsPort = await freePort();
  await stack.replaceWorker({
    LP_INFRA_METRICS_PORT: String(metricsPort),
    LP_INFRA_METRICS_HOST: '127.0.0.1',
  });
  metricsEndpoint = `http://127.0.0.1:${metricsPort}/metrics`;
  process.env.LP_INFRA_AWS_ENDPOINT = stack.info.awsEndpoint;
}, 300_000);

afterAll(async () => {
  if (stack) await stack.cli(['destroy', specFile], { timeoutMs: 1_200_000 });
  delete process.env.LP_INFRA_AWS_ENDPOINT;
  await stack?.stop();
});

const api = (role: RegionRole) => stack.kube(spec.regions[role].region);

async function regionRole(role: RegionRole) {
  const live = await api(role).get<KubeObject & { data?: Record<string, string> }>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: roleConfigMap, namespace: spec.applications[0].namespace },
  });
  return live?.data?.LP_REGION_ROLE;
}

async function secondaryNodeGroups() {
  const eks = awsClient(EKSClient, spec.regions.secondary.region);
  const sizes: Record<string, number | undefined> = {};
  for (const group of spec.cluster.nodeGroups) {
    const { nodegroup } = await eks.send(
      new DescribeNodegroupCommand({
        clusterName: spec.regions.secondary.clusterName,
        nodegroupName: group.name,
      }),
    );
    sizes[group.name] = nodegroup?.scalingConfig?.desiredSize;
  }
  return sizes;
}

const answered = async () =>
  new Set(Object.values(await failoverAnswers(spec)).map((answer) => answer.region));

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

const desired = (role: RegionRole) =>
  Object.fromEntries(nodeGroupsFor(spec, role).map((g) => [g.name, g.desiredSize]));

describe('lp-infra failover, failback and drill on the local stack', () => {
  test('up builds the two-region environment with failover records', async () => {
    const up = await stack.cli(['up', specFile, '--json'], { timeoutMs: 1_500_000 });
    expect(up.stderr).not.toContain('failed');
    expect(up.code).toBe(0);
    expect(await answered()).toEqual(new Set(['primary']));
    expect(await secondaryNodeGroups()).toEqual(desired('secondary'));

    // The worker measured an apply and a wait until ready for each component, by kind.
    const samples = await scrape(metricsEndpoint);
    const environment = spec.name;
    const kinds: Record<string, number> = {};
    for (const node of componentGraph(spec)) kinds[node.kind] = (kinds[node.kind] ?? 0) + 1;
    const applied = `${lpMetrics.componentApplyDuration.name}_count`;
    const ready = `${lpMetrics.componentReadyDuration.name}_count`;
    expect(totalBy(samples, applied, 'kind', { environment, outcome: 'succeeded' })).toEqual(kinds);
    expect(totalBy(samples, ready, 'kind', { environment })).toEqual(kinds);
    expect(total(samples, `${lpMetrics.componentApplyDuration.name}_sum`, { environment })).toBeGreaterThan(
      0,
    );
    const provisions = { action: 'provision', environment };
    expect(totalBy(samples, lpMetrics.runs.name, 'outcome', provisions)).toEqual({ succeeded: 1 });
  });

  test('failover moves DNS, capacity and the active role to the secondary region', async () => {
    const run = await stack.cli(['failover', specFile, '--planned', '--json']);
    expect(run.code).toBe(0);
    const result = keep(JSON.parse(run.stdout) as SagaResult);
    expect(result.status).toBe('succeeded');
    expect(result.rtoSeconds).toBeGreaterThan(0);
    expect(await answered()).toEqual(new Set(['secondary']));
    expect(await secondaryNodeGroups()).toEqual(desired('primary'));
    expect(await regionRole('secondary')).toBe('active');
    expect(await regionRole('primary')).toBe('fenced');
    const { DBClusters } = await awsClient(RDSClient, spec.regions.secondary.region).send(
      new DescribeDBClustersCommand({
        DBClusterIdentifier: spec.database.crossRegionReplica!.clusterIdentifier,
      }),
    );
    expect(DBClusters?.[0]?.Status).toBe('available');
  });

  test('failback restores the original roles', async () => {
    const back = await stack.cli(['failback', specFile, '--json']);
    expect(back.code).toBe(0);
    expect(keep(JSON.parse(back.stdout) as SagaResult).status).toBe('succeeded');
    expect(await answered()).toEqual(new Set(['primary']));
    expect(await secondaryNodeGroups()).toEqual(desired('secondary'));
    expect(await regionRole('primary')).toBe('active');
    expect(await regionRole('secondary')).toBe('standby');
  });

  test('drill fails over and back and prints the measured RTO', async () => {
    const drill = await stack.cli(['drill', specFile]);
    expect(drill.code).toBe(0);
    expect(drill.stdout).toMatch(/drill of local: failover RTO \d+\.\d s, failback RTO \d+\.\d s/);
    process.stdout.write(`${drill.stdout}\n`);
    expect(await answered()).toEqual(new Set(['primary']));
    for (const direction of ['failover', 'failback'] as const)
      keep((await stack.client.workflow.getHandle(`${direction}/${spec.name}`).result()) as SagaResult);
  });

  test("the worker's metrics count each failover and failback, with the RTO and RPO each run measured", async () => {
    const samples = await scrape(metricsEndpoint);
    const environment = spec.name;
    const { recoveryRto, recoveryRpo } = lpMetrics;
    for (const direction of ['failover', 'failback'] as const) {
      const runs = measured[direction];
      const moves = { action: direction, environment };
      expect(totalBy(samples, lpMetrics.runs.name, 'outcome', moves)).toEqual({ succeeded: runs.length });
      // Every run here is planned: the failover with --planned and in the drill, failback always.
      const labels = { environment, direction, planned: 'true' };
      expect(total(samples, `${recoveryRto.name}_count`, labels)).toBe(runs.length);
      expect(total(samples, `${recoveryRto.name}_sum`, labels)).toBeCloseTo(sum(runs.map((r) => r.rto)), 3);
      expect(total(samples, `${recoveryRpo.name}_count`, labels)).toBe(runs.length);
      expect(total(samples, `${recoveryRpo.name}_sum`, labels)).toBeCloseTo(sum(runs.map((r) => r.rpo)), 3);
    }
  });
});
