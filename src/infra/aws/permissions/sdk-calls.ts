/**
 * The IAM action behind an AWS SDK v3 call. Mostly `<service prefix>:<operation>`; the
 * operations below are authorized under other names (S3 above all), or under several.
 */

/** IAM service prefix of each SDK client package lp-infra uses. */
export const servicePrefixes: Record<string, string> = {
  '@aws-sdk/client-acm': 'acm',
  '@aws-sdk/client-cloudfront': 'cloudfront',
  '@aws-sdk/client-cloudwatch': 'cloudwatch',
  '@aws-sdk/client-cloudwatch-logs': 'logs',
  '@aws-sdk/client-ec2': 'ec2',
  '@aws-sdk/client-eks': 'eks',
  '@aws-sdk/client-elasticache': 'elasticache',
  '@aws-sdk/client-iam': 'iam',
  '@aws-sdk/client-kms': 'kms',
  '@aws-sdk/client-rds': 'rds',
  '@aws-sdk/client-route-53': 'route53',
  '@aws-sdk/client-s3': 's3',
  '@aws-sdk/client-secrets-manager': 'secretsmanager',
  '@aws-sdk/client-sts': 'sts',
  '@aws-sdk/client-wafv2': 'wafv2',
};

/** `<prefix>:<operation>` → the IAM actions it needs, where that is not the same name. */
const renamed: Record<string, string[]> = {
  's3:HeadBucket': ['s3:ListBucket'],
  's3:ListBuckets': ['s3:ListAllMyBuckets'],
  's3:ListObjectVersions': ['s3:ListBucketVersions'],
  's3:DeleteObjects': ['s3:DeleteObject', 's3:DeleteObjectVersion'],
  's3:GetBucketEncryption': ['s3:GetEncryptionConfiguration'],
  's3:PutBucketEncryption': ['s3:PutEncryptionConfiguration'],
  's3:GetBucketLifecycleConfiguration': ['s3:GetLifecycleConfiguration'],
  's3:PutBucketLifecycleConfiguration': ['s3:PutLifecycleConfiguration'],
  's3:DeleteBucketLifecycle': ['s3:PutLifecycleConfiguration'],
  's3:GetPublicAccessBlock': ['s3:GetBucketPublicAccessBlock'],
  's3:PutPublicAccessBlock': ['s3:PutBucketPublicAccessBlock'],
  's3:DeletePublicAccessBlock': ['s3:PutBucketPublicAccessBlock'],
  'cloudfront:CreateDistributionWithTags': ['cloudfront:CreateDistribution', 'cloudfront:TagResource'],
};

/** The IAM actions an SDK operation (`DescribeVpcs`) of a client package needs. */
export function iamActionsOf(sdkPackage: string, operation: string): string[] {
  const prefix = servicePrefixes[sdkPackage];
  if (!prefix) throw new Error(`no IAM service prefix known for ${sdkPackage} (permissions/sdk-calls.ts)`);
  const name = `${prefix}:${operation}`;
  return renamed[name] ?? [name];
}
