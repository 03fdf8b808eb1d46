import {
  ChangeTagsForResourceCommand,
  ListTagsForResourceCommand,
  Route53Client,
  type TagResourceType,
} from '@aws-sdk/client-route-53';
import type { HandlerContext } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { tagChanges } from '../support/tag-changes';
import { fromAwsTags, toAwsTags } from '../tags';
import type { AwsGrant } from '../permissions/grants';

/** Route 53 tags its zones and health checks through one API, by resource type. */
export async function route53Tags(type: TagResourceType, id: string, ctx: HandlerContext) {
  const { ResourceTagSet } = await awsClient(Route53Client, ctx.region).send(
    new ListTagsForResourceCommand({ ResourceType: type, ResourceId: id }),
  );
  return fromAwsTags(ResourceTagSet?.Tags);
}

export async function updateRoute53Tags(
  type: TagResourceType,
  id: string,
  before: Record<string, string>,
  after: Record<string, string>,
  ctx: HandlerContext,
) {
  const changes = tagChanges(before, after);
  if (!changes.changed) return;
  await awsClient(Route53Client, ctx.region).send(
    new ChangeTagsForResourceCommand({
      ResourceType: type,
      ResourceId: id,
      ...(Object.keys(changes.set).length ? { AddTags: toAwsTags(changes.set) } : {}),
      ...(changes.removed.length ? { RemoveTagKeys: changes.removed } : {}),
    }),
  );
}

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['route53:ListTagsForResource'] },
  { actions: ['route53:ChangeTagsForResource'], on: ['hostedzone', 'healthcheck'] },
];
