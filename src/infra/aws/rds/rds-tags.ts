import { AddTagsToResourceCommand, RDSClient, RemoveTagsFromResourceCommand } from '@aws-sdk/client-rds';
import { awsClient } from '../clients';
import { tagChanges } from '../support/tag-changes';
import { toAwsTags } from '../tags';
import { keepsEnvironmentTag, type AwsGrant } from '../permissions/grants';

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

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['rds:AddTagsToResource'], when: 'tagged' },
  { actions: ['rds:RemoveTagsFromResource'], when: 'tagged', condition: keepsEnvironmentTag },
  {
    actions: ['rds:AddTagsToResource'],
    when: 'created',
    implied: 'the tags given to CreateDBCluster, CreateDBInstance, CreateDBSubnetGroup, CreateGlobalCluster',
  },
];
