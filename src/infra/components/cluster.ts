import type { ComponentRequest, OutputName, OutputsByKind } from './contract';
import { describeCluster } from '../aws/eks/cluster';
import { handlerContext } from '../aws/handler-context';
import { HandlerResource } from '../handler-resource';
import { addonRoleArn, clusterRoles, type ClusterScope } from './cluster-iam';
import { logTypesOf, publicAccessCidrsOf } from './cluster-settings';
import { postgresPort, tcpIngress } from './network-security';
import { pulumiDriver, type ProgramOutputs } from './pulumi-driver';
import { clusterNameOf } from './regional-values';
import { dependencyOutput, regionOf, resourceTags, sameRegion } from './request-values';

/**
 * The EKS control plane of one region with its IAM roles (the cluster's, and the nodes'
 * that the node groups use), the IAM OIDC provider for service account roles, the
 * add-ons, and the database and cache ingress from the security group EKS gives the
 * nodes. Everything but the name follows the primary's cluster section.
 */
function program(request: ComponentRequest<'cluster'>) {
  const spec = request.spec.cluster;
  const scope: ClusterScope = {
    region: regionOf(request),
    name: clusterNameOf(request),
    tags: resourceTags(request),
  };
  const { region, name, tags } = scope;
  const network = sameRegion(request, 'network');
  const fromNetwork = <Name extends OutputName<'network'>>(key: Name) =>
    dependencyOutput(request, network, key);
  const roles = clusterRoles(scope, spec);
  const privateSubnetIds = fromNetwork('privateSubnetIds');

  const cluster = new HandlerResource('aws:eks-cluster', 'cluster', {
    region,
    props: {
      name,
      version: spec.kubernetesVersion,
      roleArn: roles.cluster.outs.apply((outs) => outs.arn),
      subnetIds: [...privateSubnetIds, ...fromNetwork('publicSubnetIds')],
      securityGroupIds: [fromNetwork('clusterSecurityGroupId')],
      endpointPrivateAccess: spec.endpointAccess.private,
      endpointPublicAccess: spec.endpointAccess.public,
      publicAccessCidrs: publicAccessCidrsOf(spec),
      logTypes: logTypesOf(spec),
      tags,
    },
  });
  const issuer = cluster.outs.apply((outs) => outs.oidcIssuer);
  const providerArn = spec.iam.withOidc
    ? new HandlerResource('aws:iam-oidc-provider', 'oidc-provider', {
        region,
        props: { url: issuer, clientIds: ['sts.amazonaws.com'], tags },
      }).outs.apply((outs) => outs.arn)
    : undefined;

  for (const addon of spec.addons) {
    new HandlerResource('aws:eks-addon', `addon-${addon.name}`, {
      region,
      props: {
        clusterName: cluster.id,
        addonName: addon.name,
        version: addon.version,
        serviceAccountRoleArn: addonRoleArn(scope, addon.name, providerArn && { providerArn, issuer }),
        tags,
      },
    });
  }

  // Managed nodes carry the security group EKS makes for the cluster, not the network's.
  const nodeSecurityGroup = cluster.outs.apply((outs) => outs.clusterSecurityGroupId);
  const fromNodes = (
    rule: string,
    group: 'databaseSecurityGroupId' | 'cacheSecurityGroupId',
    port: number,
    description: string,
  ) =>
    tcpIngress(
      region,
      {
        name: rule,
        securityGroupId: fromNetwork(group),
        port,
        source: nodeSecurityGroup,
        description,
      },
      { ...tags, Name: `${name}-${rule}` },
    );
  fromNodes('database-from-nodes', 'databaseSecurityGroupId', postgresPort, 'PostgreSQL from EKS nodes');
  fromNodes('cache-from-nodes', 'cacheSecurityGroupId', request.spec.cache.port, 'Redis from EKS nodes');

  return {
    clusterName: cluster.id,
    clusterArn: cluster.outs.apply((outs) => outs.arn),
    endpoint: cluster.outs.apply((outs) => outs.endpoint),
    certificateAuthority: cluster.outs.apply((outs) => outs.certificateAuthority),
    oidcProviderArn: providerArn ?? '',
    nodeRoleArn: roles.node.outs.apply((outs) => outs.arn),
    // For the node groups, which depend on the cluster only.
    privateSubnetIds,
    kubernetesVersion: spec.kubernetesVersion,
    nodeSecurityGroupId: nodeSecurityGroup,
  } satisfies ProgramOutputs<'cluster'>;
}

/** Steps the emulator cannot do for this component (docs/emulation.md). */
function notEmulated(request: ComponentRequest<'cluster'>): string[] {
  const name = clusterNameOf(request);
  const addons = request.spec.cluster.addons.map((addon) => addon.name);
  return [
    ...(addons.length
      ? [`install EKS add-ons ${addons.join(', ')} on ${name} (the emulator has no add-on API)`]
      : []),
    `database and cache ingress from the security group EKS makes for ${name}'s nodes (the emulator's EKS makes none)`,
    `Kubernetes version upgrades of ${name} (UpdateClusterVersion), when cluster.kubernetesVersion changes`,
  ];
}

/** One look: is the control plane ACTIVE? */
async function ready(request: ComponentRequest<'cluster'>, outputs: OutputsByKind['cluster']) {
  const name = String(outputs.clusterName ?? clusterNameOf(request));
  const cluster = await describeCluster(name, handlerContext(regionOf(request)));
  const status = cluster?.status ?? 'missing';
  if (status === 'FAILED')
    throw new Error(`EKS cluster ${name} FAILED: ${JSON.stringify(cluster?.health ?? {})}`);
  return { ready: status === 'ACTIVE', detail: `EKS cluster ${name} is ${status}` };
}

export const clusterDriver = pulumiDriver<'cluster'>({ program, notEmulated, ready });
