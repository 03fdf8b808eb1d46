/**
 * Cloud faults: the network and storage drivers apply and destroy through a fault-injecting
 * proxy in front of moto (throttling, 503, 500, resets before and after the request applied,
 * slow answers; seeded). A create call whose answer is lost after it applied is not sent
 * again blindly (createOnce). A failed attempt is retried as the activity's retry policy would
 * (only when classify() leaves it retryable). Every apply ends with exactly what a clean apply
 * makes (count by tag), no duplicates; destroy leaves nothing. Permission and validation
 * errors fail at once, non-retryably, with a message that says what to fix.
 */
import { KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import { ApplicationFailure } from '@temporalio/common';
import type { ComponentRequest } from '../../src/infra/components/contract';
import { isPermanent } from '../../src/activities/errors';
import {
  applyFailure,
  driver,
  localSpec,
  requestFor,
  silentProgress,
  startCloud,
  type CloudFixture,
} from '../helpers/components';
import { startFaultProxy, type FaultProxy, type FaultRates } from '../helpers/fault-proxy';
import { census, duplicates, ownedResources } from './cloud-inventory';
import { trials } from './trials';

const { runs, seed } = trials('cloud faults (network, storage)', { fast: 1, long: 20 });
const spec = localSpec({ name: 'faults' });
const regions = [spec.regions.primary.region];
const components = ['network', 'kms', 'storage'];
const rates: FaultRates = {
  throttle: 0.08,
  unavailable: 0.04,
  internal: 0.04,
  resetBefore: 0.03,
  resetAfter: 0.03,
  slow: 0.05,
  slowMs: 1500,
};

let cloud: CloudFixture;
let proxy: FaultProxy;
const outputs: Record<string, Record<string, unknown>> = {};

beforeAll(async () => {
  cloud = await startCloud();
  proxy = await startFaultProxy(cloud.moto.endpoint, seed);
  process.env.LP_INFRA_AWS_ENDPOINT = proxy.endpoint;
}, 120_000);
afterAll(async () => {
  await proxy?.stop();
  await cloud?.stop();
});

/** Ids of the KMS keys an alias points at. */
async function keysWithAlias(): Promise<Set<string>> {
  const kms = new KMSClient({
    region: regions[0],
    endpoint: cloud.moto.endpoint,
    credentials: { accessKeyId: 'lp-infra-local', secretAccessKey: 'lp-infra-local' },
  });
  const { Aliases } = await kms.send(new ListAliasesCommand({}));
  kms.destroy();
  return new Set((Aliases ?? []).map((a) => a.TargetKeyId).filter((id): id is string => !!id));
}

const request = (id: string): ComponentRequest => requestFor(spec, id, outputs as never);
const inventory = () => ownedResources(cloud.moto.endpoint, regions, spec.name);

/** Retries as Temporal would: a retryable failure runs the step again; a permanent one ends it. */
async function withRetries<T>(what: string, work: () => Promise<T>, log: string[]): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (isPermanent(err) || attempt >= 12) throw err;
      log.push(
        `${what} attempt ${attempt}: ${(err as Error).name}: ${(err as Error).message.split('\n')[0].slice(0, 160)}`,
      );
    }
  }
}

async function applyAll(log: string[]) {
  for (const id of components) {
    const applied = await withRetries(
      `apply ${id}`,
      () => driver(request(id)).apply(request(id), silentProgress),
      log,
    );
    outputs[id] = applied.outputs;
  }
}
async function destroyAll(log: string[]) {
  for (const id of [...components].reverse())
    await withRetries(`destroy ${id}`, () => driver(request(id)).destroy(request(id), silentProgress), log);
}

let baseline: Record<string, number>;

/** Requests per action in a clean apply. */
const cleanCalls: Record<string, number> = {};

test('a clean apply and destroy (the baseline the faulty runs must match)', async () => {
  proxy.setRates({});
  const log: string[] = [];
  const before = { ...proxy.actions };
  await applyAll(log);
  for (const [action, n] of Object.entries(proxy.actions)) cleanCalls[action] = n - (before[action] ?? 0);
  baseline = census(await inventory());
  expect(Object.values(baseline).reduce((a, b) => a + b, 0)).toBeGreaterThan(5);
  await destroyAll(log);
  expect(await inventory()).toEqual([]);
  expect(log).toEqual([]);
}, 600_000);

