import type { ResourceHandler } from '../../pulumi/resource-handler';
import { certificate } from '../acm/certificate';
import { elasticIp } from '../ec2/elastic-ip';
import { internetGateway } from '../ec2/internet-gateway';
import { launchTemplate } from '../ec2/launch-template';
import { natGateway } from '../ec2/nat-gateway';
import { routeTable } from '../ec2/route-table';
import { securityGroup } from '../ec2/security-group';
import { securityGroupIngress } from '../ec2/security-group-ingress';
import { subnet } from '../ec2/subnet';
import { vpc } from '../ec2/vpc';
import { eksAddon } from '../eks/addon';
import { eksCluster } from '../eks/cluster';
import { nodeGroup } from '../eks/node-group';
import { iamRole } from '../iam/iam-role';
import { oidcProvider } from '../iam/oidc-provider';
import { kmsKey } from '../kms/kms-key';
import { hostedZone } from '../route53/hosted-zone';
import { route53Record } from '../route53/record';

/** AWS resource handlers by kind (`aws:<name>`); see src/infra/handlers.ts. */
export const foundationHandlers = {
  'aws:vpc': vpc,
  'aws:subnet': subnet,
  'aws:internet-gateway': internetGateway,
  'aws:elastic-ip': elasticIp,
  'aws:nat-gateway': natGateway,
  'aws:route-table': routeTable,
  'aws:security-group': securityGroup,
  'aws:security-group-ingress': securityGroupIngress,
  'aws:kms-key': kmsKey,
  'aws:iam-role': iamRole,
  'aws:iam-oidc-provider': oidcProvider,
  'aws:eks-cluster': eksCluster,
  'aws:eks-addon': eksAddon,
  'aws:launch-template': launchTemplate,
  'aws:eks-node-group': nodeGroup,
  'aws:route53-zone': hostedZone,
  'aws:route53-record': route53Record,
  'aws:acm-certificate': certificate,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- every kind has its own props and outs
} satisfies Record<string, ResourceHandler<any, any>>;
