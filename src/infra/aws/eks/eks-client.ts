import { EKSClient, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-eks';
import type { HandlerContext } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { tagChanges } from '../support/tag-changes';
import { keepsEnvironmentTag, type AwsGrant } from '../permissions/grants';

export const eks = (ctx: HandlerContext) => awsClient(EKSClient, ctx.region);
export const notFound = 'ResourceNotFoundException';

/** Brings the tags of an EKS cluster, node group or add-on from `before` to `after`. */
export async function updateEksTags(
  arn: string,
  before: Record<string, string>,
  after: Record<string, string>,
  ctx: HandlerContext,
) {
  const changes = tagChanges(before, after);
  if (changes.removed.length)
    await eks(ctx).send(new UntagResourceCommand({ resourceArn: arn, tagKeys: changes.removed }));
  if (Object.keys(changes.set).length)
    await eks(ctx).send(new TagResourceCommand({ resourceArn: arn, tags: changes.set }));
}

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['eks:TagResource'], when: 'tagged' },
  {
    actions: ['eks:UntagResource'],
    when: 'tagged',
    condition: keepsEnvironmentTag,
  },
  {
    actions: ['eks:TagResource'],
    on: ['cluster', 'nodegroup', 'addon'],
    when: 'created',
    implied: 'the tags given to CreateCluster, CreateNodegroup and CreateAddon',
  },
];
