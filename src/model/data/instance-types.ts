/**
 * Instance, DB instance and cache node types the spec accepts. A type outside this table is
 * rejected (a typo such as `c5.xlrage` would otherwise fail minutes into provisioning).
 * Add a row (and its price in prices.ts) to allow another type.
 */

export interface InstanceTypeRow {
  readonly vcpu: number;
  readonly memoryGiB: number;
}

export const instanceTypeTable = {
  source:
    'Amazon EC2 instance types (docs.aws.amazon.com/ec2/latest/instancetypes), Amazon RDS DB instance classes ' +
    '(docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.html), Amazon ElastiCache ' +
    'supported node types (docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html)',
  asOf: '2026-11-27',
  ec2: {
    't3.medium': { vcpu: 2, memoryGiB: 4 },
    't3.large': { vcpu: 2, memoryGiB: 8 },
    't3.xlarge': { vcpu: 4, memoryGiB: 16 },
    't3.2xlarge': { vcpu: 8, memoryGiB: 32 },
    'm5.large': { vcpu: 2, memoryGiB: 8 },
    'm5.xlarge': { vcpu: 4, memoryGiB: 16 },
    'm5.2xlarge': { vcpu: 8, memoryGiB: 32 },
    'm5.4xlarge': { vcpu: 16, memoryGiB: 64 },
    'm6i.large': { vcpu: 2, memoryGiB: 8 },
    'm6i.xlarge': { vcpu: 4, memoryGiB: 16 },
    'm6i.2xlarge': { vcpu: 8, memoryGiB: 32 },
    'm7g.large': { vcpu: 2, memoryGiB: 8 },
    'm7g.xlarge': { vcpu: 4, memoryGiB: 16 },
    'c5.large': { vcpu: 2, memoryGiB: 4 },
    'c5.xlarge': { vcpu: 4, memoryGiB: 8 },
    'c5.2xlarge': { vcpu: 8, memoryGiB: 16 },
    'c5.4xlarge': { vcpu: 16, memoryGiB: 32 },
    'c6i.large': { vcpu: 2, memoryGiB: 4 },
    'c6i.xlarge': { vcpu: 4, memoryGiB: 8 },
    'c6i.2xlarge': { vcpu: 8, memoryGiB: 16 },
    'r5.large': { vcpu: 2, memoryGiB: 16 },
    'r5.xlarge': { vcpu: 4, memoryGiB: 32 },
    'r5.2xlarge': { vcpu: 8, memoryGiB: 64 },
    'r5.4xlarge': { vcpu: 16, memoryGiB: 128 },
    'r6i.large': { vcpu: 2, memoryGiB: 16 },
    'r6i.xlarge': { vcpu: 4, memoryGiB: 32 },
    'r6i.2xlarge': { vcpu: 8, memoryGiB: 64 },
  } satisfies Record<string, InstanceTypeRow>,
  /** Aurora PostgreSQL DB instance classes; `db.serverless` scales in ACUs (see serverlessV2Scaling). */
  rds: {
    'db.serverless': { vcpu: 0, memoryGiB: 0 },
    'db.t4g.medium': { vcpu: 2, memoryGiB: 4 },
    'db.t4g.large': { vcpu: 2, memoryGiB: 8 },
    'db.r5.large': { vcpu: 2, memoryGiB: 16 },
    'db.r5.xlarge': { vcpu: 4, memoryGiB: 32 },
    'db.r5.2xlarge': { vcpu: 8, memoryGiB: 64 },
    'db.r6g.large': { vcpu: 2, memoryGiB: 16 },
    'db.r6g.xlarge': { vcpu: 4, memoryGiB: 32 },
    'db.r6g.2xlarge': { vcpu: 8, memoryGiB: 64 },
    'db.r6g.4xlarge': { vcpu: 16, memoryGiB: 128 },
  } satisfies Record<string, InstanceTypeRow>,
  elasticache: {
    'cache.t4g.micro': { vcpu: 2, memoryGiB: 0.5 },
    'cache.t4g.small': { vcpu: 2, memoryGiB: 1.37 },
    'cache.t4g.medium': { vcpu: 2, memoryGiB: 3.09 },
    'cache.m6g.large': { vcpu: 2, memoryGiB: 6.38 },
    'cache.m6g.xlarge': { vcpu: 4, memoryGiB: 12.93 },
    'cache.r6g.large': { vcpu: 2, memoryGiB: 13.07 },
    'cache.r6g.xlarge': { vcpu: 4, memoryGiB: 26.32 },
    'cache.r6g.2xlarge': { vcpu: 8, memoryGiB: 52.82 },
  } satisfies Record<string, InstanceTypeRow>,
} as const;

export type InstanceTypeCatalog = 'ec2' | 'rds' | 'elasticache';

export function isKnownType(catalog: InstanceTypeCatalog, type: string): boolean {
  return Object.prototype.hasOwnProperty.call(instanceTypeTable[catalog], type);
}

export function knownTypes(catalog: InstanceTypeCatalog): string[] {
  return Object.keys(instanceTypeTable[catalog]);
}
