/**
 * Drift detection on real servers: moto and a Pulumi file backend for the cloud components,
 * kube-apiservers for the in-cluster ones, the Temporal dev server for the schedule. The
 * components are applied once; changes are then made out of band, the way a person would in the
 * console or with kubectl, and each must show as a finding on the right property, go away when
 * the drifted components are re-applied, and never show on a clean environment.
 * The provider process loads dist/: run `npm run build` first.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  DeleteRouteCommand,
  DescribeRouteTablesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { EKSClient, UpdateNodegroupConfigCommand } from '@aws-sdk/client-eks';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { MockActivityEnvironment, TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import * as activities from '../../src/activities';
import { checkComponentDrift, readComponentOutputs } from '../../src/activities/drift';
import { applyComponent } from '../../src/activities/components';
import type { ComponentOutputs, ComponentRequest } from '../../src/infra/components/contract';
import { scheduledRuns, upsertDriftSchedule } from '../../src/cli/drift';
import type { ComponentCheck, DriftFinding, DriftReport } from '../../src/drift/report';
import { awsClient } from '../../src/infra/aws/clients';
import { TAG_ENVIRONMENT } from '../../src/infra/aws/tags';
import type { KubeApi } from '../../src/infra/kubernetes/api';
import { driftReportQuery } from '../../src/workflows/drift';
import { LpEnvironment } from '../../src/workflows/search-attributes';
import {
  driver,
  localSpec,
  requestFor,
  silentProgress,
  startCloud,
  type CloudFixture,
} from '../helpers/components';
import { startKubernetes, type TestClusters } from '../helpers/kubernetes';
import { startDevServer } from '../helpers/servers';

jest.setTimeout(600_000);

const region = 'us-east-1';
const spec = localSpec();
const cloudComponents = ['network', 'kms', 'cluster', 'node-groups', 'storage'];
/** What is checked: every applied component but kms, whose keys nothing here changes. */
const checked = ['network', 'cluster', 'node-groups', 'storage', 'mesh', 'app'];

let cloud: CloudFixture;
let clusters: TestClusters;
let kube: KubeApi;
const outputs: Record<string, ComponentOutputs> = {};
/** Seconds each check took, by component, over every check of this file. */
const seconds: Record<string, number[]> = {};

async function secret(name: string, value: string): Promise<string> {
  const { ARN } = await awsClient(SecretsManagerClient, region).send(
    new CreateSecretCommand({ Name: name, SecretString: value }),
  );
  return ARN!;
}

function request(id: string): ComponentRequest {
  const node = requestFor(spec, id).node;
  const inputs = Object.fromEntries(node.dependsOn.filter((d) => outputs[d]).map((d) => [d, outputs[d]]));
  return { spec, node, inputs };
}

/** The activity as the worker runs it; counts its heartbeats. */
async function check(id: string): Promise<ComponentCheck & { heartbeats: number }> {
  const environment = new MockActivityEnvironment();
  let heartbeats = 0;
  environment.on('heartbeat', () => heartbeats++);
  const result: ComponentCheck = await environment.run(checkComponentDrift, {
    ...request(id),
    outputs: outputs[id] ?? {},
  });
  (seconds[id] ??= []).push(result.seconds ?? NaN);
  return { ...result, heartbeats };
}

const checkAll = (ids = checked) => Promise.all(ids.map(check));

beforeAll(async () => {
  [cloud, clusters] = await Promise.all([startCloud(), startKubernetes(spec)]);
  kube = clusters.api(region);
  for (const id of cloudComponents) {
    outputs[id] = (await driver(request(id)).apply(request(id), silentProgress)).outputs;
  }
  outputs.database = {
    endpoint: 'lp-postgresql-cluster.cluster-abc.us-east-1.rds.amazonaws.com',
    port: 5432,
    masterSecretArn: await secret('lp-db-master', JSON.stringify({ username: 'lp_admin', password: 'pw' })),
  };
  outputs.cache = {
    primaryEndpoint: 'master.lp-redis-cluster.abc.use1.cache.amazonaws.com',
    port: 6379,
    authTokenSecretArn: await secret('lp-redis-auth', 'token-123'),
  };
  for (const id of ['mesh', 'app']) {
    outputs[id] = (await driver(request(id)).apply(request(id), silentProgress)).outputs;
  }
}, 900_000);

afterAll(async () => {
  await Promise.all([clusters?.stop(), cloud?.stop()]);
  const figures = Object.entries(seconds).map(([id, s]) => `${id}: ${s.join(', ')} s`);
  console.log(`seconds per drift check\n${figures.join('\n')}`);
});

