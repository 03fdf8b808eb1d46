import {
  CreateSubnetCommand,
  DeleteSubnetCommand,
  DescribeSubnetsCommand,
  ModifySubnetAttributeCommand,
  waitUntilSubnetAvailable,
  type Filter,
  type Subnet,
} from '@aws-sdk/client-ec2';
import type { HandlerContext } from '../../pulumi/resource-handler';
import { ignoreMissing } from '../support/errors';
import { ec2, taggedEc2Handler, type TaggedProps } from './tagged-resource';
import { ec2TagOnCreate, type AwsGrant } from '../permissions/grants';

/** One subnet in one availability zone; public subnets give their instances public addresses. */
export interface SubnetProps extends TaggedProps {
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
  mapPublicIpOnLaunch: boolean;
}

export interface SubnetOuts {
  subnetId: string;
  availabilityZone: string;
}

const describeSubnets = async (filters: Filter[], ctx: HandlerContext) =>
  (await ec2(ctx).send(new DescribeSubnetsCommand({ Filters: filters }))).Subnets ?? [];

export const subnet = taggedEc2Handler<SubnetProps, SubnetOuts, Subnet>({
  resourceType: 'subnet',
  describe: describeSubnets,
  describeById: async (id, ctx) => (await describeSubnets([{ Name: 'subnet-id', Values: [id] }], ctx))[0],
  idOf: (found) => found.SubnetId ?? '',
  tagsOf: (found) => found.Tags,

  async make(props, tagSpecifications, _ctx, client) {
    const { Subnet: made } = await client.send(
      new CreateSubnetCommand({
        VpcId: props.vpcId,
        CidrBlock: props.cidrBlock,
        AvailabilityZone: props.availabilityZone,
        TagSpecifications: tagSpecifications,
      }),
    );
    return made?.SubnetId ?? '';
  },
  async ready(subnetId, ctx) {
    await waitUntilSubnetAvailable({ client: ec2(ctx), maxWaitTime: 300 }, { SubnetIds: [subnetId] });
  },

  async converge(id, props, ctx) {
    const [now] = await describeSubnets([{ Name: 'subnet-id', Values: [id] }], ctx);
    if ((now?.MapPublicIpOnLaunch ?? false) !== props.mapPublicIpOnLaunch) {
      await ec2(ctx).send(
        new ModifySubnetAttributeCommand({
          SubnetId: id,
          MapPublicIpOnLaunch: { Value: props.mapPublicIpOnLaunch },
        }),
      );
    }
  },

  propsOf: (found, current) => ({
    ...current,
    vpcId: found.VpcId ?? '',
    cidrBlock: found.CidrBlock ?? '',
    availabilityZone: found.AvailabilityZone ?? '',
    mapPublicIpOnLaunch: found.MapPublicIpOnLaunch ?? false,
  }),
  outsOf: (found) => ({ subnetId: found.SubnetId ?? '', availabilityZone: found.AvailabilityZone ?? '' }),

  async remove(id, _found, ctx) {
    await ignoreMissing(ec2(ctx).send(new DeleteSubnetCommand({ SubnetId: id })), 'InvalidSubnetID.NotFound');
  },
  replaceOnChanges: ['vpcId', 'cidrBlock', 'availabilityZone'],
});

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['ec2:DescribeSubnets'] },
  { actions: ['ec2:CreateSubnet'], on: ['subnet'], when: 'created' },
  { actions: ['ec2:CreateSubnet'], when: 'tagged' },
  { ...ec2TagOnCreate('CreateSubnet'), on: ['subnet'] },
  { actions: ['ec2:ModifySubnetAttribute', 'ec2:DeleteSubnet'], when: 'tagged' },
];
