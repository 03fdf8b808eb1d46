import {
  CreateNodegroupCommand,
  DeleteNodegroupCommand,
  DescribeNodegroupCommand,
  UpdateNodegroupConfigCommand,
  UpdateNodegroupVersionCommand,
  waitUntilNodegroupActive,
  waitUntilNodegroupDeleted,
  type Nodegroup,
  type Taint,
  type TaintEffect,
} from '@aws-sdk/client-eks';
import { isDeepStrictEqual } from 'node:util';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { waiterFor } from '../support/poll';
import { sameMembers } from '../support/same-members';
import { TAG_ENVIRONMENT } from '../tags';
import { eks, notFound, updateEksTags } from './eks-client';
import { ec2TagOnCreate, type AwsGrant } from '../permissions/grants';

/**
 * An EKS managed node group on a launch template (root volume, metadata options).
 * Creating it does not wait for its nodes: the component's readiness check does, between
 * durable timers. Changes wait until the group is ACTIVE, since EKS runs one at a time.
 */
export interface NodeGroupProps {
  clusterName: string;
  nodegroupName: string;
  nodeRoleArn: string;
  subnetIds: string[];
  /** Kubernetes version of the nodes: the cluster's. */
  version: string;
  instanceTypes: string[];
  capacityType: 'ON_DEMAND' | 'SPOT';
  scaling: { minSize: number; desiredSize: number; maxSize: number };
  launchTemplateId: string;
  launchTemplateVersion: string;
  labels: Record<string, string>;
  /** Effects as EKS writes them: NO_SCHEDULE, PREFER_NO_SCHEDULE, NO_EXECUTE. */
  taints: NodeTaint[];
  tags: Record<string, string>;
}

export interface NodeTaint {
  key: string;
  value: string;
  effect: TaintEffect;
}

export interface NodeGroupOuts {
  arn: string;
}

export const nodeGroupId = (clusterName: string, nodegroupName: string) => `${clusterName}/${nodegroupName}`;

function parseId(id: string) {
  const [clusterName, nodegroupName] = id.split('/');
  return { clusterName, nodegroupName };
}

export async function describeNodeGroup(clusterName: string, nodegroupName: string, ctx: HandlerContext) {
  const found = await unlessMissing(
    eks(ctx).send(new DescribeNodegroupCommand({ clusterName, nodegroupName })),
    notFound,
  );
  return found?.nodegroup;
}

const taintsOf = (taints: Taint[] | undefined): NodeTaint[] =>
  (taints ?? []).map((taint) => ({
    key: taint.key ?? '',
    value: taint.value ?? '',
    effect: taint.effect ?? 'NO_SCHEDULE',
  }));
const taintKey = (taint: NodeTaint) => `${taint.key}=${taint.value}:${taint.effect}`;

function sameTaints(actual: NodeTaint[], wanted: NodeTaint[]): NodeTaint[] {
  const wantedKeys = wanted.map(taintKey);
  return sameMembers(actual.map(taintKey), wantedKeys) === wantedKeys ? wanted : actual;
}

/**
 * The desired size is the cluster autoscaler's to change within min and max, so a
 * desired size inside the bounds reads as the spec's; outside them it is drift.
 */
function scalingOf(group: Nodegroup, current: NodeGroupProps) {
  const minSize = group.scalingConfig?.minSize ?? 0;
  const maxSize = group.scalingConfig?.maxSize ?? 0;
  const actual = group.scalingConfig?.desiredSize ?? 0;
  const withinBounds = actual >= minSize && actual <= maxSize;
  return { minSize, desiredSize: withinBounds ? current.scaling.desiredSize : actual, maxSize };
}

