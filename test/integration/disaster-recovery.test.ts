/**
 * The failover and failback activities against moto and a kube-apiserver per region, in the
 * order the sagas call them. The two regions are made directly with the SDK (an Aurora global
 * database with a secondary cluster, EKS clusters and node groups, the applications'
 * Deployments at primary and standby sizes) plus the dns and dns-failover components through
 * their drivers. Every step's effect is read back with the AWS SDK and the Kubernetes API.
 * The Pulumi provider process loads dist/: run `npm run build` first.
 */
import {
  CreateClusterCommand,
  CreateNodegroupCommand,
  DescribeNodegroupCommand,
  EKSClient,
} from '@aws-sdk/client-eks';
import {
  CreateDBClusterCommand,
  CreateGlobalClusterCommand,
  DescribeDBClustersCommand,
  RDSClient,
  StopDBClusterCommand,
  StartDBClusterCommand,
} from '@aws-sdk/client-rds';
import { GetHealthCheckCommand, Route53Client } from '@aws-sdk/client-route-53';
import type { ComponentOutputs } from '../../src/infra/components/contract';
import {
  checkPreconditions,
  databaseWriterIs,
  moveDatabaseWriter,
  probePrimary,
  regionNodeGroupsAt,
  replicationTowards,
  scaleRegionNodeGroups,
  setRegionState,
  switchDns,
  verifyRegion,
  type MoveRequest,
} from '../../src/activities/disaster-recovery';
import { awsClient } from '../../src/infra/aws/clients';
import { nodeGroupsFor } from '../../src/infra/components/node-group-settings';
import { gatewayHealthCheck, failoverAnswers } from '../../src/infra/disaster-recovery/dns';
import { roleConfigMap } from '../../src/infra/disaster-recovery/cluster';
import { clusterIdentifierOf } from '../../src/infra/disaster-recovery/database';
import type { KubeApi } from '../../src/infra/kubernetes/api';
import { standInGatewayHost } from '../../src/infra/kubernetes/gateway-address';
import { applicationSizing } from '../../src/infra/kubernetes/manifests/application';
import type { KubeObject } from '../../src/infra/kubernetes/objects';
import type { RegionRole } from '../../src/model';
import {
  driver,
  localSpec,
  requestFor,
  silentProgress,
  startCloud,
  type CloudFixture,
} from '../helpers/components';
import { startKubernetes, type TestClusters } from '../helpers/kubernetes';

jest.setTimeout(600_000);

const spec = localSpec();
const region = (role: RegionRole) => spec.regions[role].region;
const clusterName = (role: RegionRole) =>
  role === 'primary' ? spec.cluster.name : spec.regions.secondary.clusterName;
const gateways = {
  primary: standInGatewayHost(spec, 'primary'),
  secondary: standInGatewayHost(spec, 'secondary'),
};
const failover: MoveRequest = { spec, from: 'primary', to: 'secondary', planned: false };
const failback: MoveRequest = { spec, from: 'secondary', to: 'primary', planned: true };

let cloud: CloudFixture;
let clusters: TestClusters;
const outputs: Record<string, ComponentOutputs> = {};
const api = (role: RegionRole): KubeApi => clusters.api(region(role));

async function makeDatabases() {
  const primary = awsClient(RDSClient, region('primary'));
  const { DBCluster } = await primary.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: clusterIdentifierOf(spec, 'primary'),
      Engine: 'aurora-postgresql',
      MasterUsername: 'lp',
      MasterUserPassword: 'not-a-secret-1',
    }),
  );
  await primary.send(
    new CreateGlobalClusterCommand({
      GlobalClusterIdentifier: `${clusterIdentifierOf(spec, 'primary')}-global`,
      SourceDBClusterIdentifier: DBCluster!.DBClusterArn,
    }),
  );
  await awsClient(RDSClient, region('secondary')).send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: clusterIdentifierOf(spec, 'secondary'),
      Engine: 'aurora-postgresql',
      GlobalClusterIdentifier: `${clusterIdentifierOf(spec, 'primary')}-global`,
    }),
  );
}

async function makeClusters() {
  for (const role of ['primary', 'secondary'] as const) {
    const eks = awsClient(EKSClient, region(role));
    await eks.send(
      new CreateClusterCommand({
        name: clusterName(role),
        roleArn: 'arn:aws:iam::123456789012:role/eks',
        resourcesVpcConfig: { subnetIds: ['subnet-1', 'subnet-2'] },
      }),
    );
    for (const group of nodeGroupsFor(spec, role)) {
      await eks.send(
        new CreateNodegroupCommand({
          clusterName: clusterName(role),
          nodegroupName: group.name,
          nodeRole: 'arn:aws:iam::123456789012:role/nodes',
          subnets: ['subnet-1'],
          scalingConfig: { minSize: group.minSize, maxSize: group.maxSize, desiredSize: group.desiredSize },
        }),
      );
    }
  }
}

