import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeClusterCommand,
  UpdateClusterConfigCommand,
  UpdateClusterVersionCommand,
  waitUntilClusterActive,
  waitUntilClusterDeleted,
  type Cluster,
  type LogType,
  type Logging,
} from '@aws-sdk/client-eks';
import { isDeepStrictEqual } from 'node:util';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { skipNotEmulated } from '../support/emulator';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { waiterFor } from '../support/poll';
import { sameMembers } from '../support/same-members';
import { TAG_ENVIRONMENT } from '../tags';
import { eks, notFound, updateEksTags } from './eks-client';
import type { AwsGrant } from '../permissions/grants';

/** An EKS control plane. Creating or changing it waits until it is ACTIVE again. */
export interface EksClusterProps {
  name: string;
  version: string;
  roleArn: string;
  subnetIds: string[];
  /** Extra security groups for the control plane's network interfaces. */
  securityGroupIds: string[];
  endpointPrivateAccess: boolean;
  endpointPublicAccess: boolean;
  publicAccessCidrs: string[];
  /** Control-plane log types sent to CloudWatch Logs; the others are off. */
  logTypes: string[];
  tags: Record<string, string>;
}

export interface EksClusterOuts {
  arn: string;
  endpoint: string;
  certificateAuthority: string;
  oidcIssuer: string;
  /** The security group EKS makes for the cluster; managed nodes carry it. */
  clusterSecurityGroupId: string;
}

export const allLogTypes: LogType[] = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

export async function describeCluster(name: string, ctx: HandlerContext): Promise<Cluster | undefined> {
  return (await unlessMissing(eks(ctx).send(new DescribeClusterCommand({ name })), notFound))?.cluster;
}

function logging(logTypes: string[]): Logging {
  const off = allLogTypes.filter((type) => !logTypes.includes(type));
  return {
    clusterLogging: [
      ...(logTypes.length ? [{ types: logTypes as LogType[], enabled: true }] : []),
      ...(off.length ? [{ types: off, enabled: false }] : []),
    ],
  };
}

const enabledLogTypes = (cluster: Cluster) =>
  (cluster.logging?.clusterLogging ?? [])
    .filter((entry) => entry.enabled)
    .flatMap((entry) => entry.types ?? []);

function propsOf(cluster: Cluster, current: EksClusterProps): EksClusterProps {
  const vpc = cluster.resourcesVpcConfig ?? {};
  return {
    name: cluster.name ?? current.name,
    version: cluster.version ?? '',
    roleArn: cluster.roleArn ?? '',
    subnetIds: sameMembers(vpc.subnetIds ?? [], current.subnetIds),
    securityGroupIds: sameMembers(vpc.securityGroupIds ?? [], current.securityGroupIds),
    endpointPrivateAccess: vpc.endpointPrivateAccess ?? false,
    endpointPublicAccess: vpc.endpointPublicAccess ?? false,
    // The CIDR list means nothing while the public endpoint is off; AWS may still report one.
    publicAccessCidrs: vpc.endpointPublicAccess
      ? sameMembers(vpc.publicAccessCidrs ?? [], current.publicAccessCidrs)
      : current.publicAccessCidrs,
    logTypes: sameMembers(enabledLogTypes(cluster), current.logTypes),
    tags: cluster.tags ?? {},
  };
}

function outsOf(cluster: Cluster): EksClusterOuts {
  return {
    arn: cluster.arn ?? '',
    endpoint: cluster.endpoint ?? '',
    certificateAuthority: cluster.certificateAuthority?.data ?? '',
    oidcIssuer: cluster.identity?.oidc?.issuer ?? '',
    clusterSecurityGroupId: cluster.resourcesVpcConfig?.clusterSecurityGroupId ?? '',
  };
}

async function untilActive(name: string, ctx: HandlerContext): Promise<Cluster> {
  await waitUntilClusterActive(waiterFor(eks(ctx), 30), { name });
  const cluster = await describeCluster(name, ctx);
  if (!cluster) throw new Error(`EKS cluster ${name} disappeared`);
  return cluster;
}

