import {
  AssociateRouteTableCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  DeleteRouteCommand,
  DeleteRouteTableCommand,
  DescribeRouteTablesCommand,
  DisassociateRouteTableCommand,
  ReplaceRouteCommand,
  type Filter,
  type Route as Ec2Route,
  type RouteTable as Ec2RouteTable,
} from '@aws-sdk/client-ec2';
import type { HandlerContext } from '../../pulumi/resource-handler';
import { ignoreMissing } from '../support/errors';
import { sameMembers } from '../support/same-members';
import { ec2, taggedEc2Handler, type TaggedProps } from './tagged-resource';
import { ec2TagOnCreate, type AwsGrant } from '../permissions/grants';

/**
 * A route table with its routes and the subnets it serves, kept as one resource: the
 * routes and associations are brought to the props on every create and update.
 */
export interface RouteTableProps extends TaggedProps {
  vpcId: string;
  /** `target` is an internet gateway (igw-…) or a NAT gateway (nat-…). */
  routes: Route[];
  subnetIds: string[];
}

export interface Route {
  destinationCidrBlock: string;
  target: string;
}

export interface RouteTableOuts {
  routeTableId: string;
}

const describeTables = async (filters: Filter[], ctx: HandlerContext) =>
  (await ec2(ctx).send(new DescribeRouteTablesCommand({ Filters: filters }))).RouteTables ?? [];

const describeById = async (id: string, ctx: HandlerContext) =>
  (await describeTables([{ Name: 'route-table-id', Values: [id] }], ctx))[0];

function routeTarget(target: string) {
  return target.startsWith('nat-') ? { NatGatewayId: target } : { GatewayId: target };
}

/** The routes lp-infra manages: not the VPC's local route. */
export function managedRoutes(table: Ec2RouteTable): Route[] {
  return (table.Routes ?? [])
    .filter((route: Ec2Route) => route.Origin === 'CreateRoute' && route.DestinationCidrBlock)
    .map((route) => ({
      destinationCidrBlock: route.DestinationCidrBlock ?? '',
      target: route.NatGatewayId ?? route.GatewayId ?? '',
    }));
}

/** `actual` in the order of `wanted` when both hold the same routes. */
function sameRoutes(actual: Route[], wanted: Route[]): Route[] {
  const key = (route: Route) => `${route.destinationCidrBlock}>${route.target}`;
  const wantedKeys = wanted.map(key);
  return sameMembers(actual.map(key), wantedKeys) === wantedKeys ? wanted : actual;
}

const subnetAssociations = (table: Ec2RouteTable) =>
  (table.Associations ?? []).filter((association) => !association.Main && association.SubnetId);

async function convergeRoutes(id: string, wanted: Route[], now: Route[], ctx: HandlerContext) {
  for (const route of wanted) {
    const existing = now.find((r) => r.destinationCidrBlock === route.destinationCidrBlock);
    const input = {
      RouteTableId: id,
      DestinationCidrBlock: route.destinationCidrBlock,
      ...routeTarget(route.target),
    };
    if (!existing) await ec2(ctx).send(new CreateRouteCommand(input));
    else if (existing.target !== route.target) await ec2(ctx).send(new ReplaceRouteCommand(input));
  }
  for (const route of now.filter(
    (r) => !wanted.some((w) => w.destinationCidrBlock === r.destinationCidrBlock),
  )) {
    await ec2(ctx).send(
      new DeleteRouteCommand({ RouteTableId: id, DestinationCidrBlock: route.destinationCidrBlock }),
    );
  }
}

async function convergeAssociations(id: string, wanted: string[], table: Ec2RouteTable, ctx: HandlerContext) {
  const associations = subnetAssociations(table);
  for (const subnetId of wanted.filter((s) => !associations.some((a) => a.SubnetId === s))) {
    await ec2(ctx).send(new AssociateRouteTableCommand({ RouteTableId: id, SubnetId: subnetId }));
  }
  for (const association of associations.filter((a) => !wanted.includes(a.SubnetId ?? ''))) {
    await ec2(ctx).send(
      new DisassociateRouteTableCommand({ AssociationId: association.RouteTableAssociationId }),
    );
  }
}

export const routeTable = taggedEc2Handler<RouteTableProps, RouteTableOuts, Ec2RouteTable>({
  resourceType: 'route-table',
  describe: describeTables,
  describeById,
  idOf: (found) => found.RouteTableId ?? '',
  tagsOf: (found) => found.Tags,

  async make(props, tagSpecifications, _ctx, client) {
    const { RouteTable: made } = await client.send(
      new CreateRouteTableCommand({ VpcId: props.vpcId, TagSpecifications: tagSpecifications }),
    );
    return made?.RouteTableId ?? '';
  },

  async converge(id, props, ctx) {
    const table = await describeById(id, ctx);
    if (!table) throw new Error(`route table ${id} not found`);
    await convergeRoutes(id, props.routes, managedRoutes(table), ctx);
    await convergeAssociations(id, props.subnetIds, table, ctx);
  },

  propsOf: (found, current) => ({
    ...current,
    vpcId: found.VpcId ?? '',
    routes: sameRoutes(managedRoutes(found), current.routes),
    subnetIds: sameMembers(
      subnetAssociations(found).map((association) => association.SubnetId ?? ''),
      current.subnetIds,
    ),
  }),
  outsOf: (found) => ({ routeTableId: found.RouteTableId ?? '' }),

  async remove(id, found, ctx) {
    for (const association of subnetAssociations(found)) {
      await ignoreMissing(
        ec2(ctx).send(
          new DisassociateRouteTableCommand({ AssociationId: association.RouteTableAssociationId }),
        ),
        'InvalidAssociationID.NotFound',
      );
    }
    await ignoreMissing(
      ec2(ctx).send(new DeleteRouteTableCommand({ RouteTableId: id })),
      'InvalidRouteTableID.NotFound',
    );
  },
  replaceOnChanges: ['vpcId'],
});

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['ec2:DescribeRouteTables'] },
  { actions: ['ec2:CreateRouteTable'], on: ['route-table'], when: 'created' },
  { actions: ['ec2:CreateRouteTable'], when: 'tagged' },
  { ...ec2TagOnCreate('CreateRouteTable'), on: ['route-table'] },
  {
    actions: ['ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:DeleteRoute'],
    when: 'tagged',
  },
  {
    actions: ['ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable'],
    when: 'tagged',
  },
  { actions: ['ec2:DeleteRouteTable'], when: 'tagged' },
];
