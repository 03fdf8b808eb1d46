import {
  CreateDBClusterCommand,
  DeleteDBClusterCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  ModifyDBClusterCommand,
  RDSClient,
  RemoveFromGlobalClusterCommand,
  waitUntilDBClusterAvailable,
  waitUntilDBClusterDeleted,
  type DBCluster,
} from '@aws-sdk/client-rds';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { skipNotEmulated } from '../support/emulator';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { waiterFor } from '../support/poll';
import { sameMembers } from '../support/same-members';
import { readSecretValue } from '../secrets/generated-secret';
import { fromAwsTags, toAwsTags } from '../tags';
import { updateRdsTags } from './rds-tags';
import type { AwsGrant } from '../permissions/grants';

/**
 * An Aurora cluster: the primary (with its master user, whose password is read from
 * Secrets Manager at creation and never passes through props or outs) or a secondary
 * cluster of an Aurora global database (`globalClusterIdentifier`, no master user).
 */
export interface AuroraClusterProps {
  clusterIdentifier: string;
  engine: string;
  engineVersion: string;
  databaseName?: string;
  masterUsername?: string;
  /** Secrets Manager secret holding the master password (primary cluster only). */
  masterSecretArn?: string;
  /** Joins this global database as a secondary cluster. */
  globalClusterIdentifier?: string;
  subnetGroupName: string;
  securityGroupIds: string[];
  backupRetentionDays: number;
  backupWindow: string;
  maintenanceWindow: string;
  performanceInsights: { enabled: boolean; retentionDays: number };
  monitoring: { intervalSeconds: number; roleArn?: string };
  storageEncrypted: boolean;
  kmsKeyId?: string;
  serverlessV2Scaling?: { minCapacity: number; maxCapacity: number };
  deletionProtection: boolean;
  /** false: deleting the cluster keeps a final snapshot (see FINAL_SNAPSHOT_TAG). */
  skipFinalSnapshot: boolean;
  tags: Record<string, string>;
}

export interface AuroraClusterOuts {
  arn: string;
  endpoint: string;
  readerEndpoint: string;
  port: number;
}

/**
 * Set on the cluster just before an approved destroy, with the snapshot name the workflow
 * chose; the delete takes its final snapshot under that name. Not part of the props.
 */
export const FINAL_SNAPSHOT_TAG = 'lp-infra:final-snapshot';

const notFound = 'DBClusterNotFoundFault';
const client = (ctx: HandlerContext) => awsClient(RDSClient, ctx.region);

export async function describeCluster(identifier: string, region: string): Promise<DBCluster | undefined> {
  const rds = awsClient(RDSClient, region);
  const found = await unlessMissing(
    rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier })),
    notFound,
  );
  return found?.DBClusters?.[0];
}

function outsOf(cluster: DBCluster): AuroraClusterOuts {
  return {
    arn: cluster.DBClusterArn ?? '',
    endpoint: cluster.Endpoint ?? '',
    readerEndpoint: cluster.ReaderEndpoint ?? '',
    port: cluster.Port ?? 5432,
  };
}

/** The settings CreateDBCluster and ModifyDBCluster share. */
function mutableSettings(props: AuroraClusterProps) {
  return {
    VpcSecurityGroupIds: props.securityGroupIds,
    BackupRetentionPeriod: props.backupRetentionDays,
    PreferredBackupWindow: props.backupWindow,
    PreferredMaintenanceWindow: props.maintenanceWindow,
    EnablePerformanceInsights: props.performanceInsights.enabled,
    PerformanceInsightsRetentionPeriod: props.performanceInsights.enabled
      ? props.performanceInsights.retentionDays
      : undefined,
    MonitoringInterval: props.monitoring.intervalSeconds,
    MonitoringRoleArn: props.monitoring.intervalSeconds > 0 ? props.monitoring.roleArn : undefined,
    ServerlessV2ScalingConfiguration: props.serverlessV2Scaling
      ? {
          MinCapacity: props.serverlessV2Scaling.minCapacity,
          MaxCapacity: props.serverlessV2Scaling.maxCapacity,
        }
      : undefined,
    DeletionProtection: props.deletionProtection,
  };
}

async function waitAvailable(identifier: string, ctx: HandlerContext) {
  await waitUntilDBClusterAvailable(waiterFor(client(ctx), 90), { DBClusterIdentifier: identifier });
}