const endpointAccess = (props: EksClusterProps) => ({
  endpointPrivateAccess: props.endpointPrivateAccess,
  endpointPublicAccess: props.endpointPublicAccess,
  ...(props.endpointPublicAccess ? { publicAccessCidrs: props.publicAccessCidrs } : {}),
});

/** EKS runs one update at a time: each one is waited for before the next. */
async function converge(props: EksClusterProps, ctx: HandlerContext): Promise<Cluster> {
  let cluster = await untilActive(props.name, ctx);
  let now = propsOf(cluster, props);
  if (
    now.version !== props.version &&
    !skipNotEmulated(ctx, `upgrade EKS cluster ${props.name} to ${props.version}`)
  ) {
    await eks(ctx).send(new UpdateClusterVersionCommand({ name: props.name, version: props.version }));
    cluster = await untilActive(props.name, ctx);
  }
  const access = (p: EksClusterProps) => [
    p.endpointPrivateAccess,
    p.endpointPublicAccess,
    p.publicAccessCidrs,
  ];
  if (!isDeepStrictEqual(access(now), access(props))) {
    await eks(ctx).send(
      new UpdateClusterConfigCommand({ name: props.name, resourcesVpcConfig: endpointAccess(props) }),
    );
    cluster = await untilActive(props.name, ctx);
  }
  if (!isDeepStrictEqual(now.logTypes, props.logTypes)) {
    await eks(ctx).send(
      new UpdateClusterConfigCommand({ name: props.name, logging: logging(props.logTypes) }),
    );
    cluster = await untilActive(props.name, ctx);
  }
  now = propsOf(cluster, props);
  await updateEksTags(cluster.arn ?? '', now.tags, props.tags, ctx);
  return cluster;
}

export const eksCluster: ResourceHandler<EksClusterProps, EksClusterOuts> = {
  async create(props, ctx) {
    const existing = await describeCluster(props.name, ctx);
    const environment = props.tags[TAG_ENVIRONMENT];
    if (existing && existing.tags?.[TAG_ENVIRONMENT] !== environment) {
      throw new Error(`EKS cluster ${props.name} exists and does not belong to environment ${environment}`);
    }
    if (!existing) {
      await eks(ctx).send(
        new CreateClusterCommand({
          name: props.name,
          version: props.version,
          roleArn: props.roleArn,
          resourcesVpcConfig: {
            subnetIds: props.subnetIds,
            securityGroupIds: props.securityGroupIds,
            ...endpointAccess(props),
          },
          logging: logging(props.logTypes),
          tags: props.tags,
        }),
      );
    }
    ctx.made?.(props.name);
    return { id: props.name, outs: outsOf(await converge(props, ctx)) };
  },

  async read(id, current, ctx) {
    const cluster = await describeCluster(id, ctx);
    return cluster && { props: propsOf(cluster, current.props), outs: outsOf(cluster) };
  },

  async update(_id, _current, news, ctx) {
    return outsOf(await converge(news, ctx));
  },

  async delete(id, _current, ctx) {
    const cluster = await describeCluster(id, ctx);
    if (!cluster) return;
    if (cluster.status === 'CREATING' || cluster.status === 'UPDATING') await untilActive(id, ctx);
    await ignoreMissing(eks(ctx).send(new DeleteClusterCommand({ name: id })), notFound);
    await waitUntilClusterDeleted(waiterFor(eks(ctx), 30), { name: id });
  },

  replaceOnChanges: ['name', 'roleArn', 'subnetIds', 'securityGroupIds'],
  deleteBeforeReplace: true,
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['eks:DescribeCluster'] },
  { actions: ['eks:CreateCluster'], on: ['cluster'], when: 'created' },
  {
    actions: ['eks:UpdateClusterVersion', 'eks:UpdateClusterConfig', 'eks:DeleteCluster'],
    when: 'tagged',
  },
  {
    actions: ['iam:PassRole'],
    when: 'tagged',
    implied: 'CreateCluster hands EKS the cluster role',
  },
  {
    actions: ['iam:CreateServiceLinkedRole'],
    on: ['service-linked-role'],
    condition: { StringEquals: { 'iam:AWSServiceName': 'eks.amazonaws.com' } },
    implied: "the first cluster of an account makes EKS's service-linked role",
  },
];
