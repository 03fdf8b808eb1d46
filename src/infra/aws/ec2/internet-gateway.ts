import {
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  DeleteInternetGatewayCommand,
  DescribeInternetGatewaysCommand,
  DetachInternetGatewayCommand,
  type Filter,
  type InternetGateway,
} from '@aws-sdk/client-ec2';
import type { HandlerContext } from '../../pulumi/resource-handler';
import { ignoreMissing } from '../support/errors';
import { ec2, taggedEc2Handler, type TaggedProps } from './tagged-resource';
import { ec2TagOnCreate, type AwsGrant } from '../permissions/grants';

/** The internet gateway of a VPC, made and attached as one resource. */
export interface InternetGatewayProps extends TaggedProps {
  vpcId: string;
}

export interface InternetGatewayOuts {
  internetGatewayId: string;
}

const describeGateways = async (filters: Filter[], ctx: HandlerContext) =>
  (await ec2(ctx).send(new DescribeInternetGatewaysCommand({ Filters: filters }))).InternetGateways ?? [];

const describeById = async (id: string, ctx: HandlerContext) =>
  (await describeGateways([{ Name: 'internet-gateway-id', Values: [id] }], ctx))[0];

const attachedVpc = (gateway: InternetGateway) => gateway.Attachments?.[0]?.VpcId ?? '';

export const internetGateway = taggedEc2Handler<InternetGatewayProps, InternetGatewayOuts, InternetGateway>({
  resourceType: 'internet-gateway',
  describe: describeGateways,
  describeById,
  idOf: (found) => found.InternetGatewayId ?? '',
  tagsOf: (found) => found.Tags,

  async make(_props, tagSpecifications, _ctx, client) {
    const { InternetGateway: made } = await client.send(
      new CreateInternetGatewayCommand({ TagSpecifications: tagSpecifications }),
    );
    return made?.InternetGatewayId ?? '';
  },

  async converge(id, props, ctx) {
    const now = await describeById(id, ctx);
    if (now && attachedVpc(now) !== props.vpcId) {
      await ec2(ctx).send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: props.vpcId }));
    }
  },

  propsOf: (found, current) => ({ ...current, vpcId: attachedVpc(found) }),
  outsOf: (found) => ({ internetGatewayId: found.InternetGatewayId ?? '' }),

  async remove(id, found, ctx) {
    const vpcId = attachedVpc(found);
    if (vpcId) {
      await ignoreMissing(
        ec2(ctx).send(new DetachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId })),
        'Gateway.NotAttached',
      );
    }
    await ignoreMissing(
      ec2(ctx).send(new DeleteInternetGatewayCommand({ InternetGatewayId: id })),
      'InvalidInternetGatewayID.NotFound',
    );
  },
  replaceOnChanges: ['vpcId'],
});

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['ec2:DescribeInternetGateways'] },
  { actions: ['ec2:CreateInternetGateway'], on: ['internet-gateway'], when: 'created' },
  { ...ec2TagOnCreate('CreateInternetGateway'), on: ['internet-gateway'] },
  {
    actions: ['ec2:AttachInternetGateway', 'ec2:DetachInternetGateway'],
    when: 'tagged',
  },
  { actions: ['ec2:DeleteInternetGateway'], when: 'tagged' },
];
