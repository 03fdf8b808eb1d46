/**
 * Everything lp-infra owns in an AWS account for one environment, found by the ownership
 * tags its handlers put on every resource (tags.ts). Each service is listed with its own
 * list/describe and tag calls, all regions and services in parallel; a service the
 * endpoint does not implement becomes a warning, not an error. Resources whose deletion
 * has begun (a NAT gateway `deleting`, a KMS key `PendingDeletion`, a secret scheduled for
 * deletion) are not listed: after a destroy the inventory is empty.
 */
import {
  ACMClient,
  ListTagsForCertificateCommand,
  paginateListCertificates,
  type CertificateStatus,
} from '@aws-sdk/client-acm';
import {
  CloudFrontClient,
  ListDistributionsCommand,
  ListTagsForResourceCommand as ListCloudFrontTags,
} from '@aws-sdk/client-cloudfront';
import {
  CloudWatchLogsClient,
  ListTagsForResourceCommand as ListLogTags,
  paginateDescribeLogGroups,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  EC2Client,
  paginateDescribeInternetGateways,
  paginateDescribeLaunchTemplates,
  paginateDescribeNatGateways,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeTags,
  paginateDescribeVpcs,
  DescribeAddressesCommand,
  type Filter,
} from '@aws-sdk/client-ec2';
import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  paginateListAddons,
  paginateListClusters,
  paginateListNodegroups,
} from '@aws-sdk/client-eks';
import {
  ElastiCacheClient,
  ListTagsForResourceCommand as ListCacheTags,
  paginateDescribeCacheParameterGroups,
  paginateDescribeCacheSubnetGroups,
  paginateDescribeReplicationGroups,
} from '@aws-sdk/client-elasticache';
import {
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  ListOpenIDConnectProviderTagsCommand,
  ListRoleTagsCommand,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import {
  DescribeKeyCommand,
  KMSClient,
  ListResourceTagsCommand,
  paginateListAliases,
  paginateListKeys,
} from '@aws-sdk/client-kms';
import {
  ListTagsForResourceCommand as ListRdsTags,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  paginateDescribeDBSubnetGroups,
  paginateDescribeGlobalClusters,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  ListTagsForResourceCommand as ListRoute53Tags,
  paginateListHealthChecks,
  paginateListHostedZones,
  Route53Client,
} from '@aws-sdk/client-route-53';
import {
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { paginateListSecrets, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  ListTagsForResourceCommand as ListWafTags,
  ListWebACLsCommand,
  WAFV2Client,
  type Scope,
} from '@aws-sdk/client-wafv2';
import { awsClient } from './clients';
import {
  classifyFailure,
  failureWarning,
  GLOBAL,
  isGone,
  normalizeItems,
  ownerComponent,
  type InventoryItem,
  type InventoryReport,
} from './inventory-report';
import { isAwsError } from './support/errors';
import { fromAwsTags, TAG_COMPONENT, TAG_ENVIRONMENT } from './tags';
import type { AwsGrant } from './permissions/grants';

export type { InventoryItem, InventoryReport } from './inventory-report';

/** AWS did not answer at all (no endpoint, no network, no credentials): nothing could be listed. */
export class AwsUnreachableError extends Error {}

/** Where the global services (IAM, Route 53, CloudFront, S3 listing) are called. */
const GLOBAL_API_REGION = 'us-east-1';

/** Tag calls per listing at once: enough to be quick, few enough not to be throttled. */
const TAG_CALLS_AT_ONCE = 8;

type Found = Omit<InventoryItem, 'service' | 'region'> & { region?: string };

interface Scan {
  service: string;
  /** What is listed, for warnings: 'EKS clusters and node groups'. */
  what: string;
  region: string;
  list(environment: string): Promise<Found[]>;
}

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

/** fn over items, at most `limit` at once, results in order. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The owned ones among listed resources whose tags take one more call each. */
async function ownedByTags<T>(
  environment: string,
  listed: T[],
  tagsOf: (item: T) => Promise<Record<string, string> | undefined>,
  found: (item: T, component: string) => Found,
): Promise<Found[]> {
  const components = await mapLimit(listed, TAG_CALLS_AT_ONCE, async (item) =>
    ownerComponent(await tagsOf(item), environment),
  );
  return listed.flatMap((item, i) => (components[i] ? [found(item, components[i])] : []));
}

const defined = <T>(value: T | undefined | null): value is T => value !== undefined && value !== null;

// ---------------------------------------------------------------- EC2

const ec2Types = [
  'vpc',
  'subnet',
  'internet-gateway',
  'elastic-ip',
  'natgateway',
  'route-table',
  'security-group',
  'launch-template',
] as const;
type Ec2Type = (typeof ec2Types)[number];

/** The ids of each type that exist now (not deleted), among those tagged for the environment. */
async function liveEc2Ids(ec2: EC2Client, type: Ec2Type, filters: Filter[]): Promise<string[]> {
  const Filters = filters;
  switch (type) {
    case 'vpc':
      return (await collect(paginateDescribeVpcs({ client: ec2 }, { Filters }))).flatMap((p) =>
        (p.Vpcs ?? []).map((v) => v.VpcId).filter(defined),
      );
    case 'subnet':
      return (await collect(paginateDescribeSubnets({ client: ec2 }, { Filters }))).flatMap((p) =>
        (p.Subnets ?? []).map((s) => s.SubnetId).filter(defined),
      );
    case 'internet-gateway':
      return (await collect(paginateDescribeInternetGateways({ client: ec2 }, { Filters }))).flatMap((p) =>
        (p.InternetGateways ?? []).map((g) => g.InternetGatewayId).filter(defined),
      );
    case 'elastic-ip': {
      // DescribeAddresses has no paginator: it returns every address at once.
      const { Addresses } = await ec2.send(new DescribeAddressesCommand({ Filters }));
      return (Addresses ?? []).flatMap((a) => [a.AllocationId, a.PublicIp]).filter(defined);
    }
    case 'natgateway':
      return (await collect(paginateDescribeNatGateways({ client: ec2 }, { Filter: Filters }))).flatMap((p) =>
        (p.NatGateways ?? [])
          .filter((g) => !isGone(g.State))
          .map((g) => g.NatGatewayId)
          .filter(defined),
      );
    case 'route-table':
      return (await collect(paginateDescribeRouteTables({ client: ec2 }, { Filters }))).flatMap((p) =>
        (p.RouteTables ?? []).map((t) => t.RouteTableId).filter(defined),
      );
    case 'security-group':
      return (await collect(paginateDescribeSecurityGroups({ client: ec2 }, { Filters }))).flatMap((p) =>
        (p.SecurityGroups ?? []).map((g) => g.GroupId).filter(defined),
      );
    case 'launch-template':
      return (await collect(paginateDescribeLaunchTemplates({ client: ec2 }, { Filters }))).flatMap((p) =>
        (p.LaunchTemplates ?? []).map((t) => t.LaunchTemplateId).filter(defined),
      );
  }
}

/** DescribeTags names some types differently on emulators (moto: nat-gateway, vpc-elastic-ip). */
const ec2TypeAliases: Record<string, Ec2Type> = {
  'nat-gateway': 'natgateway',
  'vpc-elastic-ip': 'elastic-ip',
};

/** The ownership tags of every EC2 resource that has them, by type and id: one DescribeTags listing per region. */
async function ec2OwnershipTags(ec2: EC2Client): Promise<Map<Ec2Type, Map<string, Record<string, string>>>> {
  const pages = await collect(
    paginateDescribeTags(
      { client: ec2 },
      { Filters: [{ Name: 'key', Values: [TAG_ENVIRONMENT, TAG_COMPONENT] }] },
    ),
  );
  const byType = new Map<Ec2Type, Map<string, Record<string, string>>>();
  for (const tag of pages.flatMap((p) => p.Tags ?? [])) {
    const type = ec2TypeAliases[tag.ResourceType ?? ''] ?? (tag.ResourceType as Ec2Type);
    if (!tag.ResourceId || !tag.Key || !ec2Types.includes(type)) continue;
    const ids = byType.get(type) ?? new Map<string, Record<string, string>>();
    ids.set(tag.ResourceId, { ...ids.get(tag.ResourceId), [tag.Key]: tag.Value ?? '' });
    byType.set(type, ids);
  }
  return byType;
}

/**
 * EC2: DescribeTags finds what carries the environment tag; each type's describe call,
 * filtered by the same tag, says which of those still exist (a deleted NAT gateway is
 * still described, in state `deleted`, with its tags).
 */
function ec2Scans(region: string): Scan[] {
  let tagged: Promise<Map<Ec2Type, Map<string, Record<string, string>>>> | undefined;
  return ec2Types.map((type) => ({
    service: 'ec2',
    what: `EC2 ${type}s`,
    region,
    async list(environment) {
      const ec2 = awsClient(EC2Client, region);
      tagged ??= ec2OwnershipTags(ec2);
      const ours = [...((await tagged).get(type) ?? [])].flatMap(([id, tags]) => {
        const component = ownerComponent(tags, environment);
        return component ? [{ type, id, component }] : [];
      });
      if (!ours.length) return [];
      const live = new Set(
        await liveEc2Ids(ec2, type, [{ Name: `tag:${TAG_ENVIRONMENT}`, Values: [environment] }]),
      );
      return ours.filter((item) => live.has(item.id));
    },
  }));
}

// ---------------------------------------------------------------- EKS

function eksScan(region: string): Scan {
  return {
    service: 'eks',
    what: 'EKS clusters, node groups and add-ons',
    region,
    async list(environment) {
      const eks = awsClient(EKSClient, region);
      const names = (await collect(paginateListClusters({ client: eks }, {}))).flatMap(
        (p) => p.clusters ?? [],
      );
      const perCluster = await mapLimit(names, TAG_CALLS_AT_ONCE, async (name) => {
        const { cluster } = await eks.send(new DescribeClusterCommand({ name }));
        if (!cluster || isGone(cluster.status)) return [];
        const items: Found[] = [];
        const component = ownerComponent(cluster.tags, environment);
        if (component) items.push({ type: 'cluster', id: name, component });
        const groups = (
          await collect(paginateListNodegroups({ client: eks }, { clusterName: name }))
        ).flatMap((p) => p.nodegroups ?? []);
        items.push(
          ...(await ownedByTags(
            environment,
            groups,
            async (nodegroupName) => {
              const { nodegroup } = await eks.send(
                new DescribeNodegroupCommand({ clusterName: name, nodegroupName }),
              );
              return nodegroup && !isGone(nodegroup.status) ? nodegroup.tags : undefined;
            },
            (group, c) => ({ type: 'nodegroup', id: `${name}/${group}`, component: c }),
          )),
        );
        const addons = await listAddons(eks, name);
        items.push(
          ...(await ownedByTags(
            environment,
            addons,
            async (addonName) => {
              const { addon } = await eks.send(new DescribeAddonCommand({ clusterName: name, addonName }));
              return addon && !isGone(addon.status) ? addon.tags : undefined;
            },
            (addon, c) => ({ type: 'addon', id: `${name}/${addon}`, component: c }),
          )),
        );
        return items;
      });
      return perCluster.flat();
    },
  };
}

/** Add-ons of a cluster; an emulator without add-ons has none to list. */
async function listAddons(eks: EKSClient, clusterName: string): Promise<string[]> {
  try {
    return (await collect(paginateListAddons({ client: eks }, { clusterName }))).flatMap(
      (p) => p.addons ?? [],
    );
  } catch (err) {
    if (classifyFailure(err) === 'not-implemented') return [];
    throw err;
  }
}

// ---------------------------------------------------------------- RDS

function rdsScan(region: string): Scan {
  return {
    service: 'rds',
    what: 'RDS clusters, instances, subnet groups and global clusters',
    region,
    async list(environment) {
      const rds = awsClient(RDSClient, region);
      const [clusters, instances, subnetGroups, globals] = await Promise.all([
        collect(paginateDescribeDBClusters({ client: rds }, {})),
        collect(paginateDescribeDBInstances({ client: rds }, {})),
        collect(paginateDescribeDBSubnetGroups({ client: rds }, {})),
        collect(paginateDescribeGlobalClusters({ client: rds }, {})).catch((err: unknown) => {
          if (classifyFailure(err) === 'not-implemented') return [];
          throw err;
        }),
      ]);
      const items: Found[] = [];
      const ownClusters = new Map<string, string>(); // cluster ARN -> component
      for (const cluster of clusters.flatMap((p) => p.DBClusters ?? [])) {
        const component = ownerComponent(fromAwsTags(cluster.TagList), environment);
        if (!component || isGone(cluster.Status) || !cluster.DBClusterIdentifier) continue;
        items.push({ type: 'db-cluster', id: cluster.DBClusterIdentifier, component });
        if (cluster.DBClusterArn) ownClusters.set(cluster.DBClusterArn, component);
      }
      for (const instance of instances.flatMap((p) => p.DBInstances ?? [])) {
        const component = ownerComponent(fromAwsTags(instance.TagList), environment);
        if (!component || isGone(instance.DBInstanceStatus) || !instance.DBInstanceIdentifier) continue;
        items.push({ type: 'db-instance', id: instance.DBInstanceIdentifier, component });
      }
      items.push(
        ...(await ownedByTags(
          environment,
          subnetGroups.flatMap((p) => p.DBSubnetGroups ?? []).filter((g) => g.DBSubnetGroupArn),
          async (group) =>
            fromAwsTags((await rds.send(new ListRdsTags({ ResourceName: group.DBSubnetGroupArn }))).TagList),
          (group, component) => ({ type: 'db-subnet-group', id: group.DBSubnetGroupName ?? '', component }),
        )),
      );
      // A global cluster is ours by its tags, or (where tags are not returned) by holding one of our clusters.
      for (const global of globals.flatMap((p) => p.GlobalClusters ?? [])) {
        if (isGone(global.Status) || !global.GlobalClusterIdentifier) continue;
        const byMember = (global.GlobalClusterMembers ?? [])
          .map((m) => (m.DBClusterArn ? ownClusters.get(m.DBClusterArn) : undefined))
          .find(defined);
        const component = ownerComponent(fromAwsTags(global.TagList), environment) ?? byMember;
        if (component) items.push({ type: 'global-cluster', id: global.GlobalClusterIdentifier, component });
      }
      return items;
    },
  };
}

// ---------------------------------------------------------------- ElastiCache

/** ElastiCache: one scan per kind of group, so a kind the endpoint lacks does not hide the others. */
function elasticacheScans(region: string): Scan[] {
  const cache = () => awsClient(ElastiCacheClient, region);
  const tagsOf = async (arn: string | undefined) =>
    arn ? fromAwsTags((await cache().send(new ListCacheTags({ ResourceName: arn }))).TagList) : undefined;
  const scan = (what: string, list: Scan['list']): Scan => ({ service: 'elasticache', what, region, list });
  return [
    scan('ElastiCache replication groups', async (environment) =>
      ownedByTags(
        environment,
        (await collect(paginateDescribeReplicationGroups({ client: cache() }, {})))
          .flatMap((p) => p.ReplicationGroups ?? [])
          .filter((g) => !isGone(g.Status)),
        (g) => tagsOf(g.ARN),
        (g, component) => ({ type: 'replication-group', id: g.ReplicationGroupId ?? '', component }),
      ),
    ),
    scan('ElastiCache subnet groups', async (environment) =>
      ownedByTags(
        environment,
        (await collect(paginateDescribeCacheSubnetGroups({ client: cache() }, {})))
          .flatMap((p) => p.CacheSubnetGroups ?? [])
          .filter((g) => g.CacheSubnetGroupName !== 'default'),
        (g) => tagsOf(g.ARN),
        (g, component) => ({ type: 'cache-subnet-group', id: g.CacheSubnetGroupName ?? '', component }),
      ),
    ),
    scan('ElastiCache parameter groups', async (environment) =>
      ownedByTags(
        environment,
        (await collect(paginateDescribeCacheParameterGroups({ client: cache() }, {})))
          .flatMap((p) => p.CacheParameterGroups ?? [])
          .filter((g) => !g.CacheParameterGroupName?.startsWith('default.')),
        (g) => tagsOf(g.ARN),
        (g, component) => ({ type: 'cache-parameter-group', id: g.CacheParameterGroupName ?? '', component }),
      ),
    ),
  ];
}

// ---------------------------------------------------------------- ACM, KMS, Secrets Manager, Logs, WAF

const certificateStatuses: CertificateStatus[] = [
  'PENDING_VALIDATION',
  'ISSUED',
  'INACTIVE',
  'EXPIRED',
  'VALIDATION_TIMED_OUT',
  'REVOKED',
  'FAILED',
];

function acmScan(region: string): Scan {
  return {
    service: 'acm',
    what: 'ACM certificates',
    region,
    async list(environment) {
      const acm = awsClient(ACMClient, region);
      const pages = await collect(
        paginateListCertificates({ client: acm }, { CertificateStatuses: certificateStatuses }),
      );
      return ownedByTags(
        environment,
        pages.flatMap((p) => p.CertificateSummaryList ?? []).filter((c) => c.CertificateArn),
        async (c) =>
          fromAwsTags(
            (await acm.send(new ListTagsForCertificateCommand({ CertificateArn: c.CertificateArn }))).Tags,
          ),
        (c, component) => ({ type: 'certificate', id: c.CertificateArn ?? '', component }),
      );
    },
  };
}

function kmsScan(region: string): Scan {
  return {
    service: 'kms',
    what: 'KMS keys and aliases',
    region,
    async list(environment) {
      const kms = awsClient(KMSClient, region);
      const keys = (await collect(paginateListKeys({ client: kms }, {}))).flatMap((p) => p.Keys ?? []);
      const owned = await mapLimit(keys, TAG_CALLS_AT_ONCE, async (key) => {
        const KeyId = key.KeyId ?? '';
        const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId }));
        if (!KeyMetadata || KeyMetadata.KeyManager === 'AWS' || isGone(KeyMetadata.KeyState))
          return undefined;
        const { Tags } = await kms.send(new ListResourceTagsCommand({ KeyId }));
        const tags = Object.fromEntries((Tags ?? []).map((t) => [t.TagKey ?? '', t.TagValue ?? '']));
        const component = ownerComponent(tags, environment);
        return component ? { keyId: KeyId, component } : undefined;
      });
      const ownKeys = new Map(owned.filter(defined).map((k) => [k.keyId, k.component]));
      const items: Found[] = [...ownKeys].map(([id, component]) => ({ type: 'key', id, component }));
      // Aliases cannot be tagged: they are ours when they name one of our live keys.
      const aliases = (await collect(paginateListAliases({ client: kms }, {}))).flatMap(
        (p) => p.Aliases ?? [],
      );
      for (const alias of aliases) {
        const component = alias.TargetKeyId ? ownKeys.get(alias.TargetKeyId) : undefined;
        if (component && alias.AliasName) items.push({ type: 'alias', id: alias.AliasName, component });
      }
      return items;
    },
  };
}

