import {
  CreateVpcCommand,
  DeleteVpcCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  ModifyVpcAttributeCommand,
  waitUntilVpcAvailable,
  type Filter,
  type Vpc,
} from '@aws-sdk/client-ec2';
import type { HandlerContext } from '../../pulumi/resource-handler';
import { ignoreMissing } from '../support/errors';
import { ec2, taggedEc2Handler, type TaggedProps } from './tagged-resource';
import { ec2TagOnCreate, type AwsGrant } from '../permissions/grants';

/** A VPC with DNS support and hostnames (EKS nodes need both). */
export interface VpcProps extends TaggedProps {
  cidrBlock: string;
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
}

export interface VpcOuts {
  vpcId: string;
  cidrBlock: string;
}

export async function describeVpcs(filters: Filter[], ctx: HandlerContext): Promise<Vpc[]> {
  return (await ec2(ctx).send(new DescribeVpcsCommand({ Filters: filters }))).Vpcs ?? [];
}

async function dnsAttributes(vpcId: string, ctx: HandlerContext) {
  const attribute = (Attribute: 'enableDnsSupport' | 'enableDnsHostnames') =>
    ec2(ctx).send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute }));
  const [support, hostnames] = await Promise.all([
    attribute('enableDnsSupport'),
    attribute('enableDnsHostnames'),
  ]);
  return {
    enableDnsSupport: support.EnableDnsSupport?.Value ?? false,
    enableDnsHostnames: hostnames.EnableDnsHostnames?.Value ?? false,
  };
}

export const vpc = taggedEc2Handler<VpcProps, VpcOuts, Vpc>({
  resourceType: 'vpc',
  describe: describeVpcs,
  describeById: async (id, ctx) => (await describeVpcs([{ Name: 'vpc-id', Values: [id] }], ctx))[0],
  idOf: (found) => found.VpcId ?? '',
  tagsOf: (found) => found.Tags,

  async make(props, tagSpecifications, _ctx, client) {
    const { Vpc: made } = await client.send(
      new CreateVpcCommand({ CidrBlock: props.cidrBlock, TagSpecifications: tagSpecifications }),
    );
    return made?.VpcId ?? '';
  },
  async ready(vpcId, ctx) {
    await waitUntilVpcAvailable({ client: ec2(ctx), maxWaitTime: 300 }, { VpcIds: [vpcId] });
  },

  async converge(id, props, ctx) {
    const now = await dnsAttributes(id, ctx);
    // One attribute per call; support before hostnames (hostnames need support).
    if (now.enableDnsSupport !== props.enableDnsSupport) {
      await ec2(ctx).send(
        new ModifyVpcAttributeCommand({ VpcId: id, EnableDnsSupport: { Value: props.enableDnsSupport } }),
      );
    }
    if (now.enableDnsHostnames !== props.enableDnsHostnames) {
      await ec2(ctx).send(
        new ModifyVpcAttributeCommand({ VpcId: id, EnableDnsHostnames: { Value: props.enableDnsHostnames } }),
      );
    }
  },

  async propsOf(found, current, ctx) {
    return { ...current, cidrBlock: found.CidrBlock ?? '', ...(await dnsAttributes(found.VpcId ?? '', ctx)) };
  },
  outsOf: (found) => ({ vpcId: found.VpcId ?? '', cidrBlock: found.CidrBlock ?? '' }),

  async remove(id, _found, ctx) {
    await ignoreMissing(ec2(ctx).send(new DeleteVpcCommand({ VpcId: id })), 'InvalidVpcID.NotFound');
  },
  replaceOnChanges: ['cidrBlock'],
});

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['ec2:DescribeVpcs', 'ec2:DescribeVpcAttribute'] },
  { actions: ['ec2:CreateVpc'], on: ['vpc'], when: 'created' },
  { ...ec2TagOnCreate('CreateVpc'), on: ['vpc'] },
  { actions: ['ec2:ModifyVpcAttribute', 'ec2:DeleteVpc'], when: 'tagged' },
];
