import {
  CreateVpcCommand,
  DescribeVpcsCommand,
  EC2Client,
  waitUntilVpcAvailable,
  type Vpc,
} from '@aws-sdk/client-ec2';
import { awsClient } from './clients';
import { fromAwsTags, ownershipTags, TAG_COMPONENT, TAG_ENVIRONMENT, toAwsTags } from './tags';

export interface VpcRequest {
  environment: string;
  region: string;
  name: string;
  cidr: string;
  tags?: Record<string, string>;
}

export interface VpcState {
  vpcId: string;
  cidr: string;
  state: string;
  tags: Record<string, string>;
}

function toState(vpc: Vpc): VpcState {
  return {
    vpcId: vpc.VpcId ?? '',
    cidr: vpc.CidrBlock ?? '',
    state: vpc.State ?? '',
    tags: fromAwsTags(vpc.Tags),
  };
}

/** The environment's VPC, found by its ownership tags. */
export async function findVpc(environment: string, region: string): Promise<VpcState | undefined> {
  const { Vpcs } = await awsClient(EC2Client, region).send(
    new DescribeVpcsCommand({
      Filters: [
        { Name: `tag:${TAG_ENVIRONMENT}`, Values: [environment] },
        { Name: `tag:${TAG_COMPONENT}`, Values: ['network'] },
      ],
    }),
  );
  return Vpcs?.[0] && toState(Vpcs[0]);
}

/** Creates the VPC unless it exists already (a retried call finds the first one). */
export async function ensureVpc(request: VpcRequest): Promise<VpcState> {
  const existing = await findVpc(request.environment, request.region);
  if (existing) return existing;
  const ec2 = awsClient(EC2Client, request.region);
  const tags = ownershipTags(request.environment, 'network', { Name: request.name, ...request.tags });
  const { Vpc: created } = await ec2.send(
    new CreateVpcCommand({
      CidrBlock: request.cidr,
      TagSpecifications: [{ ResourceType: 'vpc', Tags: toAwsTags(tags) }],
    }),
  );
  if (!created?.VpcId) throw new Error('CreateVpc returned no VPC id');
  await waitUntilVpcAvailable({ client: ec2, maxWaitTime: 300 }, { VpcIds: [created.VpcId] });
  return toState({ ...created, State: 'available' });
}
