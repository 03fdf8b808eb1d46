import {
  AddTagsToResourceCommand,
  CreateReplicationGroupCommand,
  DecreaseReplicaCountCommand,
  DeleteReplicationGroupCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  IncreaseReplicaCountCommand,
  ModifyReplicationGroupCommand,
  RemoveTagsFromResourceCommand,
  waitUntilReplicationGroupAvailable,
  waitUntilReplicationGroupDeleted,
  type ReplicationGroup,
} from '@aws-sdk/client-elasticache';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { readSecretValue } from '../secrets/generated-secret';
import { EmulatorLimitation, skipNotEmulated } from '../support/emulator';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { waiterFor } from '../support/poll';
import { tagChanges } from '../support/tag-changes';
import { toAwsTags } from '../tags';
import { keepsEnvironmentTag, type AwsGrant } from '../permissions/grants';

/**
 * A Redis replication group with cluster mode disabled: one primary and its replicas. The
 * AUTH token is read from Secrets Manager at creation; props and outs hold its ARN only.
 */
export interface ReplicationGroupProps {
  replicationGroupId: string;
  description: string;
  engine: string;
  nodeType: string;
  port: number;
  numCacheClusters: number;
  automaticFailover: boolean;
  multiAz: boolean;
  subnetGroupName: string;
  securityGroupIds: string[];
  parameterGroupName: string;
  atRestEncryption: boolean;
  transitEncryption: boolean;
  kmsKeyId?: string;
  authTokenSecretArn?: string;
  snapshotRetentionDays: number;
  snapshotWindow: string;
  maintenanceWindow: string;
  slowLog?: {
    destinationType: 'cloudwatch-logs' | 'kinesis-firehose';
    destination: string;
    format: 'text' | 'json';
  };
  tags: Record<string, string>;
}

export interface ReplicationGroupOuts {
  arn: string;
  primaryEndpoint: string;
  readerEndpoint: string;
  port: number;
}

const notFound = 'ReplicationGroupNotFoundFault';
const client = (ctx: HandlerContext) => awsClient(ElastiCacheClient, ctx.region);

async function anyReplicationGroup(id: string, region: string): Promise<ReplicationGroup | undefined> {
  const elasticache = awsClient(ElastiCacheClient, region);
  const found = await unlessMissing(
    elasticache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: id })),
    notFound,
  );
  return found?.ReplicationGroups?.[0];
}

/** The group, or undefined when it does not exist or is on its way out. */
export async function describeReplicationGroup(
  id: string,
  region: string,
): Promise<ReplicationGroup | undefined> {
  const group = await anyReplicationGroup(id, region);
  return group && group.Status !== 'deleting' ? group : undefined;
}

/**
 * A group of the same id that is still being deleted holds its name: wait until it is gone.
 * moto never finishes a delete, so on an emulator the wait is short, and then the create fails
 * at once and says what to do.
 */
async function waitOutDeletion(id: string, ctx: HandlerContext): Promise<void> {
  if ((await anyReplicationGroup(id, ctx.region))?.Status !== 'deleting') return;
  const minutes = ctx.endpoint ? 0.5 : 60;
  try {
    await waitUntilReplicationGroupDeleted(
      { client: client(ctx), maxWaitTime: minutes * 60, minDelay: 2, maxDelay: 30 },
      { ReplicationGroupId: id },
    );
  } catch (err) {
    if (!ctx.endpoint) throw err;
    throw new EmulatorLimitation(
      `replication group ${id} is still being deleted, and this emulator (moto) never finishes ` +
        'deleting one. Destroy the environment, then restart the emulator (lp-infra dev down, ' +
        'then lp-infra dev up, or POST /moto-api/reset) before creating the group again',
    );
  }
}

function outsOf(group: ReplicationGroup): ReplicationGroupOuts {
  const nodeGroup = group.NodeGroups?.[0];
  return {
    arn: group.ARN ?? '',
    primaryEndpoint: nodeGroup?.PrimaryEndpoint?.Address ?? '',
    readerEndpoint: nodeGroup?.ReaderEndpoint?.Address ?? '',
    port: nodeGroup?.PrimaryEndpoint?.Port ?? 6379,
  };
}