test('a create whose answer is lost after it applied makes one resource, not two', async () => {
  proxy.setRates({});
  const creates = ['ec2:CreateVpc', 'ec2:CreateSubnet', 'ec2:AllocateAddress', 'kms:CreateKey'];
  const before = creates.map((action) => proxy.actions[action] ?? 0);
  proxy.loseNextAnswer(...creates);
  const log: string[] = [];
  await applyAll(log);
  const made = await inventory();
  expect(duplicates(made)).toEqual([]);
  expect(census(made)).toEqual(baseline);
  // Each create went out as often as in a clean apply: the lost answers were not resent.
  const sent = creates.map((action, i) => (proxy.actions[action] ?? 0) - before[i]);
  expect(sent).toEqual(creates.map((action) => cleanCalls[action]));
  expect(proxy.injected['answer-lost']).toBeGreaterThanOrEqual(creates.length);
  expect(log).toEqual([]); // found again inside the step, no step had to be retried
  await destroyAll(log);
  expect(await inventory()).toEqual([]);
}, 600_000);

test(`applies and destroys through faults (${runs} trial(s), seed ${seed}): exactly the baseline, nothing left`, async () => {
  const retried: string[] = [];
  for (let trial = 1; trial <= runs; trial++) {
    proxy.setRates(rates);
    await applyAll(retried);
    proxy.setRates({});
    const made = await inventory();
    expect(duplicates(made)).toEqual([]);
    expect(census(made)).toEqual(baseline);
    proxy.setRates(rates);
    await destroyAll(retried);
    proxy.setRates({});
    expect(await inventory()).toEqual([]);
  }
  process.stderr.write(
    `[reliability] cloud faults: injected ${JSON.stringify(proxy.injected)}; ${retried.length} step retries\n${retried.map((l) => `  ${l}`).join('\n')}\n`,
  );
  expect(Object.values(proxy.injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
}, 3_600_000);

/**
 * A create that fails after its resource exists (the KMS key is made, its alias is refused):
 * the stack records the resource, unfinished, so a destroy removes it and the next apply
 * (after a refresh) finishes the same resource instead of making a second one.
 */
test('a resource made by a create that failed later is removed by destroy, and finished by the next apply', async () => {
  proxy.setRates({});
  const kms = request('kms');
  proxy.deny('kms:CreateAlias', 'AccessDenied');
  expect(await applyFailure(kms)).toBeInstanceOf(ApplicationFailure);
  const made = await inventory();
  expect(made.filter((r) => r.type === 'kms:key').length).toBeGreaterThan(0);
  await driver(kms).destroy(kms, silentProgress);
  expect(await inventory()).toEqual([]);

  expect(await applyFailure(kms)).toBeInstanceOf(ApplicationFailure);
  const unfinished = (await inventory()).map((r) => r.arn).sort();
  proxy.deny('kms:CreateAlias', undefined);
  // With a refresh first, as drift remediation applies: the refresh must not make the
  // unfinished keys look done.
  await driver(kms).apply({ ...kms, refresh: true }, silentProgress);
  const finished = await inventory();
  expect(finished.map((r) => r.arn).sort()).toEqual(unfinished); // the same keys, not new ones
  const aliased = await keysWithAlias();
  expect(finished.filter((r) => !aliased.has(r.arn.split('/').pop()!))).toEqual([]);
  expect(census(finished)).toEqual(
    Object.fromEntries(Object.entries(baseline).filter(([key]) => key.startsWith('kms '))),
  );
  await driver(kms).destroy(kms, silentProgress);
  expect(await inventory()).toEqual([]);
}, 600_000);

describe.each([
  ['AccessDenied', /grant it and run again|not authorized/],
  ['ValidationError', /validation error/],
] as const)('%s on ec2:CreateVpc', (error, says) => {
  afterEach(async () => {
    proxy.deny('ec2:CreateVpc', undefined);
    await destroyAll([]);
    expect(await inventory()).toEqual([]);
  }, 600_000);

  test('the failure carries the AWS message; the SDK sends the call once', async () => {
    proxy.setRates({});
    proxy.deny('ec2:CreateVpc', error);
    const before = proxy.actions['ec2:CreateVpc'] ?? 0;
    const failure = (await applyFailure(request('network'))) as Error | undefined;
    expect(failure?.message).toMatch(says);
    expect((proxy.actions['ec2:CreateVpc'] ?? 0) - before).toBe(1);
  }, 600_000);

  /**
   * Inside a Pulumi stack the SDK error reaches the activity as the engine's failure text; the
   * provider puts the AWS code at its front, and classify() fails the step at once on it.
   */
  test('fails at once, non-retryably, naming what to fix', async () => {
    proxy.setRates({});
    proxy.deny('ec2:CreateVpc', error);
    const before = proxy.actions['ec2:CreateVpc'] ?? 0;
    const failure = await applyFailure(request('network'));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
    expect((failure as ApplicationFailure).message).toMatch(/apply faults\/network/);
    expect((failure as ApplicationFailure).message).toMatch(says);
    // The SDK does not retry it either: one request (Pulumi may ask once more on its own).
    expect((proxy.actions['ec2:CreateVpc'] ?? 0) - before).toBeLessThanOrEqual(2);
  }, 600_000);
});
