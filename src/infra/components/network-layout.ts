import type { EnvironmentSpec } from '../../model';

type NetworkSpec = EnvironmentSpec['network'];

/** One availability zone of the VPC: its public and private subnet and where its private traffic leaves. */
export interface ZoneLayout {
  availabilityZone: string;
  publicCidr: string;
  privateCidr: string;
  /** A NAT gateway sits in this zone's public subnet. */
  hasNatGateway: boolean;
  /** The zone whose NAT gateway this zone's private subnet routes through, or '' without NAT. */
  natGatewayZone: string;
}

/**
 * The VPC zone by zone, in the order of `availabilityZones`: one public and one private
 * subnet per zone; NAT gateways in every zone (highly-available), in the first (single)
 * or nowhere (none), each private subnet routing through its own zone's gateway if it
 * has one.
 */
export function networkLayout(network: NetworkSpec): ZoneLayout[] {
  const zones = network.availabilityZones.map((availabilityZone) => {
    const cidrIn = (tier: 'public' | 'private') => {
      const found = network.subnets[tier].filter((s) => s.availabilityZone === availabilityZone);
      if (found.length !== 1) {
        throw new Error(
          `network: ${availabilityZone} needs exactly one ${tier} subnet, the spec has ${found.length}`,
        );
      }
      return found[0].cidr;
    };
    return { availabilityZone, publicCidr: cidrIn('public'), privateCidr: cidrIn('private') };
  });
  const natZones =
    network.natGateway === 'highly-available'
      ? zones.map((zone) => zone.availabilityZone)
      : network.natGateway === 'single'
        ? [zones[0].availabilityZone]
        : [];
  return zones.map((zone) => ({
    ...zone,
    hasNatGateway: natZones.includes(zone.availabilityZone),
    natGatewayZone: natZones.includes(zone.availabilityZone) ? zone.availabilityZone : (natZones[0] ?? ''),
  }));
}
