import type { ComponentRequest } from './contract';
import { HandlerResource } from '../handler-resource';
import { auroraReadiness } from './aurora-readiness';
import { pulumiDriver, type ProgramOutputs } from './pulumi-driver';
import { dependencyOutput, kmsKeyArn, regionOf, resourceTags } from './request-values';

/**
 * The secondary cluster of the database's Aurora global database, in the secondary
 * region (see database.ts for why a global database). Settings the spec gives only for
 * the primary (backups, windows, monitoring, scaling) follow the primary, so a promoted
 * secondary behaves like the cluster it replaces. No final snapshot: its data is the
 * primary's, which keeps one.
 */
function replicaOf(request: ComponentRequest<'database-replica'>) {
  const replica = request.spec.database.crossRegionReplica;
  if (!replica) throw new Error('the spec has no database.crossRegionReplica');
  return replica;
}

function program(request: ComponentRequest<'database-replica'>) {
  const db = request.spec.database;
  const replica = replicaOf(request);
  const region = regionOf(request);
  const tags = resourceTags(request);
  const monitoringRoleArn = request.inputs.database?.monitoringRoleArn;

  const subnetGroup = new HandlerResource('aws:db-subnet-group', 'subnet-group', {
    region,
    props: {
      name: `${replica.clusterIdentifier}-subnets`,
      description: `Private subnets of ${replica.clusterIdentifier}`,
      subnetIds: dependencyOutput(request, 'secondary/network', 'privateSubnetIds'),
      tags,
    },
  });
  const performanceInsights = {
    enabled: db.performanceInsights.enabled,
    retentionDays: db.performanceInsights.retentionDays,
  };
  const monitoring = {
    intervalSeconds: monitoringRoleArn ? db.monitoringIntervalSeconds : 0,
    roleArn: monitoringRoleArn ? String(monitoringRoleArn) : undefined,
  };
  // The master secret in this region, under its key: the standby apps read it here, so an
  // outage of the primary region does not take their credentials away.
  const masterSecret = new HandlerResource('aws:secret-replica', 'master-password', {
    region,
    props: {
      secretArn: dependencyOutput(request, 'database', 'masterSecretArn'),
      kmsKeyId: kmsKeyArn(request, 'secondary/kms', replica.kmsKey),
    },
  });
  const cluster = new HandlerResource('aws:aurora-cluster', 'cluster', {
    region,
    props: {
      clusterIdentifier: replica.clusterIdentifier,
      engine: db.engine,
      engineVersion: db.engineVersion,
      globalClusterIdentifier: dependencyOutput(request, 'database', 'globalClusterIdentifier'),
      subnetGroupName: subnetGroup.id,
      securityGroupIds: [dependencyOutput(request, 'secondary/network', 'databaseSecurityGroupId')],
      backupRetentionDays: db.backup.retentionDays,
      backupWindow: db.backup.window,
      maintenanceWindow: db.maintenanceWindow,
      performanceInsights,
      monitoring,
      storageEncrypted: replica.storageEncrypted,
      kmsKeyId: kmsKeyArn(request, 'secondary/kms', replica.kmsKey),
      serverlessV2Scaling: db.serverlessV2Scaling,
      deletionProtection: db.deletionProtection,
      skipFinalSnapshot: true,
      tags,
    },
  });
  for (let index = 1; index <= replica.instanceCount; index++) {
    new HandlerResource(
      'aws:aurora-instance',
      `instance-${index}`,
      {
        region,
        props: {
          instanceIdentifier: `${replica.clusterIdentifier}-${index}`,
          clusterIdentifier: replica.clusterIdentifier,
          engine: db.engine,
          instanceClass: replica.instanceClass,
          maintenanceWindow: db.maintenanceWindow,
          performanceInsights,
          monitoring,
          tags,
        },
      },
      { dependsOn: [cluster] },
    );
  }
  return {
    clusterIdentifier: cluster.id,
    clusterArn: cluster.outs.apply((outs) => outs.arn),
    endpoint: cluster.outs.apply((outs) => outs.endpoint),
    port: cluster.outs.apply((outs) => outs.port),
    // A global database's secondary shares the primary's credentials: the same secret, its replica.
    masterSecretArn: masterSecret.outs.apply((outs) => outs.arn),
  } satisfies ProgramOutputs<'database-replica'>;
}

export const databaseReplicaDriver = pulumiDriver<'database-replica'>({
  program,
  notEmulated: (request) => [
    `detach ${replicaOf(request).clusterIdentifier} from the global database before deleting it (the emulator keeps global databases in us-east-1 only)`,
  ],
  ready: (request) =>
    auroraReadiness(
      replicaOf(request).clusterIdentifier,
      regionOf(request),
      replicaOf(request).instanceCount,
    ),
});
