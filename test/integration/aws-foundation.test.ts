/**
 * The foundation components (network, kms, cluster, node-groups in both regions; dns and
 * certificate) through their drivers against moto: plan -> apply -> ready -> re-plan with
 * no changes -> a second apply that makes nothing new -> destroy, which leaves nothing
 * with the environment's tags. Every resource is checked with describe calls against the
 * spec. The provider process loads dist/: run `npm run build` first.
 */
import {
  ACMClient,
  DescribeCertificateCommand,
  ListCertificatesCommand,
  ListTagsForCertificateCommand,
} from '@aws-sdk/client-acm';
import {
  DescribeAddressesCommand,
  DescribeInternetGatewaysCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  EC2Client,
  ModifySubnetAttributeCommand,
  RevokeSecurityGroupIngressCommand,
  type Filter,
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListClustersCommand,
  ListNodegroupsCommand,
  UntagResourceCommand,
  UpdateNodegroupConfigCommand,
} from '@aws-sdk/client-eks';
import {
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListOpenIDConnectProvidersCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
} from '@aws-sdk/client-iam';
import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListKeysCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import {
  GetHostedZoneCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourceCommand as ListZoneTags,
  Route53Client,
} from '@aws-sdk/client-route-53';
import type { ChangeSummary, ComponentOutputs, ComponentRequest } from '../../src/infra/components/contract';
import { awsClient } from '../../src/infra/aws/clients';
import { fromAwsTags, ownershipTags, TAG_COMPONENT, TAG_ENVIRONMENT } from '../../src/infra/aws/tags';
import { stackName } from '../../src/infra/components/pulumi-driver';
import { handlerContext } from '../../src/infra/aws/handler-context';
import { handlerFor } from '../../src/infra/handlers';
import { refreshStack } from '../../src/infra/pulumi';
import type { EnvironmentSpec } from '../../src/model';
import {
  driver,
  localSpec,
  requestFor,
  silentProgress,
  startCloud,
  changeCount,
} from '../helpers/components';

jest.setTimeout(900_000);

const primary = 'us-east-1';
const secondary = 'us-west-2';
const spec: EnvironmentSpec = localSpec();
const environment = spec.name;
const buildOrder = [
  'network',
  'secondary/network',
  'kms',
  'secondary/kms',
  'cluster',
  'node-groups',
  'secondary/cluster',
  'secondary/node-groups',
  'dns',
  'certificate',
];

const outputs: Record<string, ComponentOutputs> = {};
const applySeconds: Record<string, number[]> = {};
let stopCloud: () => Promise<void>;

// ---------------------------------------------------------------- the cloud

const ec2 = (region: string) => awsClient(EC2Client, region);
const eks = (region: string) => awsClient(EKSClient, region);
const iam = () => awsClient(IAMClient, primary);

// ---------------------------------------------------------------- running a component

const request = (id: string, from: EnvironmentSpec = spec): ComponentRequest => requestFor(from, id, outputs);

/** Reads the stack's resources back into its state (a refresh runs no program). */
const refresh = (id: string) =>
  refreshStack({ project: 'lp-infra', stack: stackName(request(id)), program: async () => ({}) });

