import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { isDeepStrictEqual } from 'node:util';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { ignoreMissing, unlessMissing } from '../support/errors';
import type { AwsGrant } from '../permissions/grants';

/** A bucket's resource policy, as a JSON document. */
export interface BucketPolicyProps {
  bucketName: string;
  policy: string;
}

const notFound = ['NoSuchBucketPolicy', 'NoSuchBucket'];
const client = (ctx: HandlerContext) => awsClient(S3Client, ctx.region);

async function put(props: BucketPolicyProps, ctx: HandlerContext) {
  await client(ctx).send(new PutBucketPolicyCommand({ Bucket: props.bucketName, Policy: props.policy }));
}

export const bucketPolicy: ResourceHandler<BucketPolicyProps, Record<string, never>> = {
  async create(props, ctx) {
    await put(props, ctx);
    return { id: props.bucketName, outs: {} };
  },

  async read(id, current, ctx) {
    const found = await unlessMissing(
      client(ctx).send(new GetBucketPolicyCommand({ Bucket: id })),
      ...notFound,
    );
    if (!found?.Policy) return undefined;
    // S3 may reformat the document: an equal policy keeps the text lp-infra wrote.
    const same = isDeepStrictEqual(JSON.parse(found.Policy), JSON.parse(current.props.policy));
    return { props: { bucketName: id, policy: same ? current.props.policy : found.Policy }, outs: {} };
  },

  async update(_id, _current, news, ctx) {
    await put(news, ctx);
    return {};
  },

  async delete(id, _current, ctx) {
    await ignoreMissing(client(ctx).send(new DeleteBucketPolicyCommand({ Bucket: id })), ...notFound);
  },

  replaceOnChanges: ['bucketName'],
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'], on: ['bucket'] },
];
