import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  S3Client,
  waitUntilBucketExists,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { ignoreMissing, isAwsError } from '../support/errors';
import { applyBucketSettings, readBucketSettings, type BucketSettings } from './bucket-settings';
import type { AwsGrant } from '../permissions/grants';

/** An S3 bucket with versioning, default encryption, lifecycle rules and a public access block. */
export interface BucketProps extends BucketSettings {
  bucketName: string;
}

export interface BucketOuts {
  arn: string;
  regionalDomainName: string;
}

const notFound = ['NoSuchBucket', 'NotFound'];
const client = (ctx: HandlerContext) => awsClient(S3Client, ctx.region);

function outsOf(bucket: string, region: string): BucketOuts {
  return { arn: `arn:aws:s3:::${bucket}`, regionalDomainName: `${bucket}.s3.${region}.amazonaws.com` };
}

async function exists(bucket: string, ctx: HandlerContext): Promise<boolean> {
  try {
    await client(ctx).send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (err) {
    if (isAwsError(err, ...notFound)) return false;
    throw err;
  }
}

/** Deletes every object version and delete marker, a page at a time. */
async function emptyBucket(bucket: string, ctx: HandlerContext) {
  for (;;) {
    const page = await client(ctx).send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 }));
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({
      Key: v.Key,
      VersionId: v.VersionId,
    }));
    if (objects.length === 0) return;
    await client(ctx).send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
    );
  }
}

export const bucket: ResourceHandler<BucketProps, BucketOuts> = {
  async create(props, ctx) {
    const { bucketName, ...settings } = props;
    if (!(await exists(bucketName, ctx))) {
      try {
        await client(ctx).send(
          new CreateBucketCommand({
            Bucket: bucketName,
            ObjectOwnership: 'BucketOwnerEnforced',
            CreateBucketConfiguration:
              ctx.region === 'us-east-1'
                ? undefined
                : { LocationConstraint: ctx.region as BucketLocationConstraint },
          }),
        );
      } catch (err) {
        if (!isAwsError(err, 'BucketAlreadyOwnedByYou')) throw err; // made by an earlier attempt
      }
      await waitUntilBucketExists(
        { client: client(ctx), maxWaitTime: 120, minDelay: 1, maxDelay: 5 },
        { Bucket: bucketName },
      );
    }
    ctx.made?.(bucketName);
    await applyBucketSettings(client(ctx), bucketName, settings);
    return { id: bucketName, outs: outsOf(bucketName, ctx.region) };
  },

  async read(id, current, ctx) {
    if (!(await exists(id, ctx))) return undefined;
    return { props: { bucketName: id, ...(await readBucketSettings(client(ctx), id)) }, outs: current.outs };
  },

  async update(id, current, news, ctx) {
    const { bucketName: _name, ...settings } = news;
    await applyBucketSettings(client(ctx), id, settings);
    return current.outs;
  },

  /** The destroy was approved: the bucket goes with every object version in it. */
  async delete(id, _current, ctx) {
    if (!(await exists(id, ctx))) return;
    await emptyBucket(id, ctx);
    await ignoreMissing(client(ctx).send(new DeleteBucketCommand({ Bucket: id })), ...notFound);
  },

  replaceOnChanges: ['bucketName'],
  deleteBeforeReplace: true,
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  {
    actions: ['s3:ListBucket', 's3:CreateBucket', 's3:ListBucketVersions', 's3:DeleteBucket'],
    on: ['bucket'],
  },
  {
    actions: ['s3:PutBucketOwnershipControls'],
    on: ['bucket'],
    implied: 'CreateBucket sets object ownership (BucketOwnerEnforced)',
  },
  { actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'], on: ['object'] },
];