/** Asks until the component says ready, as the workflow does between durable timers. */
async function untilReady(id: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const readiness = await driver(request(id)).ready(request(id), outputs[id]);
    if (readiness.ready || Date.now() > deadline) return readiness;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** plan -> apply -> ready -> plan again (nothing to do); returns the outputs. */
async function build(id: string): Promise<ComponentOutputs> {
  const components = driver(request(id));
  const plan = await components.plan(request(id), silentProgress);
  expect(plan.existedBefore).toBe(false);
  expect(plan.changes?.create).toBeGreaterThan(0);

  const started = Date.now();
  const applied = await components.apply(request(id), silentProgress);
  applySeconds[id] = [(Date.now() - started) / 1000];
  expect(applied.changes.create).toBe(plan.changes?.create);
  outputs[id] = applied.outputs;

  expect(await untilReady(id)).toEqual(expect.objectContaining({ ready: true }));
  const again = await components.plan(request(id), silentProgress);
  expect(changeCount(again.changes)).toBe(0);
  expect(again.existedBefore).toBe(true);
  return applied.outputs;
}

// ---------------------------------------------------------------- inventory by tag

const tagged: Filter[] = [{ Name: `tag:${TAG_ENVIRONMENT}`, Values: [environment] }];
const ours = (tags: Record<string, string>) => tags[TAG_ENVIRONMENT] === environment;
const label = (kind: string, id: string, tags: Record<string, string> = {}) =>
  `${tags[TAG_COMPONENT] ?? ''} ${kind} ${id}`;

async function ec2Inventory(region: string): Promise<string[]> {
  const client = ec2(region);
  const found = [
    ...((await client.send(new DescribeVpcsCommand({ Filters: tagged }))).Vpcs ?? []).map(
      (v) => ['vpc', v.VpcId, v.Tags] as const,
    ),
    ...((await client.send(new DescribeSubnetsCommand({ Filters: tagged }))).Subnets ?? []).map(
      (s) => ['subnet', s.SubnetId, s.Tags] as const,
    ),
    ...(
      (await client.send(new DescribeInternetGatewaysCommand({ Filters: tagged }))).InternetGateways ?? []
    ).map((g) => ['internet-gateway', g.InternetGatewayId, g.Tags] as const),
    ...((await client.send(new DescribeAddressesCommand({ Filters: tagged }))).Addresses ?? []).map(
      (a) => ['elastic-ip', a.AllocationId, a.Tags] as const,
    ),
    ...((await client.send(new DescribeNatGatewaysCommand({ Filter: tagged }))).NatGateways ?? [])
      .filter((n) => n.State !== 'deleted')
      .map((n) => ['nat-gateway', n.NatGatewayId, n.Tags] as const),
    ...((await client.send(new DescribeRouteTablesCommand({ Filters: tagged }))).RouteTables ?? []).map(
      (t) => ['route-table', t.RouteTableId, t.Tags] as const,
    ),
    ...((await client.send(new DescribeSecurityGroupsCommand({ Filters: tagged }))).SecurityGroups ?? []).map(
      (g) => ['security-group', g.GroupId, g.Tags] as const,
    ),
    ...(
      (await client.send(new DescribeSecurityGroupRulesCommand({ Filters: tagged }))).SecurityGroupRules ?? []
    ).map((r) => ['security-group-rule', r.SecurityGroupRuleId, r.Tags] as const),
    ...(
      (await client.send(new DescribeLaunchTemplatesCommand({ Filters: tagged }))).LaunchTemplates ?? []
    ).map((t) => ['launch-template', t.LaunchTemplateId, t.Tags] as const),
  ];
  // Checked again here: moto ignores tag filters on some calls (DescribeNatGateways).
  return found
    .filter(([, , tags]) => ours(fromAwsTags(tags)))
    .map(([kind, id, tags]) => `${region} ${label(kind, id ?? '', fromAwsTags(tags))}`);
}

async function kmsInventory(region: string): Promise<string[]> {
  const kms = awsClient(KMSClient, region);
  const found: string[] = [];
  for (const key of (await kms.send(new ListKeysCommand({}))).Keys ?? []) {
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
    if (KeyMetadata?.KeyState === 'PendingDeletion') continue;
    const { Tags } = await kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }));
    const tags = Object.fromEntries((Tags ?? []).map((t) => [t.TagKey!, t.TagValue!]));
    if (ours(tags)) found.push(`${region} ${label('kms-key', key.KeyId!, tags)}`);
  }
  return found;
}

async function eksInventory(region: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of (await eks(region).send(new ListClustersCommand({}))).clusters ?? []) {
    const { cluster } = await eks(region).send(new DescribeClusterCommand({ name }));
    if (ours(cluster?.tags ?? {})) found.push(`${region} ${label('eks-cluster', name, cluster?.tags)}`);
    for (const group of (await eks(region).send(new ListNodegroupsCommand({ clusterName: name })))
      .nodegroups ?? []) {
      found.push(`${region} node-group ${name}/${group}`);
    }
  }
  return found;
}

