/**
 * The database side of failover: the Aurora global database the database component made
 * (primary cluster + the secondary region's cluster), which member writes, replication lag,
 * and moving the writer: a managed switchover when the primary is healthy (no data loss) or a
 * managed failover that accepts the lag as data loss when it is not. Both keep the global
 * database's topology: the old primary becomes a secondary once its region is back, so
 * failback is the same move in the other direction.
 */
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  RDSClient,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import type { EnvironmentSpec, RegionRole } from '../../model';
import { awsClient, awsEndpoint } from '../aws/clients';
import { describeCluster } from '../aws/rds/aurora-cluster';
import { globalClusterIdentifier } from '../components/database';

export function clusterIdentifierOf(spec: EnvironmentSpec, role: RegionRole): string {
  if (role === 'primary') return spec.database.clusterIdentifier;
  const replica = spec.database.crossRegionReplica;
  if (!replica)
    throw new Error(`${spec.name} has no database.crossRegionReplica: there is nothing to fail over to`);
  return replica.clusterIdentifier;
}

const regionOf = (spec: EnvironmentSpec, role: RegionRole) => spec.regions[role].region;
export const emulated = (spec: EnvironmentSpec) => awsEndpoint(spec.regions.primary.region) !== undefined;

export interface ClusterHealth {
  identifier: string;
  status: string;
  endpoint?: string;
  arn?: string;
}

export async function clusterHealth(spec: EnvironmentSpec, role: RegionRole): Promise<ClusterHealth> {
  const identifier = clusterIdentifierOf(spec, role);
  const cluster = await describeCluster(identifier, regionOf(spec, role));
  return {
    identifier,
    status: cluster?.Status ?? 'missing',
    endpoint: cluster?.Endpoint,
    arn: cluster?.DBClusterArn,
  };
}

export interface GlobalRoles {
  globalClusterIdentifier: string;
  /** The region whose cluster writes; undefined when none of the two is the writer. */
  writer?: RegionRole;
  members: { role?: RegionRole; arn: string; isWriter: boolean }[];
  status: string;
}

export async function globalRoles(spec: EnvironmentSpec): Promise<GlobalRoles> {
  const id = globalClusterIdentifier(spec.database.clusterIdentifier);
  const { GlobalClusters } = await awsClient(RDSClient, regionOf(spec, 'primary')).send(
    new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: id }),
  );
  const global = GlobalClusters?.[0];
  if (!global) throw new Error(`global database ${id} not found`);
  const roleOf = (arn: string): RegionRole | undefined =>
    (['primary', 'secondary'] as const).find((role) =>
      arn.endsWith(`:cluster:${clusterIdentifierOf(spec, role)}`),
    );
  const members = (global.GlobalClusterMembers ?? []).map((m) => ({
    role: roleOf(m.DBClusterArn ?? ''),
    arn: m.DBClusterArn ?? '',
    isWriter: Boolean(m.IsWriter),
  }));
  return {
    globalClusterIdentifier: id,
    writer: members.find((m) => m.isWriter)?.role,
    members,
    status: global.Status ?? 'unknown',
  };
}

/**
 * The replication lag of the region's cluster behind the writer, seconds, from the
 * AuroraGlobalDBReplicationLag metric (the worst minute of the last five); undefined when
 * CloudWatch has no data points.
 */
export async function replicationLagSeconds(
  spec: EnvironmentSpec,
  role: RegionRole,
): Promise<number | undefined> {
  const end = new Date();
  const { Datapoints } = await awsClient(CloudWatchClient, regionOf(spec, role)).send(
    new GetMetricStatisticsCommand({
      Namespace: 'AWS/RDS',
      MetricName: 'AuroraGlobalDBReplicationLag',
      Dimensions: [{ Name: 'DBClusterIdentifier', Value: clusterIdentifierOf(spec, role) }],
      StartTime: new Date(end.getTime() - 5 * 60_000),
      EndTime: end,
      Period: 60,
      Statistics: ['Maximum'],
    }),
  );
  const worst = Math.max(...(Datapoints ?? []).map((d) => d.Maximum ?? 0));
  return Number.isFinite(worst) ? worst / 1000 : undefined;
}

export const moveWriterNotEmulated = (spec: EnvironmentSpec, to: RegionRole) =>
  `move the writer of global database ${globalClusterIdentifier(spec.database.clusterIdentifier)} to ${clusterIdentifierOf(spec, to)} (the emulator has neither SwitchoverGlobalCluster nor FailoverGlobalCluster; its members keep their roles)`;

/**
 * Starts moving the writer to `to`'s cluster (idempotent: nothing when it writes already).
 * `planned`: a switchover that waits for the secondary to catch up; else a failover that
 * accepts the lag as lost. Returns what the emulator could not do, if anything.
 */
export async function moveWriter(
  spec: EnvironmentSpec,
  to: RegionRole,
  planned: boolean,
): Promise<{ started: boolean; notEmulated?: string }> {
  const roles = await globalRoles(spec);
  if (roles.writer === to) return { started: false };
  if (emulated(spec)) return { started: false, notEmulated: moveWriterNotEmulated(spec, to) };
  const target = await clusterHealth(spec, to);
  if (!target.arn) throw new Error(`cluster ${target.identifier} not found`);
  const rds = awsClient(RDSClient, regionOf(spec, 'primary'));
  if (planned) {
    await rds.send(
      new SwitchoverGlobalClusterCommand({
        GlobalClusterIdentifier: roles.globalClusterIdentifier,
        TargetDbClusterIdentifier: target.arn,
      }),
    );
  } else {
    await rds.send(
      new FailoverGlobalClusterCommand({
        GlobalClusterIdentifier: roles.globalClusterIdentifier,
        TargetDbClusterIdentifier: target.arn,
        AllowDataLoss: true,
      }),
    );
  }
  return { started: true };
}

/** One look: does `to` write, and is the global database settled? */
export async function writerIs(
  spec: EnvironmentSpec,
  to: RegionRole,
): Promise<{ ready: boolean; detail: string }> {
  if (emulated(spec)) {
    const target = await clusterHealth(spec, to);
    return {
      ready: target.status === 'available',
      detail: `${target.identifier} is ${target.status} (writer role not emulated)`,
    };
  }
  const roles = await globalRoles(spec);
  const ready = roles.writer === to && roles.status === 'available';
  return { ready, detail: `writer: ${roles.writer ?? 'none'}, global database ${roles.status}` };
}