test('a clean environment checked three times reports no drift', async () => {
  for (let round = 1; round <= 3; round++) {
    const results = await checkAll();
    expect(results.map((r) => [r.component, r.status, r.findings])).toEqual(
      checked.map((id) => [id, 'clean', []]),
    );
  }
  expect((await check('storage')).heartbeats).toBeGreaterThan(0);
});

test("the in-cluster components' outputs are read back for their dependents' checks (dns-failover needs the app's address)", async () => {
  const read: Record<string, ComponentOutputs> = await new MockActivityEnvironment().run(
    readComponentOutputs,
    {
      spec,
      components: ['mesh', 'app'],
    },
  );
  expect(outputs.app.gatewayHostname).toEqual(expect.any(String));
  expect(read.app).toEqual({
    kubernetesApi: outputs.app.kubernetesApi,
    gatewayHostname: outputs.app.gatewayHostname,
  });
  expect(read.mesh).toEqual({ kubernetesApi: outputs.mesh.kubernetesApi });
});

test('a component never applied is absent, not drifted', async () => {
  expect(await check('cdn')).toMatchObject({ component: 'cdn', status: 'absent', findings: [] });
});

describe('changes made out of band', () => {
  const ec2 = () => awsClient(EC2Client, region);
  const system = spec.cluster.nodeGroups[0];
  let privateRoute: { tableId: string; destination: string; target: string };
  let findings: Record<string, DriftFinding[]>;

  beforeAll(async () => {
    // S3 versioning suspended in the console.
    await awsClient(S3Client, region).send(
      new PutBucketVersioningCommand({
        Bucket: String(outputs.storage.bucketName),
        VersioningConfiguration: { Status: 'Suspended' },
      }),
    );
    // A node group scaled by hand.
    await awsClient(EKSClient, region).send(
      new UpdateNodegroupConfigCommand({
        clusterName: String(outputs.cluster.clusterName),
        nodegroupName: system.name,
        scalingConfig: {
          minSize: system.minSize,
          desiredSize: system.desiredSize,
          maxSize: system.maxSize + 5,
        },
      }),
    );
    // The default route of a private subnet deleted.
    const { RouteTables } = await ec2().send(
      new DescribeRouteTablesCommand({
        Filters: [
          { Name: 'vpc-id', Values: [String(outputs.network.vpcId)] },
          { Name: `tag:${TAG_ENVIRONMENT}`, Values: [spec.name] },
        ],
      }),
    );
    const table = RouteTables!.find((t) => t.Routes?.some((r) => r.NatGatewayId))!;
    const route = table.Routes!.find((r) => r.NatGatewayId)!;
    privateRoute = {
      tableId: table.RouteTableId!,
      destination: route.DestinationCidrBlock!,
      target: route.NatGatewayId!,
    };
    await ec2().send(
      new DeleteRouteCommand({
        RouteTableId: privateRoute.tableId,
        DestinationCidrBlock: privateRoute.destination,
      }),
    );
    // SSH opened to the world on the cluster's security group.
    await ec2().send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: String(outputs.network.clusterSecurityGroupId),
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    // kubectl scale deployment api-gateway --replicas=0
    const deployment = await kube.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api-gateway', namespace: 'production' },
    });
    (deployment!.spec as { replicas: number }).replicas = 0;
    await kube.replace(deployment!, 'kubectl-scale');
    // kubectl edit virtualservice api-routing: the timeout
    const routing = await kube.get({
      apiVersion: 'networking.istio.io/v1alpha3',
      kind: 'VirtualService',
      metadata: { name: 'api-routing', namespace: 'istio-system' },
    });
    (routing!.spec as { http: { timeout: string }[] }).http[0].timeout = '99s';
    await kube.replace(routing!, 'kubectl-edit');

    const results = await checkAll();
    findings = Object.fromEntries(results.map((r) => [r.component, r.findings]));
  });

  test('S3 versioning suspended: storage, versioning', () => {
    expect(findings.storage).toEqual([
      {
        component: 'storage',
        resource: 'aws:s3-bucket assets',
        property: 'versioning',
        desired: true,
        actual: false,
      },
    ]);
  });

  test("a node group's scaling changed: node-groups, scaling.maxSize", () => {
    expect(findings['node-groups']).toEqual([
      {
        component: 'node-groups',
        resource: `aws:eks-node-group ${system.name}`,
        property: 'scaling.maxSize',
        desired: system.maxSize,
        actual: system.maxSize + 5,
      },
    ]);
  });

  test('a route removed: network, the route table’s routes', () => {
    const route = findings.network.find((f) => f.property.startsWith('routes'));
    expect(route).toMatchObject({
      component: 'network',
      resource: expect.stringMatching(/^aws:route-table /),
    });
    expect(JSON.stringify(route)).toContain(privateRoute.destination);
    expect(JSON.stringify(route)).toContain(privateRoute.target);
  });

  test('0.0.0.0/0 ingress added to a security group: network, openIngress', () => {
    expect(findings.network).toContainEqual({
      component: 'network',
      resource: 'aws:security-group cluster-security-group',
      property: 'openIngress[0]',
      actual: 'tcp 22-22 from 0.0.0.0/0',
    });
    expect(findings.network).toHaveLength(2); // the route and the ingress, nothing else
  });

  test('the api-gateway Deployment scaled by hand: app, spec.replicas', () => {
    const replicas = findings.app.find((f) => f.property === 'spec.replicas');
    expect(replicas).toMatchObject({ resource: 'Deployment production/api-gateway', actual: 0 });
    expect(replicas!.desired).toBeGreaterThan(0);
  });

  test("the VirtualService's timeout edited: mesh, spec.http[0].timeout", () => {
    expect(findings.mesh).toEqual([
      {
        component: 'mesh',
        resource: 'VirtualService istio-system/api-routing',
        property: 'spec.http[0].timeout',
        desired: '30s',
        actual: '99s',
      },
    ]);
  });

  test('the cluster, untouched, stays clean', () => {
    expect(findings.cluster).toEqual([]);
  });

  test('re-applying only the drifted components remediates every finding', async () => {
    const drifted = checked.filter((id) => findings[id].length > 0);
    expect(drifted).toEqual(['network', 'node-groups', 'storage', 'mesh', 'app']);
    const environment = new MockActivityEnvironment();
    for (const id of drifted) await environment.run(applyComponent, { ...request(id), refresh: true });
    const after = await checkAll();
    expect(after.map((r) => [r.component, r.status, r.findings])).toEqual(
      checked.map((id) => [id, 'clean', []]),
    );
  });
});

