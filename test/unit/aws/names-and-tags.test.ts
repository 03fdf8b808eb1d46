import type { RouteTable } from '@aws-sdk/client-ec2';
import { managedRoutes } from '../../../src/infra/aws/ec2/route-table';
import { hasIdentity, identityFilters } from '../../../src/infra/aws/ec2/tagged-resource';
import { ownershipTags, toAwsTags } from '../../../src/infra/aws/tags';
import { alternativeNames, validationNames } from '../../../src/infra/components/certificate-names';

describe('certificate names', () => {
  test('other names leave out the domain itself and duplicates', () => {
    expect(alternativeNames('a.example.com', ['a.example.com', 'b.example.com', 'b.example.com'])).toEqual([
      'b.example.com',
    ]);
  });

  test('a wildcard and its base domain share one validation record', () => {
    expect(validationNames('example.com', ['*.example.com', 'api.example.com'])).toEqual([
      'example.com',
      'api.example.com',
    ]);
  });
});

describe('tagged EC2 resources', () => {
  const tags = { ...ownershipTags('local', 'network'), Name: 'local-vpc', project: 'lp' };

  test('are found by environment, component and Name', () => {
    expect(identityFilters(tags)).toEqual([
      { Name: 'tag:lp-infra:environment', Values: ['local'] },
      { Name: 'tag:lp-infra:component', Values: ['network'] },
      { Name: 'tag:Name', Values: ['local-vpc'] },
    ]);
  });

  test('cannot be found again without a Name, so they are not made without one', () => {
    expect(() => identityFilters(ownershipTags('local', 'network'))).toThrow('needs the tags Name');
  });

  test('match only when every identity tag matches, whatever else they carry', () => {
    expect(hasIdentity(toAwsTags({ ...tags, extra: 'x' }), tags)).toBe(true);
    expect(hasIdentity(toAwsTags({ ...tags, Name: 'local-other' }), tags)).toBe(false);
    expect(hasIdentity(undefined, tags)).toBe(false);
  });

  test("a route table's managed routes leave out the VPC's local route", () => {
    const table: RouteTable = {
      Routes: [
        { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable' },
        { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1', Origin: 'CreateRoute' },
      ],
    };
    expect(managedRoutes(table)).toEqual([{ destinationCidrBlock: '0.0.0.0/0', target: 'nat-1' }]);
  });
});
