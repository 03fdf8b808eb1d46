import { z } from 'zod';
import { NetworkSchema } from './network';
import { dnsLabel, nonNegativeInt, section } from './primitives';

/** Clouds a region may run on. Only AWS so far; the field exists so a GCP region can be added. */
export const CloudSchema = z.literal('aws', { error: 'only "aws" is supported so far (gcp is planned)' });

const awsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as us-east-1');

export const PrimaryRegionSchema = section({
  cloud: CloudSchema.default('aws'),
  region: awsRegion.default('us-east-1'),
});

/** Capacity a node group keeps in the standby region until failover scales it to the primary's sizes. */
const StandbyNodeGroupSchema = section({
  name: dnsLabel,
  minSize: nonNegativeInt,
  desiredSize: nonNegativeInt,
});

const StandbyApplicationSchema = section({
  name: dnsLabel,
  replicas: nonNegativeInt,
});

/**
 * The disaster-recovery region: its own network, a standby copy of the cluster at reduced
 * capacity, the database's cross-region replica and its own cache. Everything not stated here
 * (Kubernetes version, add-ons, node group shapes, mesh, applications) follows the primary.
 */
export const SecondaryRegionSchema = section({
  cloud: CloudSchema.default('aws'),
  region: awsRegion.default('us-west-2'),
  role: z.enum(['disaster-recovery']).default('disaster-recovery'),
  clusterName: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'must be an EKS cluster name (letters, digits, - and _)'),
  network: NetworkSchema,
  cache: section({
    nodeType: z.string(),
    numCacheClusters: z.int().min(1).max(6),
  }),
  standby: section({
    nodeGroups: z.array(StandbyNodeGroupSchema).default([]),
    applications: z.array(StandbyApplicationSchema).default([]),
  }).prefault({}),
});

export const RegionsSchema = section({
  primary: PrimaryRegionSchema.prefault({}),
  secondary: SecondaryRegionSchema,
});
