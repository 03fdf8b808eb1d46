import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createHash } from 'node:crypto';
import type { ComponentRequest } from './contract';
import { awsClient } from '../aws/clients';
import { HandlerResource } from '../handler-resource';
import { pulumiDriver, type ProgramOutputs } from './pulumi-driver';
import { kmsKeyArn, regionOf, resourceTags } from './request-values';

/**
 * The assets bucket. Its name is the spec's prefix plus 8 hex characters of a hash of the
 * account and the environment: unique across accounts, and the same on every run, so a
 * retry or a second `up` finds the bucket it made.
 */
export async function assetsBucketName(request: ComponentRequest<'storage'>): Promise<string> {
  const { Account } = await awsClient(STSClient, regionOf(request)).send(new GetCallerIdentityCommand({}));
  const suffix = createHash('sha256').update(`${Account}:${request.spec.name}`).digest('hex').slice(0, 8);
  return `${request.spec.storage.bucketNamePrefix}${suffix}`;
}

async function program(request: ComponentRequest<'storage'>) {
  const { storage } = request.spec;
  const bucket = new HandlerResource('aws:s3-bucket', 'assets', {
    region: regionOf(request),
    props: {
      bucketName: await assetsBucketName(request),
      versioning: storage.versioning,
      encryption: {
        algorithm: storage.encryption.algorithm,
        kmsKeyArn:
          storage.encryption.algorithm === 'aws:kms'
            ? kmsKeyArn(request, 'kms', storage.encryption.kmsKey)
            : undefined,
        bucketKey: storage.encryption.bucketKey,
      },
      lifecycleRules: storage.lifecycleRules.map((rule) => ({
        id: rule.id,
        enabled: rule.enabled,
        transitions: rule.transitions,
        noncurrentVersionExpirationDays: rule.noncurrentVersionExpirationDays,
      })),
      blockPublicAccess: true,
      tags: resourceTags(request),
    },
  });
  return {
    bucketName: bucket.id,
    bucketArn: bucket.outs.apply((outs) => outs.arn),
    bucketRegionalDomainName: bucket.outs.apply((outs) => outs.regionalDomainName),
  } satisfies ProgramOutputs<'storage'>;
}

export const storageDriver = pulumiDriver<'storage'>({ program });
