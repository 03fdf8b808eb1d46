import type * as pulumi from '@pulumi/pulumi';
import type { RequestWith } from './contract';
import { HandlerResource } from '../handler-resource';

/** Aurora PostgreSQL's port; the spec's engine is always aurora-postgresql. */
export const postgresPort = 5432;

export interface TcpIngress {
  /** The Pulumi name, also the rule's Name tag. */
  name: string;
  securityGroupId: pulumi.Input<string>;
  port: number;
  /** A security group (sg-…) or a CIDR block. */
  source: pulumi.Input<string>;
  description: string;
}

/** One TCP port of a security group opened to a source. */
export function tcpIngress(region: string, rule: TcpIngress, tags: Record<string, string>) {
  return new HandlerResource('aws:security-group-ingress', rule.name, {
    region,
    props: {
      securityGroupId: rule.securityGroupId,
      protocol: 'tcp',
      fromPort: rule.port,
      toPort: rule.port,
      source: rule.source,
      description: rule.description,
      tags,
    },
  });
}

export interface NetworkScope {
  region: string;
  vpcId: pulumi.Input<string>;
  vpcCidr: string;
  clusterName: string;
  /** Tags for the resource of this name (its Name tag included). */
  tags(name: string): Record<string, string>;
}

/**
 * The security groups of the cluster, the database and the cache. Least privilege: the
 * database and the cache accept their own port from the cluster's group only and make no
 * outbound connections; the cluster's group takes the Kubernetes API from inside the VPC.
 * (The cluster component opens the same ports to the group EKS gives the nodes.)
 */
export function securityGroups(request: RequestWith<'database' | 'cache'>, scope: NetworkScope) {
  const group = (name: string, description: string, allowAllEgress: boolean) =>
    new HandlerResource('aws:security-group', `${name}-security-group`, {
      region: scope.region,
      props: {
        vpcId: scope.vpcId,
        groupName: scope.tags(name).Name,
        description,
        allowAllEgress,
        openIngress: [],
        tags: scope.tags(name),
      },
    }).id;
  const ingress = (rule: TcpIngress) => tcpIngress(scope.region, rule, scope.tags(rule.name));

  const { database, cache } = request.spec;
  const cluster = group('cluster', `EKS cluster ${scope.clusterName}: Kubernetes API inside the VPC`, true);
  const databaseGroup = group('database', `Aurora cluster ${database.clusterIdentifier}`, false);
  const cacheGroup = group('cache', `Redis replication group ${cache.replicationGroupId}`, false);
  ingress({
    name: 'cluster-api-from-vpc',
    securityGroupId: cluster,
    port: 443,
    source: scope.vpcCidr,
    description: 'Kubernetes API from inside the VPC',
  });
  ingress({
    name: 'database-from-cluster',
    securityGroupId: databaseGroup,
    port: postgresPort,
    source: cluster,
    description: 'PostgreSQL from the cluster',
  });
  ingress({
    name: 'cache-from-cluster',
    securityGroupId: cacheGroup,
    port: cache.port,
    source: cluster,
    description: 'Redis from the cluster',
  });
  return { cluster, database: databaseGroup, cache: cacheGroup };
}
