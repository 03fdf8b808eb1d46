import { DescribeAvailabilityZonesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { awsClient, awsEndpoint } from '../infra/aws/clients';

export interface CloudDescription {
  region: string;
  account: string;
  availabilityZones: string[];
  /** The emulator's URL when the worker talks to one; absent for real AWS. */
  endpoint?: string;
}

/** Which account and zones a region answers with: proves the worker reaches the cloud. */
export async function describeCloud(region: string): Promise<CloudDescription> {
  const [identity, zones] = await Promise.all([
    awsClient(STSClient, region).send(new GetCallerIdentityCommand({})),
    awsClient(EC2Client, region).send(new DescribeAvailabilityZonesCommand({})),
  ]);
  return {
    region,
    account: identity.Account ?? 'unknown',
    availabilityZones: (zones.AvailabilityZones ?? []).map((z) => z.ZoneName ?? '').filter(Boolean),
    endpoint: awsEndpoint(region),
  };
}