async function globalInventory(): Promise<string[]> {
  const found: string[] = [];
  for (const role of (await iam().send(new ListRolesCommand({}))).Roles ?? []) {
    const tags = fromAwsTags((await iam().send(new ListRoleTagsCommand({ RoleName: role.RoleName }))).Tags);
    if (ours(tags)) found.push(label('iam-role', role.RoleName!, tags));
  }
  for (const provider of (await iam().send(new ListOpenIDConnectProvidersCommand({})))
    .OpenIDConnectProviderList ?? []) {
    const { Tags } = await iam().send(
      new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: provider.Arn }),
    );
    if (ours(fromAwsTags(Tags))) found.push(label('oidc-provider', provider.Arn!, fromAwsTags(Tags)));
  }
  const route53 = awsClient(Route53Client, primary);
  for (const zone of (await route53.send(new ListHostedZonesCommand({}))).HostedZones ?? []) {
    const id = zone.Id!.split('/').pop()!;
    const { ResourceTagSet } = await route53.send(
      new ListZoneTags({ ResourceType: 'hostedzone', ResourceId: id }),
    );
    if (ours(fromAwsTags(ResourceTagSet?.Tags)))
      found.push(label('hosted-zone', zone.Name!, fromAwsTags(ResourceTagSet?.Tags)));
  }
  const acm = awsClient(ACMClient, primary);
  for (const certificate of (await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList ?? []) {
    const { Tags } = await acm.send(
      new ListTagsForCertificateCommand({ CertificateArn: certificate.CertificateArn }),
    );
    if (ours(fromAwsTags(Tags))) found.push(label('certificate', certificate.DomainName!, fromAwsTags(Tags)));
  }
  return found;
}

async function inventory(): Promise<string[]> {
  const regional = async (region: string) => [
    ...(await ec2Inventory(region)),
    ...(await kmsInventory(region)),
    ...(await eksInventory(region)),
  ];
  return [...(await regional(primary)), ...(await regional(secondary)), ...(await globalInventory())].sort();
}

const countOf = (items: string[], kind: string) => items.filter((item) => item.includes(` ${kind} `)).length;

// ---------------------------------------------------------------- checks against the spec

async function describeSubnets(ids: string[], region: string) {
  const { Subnets } = await ec2(region).send(new DescribeSubnetsCommand({ SubnetIds: ids }));
  return ids.map((id) => Subnets!.find((s) => s.SubnetId === id)!);
}

async function ingressRules(groupId: string, region: string) {
  const { SecurityGroupRules } = await ec2(region).send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
  );
  return SecurityGroupRules ?? [];
}

async function checkNetwork(
  id: string,
  network: EnvironmentSpec['network'],
  region: string,
  clusterName: string,
) {
  const out = outputs[id];
  const vpcId = String(out.vpcId);
  const [vpc] = (await ec2(region).send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs!;
  expect(vpc.CidrBlock).toBe(network.vpcCidr);
  const hostnames = await ec2(region).send(
    new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' }),
  );
  expect(hostnames.EnableDnsHostnames?.Value).toBe(true);

  const inZoneOrder = (tier: 'public' | 'private') =>
    network.availabilityZones.map(
      (zone) => network.subnets[tier].find((s) => s.availabilityZone === zone)!.cidr,
    );
  const publicSubnets = await describeSubnets(out.publicSubnetIds as string[], region);
  const privateSubnets = await describeSubnets(out.privateSubnetIds as string[], region);
  expect(publicSubnets.map((s) => s.AvailabilityZone)).toEqual(network.availabilityZones);
  expect(privateSubnets.map((s) => s.AvailabilityZone)).toEqual(network.availabilityZones);
  expect(publicSubnets.map((s) => s.CidrBlock)).toEqual(inZoneOrder('public'));
  expect(privateSubnets.map((s) => s.CidrBlock)).toEqual(inZoneOrder('private'));
  expect(publicSubnets.map((s) => s.MapPublicIpOnLaunch)).toEqual([true, true, true]);
  expect(privateSubnets.map((s) => s.MapPublicIpOnLaunch)).toEqual([false, false, false]);
  for (const subnet of publicSubnets) expect(fromAwsTags(subnet.Tags)['kubernetes.io/role/elb']).toBe('1');
  for (const subnet of privateSubnets) {
    expect(fromAwsTags(subnet.Tags)).toEqual(
      expect.objectContaining({
        'kubernetes.io/role/internal-elb': '1',
        [`kubernetes.io/cluster/${clusterName}`]: 'shared',
      }),
    );
  }

  const { InternetGateways } = await ec2(region).send(
    new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] }),
  );
  expect(InternetGateways).toHaveLength(1);

  // HighlyAvailable: one NAT gateway per zone, in that zone's public subnet, with its own Elastic IP.
  expect(network.natGateway).toBe('highly-available');
  const { NatGateways } = await ec2(region).send(
    new DescribeNatGatewaysCommand({ NatGatewayIds: out.natGatewayIds as string[] }),
  );
  const natIds = out.natGatewayIds as string[];
  expect(natIds).toHaveLength(network.availabilityZones.length);
  const nats = natIds.map((natId) => NatGateways!.find((n) => n.NatGatewayId === natId)!);
  expect(nats.map((n) => n.SubnetId)).toEqual(out.publicSubnetIds);
  expect(nats.map((n) => n.State)).toEqual(['available', 'available', 'available']);
  expect(new Set(nats.map((n) => n.NatGatewayAddresses?.[0]?.AllocationId)).size).toBe(3);

  const { RouteTables } = await ec2(region).send(
    new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
  );
  const tableOf = (subnetId: string) =>
    RouteTables!.find((t) => t.Associations?.some((a) => a.SubnetId === subnetId))!;
  const defaultRoute = (subnetId: string) =>
    tableOf(subnetId).Routes!.find((r) => r.DestinationCidrBlock === '0.0.0.0/0');
  for (const subnetId of out.publicSubnetIds as string[]) {
    expect(defaultRoute(subnetId)?.GatewayId).toBe(InternetGateways![0].InternetGatewayId);
  }
  (out.privateSubnetIds as string[]).forEach((subnetId, zone) => {
    expect(defaultRoute(subnetId)?.NatGatewayId).toBe(natIds[zone]);
  });

  // Least privilege: the database and the cache take their port from the cluster's group, and send nothing.
  const cluster = String(out.clusterSecurityGroupId);
  const clusterRules = await ingressRules(cluster, region);
  expect(clusterRules.filter((r) => !r.IsEgress)).toEqual([
    expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: network.vpcCidr }),
  ]);
  expect(clusterRules.some((r) => r.IsEgress && r.CidrIpv4 === '0.0.0.0/0')).toBe(true);
  for (const [groupId, port] of [
    [String(out.databaseSecurityGroupId), 5432],
    [String(out.cacheSecurityGroupId), spec.cache.port],
  ] as const) {
    const rules = await ingressRules(groupId, region);
    expect(rules).toEqual([
      expect.objectContaining({
        IsEgress: false,
        FromPort: port,
        ToPort: port,
        ReferencedGroupInfo: expect.objectContaining({ GroupId: cluster }),
      }),
    ]);
  }
}

