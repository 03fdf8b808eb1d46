import type { Vpc } from '@aws-sdk/client-ec2';
import { handlerContext } from './handler-context';
import { describeVpcs, vpc } from './ec2/vpc';
import { fromAwsTags, ownershipTags, TAG_COMPONENT, TAG_ENVIRONMENT } from './tags';

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

function toState(found: Vpc): VpcState {
  return {
    vpcId: found.VpcId ?? '',
    cidr: found.CidrBlock ?? '',
    state: found.State ?? '',
    tags: fromAwsTags(found.Tags),
  };
}

/** The environment's VPC, found by its ownership tags. */
export async function findVpc(environment: string, region: string): Promise<VpcState | undefined> {
  const found = await describeVpcs(
    [
      { Name: `tag:${TAG_ENVIRONMENT}`, Values: [environment] },
      { Name: `tag:${TAG_COMPONENT}`, Values: ['network'] },
    ],
    handlerContext(region),
  );
  return found[0] && toState(found[0]);
}

/** Creates the VPC (with the VPC handler the network component uses) unless it exists already. */
export async function ensureVpc(request: VpcRequest): Promise<VpcState> {
  const existing = await findVpc(request.environment, request.region);
  if (existing) return existing;
  const ctx = handlerContext(request.region);
  const tags = ownershipTags(request.environment, 'network', { Name: request.name, ...request.tags });
  const { id } = await vpc.create(
    { cidrBlock: request.cidr, enableDnsSupport: true, enableDnsHostnames: true, tags },
    ctx,
  );
  const [made] = await describeVpcs([{ Name: 'vpc-id', Values: [id] }], ctx);
  return toState(made);
}