function propsOf(group: Nodegroup, current: NodeGroupProps): NodeGroupProps {
  return {
    ...current,
    nodeRoleArn: group.nodeRole ?? '',
    subnetIds: sameMembers(group.subnets ?? [], current.subnetIds),
    version: group.version ?? '',
    instanceTypes: group.instanceTypes ?? [],
    capacityType: (group.capacityType as NodeGroupProps['capacityType']) ?? 'ON_DEMAND',
    scaling: scalingOf(group, current),
    launchTemplateId: group.launchTemplate?.id ?? '',
    launchTemplateVersion: group.launchTemplate?.version ?? '',
    labels: group.labels ?? {},
    taints: sameTaints(taintsOf(group.taints), current.taints),
    tags: group.tags ?? {},
  };
}

function labelChanges(now: Record<string, string>, wanted: Record<string, string>) {
  const removeLabels = Object.keys(now).filter((key) => !(key in wanted));
  return {
    ...(Object.keys(wanted).length ? { addOrUpdateLabels: wanted } : {}),
    ...(removeLabels.length ? { removeLabels } : {}),
  };
}

function taintChanges(now: NodeTaint[], wanted: NodeTaint[]) {
  const removeTaints = now.filter(
    (taint) => !wanted.some((t) => t.key === taint.key && t.effect === taint.effect),
  );
  return {
    ...(wanted.length ? { addOrUpdateTaints: wanted } : {}),
    ...(removeTaints.length ? { removeTaints } : {}),
  };
}

async function untilActive(
  clusterName: string,
  nodegroupName: string,
  ctx: HandlerContext,
): Promise<Nodegroup> {
  await waitUntilNodegroupActive(waiterFor(eks(ctx), 30), { clusterName, nodegroupName });
  const group = await describeNodeGroup(clusterName, nodegroupName, ctx);
  if (!group) throw new Error(`node group ${nodegroupName} of ${clusterName} disappeared`);
  return group;
}

async function converge(props: NodeGroupProps, ctx: HandlerContext): Promise<Nodegroup> {
  const { clusterName, nodegroupName } = props;
  let group = await untilActive(clusterName, nodegroupName, ctx);
  const now = propsOf(group, props);
  const scaling = {
    minSize: group.scalingConfig?.minSize,
    desiredSize: group.scalingConfig?.desiredSize,
    maxSize: group.scalingConfig?.maxSize,
  };
  const update = {
    ...(isDeepStrictEqual(scaling, props.scaling) ? {} : { scalingConfig: props.scaling }),
    ...(isDeepStrictEqual(now.labels, props.labels)
      ? {}
      : { labels: labelChanges(now.labels, props.labels) }),
    ...(isDeepStrictEqual(now.taints, props.taints)
      ? {}
      : { taints: taintChanges(now.taints, props.taints) }),
  };
  if (Object.keys(update).length) {
    await eks(ctx).send(new UpdateNodegroupConfigCommand({ clusterName, nodegroupName, ...update }));
    group = await untilActive(clusterName, nodegroupName, ctx);
  }
  const versionChanged =
    now.version !== props.version || now.launchTemplateVersion !== props.launchTemplateVersion;
  if (versionChanged) {
    await eks(ctx).send(
      new UpdateNodegroupVersionCommand({
        clusterName,
        nodegroupName,
        version: props.version,
        launchTemplate: { id: props.launchTemplateId, version: props.launchTemplateVersion },
      }),
    );
    group = await untilActive(clusterName, nodegroupName, ctx);
  }
  const tagsChanged = !isDeepStrictEqual(now.tags, props.tags);
  if (tagsChanged) {
    await updateEksTags(group.nodegroupArn ?? '', now.tags, props.tags, ctx);
  }
  return group;
}