function secretsScan(region: string): Scan {
  return {
    service: 'secretsmanager',
    what: 'Secrets Manager secrets',
    region,
    async list(environment) {
      const secrets = awsClient(SecretsManagerClient, region);
      const pages = await collect(paginateListSecrets({ client: secrets }, {}));
      return pages
        .flatMap((p) => p.SecretList ?? [])
        .filter((s) => !s.DeletedDate)
        .flatMap((s) => {
          const component = ownerComponent(fromAwsTags(s.Tags), environment);
          return component && s.Name ? [{ type: 'secret', id: s.Name, component }] : [];
        });
    },
  };
}

function logsScan(region: string): Scan {
  return {
    service: 'logs',
    what: 'CloudWatch log groups',
    region,
    async list(environment) {
      const logs = awsClient(CloudWatchLogsClient, region);
      const groups = (await collect(paginateDescribeLogGroups({ client: logs }, {}))).flatMap(
        (p) => p.logGroups ?? [],
      );
      return ownedByTags(
        environment,
        groups,
        async (g) => {
          const resourceArn = g.logGroupArn ?? g.arn?.replace(/:\*$/, '');
          return resourceArn ? (await logs.send(new ListLogTags({ resourceArn }))).tags : undefined;
        },
        (g, component) => ({ type: 'log-group', id: g.logGroupName ?? '', component }),
      );
    },
  };
}