async function checkKeys(id: string, region: string, aliases: string[]) {
  const kms = awsClient(KMSClient, region);
  expect(Object.keys(outputs[id]).sort()).toEqual(aliases.map((alias) => `key:${alias}`).sort());
  for (const alias of aliases) {
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: `alias/${alias}` }));
    expect(KeyMetadata?.Arn).toBe(outputs[id][`key:${alias}`]);
    expect(KeyMetadata?.Arn).toContain(`:${region}:`);
    expect(KeyMetadata?.KeyState).toBe('Enabled');
    expect(
      (await kms.send(new GetKeyRotationStatusCommand({ KeyId: KeyMetadata!.KeyId }))).KeyRotationEnabled,
    ).toBe(true);
  }
}

async function attachedPolicies(roleName: string) {
  const { AttachedPolicies } = await iam().send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
  return (AttachedPolicies ?? []).map((p) => p.PolicyName).sort();
}

async function checkCluster(id: string, networkId: string, region: string, clusterName: string) {
  const out = outputs[id];
  const network = outputs[networkId];
  const { cluster } = await eks(region).send(new DescribeClusterCommand({ name: clusterName }));
  expect(out).toEqual(
    expect.objectContaining({
      clusterName,
      clusterArn: cluster!.arn,
      endpoint: cluster!.endpoint,
      certificateAuthority: cluster!.certificateAuthority!.data,
      nodeRoleArn: expect.stringContaining(`:role/${clusterName}-node`),
      oidcProviderArn: expect.stringContaining(':oidc-provider/oidc.eks.'),
    }),
  );
  expect(cluster).toEqual(
    expect.objectContaining({
      version: spec.cluster.kubernetesVersion,
      status: 'ACTIVE',
      roleArn: expect.stringContaining(`:role/${clusterName}-cluster`),
    }),
  );
  expect(cluster!.resourcesVpcConfig).toEqual(
    expect.objectContaining({
      endpointPrivateAccess: spec.cluster.endpointAccess.private,
      endpointPublicAccess: spec.cluster.endpointAccess.public,
      publicAccessCidrs: spec.cluster.endpointAccess.publicAccessCidrs,
      securityGroupIds: [network.clusterSecurityGroupId],
      subnetIds: [...(network.privateSubnetIds as string[]), ...(network.publicSubnetIds as string[])],
    }),
  );
  expect(cluster!.logging!.clusterLogging).toEqual([
    { types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true },
  ]);
  expect(cluster!.tags).toEqual(expect.objectContaining(ownershipTags(environment, id)));

  const { Role: clusterRole } = await iam().send(new GetRoleCommand({ RoleName: `${clusterName}-cluster` }));
  expect(clusterRole?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(
    `arn:aws:iam::123456789012:policy/${spec.cluster.iam.serviceRolePermissionsBoundaryPolicy}`,
  );
  expect(await attachedPolicies(`${clusterName}-cluster`)).toEqual(['AmazonEKSClusterPolicy']);
  expect(await attachedPolicies(`${clusterName}-node`)).toEqual([
    'AmazonEC2ContainerRegistryReadOnly',
    'AmazonEKSWorkerNodePolicy',
    'AmazonEKS_CNI_Policy',
  ]);
  const { Url } = await iam().send(
    new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: String(out.oidcProviderArn) }),
  );
  expect(`https://${Url}`).toBe(cluster!.identity!.oidc!.issuer);
  const { Role: csiRole } = await iam().send(
    new GetRoleCommand({ RoleName: `${clusterName}-aws-ebs-csi-driver` }),
  );
  const trust = JSON.parse(decodeURIComponent(csiRole!.AssumeRolePolicyDocument!));
  expect(trust.Statement[0].Principal.Federated).toBe(out.oidcProviderArn);
  expect(await attachedPolicies(`${clusterName}-aws-ebs-csi-driver`)).toEqual(['AmazonEBSCSIDriverPolicy']);
}

