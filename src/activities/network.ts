import { ensureVpc as ensureVpcInRegion, type VpcRequest, type VpcState } from '../infra/aws/vpc';

/** Creates the environment's VPC, or finds the one an earlier attempt made. */
export async function ensureVpc(request: VpcRequest): Promise<VpcState> {
  return ensureVpcInRegion(request);
}