function slowLogDelivery(props: ReplicationGroupProps) {
  if (!props.slowLog) return undefined;
  const { destinationType, destination, format } = props.slowLog;
  const details =
    destinationType === 'cloudwatch-logs'
      ? { CloudWatchLogsDetails: { LogGroup: destination } }
      : { KinesisFirehoseDetails: { DeliveryStream: destination } };
  return [
    {
      LogType: 'slow-log' as const,
      DestinationType: destinationType,
      LogFormat: format,
      DestinationDetails: details,
    },
  ];
}

async function waitAvailable(id: string, ctx: HandlerContext): Promise<ReplicationGroup> {
  await waitUntilReplicationGroupAvailable(waiterFor(client(ctx), 90), { ReplicationGroupId: id });
  const group = await describeReplicationGroup(id, ctx.region);
  if (!group) throw new Error(`replication group ${id} vanished while it was being made`);
  return group;
}

async function changeReplicaCount(
  id: string,
  news: ReplicationGroupProps,
  olds: ReplicationGroupProps,
  ctx: HandlerContext,
) {
  if (news.numCacheClusters === olds.numCacheClusters) return;
  if (skipNotEmulated(ctx, `change the node count of ${id} to ${news.numCacheClusters}`)) return;
  const change = {
    ReplicationGroupId: id,
    NewReplicaCount: news.numCacheClusters - 1,
    ApplyImmediately: true,
  };
  const command =
    news.numCacheClusters > olds.numCacheClusters
      ? new IncreaseReplicaCountCommand(change)
      : new DecreaseReplicaCountCommand(change);
  await client(ctx).send(command as IncreaseReplicaCountCommand);
  await waitAvailable(id, ctx);
}

