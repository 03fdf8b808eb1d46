import {
  CreateNatGatewayCommand,
  DeleteNatGatewayCommand,
  DescribeNatGatewaysCommand,
  waitUntilNatGatewayAvailable,
  waitUntilNatGatewayDeleted,
  type Filter,
  type NatGateway,
} from '@aws-sdk/client-ec2';
import type { HandlerContext } from '../../pulumi/resource-handler';
import { ignoreMissing } from '../support/errors';
import { waiterFor } from '../support/poll';
import { ec2, taggedEc2Handler, type TaggedProps } from './tagged-resource';
import { ec2TagOnCreate, type AwsGrant } from '../permissions/grants';

/** A public NAT gateway in a public subnet, with an Elastic IP; private subnets route through it. */
export interface NatGatewayProps extends TaggedProps {
  subnetId: string;
  allocationId: string;
}

export interface NatGatewayOuts {
  natGatewayId: string;
}

const describeNatGateways = async (filters: Filter[], ctx: HandlerContext) =>
  (await ec2(ctx).send(new DescribeNatGatewaysCommand({ Filter: filters }))).NatGateways ?? [];

export const natGateway = taggedEc2Handler<NatGatewayProps, NatGatewayOuts, NatGateway>({
  resourceType: 'natgateway',
  describe: describeNatGateways,
  describeById: async (id, ctx) =>
    (await describeNatGateways([{ Name: 'nat-gateway-id', Values: [id] }], ctx))[0],
  idOf: (found) => found.NatGatewayId ?? '',
  tagsOf: (found) => found.Tags,
  isGone: (found) => ['deleting', 'deleted', 'failed'].includes(found.State ?? ''),

  async make(props, tagSpecifications, _ctx, client) {
    const { NatGateway: made } = await client.send(
      new CreateNatGatewayCommand({
        SubnetId: props.subnetId,
        AllocationId: props.allocationId,
        ConnectivityType: 'public',
        TagSpecifications: tagSpecifications,
      }),
    );
    return made?.NatGatewayId ?? '';
  },
  async ready(natGatewayId, ctx) {
    await waitUntilNatGatewayAvailable(waiterFor(ec2(ctx), 10), { NatGatewayIds: [natGatewayId] });
  },

  propsOf: (found, current) => ({
    ...current,
    subnetId: found.SubnetId ?? '',
    allocationId: found.NatGatewayAddresses?.[0]?.AllocationId ?? '',
  }),
  outsOf: (found) => ({ natGatewayId: found.NatGatewayId ?? '' }),

  async remove(id, _found, ctx) {
    await ignoreMissing(
      ec2(ctx).send(new DeleteNatGatewayCommand({ NatGatewayId: id })),
      'NatGatewayNotFound',
    );
    // Its Elastic IP is released next, which fails while the gateway still holds it.
    await waitUntilNatGatewayDeleted(waiterFor(ec2(ctx), 10), { NatGatewayIds: [id] });
  },
  replaceOnChanges: ['subnetId', 'allocationId'],
});

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['ec2:DescribeNatGateways'] },
  { actions: ['ec2:CreateNatGateway'], on: ['natgateway'], when: 'created' },
  { actions: ['ec2:CreateNatGateway'], when: 'tagged' },
  { ...ec2TagOnCreate('CreateNatGateway'), on: ['natgateway'] },
  { actions: ['ec2:DeleteNatGateway'], when: 'tagged' },
];