async function checkNodeGroups(
  id: string,
  clusterId: string,
  region: string,
  sizes: Record<string, { min: number; desired: number }>,
) {
  const clusterName = String(outputs[clusterId].clusterName);
  expect(outputs[id].nodeGroupNames).toEqual(spec.cluster.nodeGroups.map((g) => g.name));
  for (const group of spec.cluster.nodeGroups) {
    const { nodegroup } = await eks(region).send(
      new DescribeNodegroupCommand({ clusterName, nodegroupName: group.name }),
    );
    expect(nodegroup).toEqual(
      expect.objectContaining({
        status: 'ACTIVE',
        version: spec.cluster.kubernetesVersion,
        instanceTypes: group.instanceTypes,
        capacityType: group.spot ? 'SPOT' : 'ON_DEMAND',
        scalingConfig: {
          minSize: sizes[group.name].min,
          desiredSize: sizes[group.name].desired,
          maxSize: group.maxSize,
        },
        labels: group.labels,
        taints: group.taints.map((t) => ({
          key: t.key,
          value: t.value,
          effect: t.effect === 'NoSchedule' ? 'NO_SCHEDULE' : t.effect,
        })),
        subnets: outputs[clusterId].privateSubnetIds,
        nodeRole: outputs[clusterId].nodeRoleArn,
      }),
    );
    const { LaunchTemplateVersions } = await ec2(region).send(
      new DescribeLaunchTemplateVersionsCommand({
        LaunchTemplateId: nodegroup!.launchTemplate!.id,
        Versions: ['$Default'],
      }),
    );
    const data = LaunchTemplateVersions![0].LaunchTemplateData!;
    expect(data.BlockDeviceMappings![0].Ebs).toEqual(
      expect.objectContaining({
        VolumeSize: group.volume.sizeGiB,
        VolumeType: group.volume.type,
        Encrypted: group.volume.encrypted,
      }),
    );
    expect(data.MetadataOptions).toEqual(expect.objectContaining({ HttpTokens: 'required' }));
    // The node group runs the template's current version, and carries lp-infra's tags.
    expect(nodegroup!.launchTemplate!.version).toBe(String(LaunchTemplateVersions![0].VersionNumber));
    expect(nodegroup!.tags).toEqual(expect.objectContaining({ [TAG_COMPONENT]: id }));
  }
}

// ---------------------------------------------------------------- the run

beforeAll(async () => {
  stopCloud = (await startCloud()).stop;
});

