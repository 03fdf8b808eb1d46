import { networkLayout } from '../../../src/infra/components/network-layout';
import { loadSpecFile, type EnvironmentSpec } from '../../../src/model';
import { join } from 'node:path';

const reference = loadSpecFile(join(__dirname, '../../../environments/reference.yaml'));
const network = (changes: Partial<EnvironmentSpec['network']> = {}): EnvironmentSpec['network'] => ({
  ...reference.network,
  ...changes,
});

describe('networkLayout', () => {
  test('highly-available: a NAT gateway in every zone, each private subnet through its own zone', () => {
    expect(networkLayout(network())).toEqual([
      {
        availabilityZone: 'us-east-1a',
        publicCidr: '10.0.0.0/19',
        privateCidr: '10.0.96.0/19',
        hasNatGateway: true,
        natGatewayZone: 'us-east-1a',
      },
      {
        availabilityZone: 'us-east-1b',
        publicCidr: '10.0.32.0/19',
        privateCidr: '10.0.128.0/19',
        hasNatGateway: true,
        natGatewayZone: 'us-east-1b',
      },
      {
        availabilityZone: 'us-east-1c',
        publicCidr: '10.0.64.0/19',
        privateCidr: '10.0.160.0/19',
        hasNatGateway: true,
        natGatewayZone: 'us-east-1c',
      },
    ]);
  });

  test('single: one NAT gateway, in the first zone, for every private subnet', () => {
    const layout = networkLayout(network({ natGateway: 'single' }));
    expect(layout.map((zone) => zone.hasNatGateway)).toEqual([true, false, false]);
    expect(layout.map((zone) => zone.natGatewayZone)).toEqual(['us-east-1a', 'us-east-1a', 'us-east-1a']);
  });

  test('none: no NAT gateway and no way out for private subnets', () => {
    const layout = networkLayout(network({ natGateway: 'none' }));
    expect(layout.map((zone) => [zone.hasNatGateway, zone.natGatewayZone])).toEqual([
      [false, ''],
      [false, ''],
      [false, ''],
    ]);
  });

  test('zones come in the order of availabilityZones, whatever the order of the subnet lists', () => {
    const shuffled = network({
      availabilityZones: ['us-east-1c', 'us-east-1a', 'us-east-1b'],
      subnets: {
        public: [...reference.network.subnets.public].reverse(),
        private: reference.network.subnets.private,
      },
    });
    expect(networkLayout(shuffled).map((zone) => [zone.availabilityZone, zone.publicCidr])).toEqual([
      ['us-east-1c', '10.0.64.0/19'],
      ['us-east-1a', '10.0.0.0/19'],
      ['us-east-1b', '10.0.32.0/19'],
    ]);
  });

  test('a zone without exactly one subnet of a tier is an error that names it', () => {
    const missing = network({
      subnets: {
        public: reference.network.subnets.public.slice(1),
        private: reference.network.subnets.private,
      },
    });
    expect(() => networkLayout(missing)).toThrow(
      'us-east-1a needs exactly one public subnet, the spec has 0',
    );
  });
});
