import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import type { ComponentReadiness } from './contract';
import { awsClient } from '../aws/clients';
import { describeCluster } from '../aws/rds/aurora-cluster';

/** One look: is the cluster available with all its instances available? */
export async function auroraReadiness(
  clusterIdentifier: string,
  region: string,
  instanceCount: number,
): Promise<ComponentReadiness> {
  const cluster = await describeCluster(clusterIdentifier, region);
  if (!cluster) return { ready: false, detail: `cluster ${clusterIdentifier} not found` };
  if (cluster.Status !== 'available')
    return { ready: false, detail: `cluster ${clusterIdentifier} is ${cluster.Status}` };
  const { DBInstances } = await awsClient(RDSClient, region).send(
    new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [clusterIdentifier] }] }),
  );
  const available = (DBInstances ?? []).filter(
    (instance) => instance.DBInstanceStatus === 'available',
  ).length;
  if (available < instanceCount) {
    return {
      ready: false,
      detail: `${available} of ${instanceCount} instances of ${clusterIdentifier} available`,
    };
  }
  return { ready: true, detail: `cluster ${clusterIdentifier} and ${instanceCount} instances available` };
}