export const nodeGroup: ResourceHandler<NodeGroupProps, NodeGroupOuts> = {
  async create(props, ctx) {
    const { clusterName, nodegroupName } = props;
    const existing = await describeNodeGroup(clusterName, nodegroupName, ctx);
    const environment = props.tags[TAG_ENVIRONMENT];
    if (existing && existing.tags?.[TAG_ENVIRONMENT] !== environment) {
      throw new Error(
        `node group ${nodegroupName} of ${clusterName} does not belong to environment ${environment}`,
      );
    }
    const group =
      existing ??
      (
        await eks(ctx).send(
          new CreateNodegroupCommand({
            clusterName,
            nodegroupName,
            nodeRole: props.nodeRoleArn,
            subnets: props.subnetIds,
            version: props.version,
            instanceTypes: props.instanceTypes,
            capacityType: props.capacityType,
            scalingConfig: props.scaling,
            launchTemplate: { id: props.launchTemplateId, version: props.launchTemplateVersion },
            labels: props.labels,
            taints: props.taints,
            tags: props.tags,
          }),
        )
      ).nodegroup;
    return { id: nodeGroupId(clusterName, nodegroupName), outs: { arn: group?.nodegroupArn ?? '' } };
  },

  async read(id, current, ctx) {
    const { clusterName, nodegroupName } = parseId(id);
    const group = await describeNodeGroup(clusterName, nodegroupName, ctx);
    return group && { props: propsOf(group, current.props), outs: { arn: group.nodegroupArn ?? '' } };
  },

  async update(_id, _current, news, ctx) {
    const group = await converge(news, ctx);
    return { arn: group.nodegroupArn ?? '' };
  },

  async delete(id, _current, ctx) {
    const { clusterName, nodegroupName } = parseId(id);
    const group = await describeNodeGroup(clusterName, nodegroupName, ctx);
    if (!group) return;
    if (group.status === 'CREATING' || group.status === 'UPDATING') {
      // A group that fails to come up can be deleted too; only a busy one cannot.
      await waitUntilNodegroupActive(waiterFor(eks(ctx), 30), { clusterName, nodegroupName }).catch(
        () => undefined,
      );
    }
    await ignoreMissing(eks(ctx).send(new DeleteNodegroupCommand({ clusterName, nodegroupName })), notFound);
    await waitUntilNodegroupDeleted(waiterFor(eks(ctx), 30), { clusterName, nodegroupName });
  },

  replaceOnChanges: [
    'clusterName',
    'nodegroupName',
    'nodeRoleArn',
    'subnetIds',
    'instanceTypes',
    'capacityType',
    'launchTemplateId',
  ],
  deleteBeforeReplace: true,
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['eks:DescribeNodegroup'] },
  { actions: ['eks:CreateNodegroup'], on: ['cluster'], when: 'created-in-tagged' },
  { actions: ['eks:CreateNodegroup'], on: ['nodegroup'], when: 'created' },
  {
    actions: ['eks:UpdateNodegroupConfig', 'eks:UpdateNodegroupVersion', 'eks:DeleteNodegroup'],
    when: 'tagged',
  },
  {
    actions: ['iam:PassRole'],
    when: 'tagged',
    implied: 'CreateNodegroup hands EKS the node role',
  },
  {
    actions: ['iam:CreateServiceLinkedRole'],
    on: ['service-linked-role'],
    condition: { StringEquals: { 'iam:AWSServiceName': 'eks-nodegroup.amazonaws.com' } },
    implied: "the first node group of an account makes EKS's node group service-linked role",
  },
  // EKS checks that the caller may launch instances from the node group's launch template.
  {
    actions: ['ec2:RunInstances'],
    on: ['instance', 'volume', 'network-interface'],
    when: 'created',
    implied: "EKS's check of the launch template",
  },
  {
    actions: ['ec2:RunInstances'],
    when: 'tagged',
    implied: "EKS's check of the launch template",
  },
  {
    actions: ['ec2:RunInstances'],
    on: ['image', 'security-group'],
    implied: "EKS's check of the launch template (the EKS AMI, the cluster's own security group)",
  },
  {
    ...ec2TagOnCreate('RunInstances'),
    on: ['instance', 'volume', 'network-interface'],
    implied: "EKS's check of the launch template (its tag specifications)",
  },
];
