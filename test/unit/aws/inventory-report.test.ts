import {
  classifyFailure,
  countBy,
  failureWarning,
  formatInventory,
  isGone,
  NO_COMPONENT,
  normalizeItems,
  ownerComponent,
  type InventoryItem,
} from '../../../src/infra/aws/inventory-report';
import { ownershipTags } from '../../../src/infra/aws/tags';

const item = (over: Partial<InventoryItem>): InventoryItem => ({
  service: 'ec2',
  type: 'vpc',
  id: 'vpc-1',
  region: 'us-east-1',
  component: 'network',
  ...over,
});

describe('ownerComponent', () => {
  test('the component of a resource tagged for the environment', () => {
    expect(ownerComponent(ownershipTags('local', 'secondary/kms'), 'local')).toBe('secondary/kms');
  });

  test("another environment's or an untagged resource is not ours", () => {
    expect(ownerComponent(ownershipTags('other', 'network'), 'local')).toBeUndefined();
    expect(ownerComponent({}, 'local')).toBeUndefined();
    expect(ownerComponent(undefined, 'local')).toBeUndefined();
  });

  test('ours without a component tag is still listed, visibly', () => {
    expect(ownerComponent({ 'lp-infra:environment': 'local' }, 'local')).toBe(NO_COMPONENT);
  });
});

describe('isGone', () => {
  test.each(['deleted', 'deleting', 'PendingDeletion', 'PendingReplicaDeletion'])('%s is gone', (state) => {
    expect(isGone(state)).toBe(true);
  });
  test.each(['available', 'pending', 'Enabled', 'ACTIVE', 'failed', undefined])('%s is not', (state) => {
    expect(isGone(state)).toBe(false);
  });
});

describe('classifyFailure', () => {
  test('no answer: connection refused, DNS, timeouts, no credentials', () => {
    expect(classifyFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      'unreachable',
    );
    expect(classifyFailure({ name: 'Error', cause: { code: 'ENOTFOUND' } })).toBe('unreachable');
    expect(classifyFailure({ name: 'TimeoutError', message: 'socket hang up' })).toBe('unreachable');
    expect(classifyFailure({ name: 'CredentialsProviderError', message: 'Could not load credentials' })).toBe(
      'unreachable',
    );
  });

  test('an emulator that does not implement the call', () => {
    expect(
      classifyFailure({ name: 'NotImplementedError', message: 'x', $metadata: { httpStatusCode: 500 } }),
    ).toBe('not-implemented');
    expect(
      classifyFailure({ name: 'Error', message: 'The list_addons action has not been implemented' }),
    ).toBe('not-implemented');
    expect(classifyFailure({ name: 'InvalidAction', message: 'no such action' })).toBe('not-implemented');
    // moto answers an action it lacks with an HTML error page
    expect(
      classifyFailure({
        name: 'Error',
        message: '@aws-sdk XML parse error: mismatched tags <html> and </title>.',
        $metadata: { httpStatusCode: 500 },
      }),
    ).toBe('not-implemented');
  });

  test('anything else (access denied, throttling) is neither', () => {
    expect(classifyFailure({ name: 'AccessDeniedException', message: 'not authorized' })).toBe('other');
    expect(classifyFailure({ name: 'ThrottlingException', message: 'Rate exceeded' })).toBe('other');
  });
});

test('failureWarning names what was not listed, where, and why', () => {
  expect(
    failureWarning('EKS clusters', 'us-west-2', { name: 'Error', message: 'has not been implemented' }),
  ).toBe('EKS clusters in us-west-2: not implemented by the endpoint, not listed (has not been implemented)');
  expect(failureWarning('IAM roles', 'global', new Error('AccessDenied: nope\nmore'))).toBe(
    'IAM roles: could not be listed (AccessDenied: nope)',
  );
});

describe('normalizeItems and countBy', () => {
  test('one entry per resource, sorted by component, region, service, type, id', () => {
    const global = item({ service: 'rds', type: 'global-cluster', id: 'lp-global', component: 'database' });
    const items = normalizeItems([
      item({ id: 'vpc-2' }),
      global,
      item({ id: 'vpc-1' }),
      { ...global, region: 'us-west-2' },
      item({ service: 'kms', type: 'key', id: 'k', component: 'kms' }),
    ]);
    expect(items.map((i) => `${i.component}:${i.id}`)).toEqual([
      'database:lp-global',
      'kms:k',
      'network:vpc-1',
      'network:vpc-2',
    ]);
  });

  test('counts per key', () => {
    const items = [item({}), item({ id: 'vpc-2' }), item({ type: 'natgateway', id: 'nat-1' })];
    expect(countBy(items, (i) => i.type)).toEqual({ natgateway: 1, vpc: 2 });
  });
});

describe('formatInventory', () => {
  test('per component: its count per type and one line per resource; warnings last', () => {
    const text = formatInventory({
      environment: 'local',
      regions: ['us-east-1', 'us-west-2'],
      items: [
        item({ type: 'natgateway', id: 'nat-1' }),
        item({}),
        item({ type: 'natgateway', id: 'nat-2' }),
        item({ service: 's3', type: 'bucket', id: 'lp-assets', component: 'storage' }),
      ],
      warnings: ['EKS clusters in us-west-2: not implemented by the endpoint, not listed (x)'],
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      '4 resources tagged lp-infra:environment=local in us-east-1, us-west-2 (and global services)',
    );
    expect(text).toContain('network (3: 2 natgateway, 1 vpc)');
    expect(text).toContain('storage (1: 1 bucket)');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}ec2 natgateway +us-east-1 +nat-1$/));
    expect(text.indexOf('network (')).toBeLessThan(text.indexOf('storage ('));
    expect(lines.at(-1)).toBe('  EKS clusters in us-west-2: not implemented by the endpoint, not listed (x)');
  });

  test('an empty inventory says so', () => {
    expect(formatInventory({ environment: 'local', regions: ['us-east-1'], items: [], warnings: [] })).toBe(
      'nothing tagged lp-infra:environment=local in us-east-1 (and global services)',
    );
  });
});