function wafScan(region: string, scope: Scope): Scan {
  return {
    service: 'wafv2',
    what: `WAF web ACLs (${scope} scope)`,
    region: scope === 'CLOUDFRONT' ? GLOBAL : region,
    async list(environment) {
      const waf = awsClient(WAFV2Client, region);
      const acls = [];
      let NextMarker: string | undefined;
      do {
        const page = await waf.send(new ListWebACLsCommand({ Scope: scope, NextMarker, Limit: 100 }));
        acls.push(...(page.WebACLs ?? []));
        NextMarker = page.WebACLs?.length ? page.NextMarker : undefined;
      } while (NextMarker);
      return ownedByTags(
        environment,
        acls.filter((a) => a.ARN),
        async (a) =>
          fromAwsTags((await waf.send(new ListWafTags({ ResourceARN: a.ARN }))).TagInfoForResource?.TagList),
        (a, component) => ({ type: 'web-acl', id: a.ARN ?? '', component }),
      );
    },
  };
}

// ---------------------------------------------------------------- global: S3, CloudFront, Route 53, IAM

function s3Scan(regions: string[]): Scan {
  return {
    service: 's3',
    what: 'S3 buckets',
    region: GLOBAL,
    async list(environment) {
      const s3 = awsClient(S3Client, GLOBAL_API_REGION);
      const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets ?? [];
      const located = await mapLimit(buckets, TAG_CALLS_AT_ONCE, async (bucket) => {
        const Bucket = bucket.Name ?? '';
        const region =
          bucket.BucketRegion ??
          ((await s3.send(new GetBucketLocationCommand({ Bucket }))).LocationConstraint || 'us-east-1');
        return { Bucket, region: region === 'EU' ? 'eu-west-1' : region };
      });
      const owned = await mapLimit(
        located.filter((b) => regions.includes(b.region)),
        TAG_CALLS_AT_ONCE,
        async ({ Bucket, region }) => {
          try {
            const { TagSet } = await awsClient(S3Client, region).send(
              new GetBucketTaggingCommand({ Bucket }),
            );
            const component = ownerComponent(fromAwsTags(TagSet), environment);
            return component ? { service: 's3', type: 'bucket', id: Bucket, region, component } : undefined;
          } catch (err) {
            // A bucket without tags is not ours; one deleted since the listing is gone.
            if (isAwsError(err, 'NoSuchTagSet', 'NoSuchBucket', 'NoSuchTagSetError')) return undefined;
            throw err;
          }
        },
      );
      return owned.filter(defined);
    },
  };
}

