import {
  CreateCacheSubnetGroupCommand,
  DeleteCacheSubnetGroupCommand,
  DescribeCacheSubnetGroupsCommand,
  ElastiCacheClient,
  ModifyCacheSubnetGroupCommand,
} from '@aws-sdk/client-elasticache';
import type { HandlerContext } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { skipNotEmulated } from '../support/emulator';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { subnetGroupHandler } from '../support/subnet-group';
import { toAwsTags } from '../tags';
import type { AwsGrant } from '../permissions/grants';

const notFound = 'CacheSubnetGroupNotFoundFault';
const client = (ctx: HandlerContext) => awsClient(ElastiCacheClient, ctx.region);

/** The subnets a Redis replication group's nodes are placed in. */
export const cacheSubnetGroup = subnetGroupHandler({
  async describe(name, ctx) {
    const found = await unlessMissing(
      client(ctx).send(new DescribeCacheSubnetGroupsCommand({ CacheSubnetGroupName: name })),
      notFound,
    );
    const group = found?.CacheSubnetGroups?.[0];
    return (
      group && {
        arn: group.ARN ?? '',
        description: group.CacheSubnetGroupDescription ?? '',
        subnetIds: (group.Subnets ?? []).map((subnet) => subnet.SubnetIdentifier ?? ''),
      }
    );
  },
  async create(props, ctx) {
    const { CacheSubnetGroup } = await client(ctx).send(
      new CreateCacheSubnetGroupCommand({
        CacheSubnetGroupName: props.name,
        CacheSubnetGroupDescription: props.description,
        SubnetIds: props.subnetIds,
        Tags: toAwsTags(props.tags),
      }),
    );
    return CacheSubnetGroup?.ARN ?? '';
  },
  async modify(name, props, ctx) {
    if (skipNotEmulated(ctx, `modify cache subnet group ${name}`)) return;
    await client(ctx).send(
      new ModifyCacheSubnetGroupCommand({
        CacheSubnetGroupName: name,
        CacheSubnetGroupDescription: props.description,
        SubnetIds: props.subnetIds,
      }),
    );
  },
  async remove(name, ctx) {
    if (skipNotEmulated(ctx, `delete cache subnet group ${name}`)) return;
    await ignoreMissing(
      client(ctx).send(new DeleteCacheSubnetGroupCommand({ CacheSubnetGroupName: name })),
      notFound,
    );
  },
});

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['elasticache:DescribeCacheSubnetGroups'] },
  { actions: ['elasticache:CreateCacheSubnetGroup'], when: 'created' },
  { actions: ['elasticache:ModifyCacheSubnetGroup', 'elasticache:DeleteCacheSubnetGroup'], when: 'tagged' },
];
