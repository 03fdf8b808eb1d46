import {
  DeletePublicAccessBlockCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  DeleteBucketLifecycleCommand,
  type LifecycleRule,
  type S3Client,
  type TransitionStorageClass,
} from '@aws-sdk/client-s3';
import { unlessMissing } from '../support/errors';
import { fromAwsTags, toAwsTags } from '../tags';
import type { AwsGrant } from '../permissions/grants';

/** Everything about a bucket lp-infra sets, apart from its name. */
export interface BucketSettings {
  versioning: boolean;
  encryption: { algorithm: 'aws:kms' | 'AES256'; kmsKeyArn?: string; bucketKey: boolean };
  lifecycleRules: {
    id: string;
    enabled: boolean;
    transitions: { days: number; storageClass: string }[];
    noncurrentVersionExpirationDays?: number;
  }[];
  blockPublicAccess: boolean;
  tags: Record<string, string>;
}

const allBlocked = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

function toLifecycleRule(rule: BucketSettings['lifecycleRules'][number]): LifecycleRule {
  return {
    ID: rule.id,
    Status: rule.enabled ? 'Enabled' : 'Disabled',
    Filter: { Prefix: '' },
    Transitions: rule.transitions.map((t) => ({
      Days: t.days,
      StorageClass: t.storageClass as TransitionStorageClass,
    })),
    NoncurrentVersionExpiration:
      rule.noncurrentVersionExpirationDays !== undefined
        ? { NoncurrentDays: rule.noncurrentVersionExpirationDays }
        : undefined,
  };
}

function fromLifecycleRule(rule: LifecycleRule): BucketSettings['lifecycleRules'][number] {
  const noncurrentDays = rule.NoncurrentVersionExpiration?.NoncurrentDays;
  return {
    id: rule.ID ?? '',
    enabled: rule.Status === 'Enabled',
    transitions: (rule.Transitions ?? []).map((t) => ({
      days: t.Days ?? 0,
      storageClass: String(t.StorageClass),
    })),
    ...(noncurrentDays !== undefined ? { noncurrentVersionExpirationDays: noncurrentDays } : {}),
  };
}

/** Puts every setting (each call is idempotent, so create, retry and update share it). */
export async function applyBucketSettings(s3: S3Client, bucket: string, settings: BucketSettings) {
  await s3.send(
    new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: toAwsTags(settings.tags) } }),
  );
  if (settings.blockPublicAccess) {
    await s3.send(
      new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: allBlocked }),
    );
  } else {
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
  }
  await s3.send(
    new PutBucketVersioningCommand({
      Bucket: bucket,
      VersioningConfiguration: { Status: settings.versioning ? 'Enabled' : 'Suspended' },
    }),
  );
  const { algorithm, kmsKeyArn, bucketKey } = settings.encryption;
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: {
              SSEAlgorithm: algorithm,
              KMSMasterKeyID: algorithm === 'aws:kms' ? kmsKeyArn : undefined,
            },
            BucketKeyEnabled: bucketKey,
          },
        ],
      },
    }),
  );
  if (settings.lifecycleRules.length === 0) {
    await s3.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));
  } else {
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: { Rules: settings.lifecycleRules.map(toLifecycleRule) },
      }),
    );
  }
}

/** The settings as the bucket has them now. */
export async function readBucketSettings(s3: S3Client, bucket: string): Promise<BucketSettings> {
  const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
  const encryption = await unlessMissing(
    s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })),
    'ServerSideEncryptionConfigurationNotFoundError',
  );
  const lifecycle = await unlessMissing(
    s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })),
    'NoSuchLifecycleConfiguration',
  );
  const publicAccess = await unlessMissing(
    s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })),
    'NoSuchPublicAccessBlockConfiguration',
  );
  const tagging = await unlessMissing(
    s3.send(new GetBucketTaggingCommand({ Bucket: bucket })),
    'NoSuchTagSet',
  );
  const rule = encryption?.ServerSideEncryptionConfiguration?.Rules?.[0];
  const block = publicAccess?.PublicAccessBlockConfiguration;
  return {
    versioning: versioning.Status === 'Enabled',
    encryption: {
      algorithm: rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm === 'aws:kms' ? 'aws:kms' : 'AES256',
      ...(rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID
        ? { kmsKeyArn: rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID }
        : {}),
      bucketKey: rule?.BucketKeyEnabled ?? false,
    },
    lifecycleRules: (lifecycle?.Rules ?? []).map(fromLifecycleRule),
    blockPublicAccess: Boolean(
      block && Object.keys(allBlocked).every((key) => block[key as keyof typeof allBlocked]),
    ),
    tags: fromAwsTags(tagging?.TagSet),
  };
}

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  {
    actions: [
      's3:GetBucketTagging',
      's3:PutBucketTagging',
      's3:GetBucketVersioning',
      's3:PutBucketVersioning',
      's3:GetEncryptionConfiguration',
      's3:PutEncryptionConfiguration',
      's3:GetLifecycleConfiguration',
      's3:PutLifecycleConfiguration',
      's3:GetBucketPublicAccessBlock',
      's3:PutBucketPublicAccessBlock',
    ],
    on: ['bucket'],
  },
];
