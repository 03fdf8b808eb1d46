import {
  CreateDBSubnetGroupCommand,
  DeleteDBSubnetGroupCommand,
  DescribeDBSubnetGroupsCommand,
  ModifyDBSubnetGroupCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import type { HandlerContext } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { subnetGroupHandler } from '../support/subnet-group';
import { toAwsTags } from '../tags';
import { updateRdsTags } from './rds-tags';
import type { AwsGrant } from '../permissions/grants';

const notFound = 'DBSubnetGroupNotFoundFault';
const client = (ctx: HandlerContext) => awsClient(RDSClient, ctx.region);

/** The subnets an Aurora cluster's instances are placed in. */
export const dbSubnetGroup = subnetGroupHandler({
  async describe(name, ctx) {
    const found = await unlessMissing(
      client(ctx).send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: name })),
      notFound,
    );
    const group = found?.DBSubnetGroups?.[0];
    return (
      group && {
        arn: group.DBSubnetGroupArn ?? '',
        description: group.DBSubnetGroupDescription ?? '',
        subnetIds: (group.Subnets ?? []).map((subnet) => subnet.SubnetIdentifier ?? ''),
      }
    );
  },
  async create(props, ctx) {
    const { DBSubnetGroup } = await client(ctx).send(
      new CreateDBSubnetGroupCommand({
        DBSubnetGroupName: props.name,
        DBSubnetGroupDescription: props.description,
        SubnetIds: props.subnetIds,
        Tags: toAwsTags(props.tags),
      }),
    );
    return DBSubnetGroup?.DBSubnetGroupArn ?? '';
  },
  async modify(name, props, ctx) {
    await client(ctx).send(
      new ModifyDBSubnetGroupCommand({
        DBSubnetGroupName: name,
        DBSubnetGroupDescription: props.description,
        SubnetIds: props.subnetIds,
      }),
    );
  },
  retag: (arn, before, after, ctx) => updateRdsTags(arn, before, after, ctx.region),
  async remove(name, ctx) {
    await ignoreMissing(
      client(ctx).send(new DeleteDBSubnetGroupCommand({ DBSubnetGroupName: name })),
      notFound,
    );
  },
});

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['rds:DescribeDBSubnetGroups'] },
  { actions: ['rds:CreateDBSubnetGroup'], when: 'created' },
  { actions: ['rds:ModifyDBSubnetGroup', 'rds:DeleteDBSubnetGroup'], when: 'tagged' },
];
