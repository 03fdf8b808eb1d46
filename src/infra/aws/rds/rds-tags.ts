import { AddTagsToResourceCommand, RDSClient, RemoveTagsFromResourceCommand } from '@aws-sdk/client-rds';
import { awsClient } from '../clients';
import { tagChanges } from '../support/tag-changes';
import { toAwsTags } from '../tags';

/** Brings the tags of an RDS resource from `before` to `after`. */
export async function updateRdsTags(
  arn: string,
  before: Record<string, string>,
  after: Record<string, string>,
  region: string,
) {
  const changes = tagChanges(before, after);
  const rds = awsClient(RDSClient, region);
  if (changes.removed.length)
    await rds.send(new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: changes.removed }));
  if (Object.keys(changes.set).length)
    await rds.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: toAwsTags(changes.set) }));
}