function cloudfrontScan(): Scan {
  return {
    service: 'cloudfront',
    what: 'CloudFront distributions',
    region: GLOBAL,
    async list(environment) {
      const cloudfront = awsClient(CloudFrontClient, GLOBAL_API_REGION);
      const summaries = [];
      let Marker: string | undefined;
      do {
        const { DistributionList } = await cloudfront.send(new ListDistributionsCommand({ Marker }));
        summaries.push(...(DistributionList?.Items ?? []));
        Marker = DistributionList?.IsTruncated ? DistributionList.NextMarker : undefined;
      } while (Marker);
      return ownedByTags(
        environment,
        summaries.filter((d) => d.ARN && d.Id),
        async (d) =>
          fromAwsTags((await cloudfront.send(new ListCloudFrontTags({ Resource: d.ARN }))).Tags?.Items),
        (d, component) => ({ type: 'distribution', id: d.Id ?? '', component }),
      );
    },
  };
}

function route53Scan(): Scan {
  return {
    service: 'route53',
    what: 'Route 53 hosted zones and health checks',
    region: GLOBAL,
    async list(environment) {
      const route53 = awsClient(Route53Client, GLOBAL_API_REGION);
      const tagsOf = async (ResourceType: 'hostedzone' | 'healthcheck', ResourceId: string) =>
        fromAwsTags(
          (await route53.send(new ListRoute53Tags({ ResourceType, ResourceId }))).ResourceTagSet?.Tags,
        );
      const [zones, checks] = await Promise.all([
        collect(paginateListHostedZones({ client: route53 }, {})),
        collect(paginateListHealthChecks({ client: route53 }, {})),
      ]);
      const lists = await Promise.all([
        ownedByTags(
          environment,
          zones.flatMap((p) => p.HostedZones ?? []).map((z) => (z.Id ?? '').replace(/^\/hostedzone\//, '')),
          (id) => tagsOf('hostedzone', id),
          (id, component) => ({ type: 'hosted-zone', id, component }),
        ),
        ownedByTags(
          environment,
          checks.flatMap((p) => p.HealthChecks ?? []).map((c) => c.Id ?? ''),
          (id) => tagsOf('healthcheck', id),
          (id, component) => ({ type: 'health-check', id, component }),
        ),
      ]);
      return lists.flat();
    },
  };
}

function iamScan(): Scan {
  return {
    service: 'iam',
    what: 'IAM roles and OIDC providers',
    region: GLOBAL,
    async list(environment) {
      const iam = awsClient(IAMClient, GLOBAL_API_REGION);
      const roles = (await collect(paginateListRoles({ client: iam }, {})))
        .flatMap((p) => p.Roles ?? [])
        .filter((r) => r.RoleName && !r.Path?.startsWith('/aws-service-role/'));
      const { OpenIDConnectProviderList } = await iam.send(new ListOpenIDConnectProvidersCommand({}));
      const lists = await Promise.all([
        ownedByTags(
          environment,
          roles,
          async (r) => fromAwsTags((await iam.send(new ListRoleTagsCommand({ RoleName: r.RoleName }))).Tags),
          (r, component) => ({ type: 'role', id: r.RoleName ?? '', component }),
        ),
        ownedByTags(
          environment,
          (OpenIDConnectProviderList ?? []).map((p) => p.Arn).filter(defined),
          async (arn) =>
            fromAwsTags(
              (await iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: arn })))
                .Tags,
            ),
          (arn, component) => ({ type: 'oidc-provider', id: arn, component }),
        ),
      ]);
      return lists.flat();
    },
  };
}