async function createCluster(props: AuroraClusterProps, ctx: HandlerContext) {
  const password = props.masterSecretArn
    ? await readSecretValue(props.masterSecretArn, ctx.region)
    : undefined;
  await client(ctx).send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: props.clusterIdentifier,
      Engine: props.engine,
      EngineVersion: props.engineVersion,
      DatabaseName: props.databaseName,
      MasterUsername: props.masterUsername,
      MasterUserPassword: password,
      GlobalClusterIdentifier: props.globalClusterIdentifier,
      DBSubnetGroupName: props.subnetGroupName,
      StorageEncrypted: props.storageEncrypted,
      KmsKeyId: props.storageEncrypted ? props.kmsKeyId : undefined,
      CopyTagsToSnapshot: true,
      Tags: toAwsTags(props.tags),
      ...mutableSettings(props),
    }),
  );
}

/** The final snapshot's name: the one the destroy chose, else the spec's documented pattern. */
function finalSnapshotName(cluster: DBCluster, identifier: string): string {
  const chosen = fromAwsTags(cluster.TagList)[FINAL_SNAPSHOT_TAG];
  if (chosen) return chosen;
  const stamp = new Date().toISOString().slice(0, 16).replace('T', '-').replace(':', '');
  return `${identifier}-final-snapshot-${stamp}`;
}

async function snapshotExists(name: string, ctx: HandlerContext): Promise<boolean> {
  const found = await unlessMissing(
    client(ctx).send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: name })),
    'DBClusterSnapshotNotFoundFault',
  );
  return (found?.DBClusterSnapshots ?? []).length > 0;
}

/** A secondary leaves its global database before deletion (the primary stays untouched). */
async function leaveGlobalDatabase(cluster: DBCluster, props: AuroraClusterProps, ctx: HandlerContext) {
  if (!props.globalClusterIdentifier) return;
  if (
    skipNotEmulated(
      ctx,
      `detach ${props.clusterIdentifier} from global database ${props.globalClusterIdentifier}`,
    )
  )
    return;
  await ignoreMissing(
    client(ctx).send(
      new RemoveFromGlobalClusterCommand({
        GlobalClusterIdentifier: props.globalClusterIdentifier,
        DbClusterIdentifier: cluster.DBClusterArn,
      }),
    ),
    'GlobalClusterNotFoundFault',
    'InvalidGlobalClusterStateFault', // not (or no longer) a member
  );
  await waitAvailable(props.clusterIdentifier, ctx);
}