afterAll(async () => {
  console.log(
    `apply seconds against moto (first, second):\n${Object.entries(applySeconds)
      .map(([id, seconds]) => `  ${id}: ${seconds.map((s) => s.toFixed(1)).join(', ')}`)
      .join('\n')}`,
  );
  await stopCloud?.();
});

describe('the foundation components on moto', () => {
  const primarySizes = Object.fromEntries(
    spec.cluster.nodeGroups.map((g) => [g.name, { min: g.minSize, desired: g.desiredSize }]),
  );
  const standbySizes = Object.fromEntries(
    spec.regions.secondary.standby.nodeGroups.map((g) => [
      g.name,
      { min: g.minSize, desired: g.desiredSize },
    ]),
  );

  test('network: VPC, subnets per zone, a NAT gateway per zone, routes, security groups', async () => {
    await build('network');
    await checkNetwork('network', spec.network, primary, spec.cluster.name);
  });

  test('secondary/network: the same in the secondary region, from its own section', async () => {
    await build('secondary/network');
    await checkNetwork(
      'secondary/network',
      spec.regions.secondary.network,
      secondary,
      spec.regions.secondary.clusterName,
    );
  });

  test('kms: the keys of each region under their aliases, rotating', async () => {
    await build('kms');
    await build('secondary/kms');
    await checkKeys('kms', primary, ['lp-database', 'lp-s3']);
    await checkKeys('secondary/kms', secondary, ['lp-database-replica']);
  });

  test('cluster: roles, the EKS control plane, OIDC provider; add-ons listed as not emulated', async () => {
    const plan = await driver(request('cluster')).plan(request('cluster'), silentProgress);
    expect(plan.notEmulated).toEqual(
      expect.arrayContaining([
        expect.stringContaining('install EKS add-ons vpc-cni, coredns, kube-proxy, aws-ebs-csi-driver'),
      ]),
    );
    await build('cluster');
    await checkCluster('cluster', 'network', primary, spec.cluster.name);
  });

  test('node-groups: instance types, scaling, spot, labels, taints, volumes', async () => {
    await build('node-groups');
    await checkNodeGroups('node-groups', 'cluster', primary, primarySizes);
  });

  test('secondary cluster and node groups: the standby sizes', async () => {
    await build('secondary/cluster');
    await checkCluster(
      'secondary/cluster',
      'secondary/network',
      secondary,
      spec.regions.secondary.clusterName,
    );
    await build('secondary/node-groups');
    await checkNodeGroups('secondary/node-groups', 'secondary/cluster', secondary, {
      ...primarySizes,
      ...standbySizes,
    });
  });

  test('dns: a stand-in for the zone that comes with the domain, said so in the plan', async () => {
    const plan = await driver(request('dns')).plan(request('dns'), silentProgress);
    expect(plan.notEmulated).toEqual([
      expect.stringContaining(`look up the existing hosted zone ${spec.dns.zone}`),
    ]);
    const out = await build('dns');
    const { HostedZone } = await awsClient(Route53Client, primary).send(
      new GetHostedZoneCommand({ Id: String(out.zoneId) }),
    );
    expect(HostedZone?.Name).toBe(`${spec.dns.zone}.`);
    expect(out.zoneName).toBe(spec.dns.zone);
  });

  test('certificate: requested in us-east-1, validated through the zone, ISSUED', async () => {
    const out = await build('certificate');
    const acm = awsClient(ACMClient, primary);
    const { Certificate } = await acm.send(
      new DescribeCertificateCommand({ CertificateArn: String(out.certificateArn) }),
    );
    expect(Certificate).toEqual(
      expect.objectContaining({ DomainName: spec.cdn.viewerCertificate.domainName, Status: 'ISSUED' }),
    );
    expect(String(out.certificateArn)).toContain(':us-east-1:');
    const record = Certificate!.DomainValidationOptions![0].ResourceRecord!;
    const { ResourceRecordSets } = await awsClient(Route53Client, primary).send(
      new ListResourceRecordSetsCommand({ HostedZoneId: String(outputs.dns.zoneId) }),
    );
    expect(ResourceRecordSets).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Name: record.Name,
          Type: 'CNAME',
          ResourceRecords: [{ Value: record.Value }],
        }),
      ]),
    );
  });

  test('a second apply of every component changes nothing and makes nothing', async () => {
    const before = await inventory();
    expect(countOf(before, 'vpc')).toBe(2);
    expect(countOf(before, 'nat-gateway')).toBe(6);
    expect(countOf(before, 'eks-cluster')).toBe(2);
    expect(countOf(before, 'kms-key')).toBe(3);
    for (const id of buildOrder) {
      const started = Date.now();
      const applied = await driver(request(id)).apply(request(id), silentProgress);
      applySeconds[id].push((Date.now() - started) / 1000);
      expect({ id, changed: changeCount(applied.changes) }).toEqual({ id, changed: 0 });
      expect(applied.outputs).toEqual(outputs[id]);
    }
    expect(await inventory()).toEqual(before);
  });

  test('drift: a change made outside lp-infra shows in a refresh, and the next apply puts it back', async () => {
    const network = outputs.network;
    const [publicSubnet] = network.publicSubnetIds as string[];
    await ec2(primary).send(
      new ModifySubnetAttributeCommand({ SubnetId: publicSubnet, MapPublicIpOnLaunch: { Value: false } }),
    );
    const [databaseRule] = (await ingressRules(String(network.databaseSecurityGroupId), primary)).filter(
      (r) => !r.IsEgress,
    );
    await ec2(primary).send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: String(network.databaseSecurityGroupId),
        SecurityGroupRuleIds: [databaseRule.SecurityGroupRuleId!],
      }),
    );
    const system = spec.cluster.nodeGroups[0];
    const { nodegroup } = await eks(primary).send(
      new DescribeNodegroupCommand({ clusterName: spec.cluster.name, nodegroupName: system.name }),
    );
    await eks(primary).send(
      new UntagResourceCommand({ resourceArn: nodegroup!.nodegroupArn, tagKeys: [TAG_COMPONENT] }),
    );
    await eks(primary).send(
      new UpdateNodegroupConfigCommand({
        clusterName: spec.cluster.name,
        nodegroupName: system.name,
        scalingConfig: {
          minSize: system.minSize,
          desiredSize: system.desiredSize,
          maxSize: system.maxSize + 5,
        },
      }),
    );

    expect((await refresh('network')).changes).toEqual(expect.objectContaining({ update: 1, delete: 1 }));
    expect((await refresh('node-groups')).changes).toEqual(expect.objectContaining({ update: 1 }));
    const plan = await driver(request('network')).plan(request('network'), silentProgress);
    expect(plan.changes).toEqual(expect.objectContaining({ create: 1, update: 1, replace: 0, delete: 0 }));

    for (const id of ['network', 'node-groups']) {
      const applied = await driver(request(id)).apply(request(id), silentProgress);
      expect(applied.outputs).toEqual(outputs[id]);
    }
    await checkNetwork('network', spec.network, primary, spec.cluster.name);
    await checkNodeGroups('node-groups', 'cluster', primary, primarySizes);
  });

  test('a changed spec is applied in place: one NAT gateway, fewer log types, new node settings, no rotation', async () => {
    // A fresh copy (structuredClone would make arrays of another realm under jest, which Pulumi serializes as objects).
    const changedSpec = localSpec();
    changedSpec.network.natGateway = 'single';
    changedSpec.cluster.controlPlaneLogging = ['api', 'audit'];
    const system = changedSpec.cluster.nodeGroups[0];
    Object.assign(system, {
      desiredSize: 4,
      labels: { role: 'system', tier: 'core' },
      taints: [],
      volume: { ...system.volume, sizeGiB: system.volume.sizeGiB + 20 },
    });
    changedSpec.kms.keys.find((key) => key.alias === 'lp-s3')!.enableKeyRotation = false;

    const applied: Record<string, ChangeSummary> = {};
    for (const id of ['network', 'cluster', 'node-groups', 'kms']) {
      const result = await driver(request(id, changedSpec)).apply(request(id, changedSpec), silentProgress);
      applied[id] = result.changes;
      outputs[id] = result.outputs;
    }
    // Two NAT gateways and their addresses go; two private route tables turn to the one left.
    expect(applied.network).toEqual(expect.objectContaining({ create: 0, update: 2, replace: 0, delete: 4 }));
    expect(applied.cluster).toEqual(expect.objectContaining({ create: 0, update: 1, replace: 0, delete: 0 }));
    // The system group's launch template gets a new version, and the group rolls to it.
    expect(applied['node-groups']).toEqual(
      expect.objectContaining({ create: 0, update: 2, replace: 0, delete: 0 }),
    );
    expect(applied.kms).toEqual(expect.objectContaining({ create: 0, update: 1, replace: 0, delete: 0 }));

    const [nat] = outputs.network.natGatewayIds as string[];
    expect(outputs.network.natGatewayIds).toHaveLength(1);
    const { RouteTables } = await ec2(primary).send(
      new DescribeRouteTablesCommand({
        Filters: [{ Name: 'vpc-id', Values: [String(outputs.network.vpcId)] }],
      }),
    );
    for (const subnetId of outputs.network.privateSubnetIds as string[]) {
      const table = RouteTables!.find((t) => t.Associations?.some((a) => a.SubnetId === subnetId))!;
      expect(table.Routes!.find((r) => r.DestinationCidrBlock === '0.0.0.0/0')?.NatGatewayId).toBe(nat);
    }
    const { cluster } = await eks(primary).send(new DescribeClusterCommand({ name: spec.cluster.name }));
    expect(cluster!.logging!.clusterLogging).toEqual([
      { types: ['api', 'audit'], enabled: true },
      { types: ['authenticator', 'controllerManager', 'scheduler'], enabled: false },
    ]);
    const { nodegroup } = await eks(primary).send(
      new DescribeNodegroupCommand({ clusterName: spec.cluster.name, nodegroupName: system.name }),
    );
    expect(nodegroup).toEqual(
      expect.objectContaining({
        scalingConfig: expect.objectContaining({ desiredSize: 4 }),
        labels: { role: 'system', tier: 'core' },
        taints: [],
      }),
    );
    const { LaunchTemplateVersions } = await ec2(primary).send(
      new DescribeLaunchTemplateVersionsCommand({
        LaunchTemplateId: nodegroup!.launchTemplate!.id,
        Versions: [nodegroup!.launchTemplate!.version!],
      }),
    );
    expect(LaunchTemplateVersions![0].LaunchTemplateData!.BlockDeviceMappings![0].Ebs!.VolumeSize).toBe(
      system.volume.sizeGiB,
    );
    const kms = awsClient(KMSClient, primary);
    const rotation = await kms.send(
      new GetKeyRotationStatusCommand({ KeyId: String(outputs.kms['key:lp-s3']) }),
    );
    expect(rotation.KeyRotationEnabled).toBe(false);
    for (const id of ['network', 'cluster', 'node-groups', 'kms']) {
      const again = await driver(request(id, changedSpec)).plan(request(id, changedSpec), silentProgress);
      expect({ id, changed: changeCount(again.changes) }).toEqual({ id, changed: 0 });
    }
  });

  test('a create retried after it succeeded finds what it made instead of making another', async () => {
    const ctx = handlerContext(primary);
    const tags = { ...ownershipTags(environment, 'retry'), Name: `${environment}-retry` };
    const kinds = [
      ['aws:vpc', { cidrBlock: '10.9.0.0/16', enableDnsSupport: true, enableDnsHostnames: true, tags }],
      ['aws:elastic-ip', { tags }],
      [
        'aws:kms-key',
        { alias: 'lp-retry', description: 'retry', enableKeyRotation: true, deletionWindowDays: 7, tags },
      ],
      ['aws:route53-zone', { name: 'retry.lp-system.com', manage: true, comment: 'lp-infra retry', tags }],
      ['aws:acm-certificate', { domainName: 'retry.lp-system.com', subjectAlternativeNames: [], tags }],
    ] as const;
    for (const [kind, props] of kinds) {
      const handler = handlerFor(kind);
      const first = await handler.create(props, ctx);
      const second = await handler.create(props, ctx);
      expect({ kind, id: second.id }).toEqual({ kind, id: first.id });
      await handler.delete(first.id, { props, outs: first.outs }, ctx);
    }
    expect((await inventory()).filter((item) => item.includes('retry'))).toEqual([]);
  });

  test('destroy, in reverse order and without inputs as the workflow runs it, leaves nothing tagged', async () => {
    for (const id of [...buildOrder].reverse()) {
      await driver(request(id)).destroy({ ...request(id), inputs: {} }, silentProgress);
    }
    expect(await inventory()).toEqual([]);
    const kms = awsClient(KMSClient, primary);
    const { KeyMetadata } = await kms.send(
      new DescribeKeyCommand({ KeyId: String(outputs.kms['key:lp-database']) }),
    );
    expect(KeyMetadata).toEqual(expect.objectContaining({ KeyState: 'PendingDeletion' }));
  });
});