// ---------------------------------------------------------------- the whole inventory

function scansFor(regions: string[]): Scan[] {
  const regional = regions.flatMap((region) => [
    ...ec2Scans(region),
    eksScan(region),
    rdsScan(region),
    ...elasticacheScans(region),
    acmScan(region),
    kmsScan(region),
    secretsScan(region),
    logsScan(region),
    wafScan(region, 'REGIONAL'),
  ]);
  return [
    ...regional,
    wafScan(GLOBAL_API_REGION, 'CLOUDFRONT'),
    s3Scan(regions),
    cloudfrontScan(),
    route53Scan(),
    iamScan(),
  ];
}

/**
 * The inventory with its warnings. Throws AwsUnreachableError only when AWS answered no
 * call at all; a service that fails on its own is a warning.
 */
export async function awsInventoryReport(environment: string, regions: string[]): Promise<InventoryReport> {
  if (!environment) throw new Error('awsInventory: environment is empty');
  if (!regions.length) throw new Error('awsInventory: no regions given');
  const scans = scansFor([...new Set(regions)]);
  const results = await Promise.allSettled(scans.map((scan) => scan.list(environment)));
  const items: InventoryItem[] = [];
  const warnings: string[] = [];
  const unreachable: unknown[] = [];
  results.forEach((result, i) => {
    const scan = scans[i];
    if (result.status === 'fulfilled') {
      items.push(
        ...result.value.map((found) => ({
          service: scan.service,
          region: scan.region,
          ...found,
        })),
      );
    } else {
      if (classifyFailure(result.reason) === 'unreachable') unreachable.push(result.reason);
      warnings.push(failureWarning(scan.what, scan.region, result.reason));
    }
  });
  if (unreachable.length === scans.length) {
    const reason = unreachable[0] instanceof Error ? unreachable[0].message : String(unreachable[0]);
    throw new AwsUnreachableError(`AWS did not answer (${reason})`);
  }
  return { environment, regions, items: normalizeItems(items), warnings };
}

