/** The environment spec: one document that says everything lp-infra builds. */
import { z } from 'zod';
import { ApplicationSchema } from './applications';
import { CacheSchema } from './cache';
import { CdnSchema } from './cdn';
import { ClusterSchema } from './cluster';
import { DatabaseSchema } from './database';
import { DnsSchema } from './dns';
import { KmsSchema } from './kms';
import { MeshSchema } from './mesh';
import { MonitoringSchema } from './monitoring';
import { NetworkSchema } from './network';
import { DisasterRecoverySchema, DriftSchema, ProvisioningSchema } from './operations';
import { dnsLabel, section } from './primitives';
import { RegionsSchema } from './regions';
import { StorageSchema } from './storage';

const tagKey = z.string().regex(/^[\w .:/=+@-]{1,128}$/, 'must be an AWS tag key (128 characters at most)');
const tagValue = z
  .string()
  .regex(/^[\w .:/=+@-]{0,256}$/, 'must be an AWS tag value (256 characters at most)');

export const EnvironmentSpecSchema = section({
  /** The environment's name: workflow ids (provision/<name>), stack names, tags. */
  name: dnsLabel,
  environment: z.enum(['production', 'staging', 'development']),
  /** true: built against the local emulated cloud; endpoints come from the worker's configuration. */
  emulated: z.boolean().default(false),
  regions: RegionsSchema,
  tags: z.record(tagKey, tagValue).default({}),
  network: NetworkSchema,
  kms: KmsSchema,
  cluster: ClusterSchema,
  database: DatabaseSchema,
  cache: CacheSchema,
  storage: StorageSchema,
  cdn: CdnSchema,
  dns: DnsSchema,
  mesh: MeshSchema,
  applications: z.array(ApplicationSchema).min(1),
  monitoring: MonitoringSchema,
  disasterRecovery: DisasterRecoverySchema,
  drift: DriftSchema.prefault({}),
  provisioning: ProvisioningSchema.prefault({}),
});

export type EnvironmentSpec = z.infer<typeof EnvironmentSpecSchema>;
/** The spec as written, before defaults are filled in. */
export type EnvironmentSpecInput = z.input<typeof EnvironmentSpecSchema>;
export type SpecSection = keyof EnvironmentSpec;
export type Environment = EnvironmentSpec['environment'];
