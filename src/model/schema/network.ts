import { z } from 'zod';
import { cidrBlock, notes, section } from './primitives';

export const availabilityZone = z
  .string()
  .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, 'must be an availability zone such as us-east-1a');

const SubnetSchema = section({
  availabilityZone,
  cidr: cidrBlock,
});

/** A VPC with one public and one private subnet per availability zone. */
export const NetworkSchema = section({
  vpcCidr: cidrBlock,
  availabilityZones: z.array(availabilityZone).min(1),
  /** highly-available: one NAT gateway per AZ (eksctl HighlyAvailable); single: one for the VPC. */
  natGateway: z.enum(['highly-available', 'single', 'none']),
  subnets: section({
    public: z.array(SubnetSchema).min(1),
    private: z.array(SubnetSchema).min(1),
  }),
  notes,
});