/** Everything tagged lp-infra:environment=<environment> in these regions and the global services. */
export async function awsInventory(environment: string, regions: string[]): Promise<InventoryItem[]> {
  return (await awsInventoryReport(environment, regions)).items;
}

/** AWS actions of the inventory (`lp-infra inventory`): reads only. */
export const awsActions: AwsGrant[] = [
  {
    actions: [
      'acm:ListCertificates',
      'acm:ListTagsForCertificate',
      'cloudfront:ListDistributions',
      'cloudfront:ListTagsForResource',
      'ec2:DescribeAddresses',
      'ec2:DescribeInternetGateways',
      'ec2:DescribeLaunchTemplates',
      'ec2:DescribeNatGateways',
      'ec2:DescribeRouteTables',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DescribeTags',
      'ec2:DescribeVpcs',
      'eks:DescribeAddon',
      'eks:DescribeCluster',
      'eks:DescribeNodegroup',
      'eks:ListAddons',
      'eks:ListClusters',
      'eks:ListNodegroups',
      'elasticache:DescribeCacheParameterGroups',
      'elasticache:DescribeCacheSubnetGroups',
      'elasticache:DescribeReplicationGroups',
      'elasticache:ListTagsForResource',
      'iam:ListOpenIDConnectProviders',
      'iam:ListOpenIDConnectProviderTags',
      'iam:ListRoles',
      'iam:ListRoleTags',
      'kms:DescribeKey',
      'kms:ListAliases',
      'kms:ListKeys',
      'kms:ListResourceTags',
      'logs:DescribeLogGroups',
      'logs:ListTagsForResource',
      'rds:DescribeDBClusters',
      'rds:DescribeDBInstances',
      'rds:DescribeDBSubnetGroups',
      'rds:DescribeGlobalClusters',
      'rds:ListTagsForResource',
      'route53:ListHealthChecks',
      'route53:ListHostedZones',
      'route53:ListTagsForResource',
      's3:ListAllMyBuckets',
      'secretsmanager:ListSecrets',
      'wafv2:ListTagsForResource',
      'wafv2:ListWebACLs',
    ],
  },
  { actions: ['s3:GetBucketLocation', 's3:GetBucketTagging'], on: ['bucket'] },
];
