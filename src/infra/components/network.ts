import * as pulumi from '@pulumi/pulumi';
import type { ComponentRequest } from './contract';
import { HandlerResource } from '../handler-resource';
import { networkLayout, type ZoneLayout } from './network-layout';
import { securityGroups, type NetworkScope } from './network-security';
import { pulumiDriver, type ProgramOutputs } from './pulumi-driver';
import { clusterNameOf, namePrefix, networkSpecOf } from './regional-values';
import { regionOf, resourceTags } from './request-values';

/*
 * Resources refer to each other by `id` (the AWS id for every kind here) rather than by
 * `outs`: a preview keeps the id of a resource it would update, while its outs become
 * unknown and would show every dependent as replaced.
 */

type Tier = 'public' | 'private';

function subnets(scope: NetworkScope, layout: ZoneLayout[], tier: Tier) {
  const elbRole = tier === 'public' ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb';
  return layout.map(({ availabilityZone, publicCidr, privateCidr }) => {
    const name = `${tier}-${availabilityZone}`;
    return new HandlerResource('aws:subnet', name, {
      region: scope.region,
      props: {
        vpcId: scope.vpcId,
        cidrBlock: tier === 'public' ? publicCidr : privateCidr,
        availabilityZone,
        mapPublicIpOnLaunch: tier === 'public',
        tags: {
          ...scope.tags(name),
          [`kubernetes.io/cluster/${scope.clusterName}`]: 'shared',
          [elbRole]: '1',
        },
      },
    }).id;
  });
}

/** NAT gateways by zone, each in its zone's public subnet with an Elastic IP of its own. */
function natGateways(
  scope: NetworkScope,
  layout: ZoneLayout[],
  publicSubnets: pulumi.Output<string>[],
  internetGateway: pulumi.Resource,
) {
  const gateways = new Map<string, pulumi.Output<string>>();
  layout.forEach(({ availabilityZone, hasNatGateway }, index) => {
    if (!hasNatGateway) return;
    const address = new HandlerResource('aws:elastic-ip', `nat-address-${availabilityZone}`, {
      region: scope.region,
      props: { tags: scope.tags(`nat-address-${availabilityZone}`) },
    });
    const gateway = new HandlerResource(
      'aws:nat-gateway',
      `nat-${availabilityZone}`,
      {
        region: scope.region,
        props: {
          subnetId: publicSubnets[index],
          allocationId: address.id,
          tags: scope.tags(`nat-${availabilityZone}`),
        },
      },
      { dependsOn: [internetGateway] }, // a public NAT gateway needs the VPC's way out
    );
    gateways.set(availabilityZone, gateway.id);
  });
  return gateways;
}

function routeTable(
  scope: NetworkScope,
  name: string,
  target: pulumi.Output<string> | undefined,
  subnetIds: pulumi.Output<string>[],
) {
  new HandlerResource('aws:route-table', name, {
    region: scope.region,
    props: {
      vpcId: scope.vpcId,
      routes: target ? target.apply((id) => [{ destinationCidrBlock: '0.0.0.0/0', target: id }]) : [],
      subnetIds: pulumi.all(subnetIds),
      tags: scope.tags(name),
    },
  });
}

/**
 * The VPC of one region: a public and a private subnet per availability zone, the
 * internet gateway, NAT gateways with their Elastic IPs, one public route table and one
 * private route table per zone, and the security groups (network-security.ts).
 */
function program(request: ComponentRequest<'network'>) {
  const network = networkSpecOf(request);
  const region = regionOf(request);
  const prefix = namePrefix(request);
  const tags = (name: string) => ({ ...resourceTags(request), Name: `${prefix}-${name}` });
  const layout = networkLayout(network);

  const vpc = new HandlerResource('aws:vpc', 'vpc', {
    region,
    props: {
      cidrBlock: network.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: tags('vpc'),
    },
  });
  const scope: NetworkScope = {
    region,
    vpcId: vpc.id,
    vpcCidr: network.vpcCidr,
    clusterName: clusterNameOf(request),
    tags,
  };

  const publicSubnets = subnets(scope, layout, 'public');
  const privateSubnets = subnets(scope, layout, 'private');
  const internetGateway = new HandlerResource('aws:internet-gateway', 'internet-gateway', {
    region,
    props: { vpcId: vpc.id, tags: tags('internet-gateway') },
  });
  const nats = natGateways(scope, layout, publicSubnets, internetGateway);
  routeTable(scope, 'public-routes', internetGateway.id, publicSubnets);
  layout.forEach(({ availabilityZone, natGatewayZone }, index) =>
    routeTable(scope, `private-routes-${availabilityZone}`, nats.get(natGatewayZone), [
      privateSubnets[index],
    ]),
  );
  const groups = securityGroups(request, scope);

  return {
    vpcId: vpc.id,
    publicSubnetIds: pulumi.all(publicSubnets),
    privateSubnetIds: pulumi.all(privateSubnets),
    natGatewayIds: pulumi.all(layout.flatMap((zone) => nats.get(zone.availabilityZone) ?? [])),
    clusterSecurityGroupId: groups.cluster,
    databaseSecurityGroupId: groups.database,
    cacheSecurityGroupId: groups.cache,
  } satisfies ProgramOutputs<'network'>;
}

export const networkDriver = pulumiDriver<'network'>({ program });
