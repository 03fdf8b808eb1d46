import {
  CreateCacheSubnetGroupCommand,
  DeleteCacheSubnetGroupCommand,
  DescribeCacheSubnetGroupsCommand,
  ElastiCacheClient,
  ModifyCacheSubnetGroupCommand,
} from '@aws-sdk/client-elasticache';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { skipNotEmulated } from '../support/emulator';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { sameMembers } from '../support/same-members';
import { toAwsTags } from '../tags';

/** The subnets a Redis replication group's nodes are placed in. */
export interface CacheSubnetGroupProps {
  name: string;
  description: string;
  subnetIds: string[];
  tags: Record<string, string>;
}

export interface CacheSubnetGroupOuts {
  arn: string;
}

const notFound = 'CacheSubnetGroupNotFoundFault';
const client = (ctx: HandlerContext) => awsClient(ElastiCacheClient, ctx.region);

async function describe(name: string, ctx: HandlerContext) {
  const found = await unlessMissing(
    client(ctx).send(new DescribeCacheSubnetGroupsCommand({ CacheSubnetGroupName: name })),
    notFound,
  );
  return found?.CacheSubnetGroups?.[0];
}

export const cacheSubnetGroup: ResourceHandler<CacheSubnetGroupProps, CacheSubnetGroupOuts> = {
  async create(props, ctx) {
    const group =
      (await describe(props.name, ctx)) ??
      (
        await client(ctx).send(
          new CreateCacheSubnetGroupCommand({
            CacheSubnetGroupName: props.name,
            CacheSubnetGroupDescription: props.description,
            SubnetIds: props.subnetIds,
            Tags: toAwsTags(props.tags),
          }),
        )
      ).CacheSubnetGroup;
    return { id: props.name, outs: { arn: group?.ARN ?? '' } };
  },

  async read(id, current, ctx) {
    const group = await describe(id, ctx);
    if (!group) return undefined;
    const subnetIds = (group.Subnets ?? []).map((subnet) => subnet.SubnetIdentifier ?? '');
    return {
      props: {
        ...current.props,
        description: group.CacheSubnetGroupDescription ?? '',
        subnetIds: sameMembers(subnetIds, current.props.subnetIds),
      },
      outs: current.outs,
    };
  },

  async update(id, current, news, ctx) {
    if (!skipNotEmulated(ctx, `modify cache subnet group ${id}`)) {
      await client(ctx).send(
        new ModifyCacheSubnetGroupCommand({
          CacheSubnetGroupName: id,
          CacheSubnetGroupDescription: news.description,
          SubnetIds: news.subnetIds,
        }),
      );
    }
    return current.outs;
  },

  async delete(id, _current, ctx) {
    if (skipNotEmulated(ctx, `delete cache subnet group ${id}`)) return;
    await ignoreMissing(
      client(ctx).send(new DeleteCacheSubnetGroupCommand({ CacheSubnetGroupName: id })),
      notFound,
    );
  },

  replaceOnChanges: ['name'],
  deleteBeforeReplace: true,
};