describe('the drift schedule on the dev server', () => {
  let temporal: TestWorkflowEnvironment;

  beforeAll(async () => {
    temporal = await startDevServer();
  }, 120_000);
  afterAll(() => temporal?.teardown());

  test('created, triggered, and its run’s report read through the client; drifted runs are searchable', async () => {
    const taskQueue = 'drift-schedule-test';
    const worker = await Worker.create({
      connection: temporal.nativeConnection,
      taskQueue,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows') }),
      activities,
    });
    await awsClient(S3Client, region).send(
      new PutBucketVersioningCommand({
        Bucket: String(outputs.storage.bucketName),
        VersioningConfiguration: { Status: 'Suspended' },
      }),
    );
    const client = temporal.client;
    const settings = { every: '1h', only: 'storage,mesh', remediation: 'auto', taskQueue };
    expect(await upsertDriftSchedule(client, spec, settings)).toBe('created');
    expect(await upsertDriftSchedule(client, spec, settings)).toBe('updated');
    const schedule = client.schedule.getHandle(`drift/${spec.name}`);

    // A closed run's query is answered by a worker replaying it: everything runs while the worker does.
    const { report, runId, queried } = await worker.runUntil(async () => {
      await schedule.trigger();
      let runs: string[] = [];
      while (runs.length === 0) {
        await new Promise((r) => setTimeout(r, 500));
        runs = scheduledRuns(await schedule.describe());
      }
      const handle = client.workflow.getHandle(runs[0]);
      const result = (await handle.result()) as DriftReport;
      return { report: result, runId: runs[0], queried: await handle.query(driftReportQuery) };
    });
    expect(report.components.map((c) => [c.component, c.status])).toEqual([
      ['storage', 'drifted'],
      ['mesh', 'clean'],
    ]);
    expect(report.components[0].findings).toEqual([expect.objectContaining({ property: 'versioning' })]);
    expect(report.remediation).toMatchObject({ mode: 'auto', status: 'reapplied', reapplied: ['storage'] });
    expect(report.remediation.after).toEqual([
      expect.objectContaining({ component: 'storage', status: 'clean' }),
    ]);
    expect(queried).toEqual(report);
    const description = await schedule.describe();
    expect(description.policies.overlap).toBe('SKIP');
    expect(description.spec.intervals?.[0]).toMatchObject({ every: 3_600_000 });
    expect(description.policies.catchupWindow).toBe(3_600_000);
    expect(description.typedSearchAttributes.get(LpEnvironment)).toBe(spec.name);

    let found: string[] = [];
    for (let i = 0; i < 20 && found.length === 0; i++) {
      found = [];
      const query = `LpEnvironment = '${spec.name}' AND LpAction = 'drift' AND LpDrifted = true`;
      for await (const run of client.workflow.list({ query })) found.push(run.workflowId);
      if (!found.length) await new Promise((r) => setTimeout(r, 500));
    }
    expect(found).toEqual([runId]);
    await schedule.delete();
  });
});