export const replicationGroup: ResourceHandler<ReplicationGroupProps, ReplicationGroupOuts> = {
  async create(props, ctx) {
    if (!(await describeReplicationGroup(props.replicationGroupId, ctx.region))) {
      await waitOutDeletion(props.replicationGroupId, ctx);
      const authToken = props.authTokenSecretArn
        ? await readSecretValue(props.authTokenSecretArn, ctx.region)
        : undefined;
      await client(ctx).send(
        new CreateReplicationGroupCommand({
          ReplicationGroupId: props.replicationGroupId,
          ReplicationGroupDescription: props.description,
          Engine: props.engine,
          CacheNodeType: props.nodeType,
          Port: props.port,
          NumCacheClusters: props.numCacheClusters,
          AutomaticFailoverEnabled: props.automaticFailover,
          MultiAZEnabled: props.multiAz,
          CacheSubnetGroupName: props.subnetGroupName,
          SecurityGroupIds: props.securityGroupIds,
          CacheParameterGroupName: props.parameterGroupName,
          AtRestEncryptionEnabled: props.atRestEncryption,
          TransitEncryptionEnabled: props.transitEncryption,
          KmsKeyId: props.atRestEncryption ? props.kmsKeyId : undefined,
          AuthToken: authToken,
          SnapshotRetentionLimit: props.snapshotRetentionDays,
          SnapshotWindow: props.snapshotWindow,
          PreferredMaintenanceWindow: props.maintenanceWindow,
          LogDeliveryConfigurations: slowLogDelivery(props),
          Tags: toAwsTags(props.tags),
        }),
      );
    }
    ctx.made?.(props.replicationGroupId);
    return { id: props.replicationGroupId, outs: outsOf(await waitAvailable(props.replicationGroupId, ctx)) };
  },

  async read(id, current, ctx) {
    const group = await describeReplicationGroup(id, ctx.region);
    if (!group) return undefined;
    const props: ReplicationGroupProps = {
      ...current.props,
      description: group.Description ?? current.props.description,
      nodeType: group.CacheNodeType ?? current.props.nodeType,
      // moto makes one node whatever NumCacheClusters says (docs/emulation.md): on an emulator
      // the count is not read back, or every check would report drift that is not there.
      numCacheClusters: ctx.endpoint
        ? current.props.numCacheClusters
        : (group.MemberClusters?.length ?? current.props.numCacheClusters),
      automaticFailover: group.AutomaticFailover === 'enabled' || group.AutomaticFailover === 'enabling',
      multiAz: group.MultiAZ === 'enabled',
      atRestEncryption: group.AtRestEncryptionEnabled ?? false,
      transitEncryption: group.TransitEncryptionEnabled ?? false,
      snapshotRetentionDays: group.SnapshotRetentionLimit ?? 0,
      snapshotWindow: group.SnapshotWindow ?? current.props.snapshotWindow,
    };
    return { props, outs: outsOf(group) };
  },

  async update(id, current, news, ctx) {
    await changeReplicaCount(id, news, current.props, ctx);
    await client(ctx).send(
      new ModifyReplicationGroupCommand({
        ReplicationGroupId: id,
        ApplyImmediately: true,
        ReplicationGroupDescription: news.description,
        CacheNodeType: news.nodeType !== current.props.nodeType ? news.nodeType : undefined,
        AutomaticFailoverEnabled: news.automaticFailover,
        MultiAZEnabled: news.multiAz,
        SecurityGroupIds: news.securityGroupIds,
        CacheParameterGroupName: news.parameterGroupName,
        SnapshotRetentionLimit: news.snapshotRetentionDays,
        SnapshotWindow: news.snapshotWindow,
        PreferredMaintenanceWindow: news.maintenanceWindow,
        LogDeliveryConfigurations: slowLogDelivery(news),
      }),
    );
    const tags = tagChanges(current.props.tags, news.tags);
    if (tags.removed.length)
      await client(ctx).send(
        new RemoveTagsFromResourceCommand({ ResourceName: current.outs.arn, TagKeys: tags.removed }),
      );
    if (Object.keys(tags.set).length)
      await client(ctx).send(
        new AddTagsToResourceCommand({ ResourceName: current.outs.arn, Tags: toAwsTags(tags.set) }),
      );
    return outsOf(await waitAvailable(id, ctx));
  },

  async delete(id, _current, ctx) {
    if (!(await describeReplicationGroup(id, ctx.region))) return;
    await ignoreMissing(
      client(ctx).send(new DeleteReplicationGroupCommand({ ReplicationGroupId: id })),
      notFound,
    );
    // moto keeps a deleted group in status "deleting" for ever; real AWS removes it.
    if (skipNotEmulated(ctx, `wait until replication group ${id} is deleted`)) return;
    await waitUntilReplicationGroupDeleted(waiterFor(client(ctx), 60), { ReplicationGroupId: id });
  },

  replaceOnChanges: [
    'replicationGroupId',
    'engine',
    'port',
    'subnetGroupName',
    'atRestEncryption',
    'transitEncryption',
    'kmsKeyId',
    'authTokenSecretArn',
  ],
  deleteBeforeReplace: true,
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['elasticache:DescribeReplicationGroups'] },
  { actions: ['elasticache:CreateReplicationGroup'], when: 'created' },
  {
    actions: ['elasticache:AddTagsToResource'],
    when: 'created',
    implied: 'the tags given to CreateReplicationGroup, CreateCacheSubnetGroup, CreateCacheParameterGroup',
  },
  { actions: ['elasticache:AddTagsToResource'], when: 'tagged' },
  { actions: ['elasticache:RemoveTagsFromResource'], when: 'tagged', condition: keepsEnvironmentTag },
  {
    actions: [
      'elasticache:ModifyReplicationGroup',
      'elasticache:IncreaseReplicaCount',
      'elasticache:DecreaseReplicaCount',
      'elasticache:DeleteReplicationGroup',
    ],
    when: 'tagged',
  },
  {
    actions: ['kms:DescribeKey', 'kms:CreateGrant'],
    when: 'tagged',
    implied: 'CreateReplicationGroup encrypts at rest with the KMS key it is given',
  },
  {
    actions: ['iam:CreateServiceLinkedRole'],
    on: ['service-linked-role'],
    condition: { StringEquals: { 'iam:AWSServiceName': 'elasticache.amazonaws.com' } },
    implied: "the first cache of an account makes ElastiCache's service-linked role",
  },
];