/** The applications' Deployments as the app component leaves them: primary sizes, standby sizes. */
async function makeApplications() {
  for (const role of ['primary', 'secondary'] as const) {
    for (const namespace of new Set(spec.applications.map((a) => a.namespace))) {
      await api(role).apply({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace },
      } as KubeObject);
    }
    for (const app of spec.applications) {
      const labels = { app: app.name };
      await api(role).apply({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: app.name, namespace: app.namespace },
        spec: {
          replicas: applicationSizing(spec, app, role).replicas,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: app.name, image: app.image }] } },
        },
      } as KubeObject);
    }
  }
}

async function makeDns() {
  const dns = requestFor(spec, 'dns', outputs);
  outputs.dns = (await driver(dns).apply(dns, silentProgress)).outputs;
  outputs.app = { gatewayHostname: gateways.primary };
  outputs['secondary/app'] = { gatewayHostname: gateways.secondary };
  outputs.cdn = { domainName: 'd111111abcdef8.cloudfront.net' };
  const failoverDns = requestFor(spec, 'dns-failover', outputs);
  outputs['dns-failover'] = (await driver(failoverDns).apply(failoverDns, silentProgress)).outputs;
}

beforeAll(async () => {
  cloud = await startCloud();
  clusters = await startKubernetes(spec, { secondary: true });
  await makeDatabases();
  await makeClusters();
  await makeApplications();
  await makeDns();
}, 600_000);

afterAll(async () => {
  for (const id of ['dns-failover', 'dns']) {
    const request = requestFor(spec, id, outputs);
    await driver(request)
      .destroy(request, silentProgress)
      .catch(() => {});
  }
  await clusters?.stop();
  await cloud?.stop();
});

async function replicas(role: RegionRole): Promise<Record<string, number | undefined>> {
  const counts: Record<string, number | undefined> = {};
  for (const app of spec.applications) {
    const live = await api(role).get<KubeObject & { spec?: { replicas?: number } }>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app.name, namespace: app.namespace },
    });
    counts[app.name] = live?.spec?.replicas;
  }
  return counts;
}

const sizes = (role: RegionRole, as: RegionRole) =>
  Object.fromEntries(spec.applications.map((a) => [a.name, applicationSizing(spec, a, as).replicas]));

async function roleOf(role: RegionRole) {
  const live = await api(role).get<KubeObject & { data?: Record<string, string> }>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: roleConfigMap, namespace: spec.applications[0].namespace },
  });
  return live?.data;
}

async function nodeGroupDesired(role: RegionRole) {
  const eks = awsClient(EKSClient, region(role));
  const found: Record<string, number | undefined> = {};
  for (const group of spec.cluster.nodeGroups) {
    const { nodegroup } = await eks.send(
      new DescribeNodegroupCommand({ clusterName: clusterName(role), nodegroupName: group.name }),
    );
    found[group.name] = nodegroup?.scalingConfig?.desiredSize;
  }
  return found;
}

const primaryCheckInverted = async () => {
  const check = await gatewayHealthCheck(spec, 'primary');
  const { HealthCheck } = await awsClient(Route53Client, region('primary')).send(
    new GetHealthCheckCommand({ HealthCheckId: check.Id }),
  );
  return Boolean(HealthCheck?.HealthCheckConfig?.Inverted);
};

const answeredBy = async () => {
  const answers = await failoverAnswers(spec);
  return Object.fromEntries(Object.entries(answers).map(([name, a]) => [name, a.value]));
};
const allAnswer = (role: RegionRole) =>
  Object.fromEntries(
    spec.dns.records.filter((r) => r.routing === 'failover').map((r) => [r.name, gateways[role]]),
  );

