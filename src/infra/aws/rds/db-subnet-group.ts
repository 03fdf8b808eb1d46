import {
  CreateDBSubnetGroupCommand,
  DeleteDBSubnetGroupCommand,
  DescribeDBSubnetGroupsCommand,
  ModifyDBSubnetGroupCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { sameMembers } from '../support/same-members';
import { toAwsTags } from '../tags';
import { updateRdsTags } from './rds-tags';

/** The subnets an Aurora cluster's instances are placed in. */
export interface DbSubnetGroupProps {
  name: string;
  description: string;
  subnetIds: string[];
  tags: Record<string, string>;
}

export interface DbSubnetGroupOuts {
  arn: string;
}

const notFound = 'DBSubnetGroupNotFoundFault';
const client = (ctx: HandlerContext) => awsClient(RDSClient, ctx.region);

async function describe(name: string, ctx: HandlerContext) {
  const found = await unlessMissing(
    client(ctx).send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: name })),
    notFound,
  );
  return found?.DBSubnetGroups?.[0];
}

export const dbSubnetGroup: ResourceHandler<DbSubnetGroupProps, DbSubnetGroupOuts> = {
  async create(props, ctx) {
    const existing = await describe(props.name, ctx);
    const group =
      existing ??
      (
        await client(ctx).send(
          new CreateDBSubnetGroupCommand({
            DBSubnetGroupName: props.name,
            DBSubnetGroupDescription: props.description,
            SubnetIds: props.subnetIds,
            Tags: toAwsTags(props.tags),
          }),
        )
      ).DBSubnetGroup;
    return { id: props.name, outs: { arn: group?.DBSubnetGroupArn ?? '' } };
  },

  async read(id, current, ctx) {
    const group = await describe(id, ctx);
    if (!group) return undefined;
    const subnetIds = (group.Subnets ?? []).map((subnet) => subnet.SubnetIdentifier ?? '');
    return {
      props: {
        ...current.props,
        description: group.DBSubnetGroupDescription ?? '',
        subnetIds: sameMembers(subnetIds, current.props.subnetIds),
      },
      outs: current.outs,
    };
  },

  async update(id, current, news, ctx) {
    await client(ctx).send(
      new ModifyDBSubnetGroupCommand({
        DBSubnetGroupName: id,
        DBSubnetGroupDescription: news.description,
        SubnetIds: news.subnetIds,
      }),
    );
    await updateRdsTags(current.outs.arn, current.props.tags, news.tags, ctx.region);
    return current.outs;
  },

  async delete(id, _current, ctx) {
    await ignoreMissing(
      client(ctx).send(new DeleteDBSubnetGroupCommand({ DBSubnetGroupName: id })),
      notFound,
    );
  },

  replaceOnChanges: ['name'],
  deleteBeforeReplace: true,
};
