import { contains, formatAddress, overlaps, parseCidr, type Ipv4Block } from '../values/cidr';
import type { PathSegment } from '../paths';
import type { EnvironmentSpec } from '../schema';
import { defineRule, duplicates, type Violation } from './rule';

type Network = EnvironmentSpec['network'];
type NetworkRule = (network: Network, at: PathSegment[], region: string) => Violation[];

const tiers = ['public', 'private'] as const;

function blockOf(text: string): Ipv4Block | undefined {
  const block = parseCidr(text);
  return typeof block === 'string' ? undefined : block;
}

function subnetsOf(network: Network, at: PathSegment[]) {
  return tiers.flatMap((tier) =>
    network.subnets[tier].map((subnet, index) => ({
      tier,
      subnet,
      path: [...at, 'subnets', tier, index] as PathSegment[],
    })),
  );
}

const subnetsInsideVpc: NetworkRule = (network, at) => {
  const vpc = blockOf(network.vpcCidr);
  if (!vpc) return [];
  return subnetsOf(network, at).flatMap(({ subnet, path }) => {
    const block = blockOf(subnet.cidr);
    return block && !contains(vpc, block)
      ? [
          {
            path: [...path, 'cidr'],
            value: subnet.cidr,
            message: `subnet is outside the VPC ${network.vpcCidr}`,
          },
        ]
      : [];
  });
};

const subnetsDisjoint: NetworkRule = (network, at) => {
  const all = subnetsOf(network, at);
  return all.flatMap(({ subnet, path }, i) => {
    const block = blockOf(subnet.cidr);
    const earlier = all.slice(0, i).find((other) => {
      const otherBlock = blockOf(other.subnet.cidr);
      return block && otherBlock && overlaps(block, otherBlock);
    });
    return earlier
      ? [
          {
            path: [...path, 'cidr'],
            value: subnet.cidr,
            message: `overlaps subnet ${earlier.subnet.cidr} (subnets must not share addresses)`,
          },
        ]
      : [];
  });
};

const oneSubnetPerZonePerTier: NetworkRule = (network, at) =>
  tiers.flatMap((tier) => {
    const zones = network.subnets[tier].map((s) => s.availabilityZone);
    const missing = network.availabilityZones.filter((zone) => !zones.includes(zone));
    return [
      ...duplicates(
        network.subnets[tier],
        (s) => s.availabilityZone,
        (i) => [...at, 'subnets', tier, i, 'availabilityZone'],
        `a ${tier} subnet in`,
      ),
      ...network.subnets[tier].flatMap((s, i) =>
        network.availabilityZones.includes(s.availabilityZone)
          ? []
          : [
              {
                path: [...at, 'subnets', tier, i, 'availabilityZone'],
                value: s.availabilityZone,
                message: 'zone is not listed in availabilityZones',
              },
            ],
      ),
      ...missing.map((zone) => ({
        path: [...at, 'subnets', tier],
        value: zone,
        message: `no ${tier} subnet in ${zone}; every availability zone needs one ${tier} subnet`,
      })),
    ];
  });

const zonesInRegion: NetworkRule = (network, at, region) => [
  ...duplicates(
    network.availabilityZones,
    (z) => z,
    (i) => [...at, 'availabilityZones', i],
    'availability zone',
  ),
  ...network.availabilityZones.flatMap((zone, i) =>
    zone.slice(0, -1) === region
      ? []
      : [{ path: [...at, 'availabilityZones', i], value: zone, message: `zone is not in region ${region}` }],
  ),
];

const enoughZones: NetworkRule = (network, at) =>
  new Set(network.availabilityZones).size >= 2
    ? []
    : [
        {
          path: [...at, 'availabilityZones'],
          value: network.availabilityZones,
          message:
            'at least 2 availability zones are needed: EKS, the Aurora subnet group, a Multi-AZ cache and ' +
            'highly-available NAT all span two or more',
        },
      ];

const perNetwork: NetworkRule[] = [
  subnetsInsideVpc,
  subnetsDisjoint,
  oneSubnetPerZonePerTier,
  zonesInRegion,
  enoughZones,
];

function bothNetworks(spec: Pick<EnvironmentSpec, 'network' | 'regions'>) {
  return [
    { network: spec.network, at: ['network'] as PathSegment[], region: spec.regions.primary.region },
    {
      network: spec.regions.secondary.network,
      at: ['regions', 'secondary', 'network'] as PathSegment[],
      region: spec.regions.secondary.region,
    },
  ];
}

export const networkRules = [
  defineRule({
    id: 'network-layout',
    description:
      'Subnets lie inside their VPC, do not overlap, and each availability zone has exactly one public and one ' +
      'private subnet; zones are in the region and there are at least two.',
    reads: ['network', 'regions'],
    check: (spec) =>
      bothNetworks(spec).flatMap(({ network, at, region }) =>
        perNetwork.flatMap((rule) => rule(network, at, region)),
      ),
  }),
  defineRule({
    id: 'regions-distinct',
    description:
      'The secondary region differs from the primary, and the two VPCs do not overlap (so they can be peered).',
    reads: ['network', 'regions'],
    check: (spec) => {
      const violations: Violation[] = [];
      if (spec.regions.secondary.region === spec.regions.primary.region) {
        violations.push({
          path: ['regions', 'secondary', 'region'],
          value: spec.regions.secondary.region,
          message: 'the secondary region must differ from the primary region',
        });
      }
      const primary = blockOf(spec.network.vpcCidr);
      const secondary = blockOf(spec.regions.secondary.network.vpcCidr);
      if (primary && secondary && overlaps(primary, secondary)) {
        violations.push({
          path: ['regions', 'secondary', 'network', 'vpcCidr'],
          value: spec.regions.secondary.network.vpcCidr,
          message: `overlaps the primary VPC ${spec.network.vpcCidr}; use a disjoint range such as ${formatAddress((primary.network + 2 ** (32 - primary.prefixLength)) >>> 0)}/${primary.prefixLength}`,
        });
      }
      return violations;
    },
  }),
];