describe('disaster-recovery activities on moto and two clusters', () => {
  test('the primary probes healthy; the preconditions of a failover hold', async () => {
    const probe = await probePrimary(spec);
    expect(probe.checks.map((c) => [c.name, c.ok])).toEqual([
      ['database', true],
      ['cluster endpoint', true],
      ['route53 health check', true],
      ['app health', true],
    ]);
    expect(probe.healthy).toBe(true);
    const pre = await checkPreconditions(failover);
    expect(pre.notEmulated).toEqual([expect.stringContaining('replication lag')]);
    expect(await answeredBy()).toEqual(allAnswer('primary'));
  });

  test('fence: the primary applications stop (0 replicas) and are told they are fenced', async () => {
    await setRegionState({ spec, region: 'primary', state: 'fenced' });
    expect(Object.values(await replicas('primary')).every((n) => n === 0)).toBe(true);
    expect(await roleOf('primary')).toEqual(
      expect.objectContaining({ LP_REGION_ROLE: 'fenced', LP_DATABASE_READ_ONLY: 'true' }),
    );
  });

  test('promote: the writer move is reported as not emulated; the secondary cluster is available', async () => {
    const moved = await moveDatabaseWriter(failover);
    expect(moved.notEmulated).toEqual([expect.stringContaining('SwitchoverGlobalCluster')]);
    expect((await databaseWriterIs({ spec, region: 'secondary' })).ready).toBe(true);
  });

  test('scale: the secondary node groups run at the primary sizes', async () => {
    expect(await nodeGroupDesired('secondary')).not.toEqual(await nodeGroupDesired('primary'));
    await scaleRegionNodeGroups({ spec, region: 'secondary', state: 'active' });
    expect(await nodeGroupDesired('secondary')).toEqual(await nodeGroupDesired('primary'));
    expect((await regionNodeGroupsAt({ spec, region: 'secondary', state: 'active' })).ready).toBe(true);
  });

  test('repoint: the secondary applications run at full size, active, pointed at their writer', async () => {
    expect(await replicas('secondary')).toEqual(sizes('secondary', 'secondary'));
    await setRegionState({ spec, region: 'secondary', state: 'active' });
    await setRegionState({ spec, region: 'secondary', state: 'active' }); // a retry changes nothing
    expect(await replicas('secondary')).toEqual(sizes('secondary', 'primary'));
    const { DBClusters } = await awsClient(RDSClient, region('secondary')).send(
      new DescribeDBClustersCommand({ DBClusterIdentifier: clusterIdentifierOf(spec, 'secondary') }),
    );
    expect(await roleOf('secondary')).toEqual(
      expect.objectContaining({
        LP_REGION_ROLE: 'active',
        LP_DATABASE_READ_ONLY: 'false',
        LP_DATABASE_WRITER_ENDPOINT: DBClusters![0].Endpoint,
      }),
    );
  });

  test('switch DNS: the failover names answer with the secondary gateway; verified end to end', async () => {
    expect((await verifyRegion({ spec, region: 'secondary' })).ready).toBe(false);
    await switchDns({ spec, active: 'secondary' });
    await switchDns({ spec, active: 'secondary' });
    expect(await primaryCheckInverted()).toBe(true);
    expect(await answeredBy()).toEqual(allAnswer('secondary'));
    expect(await verifyRegion({ spec, region: 'secondary' })).toEqual(
      expect.objectContaining({ ready: true }),
    );
  });

  test('failback restores the original roles', async () => {
    expect((await replicationTowards({ spec, region: 'primary' })).ready).toBe(true);
    expect((await checkPreconditions(failback)).lagSeconds).toBe(0);
    await setRegionState({ spec, region: 'secondary', state: 'fenced' });
    await moveDatabaseWriter(failback);
    await scaleRegionNodeGroups({ spec, region: 'primary', state: 'active' });
    await setRegionState({ spec, region: 'primary', state: 'active' });
    await switchDns({ spec, active: 'primary' });
    expect(await verifyRegion({ spec, region: 'primary' })).toEqual(expect.objectContaining({ ready: true }));
    await setRegionState({ spec, region: 'secondary', state: 'standby' });
    await scaleRegionNodeGroups({ spec, region: 'secondary', state: 'standby' });

    expect(await primaryCheckInverted()).toBe(false);
    expect(await answeredBy()).toEqual(allAnswer('primary'));
    expect(await replicas('primary')).toEqual(sizes('primary', 'primary'));
    expect(await replicas('secondary')).toEqual(sizes('secondary', 'secondary'));
    expect(await roleOf('primary')).toEqual(expect.objectContaining({ LP_REGION_ROLE: 'active' }));
    expect(await roleOf('secondary')).toEqual(expect.objectContaining({ LP_REGION_ROLE: 'standby' }));
    const standby = Object.fromEntries(nodeGroupsFor(spec, 'secondary').map((g) => [g.name, g.desiredSize]));
    expect(await nodeGroupDesired('secondary')).toEqual(standby);
  });

  test('a stopped primary database fails the probe, naming the database', async () => {
    const rds = awsClient(RDSClient, region('primary'));
    await rds.send(new StopDBClusterCommand({ DBClusterIdentifier: clusterIdentifierOf(spec, 'primary') }));
    const probe = await probePrimary(spec);
    expect(probe.healthy).toBe(false);
    expect(probe.checks.find((c) => !c.ok)).toEqual(
      expect.objectContaining({ name: 'database', detail: expect.stringContaining('stopped') }),
    );
    await rds.send(new StartDBClusterCommand({ DBClusterIdentifier: clusterIdentifierOf(spec, 'primary') }));
    expect((await probePrimary(spec)).healthy).toBe(true);
  });
});
