import { AddTagsToResourceCommand, RDSClient } from '@aws-sdk/client-rds';
import type { ComponentRemoval, ComponentRequest } from './contract';
import { awsClient } from '../aws/clients';
import { describeCluster, FINAL_SNAPSHOT_TAG } from '../aws/rds/aurora-cluster';
import { HandlerResource } from '../handler-resource';
import { auroraReadiness } from './aurora-readiness';
import { pulumiDriver, type ProgramOutputs } from './pulumi-driver';
import { dependencyOutput, kmsKeyArn, regionOf, resourceTags, secretName } from './request-values';

/**
 * The primary Aurora PostgreSQL cluster, its instances and, when the spec has a
 * cross-region replica, the Aurora global database the replica joins.
 *
 * Why a global database rather than a cross-region replica cluster
 * (ReplicationSourceIdentifier): Aurora PostgreSQL has no cross-region replica
 * clusters (that is binlog replication, Aurora MySQL only); a global database replicates
 * at the storage layer with about a second of lag (within the spec's RPO), and failover is
 * a managed switchover or a detach-and-promote of the secondary
 * (FailoverGlobalCluster / RemoveFromGlobalCluster), which the failover saga drives.
 *
 * The master password is generated into Secrets Manager, encrypted with the database's KMS
 * key, and handed to CreateDBCluster by the handler. RDS-managed passwords
 * (ManageMasterUserPassword) are not supported for clusters in a global database, so lp-infra
 * makes and keeps the secret itself; the secondary cluster's component replicates it to its
 * region (database-replica.ts).
 */
const monitoringPolicy = 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole';

export const globalClusterIdentifier = (clusterIdentifier: string) => `${clusterIdentifier}-global`;

function program(request: ComponentRequest<'database'>) {
  const db = request.spec.database;
  const region = regionOf(request);
  const tags = resourceTags(request);

  const subnetGroup = new HandlerResource('aws:db-subnet-group', 'subnet-group', {
    region,
    props: {
      name: `${db.clusterIdentifier}-subnets`,
      description: `Private subnets of ${db.clusterIdentifier}`,
      subnetIds: dependencyOutput(request, 'network', 'privateSubnetIds'),
      tags,
    },
  });
  const monitoringRole =
    db.monitoringIntervalSeconds > 0
      ? new HandlerResource('aws:iam-role', 'monitoring-role', {
          region,
          props: {
            roleName: `${db.clusterIdentifier}-monitoring`,
            assumeRolePolicy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { Service: 'monitoring.rds.amazonaws.com' },
                  Action: 'sts:AssumeRole',
                },
              ],
            }),
            managedPolicyArns: [monitoringPolicy],
            permissionsBoundaryPolicy: '',
            tags,
          },
        })
      : undefined;
  const masterSecret = new HandlerResource('aws:generated-secret', 'master-password', {
    region,
    props: {
      name: secretName(request, 'master-password'),
      description: `Master password of ${db.clusterIdentifier}`,
      length: 32,
      kmsKeyId: kmsKeyArn(request, 'kms', db.kmsKey),
      tags,
    },
  });
  const performanceInsights = {
    enabled: db.performanceInsights.enabled,
    retentionDays: db.performanceInsights.retentionDays,
  };
  const intervalSeconds: number = db.monitoringIntervalSeconds;
  const monitoring = monitoringRole
    ? monitoringRole.outs.apply((outs) => ({ intervalSeconds, roleArn: outs.arn }))
    : { intervalSeconds };

  const cluster = new HandlerResource('aws:aurora-cluster', 'cluster', {
    region,
    props: {
      clusterIdentifier: db.clusterIdentifier,
      engine: db.engine,
      engineVersion: db.engineVersion,
      databaseName: db.databaseName,
      masterUsername: db.masterUsername,
      masterSecretArn: masterSecret.outs.apply((outs) => outs.arn),
      subnetGroupName: subnetGroup.id,
      securityGroupIds: [dependencyOutput(request, 'network', 'databaseSecurityGroupId')],
      backupRetentionDays: db.backup.retentionDays,
      backupWindow: db.backup.window,
      maintenanceWindow: db.maintenanceWindow,
      performanceInsights,
      monitoring,
      storageEncrypted: db.storageEncrypted,
      kmsKeyId: kmsKeyArn(request, 'kms', db.kmsKey),
      serverlessV2Scaling: db.serverlessV2Scaling,
      deletionProtection: db.deletionProtection,
      skipFinalSnapshot: db.skipFinalSnapshot,
      tags,
    },
  });
  for (let index = 1; index <= db.instanceCount; index++) {
    new HandlerResource(
      'aws:aurora-instance',
      `instance-${index}`,
      {
        region,
        props: {
          instanceIdentifier: `${db.instanceIdentifierPrefix}-${index}`,
          clusterIdentifier: db.clusterIdentifier,
          engine: db.engine,
          instanceClass: db.instanceClass,
          maintenanceWindow: db.maintenanceWindow,
          performanceInsights,
          monitoring,
          tags,
        },
      },
      { dependsOn: [cluster] },
    );
  }
  const global = db.crossRegionReplica
    ? new HandlerResource('aws:aurora-global-cluster', 'global-database', {
        region,
        props: {
          globalClusterIdentifier: globalClusterIdentifier(db.clusterIdentifier),
          sourceClusterArn: cluster.outs.apply((outs) => outs.arn),
          deletionProtection: db.deletionProtection,
          tags,
        },
      })
    : undefined;

  return {
    clusterIdentifier: cluster.id,
    clusterArn: cluster.outs.apply((outs) => outs.arn),
    endpoint: cluster.outs.apply((outs) => outs.endpoint),
    readerEndpoint: cluster.outs.apply((outs) => outs.readerEndpoint),
    port: cluster.outs.apply((outs) => outs.port),
    masterSecretArn: masterSecret.outs.apply((outs) => outs.arn),
    globalClusterIdentifier: global ? global.id : '',
    monitoringRoleArn: monitoringRole ? monitoringRole.outs.apply((outs) => outs.arn) : '',
  } satisfies ProgramOutputs<'database'>;
}

/** Names the final snapshot on the cluster; the handler's delete takes it under that name. */
async function nameFinalSnapshot(removal: ComponentRemoval<'database'>) {
  const db = removal.spec.database;
  if (db.skipFinalSnapshot || !removal.finalSnapshotName) return;
  const region = regionOf(removal);
  const cluster = await describeCluster(db.clusterIdentifier, region);
  if (!cluster?.DBClusterArn) return;
  await awsClient(RDSClient, region).send(
    new AddTagsToResourceCommand({
      ResourceName: cluster.DBClusterArn,
      Tags: [{ Key: FINAL_SNAPSHOT_TAG, Value: removal.finalSnapshotName }],
    }),
  );
}

export const databaseDriver = pulumiDriver<'database'>({
  program,
  notEmulated: (request) =>
    request.spec.database.crossRegionReplica
      ? [
          `delete global database ${globalClusterIdentifier(request.spec.database.clusterIdentifier)} (the emulator cannot detach its secondary in another region)`,
        ]
      : [],
  ready: (request) =>
    auroraReadiness(
      request.spec.database.clusterIdentifier,
      regionOf(request),
      request.spec.database.instanceCount,
    ),
  beforeDestroy: nameFinalSnapshot,
});