export const auroraCluster: ResourceHandler<AuroraClusterProps, AuroraClusterOuts> = {
  async create(props, ctx) {
    if (!(await describeCluster(props.clusterIdentifier, ctx.region))) await createCluster(props, ctx);
    ctx.made?.(props.clusterIdentifier);
    await waitAvailable(props.clusterIdentifier, ctx);
    const cluster = await describeCluster(props.clusterIdentifier, ctx.region);
    if (!cluster) throw new Error(`cluster ${props.clusterIdentifier} vanished after creation`);
    return { id: props.clusterIdentifier, outs: outsOf(cluster) };
  },

  async read(id, current, ctx) {
    const cluster = await describeCluster(id, ctx.region);
    if (!cluster || cluster.Status === 'deleting') return undefined;
    const { [FINAL_SNAPSHOT_TAG]: _chosenSnapshot, ...tags } = fromAwsTags(cluster.TagList);
    const scaling = cluster.ServerlessV2ScalingConfiguration;
    const props: AuroraClusterProps = {
      ...current.props,
      engineVersion: cluster.EngineVersion ?? current.props.engineVersion,
      securityGroupIds: sameMembers(
        (cluster.VpcSecurityGroups ?? []).map((group) => group.VpcSecurityGroupId ?? ''),
        current.props.securityGroupIds,
      ),
      backupRetentionDays: cluster.BackupRetentionPeriod ?? current.props.backupRetentionDays,
      backupWindow: cluster.PreferredBackupWindow ?? current.props.backupWindow,
      maintenanceWindow: cluster.PreferredMaintenanceWindow ?? current.props.maintenanceWindow,
      storageEncrypted: cluster.StorageEncrypted ?? false,
      deletionProtection: cluster.DeletionProtection ?? false,
      serverlessV2Scaling:
        scaling?.MinCapacity !== undefined && scaling.MaxCapacity !== undefined
          ? { minCapacity: scaling.MinCapacity, maxCapacity: scaling.MaxCapacity }
          : undefined,
      tags,
    };
    return { props, outs: outsOf(cluster) };
  },

  async update(id, current, news, ctx) {
    const majorUpgrade = news.engineVersion.split('.')[0] !== current.props.engineVersion.split('.')[0];
    const newSecret = news.masterSecretArn && news.masterSecretArn !== current.props.masterSecretArn;
    await client(ctx).send(
      new ModifyDBClusterCommand({
        DBClusterIdentifier: id,
        ApplyImmediately: true,
        EngineVersion: news.engineVersion !== current.props.engineVersion ? news.engineVersion : undefined,
        AllowMajorVersionUpgrade: majorUpgrade || undefined,
        MasterUserPassword: newSecret
          ? await readSecretValue(news.masterSecretArn as string, ctx.region)
          : undefined,
        ...mutableSettings(news),
      }),
    );
    await updateRdsTags(current.outs.arn, current.props.tags, news.tags, ctx.region);
    await waitAvailable(id, ctx);
    const cluster = await describeCluster(id, ctx.region);
    return cluster ? outsOf(cluster) : current.outs;
  },

  /** The destroy was approved before it got here: deletion protection is lifted. */
  async delete(id, current, ctx) {
    const cluster = await describeCluster(id, ctx.region);
    if (!cluster) return;
    if (cluster.DeletionProtection) {
      await client(ctx).send(
        new ModifyDBClusterCommand({
          DBClusterIdentifier: id,
          DeletionProtection: false,
          ApplyImmediately: true,
        }),
      );
    }
    await leaveGlobalDatabase(cluster, current.props, ctx);
    const snapshot = current.props.skipFinalSnapshot ? undefined : finalSnapshotName(cluster, id);
    const takeSnapshot = snapshot !== undefined && !(await snapshotExists(snapshot, ctx));
    await ignoreMissing(
      client(ctx).send(
        new DeleteDBClusterCommand({
          DBClusterIdentifier: id,
          SkipFinalSnapshot: !takeSnapshot,
          FinalDBSnapshotIdentifier: takeSnapshot ? snapshot : undefined,
        }),
      ),
      notFound,
    );
    await waitUntilDBClusterDeleted(waiterFor(client(ctx), 60), { DBClusterIdentifier: id });
  },

  replaceOnChanges: [
    'clusterIdentifier',
    'engine',
    'databaseName',
    'masterUsername',
    'globalClusterIdentifier',
    'subnetGroupName',
    'storageEncrypted',
    'kmsKeyId',
  ],
  deleteBeforeReplace: true,
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['rds:DescribeDBClusters', 'rds:DescribeDBClusterSnapshots'] },
  { actions: ['rds:CreateDBCluster'], when: 'created' },
  { actions: ['rds:ModifyDBCluster', 'rds:DeleteDBCluster'], when: 'tagged' },
  { actions: ['rds:RemoveFromGlobalCluster'], when: 'tagged' },
  { actions: ['rds:RemoveFromGlobalCluster'], on: ['global-cluster'] },
  // The final snapshot of a deleted cluster is new: it has no tags to check yet.
  { actions: ['rds:DeleteDBCluster'], on: ['cluster-snapshot'] },
  {
    actions: ['rds:CreateDBClusterSnapshot'],
    when: 'tagged',
    implied: 'DeleteDBCluster takes a final snapshot',
  },
  {
    actions: ['rds:CreateDBClusterSnapshot'],
    on: ['cluster-snapshot'],
    implied: 'DeleteDBCluster takes a final snapshot',
  },
  {
    actions: ['kms:DescribeKey', 'kms:CreateGrant'],
    when: 'tagged',
    implied: 'CreateDBCluster encrypts the storage with the KMS key it is given',
  },
  {
    actions: ['iam:PassRole'],
    when: 'tagged',
    implied: 'CreateDBCluster and ModifyDBCluster hand RDS the enhanced monitoring role',
  },
  {
    actions: ['iam:CreateServiceLinkedRole'],
    on: ['service-linked-role'],
    condition: { StringEquals: { 'iam:AWSServiceName': 'rds.amazonaws.com' } },
    implied: "the first database of an account makes RDS's service-linked role",
  },
];
