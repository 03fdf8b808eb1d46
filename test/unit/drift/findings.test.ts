import {
  propertyDifferences,
  pulumiFindings,
  resourceName,
  unknownValue,
  type StepEvent,
} from '../../../src/infra/components/drift-findings';
import { clusterFindings } from '../../../src/infra/kubernetes/drift-findings';

const urn = (type: string, name: string) => `urn:pulumi:local-storage::lp-infra::${type}::${name}`;
const bucketType = 'pulumi-nodejs:dynamic/lp-infra/aws:s3-bucket';

function step(op: string, actual?: object, desired?: object, name = 'assets', type = bucketType): StepEvent {
  return {
    op,
    urn: urn(type, name),
    type,
    old: actual
      ? { inputs: {}, outputs: { kind: 'aws:s3-bucket', region: 'us-east-1', props: actual } }
      : null,
    new: desired
      ? { inputs: { kind: 'aws:s3-bucket', region: 'us-east-1', props: desired }, outputs: {} }
      : null,
  };
}

describe('pulumiFindings', () => {
  test('an update step gives each differing property, nested paths included', () => {
    const findings = pulumiFindings('node-groups', [
      step(
        'update',
        { scaling: { minSize: 1, desiredSize: 2, maxSize: 8 }, name: 'system' },
        { scaling: { minSize: 1, desiredSize: 2, maxSize: 3 }, name: 'system' },
        'system',
        'pulumi-nodejs:dynamic/lp-infra/aws:eks-node-group',
      ),
    ]);
    expect(findings).toEqual([
      {
        component: 'node-groups',
        resource: 'aws:eks-node-group system',
        property: 'scaling.maxSize',
        desired: 3,
        actual: 8,
      },
    ]);
  });

  test('a removed list entry shows at its index with nothing actual', () => {
    const route = { destinationCidrBlock: '0.0.0.0/0', target: 'nat-1' };
    const [finding] = pulumiFindings('network', [step('update', { routes: [] }, { routes: [route] })]);
    expect(finding).toEqual(expect.objectContaining({ property: 'routes[0]', desired: route }));
    expect(finding).not.toHaveProperty('actual');
  });

  test('same and refresh steps, the stack and providers, and unknown values are not findings', () => {
    expect(
      pulumiFindings('storage', [
        step('same', { versioning: true }, { versioning: true }),
        step('refresh', { versioning: false }, { versioning: true }),
        step('update', {}, {}, 'exp', 'pulumi:pulumi:Stack'),
        step('update', { templateVersion: '1' }, { templateVersion: unknownValue }),
      ]),
    ).toEqual([]);
  });

  test('a resource gone from the cloud is planned as create; one left over as delete', () => {
    expect(
      pulumiFindings('network', [step('create', undefined, { a: 1 }), step('delete', { a: 1 })]),
    ).toEqual([
      {
        component: 'network',
        resource: 'aws:s3-bucket assets',
        property: '(resource)',
        desired: 'present',
        actual: 'absent',
      },
      {
        component: 'network',
        resource: 'aws:s3-bucket assets',
        property: '(resource)',
        desired: 'absent',
        actual: 'present',
      },
    ]);
  });

  test('a moved region is a finding too', () => {
    const event = step('replace', { v: 1 }, { v: 1 });
    event.new!.inputs!.region = 'us-west-2';
    expect(pulumiFindings('storage', [event])).toEqual([
      expect.objectContaining({ property: 'region', desired: 'us-west-2', actual: 'us-east-1' }),
    ]);
  });
});

test('resourceName is the handler kind and the logical name', () => {
  expect(resourceName({ urn: urn(bucketType, 'assets'), type: bucketType })).toBe('aws:s3-bucket assets');
});

test('propertyDifferences: equal values give nothing; scalars compare by value', () => {
  expect(propertyDifferences({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  expect(propertyDifferences('Suspended', 'Enabled')).toEqual([
    { property: '(value)', actual: 'Suspended', desired: 'Enabled' },
  ]);
});

describe('clusterFindings', () => {
  test('changed fields, missing and extra objects', () => {
    const { findings, absent } = clusterFindings(
      'mesh',
      [
        {
          object: 'VirtualService istio-system/api-routing',
          change: 'changed',
          fields: [{ path: 'spec.http[0].timeout', live: '99s', desired: '30s' }],
        },
        { object: 'Service production/api-gateway', change: 'missing', fields: [] },
        { object: 'ConfigMap production/old', change: 'extra', fields: [] },
      ],
      3,
    );
    expect(absent).toBe(false);
    expect(findings).toEqual([
      {
        component: 'mesh',
        resource: 'VirtualService istio-system/api-routing',
        property: 'spec.http[0].timeout',
        desired: '30s',
        actual: '99s',
      },
      {
        component: 'mesh',
        resource: 'Service production/api-gateway',
        property: '(object)',
        desired: 'present',
        actual: 'absent',
      },
      {
        component: 'mesh',
        resource: 'ConfigMap production/old',
        property: '(object)',
        desired: 'absent',
        actual: 'present',
      },
    ]);
  });

  test('every object missing means never applied, not drift', () => {
    const missing = (name: string) => ({ object: name, change: 'missing' as const, fields: [] });
    expect(clusterFindings('app', [missing('a'), missing('b')], 2)).toEqual({ findings: [], absent: true });
    expect(clusterFindings('app', [missing('a')], 2).absent).toBe(false);
  });
});
