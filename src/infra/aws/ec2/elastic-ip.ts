import {
  AllocateAddressCommand,
  DescribeAddressesCommand,
  ReleaseAddressCommand,
  type Address,
  type Filter,
} from '@aws-sdk/client-ec2';
import type { HandlerContext } from '../../pulumi/resource-handler';
import { ignoreMissing } from '../support/errors';
import { ec2, taggedEc2Handler, type TaggedProps } from './tagged-resource';
import { ec2TagOnCreate, type AwsGrant } from '../permissions/grants';

/** An Elastic IP address in the VPC domain (a NAT gateway's public address). */
export type ElasticIpProps = TaggedProps;

export interface ElasticIpOuts {
  allocationId: string;
  publicIp: string;
}

const describeAddresses = async (filters: Filter[], ctx: HandlerContext) =>
  (await ec2(ctx).send(new DescribeAddressesCommand({ Filters: filters }))).Addresses ?? [];

export const elasticIp = taggedEc2Handler<ElasticIpProps, ElasticIpOuts, Address>({
  resourceType: 'elastic-ip',
  describe: describeAddresses,
  describeById: async (id, ctx) =>
    (await describeAddresses([{ Name: 'allocation-id', Values: [id] }], ctx))[0],
  idOf: (found) => found.AllocationId ?? '',
  tagsOf: (found) => found.Tags,

  async make(_props, tagSpecifications, _ctx, client) {
    const made = await client.send(
      new AllocateAddressCommand({ Domain: 'vpc', TagSpecifications: tagSpecifications }),
    );
    return made.AllocationId ?? '';
  },

  propsOf: (_found, current) => current,
  outsOf: (found) => ({ allocationId: found.AllocationId ?? '', publicIp: found.PublicIp ?? '' }),

  async remove(id, _found, ctx) {
    await ignoreMissing(
      ec2(ctx).send(new ReleaseAddressCommand({ AllocationId: id })),
      'InvalidAllocationID.NotFound',
    );
  },
});

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['ec2:DescribeAddresses'] },
  { actions: ['ec2:AllocateAddress'], on: ['elastic-ip'], when: 'created' },
  { ...ec2TagOnCreate('AllocateAddress'), on: ['elastic-ip'] },
  { actions: ['ec2:ReleaseAddress'], when: 'tagged' },
];
