import { z } from 'zod';
import { s3StorageClassNames } from '../data/s3-storage-classes';
import { kmsKeyReference, notes, section } from './primitives';

const LifecycleRuleSchema = section({
  id: z.string().min(1).max(255),
  enabled: z.boolean().default(true),
  transitions: z
    .array(section({ days: z.int().min(0), storageClass: z.enum(s3StorageClassNames) }))
    .default([]),
  noncurrentVersionExpirationDays: z.int().min(1).optional(),
});

export const StorageSchema = section({
  /** lp-infra appends 8 random hex characters, so the whole name stays within S3's 63. */
  bucketNamePrefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,54}$/, 'must be 2-55 lower-case letters, digits, "." or "-" (S3 naming)'),
  versioning: z.boolean(),
  encryption: section({
    algorithm: z.enum(['aws:kms', 'AES256']),
    kmsKey: kmsKeyReference.optional(),
    bucketKey: z.boolean().default(false),
  }),
  lifecycleRules: z.array(LifecycleRuleSchema).default([]),
  notes,
});
