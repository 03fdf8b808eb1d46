/**
 * The main job end to end, as a platform engineer runs it: `lp-infra up
 * environments/local.yaml` on a private local stack (Temporal dev server, moto, a
 * kube-apiserver per region with kwok nodes, a real worker process), then a second `up`,
 * then `destroy`. What was built is read back with the AWS SDK and the Kubernetes API,
 * and counted by lp-infra's ownership tags, so duplicates and leaks show.
 */
import {
  DescribeNatGatewaysCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import { DescribeReplicationGroupsCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeGlobalClustersCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CloudFrontClient, GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { WorkflowHandle } from '@temporalio/client';
import type { ComponentOutputs } from '../../src/infra/components/contract';
import { awsClient } from '../../src/infra/aws/clients';
import { awsInventory, type InventoryItem } from '../../src/infra/aws/inventory';
import { environmentLabel, type KubeObject } from '../../src/infra/kubernetes/objects';
import { toolPath } from '../../src/infra/toolchain';
import { componentGraph } from '../../src/model';
import type { ProvisionResult } from '../../src/workflows';
import { runProgress } from '../../src/cli/follow';
import { workflowIds } from '../../src/workflows/ids';
import { localSpec } from '../helpers/components';
import { startLocalStack, type LocalStack } from '../helpers/stack';

const run = promisify(execFile);
const spec = localSpec();
const componentIds = componentGraph(spec).map((n) => n.id);
const regions = [spec.regions.primary.region, spec.regions.secondary!.region];
const specFile = 'environments/local.yaml';
/** A whole environment on a shared 2-core machine takes minutes; these are limits, not expectations. */
const longRun = 1_500_000;

let stack: LocalStack;
let built: ProvisionResult;
let inventoryAfterUp: string[];

beforeAll(async () => {
  stack = await startLocalStack();
  // The SDK calls of this file go to the stack's moto.
  process.env.LP_INFRA_AWS_ENDPOINT = stack.info.awsEndpoint;
}, 300_000);

afterAll(async () => {
  delete process.env.LP_INFRA_AWS_ENDPOINT;
  await stack?.stop();
});

/** Every resource lp-infra owns for the environment, as `region type id (component)`. */
async function inventory(): Promise<string[]> {
  const items: InventoryItem[] = await awsInventory(spec.name, regions);
  return items.map((i) => `${i.region} ${i.type} ${i.id} (${i.component})`).sort();
}

/**
 * What is left once everything is removed. moto cannot delete an ElastiCache subnet group
 * (DeleteCacheSubnetGroup is not implemented; docs/emulation.md), so those stay on the
 * emulator whatever lp-infra does; anything else left is a leak.
 */
async function leftovers(): Promise<string[]> {
  return (await inventory()).filter((line) => !line.includes(' cache-subnet-group '));
}

function duplicates(lines: string[]): string[] {
  return lines.filter((line, index) => lines.indexOf(line) !== index);
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const out = (component: string, key: string) => (built.outputs[component] as ComponentOutputs)[key];

describe('lp-infra up environments/local.yaml', () => {
  test(
    'a run cancelled in the middle removes what it had made, and reports cancelled',
    async () => {
      expect((await stack.cli(['up', specFile, '--detach'])).code).toBe(0);
      const handle: WorkflowHandle = stack.client.workflow.getHandle(workflowIds.provision(spec.name));
      await until('the first components are ready and the cluster is being applied', async () => {
        const progress = await runProgress(handle);
        const phase = (id: string) => progress?.components.find((c) => c.id === id)?.phase;
        return phase('network') === 'succeeded' && phase('cluster') === 'applying';
      });
      await handle.cancel();
      await expect(handle.result()).rejects.toThrow(/cancel/i);
      expect((await handle.describe()).status.name).toBe('CANCELLED');
      expect(await leftovers()).toEqual([]);
      const status = await stack.cli(['status', spec.name, '--json']);
      expect(JSON.parse(status.stdout).status).toBe('CANCELLED');
    },
    longRun,
  );

  test(
    'builds every component, even when the worker is killed in the middle of the run',
    async () => {
      const started = await stack.cli(['up', specFile, '--detach']);
      expect(started.code).toBe(0);
      const handle: WorkflowHandle = stack.client.workflow.getHandle(workflowIds.provision(spec.name));

      // A crash while Pulumi engines are applying the second layer: no shutdown, nothing flushed.
      await until('the cluster is being applied', async () => {
        const progress = await runProgress(handle);
        return progress?.components.some((c) => c.id === 'cluster' && c.phase === 'applying') ?? false;
      });
      await stack.killWorker();
      await new Promise((r) => setTimeout(r, 2000));
      await stack.restartWorker();

      built = (await handle.result()) as ProvisionResult;
      expect([...built.created].sort()).toEqual([...componentIds].sort());
      inventoryAfterUp = await inventory();
      expect(duplicates(inventoryAfterUp)).toEqual([]);
    },
    longRun,
  );

  test('the network, cluster and node groups are as the spec says', async () => {
    const region = spec.regions.primary.region;
    const ec2 = awsClient(EC2Client, region);
    const vpcId = String(out('network', 'vpcId'));
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
    expect(Vpcs?.[0]?.CidrBlock).toBe(spec.network.vpcCidr);
    const { Subnets } = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
    );
    expect(Subnets?.map((s) => s.CidrBlock).sort()).toEqual(
      [...spec.network.subnets.public, ...spec.network.subnets.private].map((s) => s.cidr).sort(),
    );
    const { NatGateways } = await ec2.send(
      new DescribeNatGatewaysCommand({ Filter: [{ Name: 'vpc-id', Values: [vpcId] }] }),
    );
    const live = (NatGateways ?? []).filter((n) => n.State === 'available');
    expect(live).toHaveLength(spec.network.availabilityZones.length); // HA: one per zone

    const eks = awsClient(EKSClient, region);
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: spec.cluster.name }));
    expect(cluster?.status).toBe('ACTIVE');
    expect(cluster?.version).toBe(spec.cluster.kubernetesVersion);
    const { nodegroups } = await eks.send(new ListNodegroupsCommand({ clusterName: spec.cluster.name }));
    expect([...(nodegroups ?? [])].sort()).toEqual(spec.cluster.nodeGroups.map((g) => g.name).sort());
    for (const group of spec.cluster.nodeGroups) {
      const { nodegroup } = await eks.send(
        new DescribeNodegroupCommand({ clusterName: spec.cluster.name, nodegroupName: group.name }),
      );
      expect(nodegroup?.scalingConfig).toEqual({
        minSize: group.minSize,
        desiredSize: group.desiredSize,
        maxSize: group.maxSize,
      });
    }
  });

  test('the database has its instances and a standby in the secondary region; the cache is there', async () => {
    const [primary, secondary] = regions;
    const rds = awsClient(RDSClient, primary);
    const { DBClusters } = await rds.send(
      new DescribeDBClustersCommand({ DBClusterIdentifier: spec.database.clusterIdentifier }),
    );
    expect(DBClusters?.[0]?.Engine).toBe(spec.database.engine);
    expect(DBClusters?.[0]?.StorageEncrypted).toBe(true);
    const { DBInstances } = await rds.send(
      new DescribeDBInstancesCommand({
        Filters: [{ Name: 'db-cluster-id', Values: [spec.database.clusterIdentifier] }],
      }),
    );
    expect(DBInstances).toHaveLength(spec.database.instanceCount);

    const replica = spec.database.crossRegionReplica!;
    const { DBClusters: standby } = await awsClient(RDSClient, secondary).send(
      new DescribeDBClustersCommand({ DBClusterIdentifier: replica.clusterIdentifier }),
    );
    expect(standby).toHaveLength(1);
    const { GlobalClusters } = await rds.send(new DescribeGlobalClustersCommand({}));
    const members = GlobalClusters?.flatMap((g) => g.GlobalClusterMembers ?? []) ?? [];
    expect(members.map((m) => m.DBClusterArn)).toEqual(
      expect.arrayContaining([DBClusters?.[0]?.DBClusterArn, standby?.[0]?.DBClusterArn]),
    );

    const { ReplicationGroups } = await awsClient(ElastiCacheClient, primary).send(
      new DescribeReplicationGroupsCommand({ ReplicationGroupId: spec.cache.replicationGroupId }),
    );
    expect(ReplicationGroups?.[0]?.Status).toBe('available');
    expect(ReplicationGroups?.[0]?.TransitEncryptionEnabled).toBe(spec.cache.encryption.inTransit);
  });

  test('the asset bucket is versioned with its lifecycle, behind CloudFront with WAF and TLS', async () => {
    const s3 = awsClient(S3Client, spec.regions.primary.region);
    const bucket = String(out('storage', 'bucketName'));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
    const { Rules } = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect(Rules?.length).toBeGreaterThan(0);

    const cloudfront = awsClient(CloudFrontClient, 'us-east-1');
    const { DistributionConfig } = await cloudfront.send(
      new GetDistributionConfigCommand({ Id: String(out('cdn', 'distributionId')) }),
    );
    expect(DistributionConfig?.Aliases?.Items).toEqual(spec.cdn.aliases);
    expect(DistributionConfig?.ViewerCertificate?.MinimumProtocolVersion).toBe(
      spec.cdn.viewerCertificate.minimumProtocolVersion,
    );
    expect(DistributionConfig?.WebACLId).toBe(out('waf', 'webAclArn'));
    expect(DistributionConfig?.ViewerCertificate?.ACMCertificateArn).toBe(
      out('certificate', 'certificateArn'),
    );
  });

  test('mesh, application and monitoring run in the cluster; the standby app in the secondary', async () => {
    const [primary, secondary] = regions;
    const api = stack.kube(primary);
    const deployments = await api.list<KubeObject & { status?: { availableReplicas?: number } }>(
      'apps/v1',
      'Deployment',
      { labelSelector: `${environmentLabel}=${spec.name}` },
    );
    const gateway = deployments.find((d) => d.metadata.name === 'api-gateway');
    const wanted = spec.applications.find((a) => a.name === 'api-gateway')!;
    expect(gateway?.status?.availableReplicas).toBe(wanted.replicas);
    expect(
      await api.list('networking.istio.io/v1', 'VirtualService', {
        labelSelector: `${environmentLabel}=${spec.name}`,
      }),
    ).not.toHaveLength(0);
    expect(
      await api.list('autoscaling/v2', 'HorizontalPodAutoscaler', {
        labelSelector: `${environmentLabel}=${spec.name}`,
      }),
    ).not.toHaveLength(0);

    const standby = stack.kube(secondary);
    const standbyDeployments = await standby.list('apps/v1', 'Deployment', {
      labelSelector: `${environmentLabel}=${spec.name}`,
    });
    expect(standbyDeployments.map((d) => d.metadata.name)).toContain('api-gateway');
  });

  test(
    'a second up, started with `temporal workflow start` from plan --emit-input, changes nothing',
    async () => {
      // The documented path for scripts that drive Temporal directly (docs/spec.md).
      const input = path.join(stack.stateDir, 'input.json');
      expect((await stack.cli(['plan', specFile, '--emit-input', input])).code).toBe(0);
      await run(toolPath('temporal'), [
        'workflow',
        'start',
        '--address',
        stack.info.temporalAddress,
        '--type',
        'provisionEnvironment',
        '--task-queue',
        'lp-infra',
        '--workflow-id',
        workflowIds.provision(spec.name),
        '--input-file',
        input,
      ]);
      const result = (await stack.client.workflow
        .getHandle(workflowIds.provision(spec.name))
        .result()) as ProvisionResult;
      expect(result.created).toEqual([]);
      expect([...result.updated].sort()).toEqual([...componentIds].sort());
      expect(result.changed).toEqual([]);
      expect(await inventory()).toEqual(inventoryAfterUp);
    },
    longRun,
  );

  test(
    'destroy removes everything lp-infra made, in the cloud and in the clusters; `up` meanwhile is refused',
    async () => {
      const started = await stack.cli(['destroy', specFile, '--detach']);
      expect(started.code).toBe(0);
      const up = await stack.cli(['up', specFile, '--detach']);
      expect([up.code, up.stderr]).toEqual([3, expect.stringContaining(`destroy/${spec.name} is running`)]);
      await stack.client.workflow.getHandle(workflowIds.destroy(spec.name)).result();
      expect(await leftovers()).toEqual([]);
      for (const region of regions) {
        const api = stack.kube(region);
        const left = await api.list('apps/v1', 'Deployment', {
          labelSelector: `${environmentLabel}=${spec.name}`,
        });
        expect(left).toEqual([]);
      }
    },
    longRun,
  );
});
