/**
 * The dns-failover component through its driver against moto: health checks of both
 * regions' gateways and PRIMARY/SECONDARY records for the failover names. plan -> apply ->
 * ready -> re-plan with no changes -> a second apply that makes nothing new -> destroy,
 * which leaves no health check and no record. The provider process loads dist/: run
 * `npm run build` first.
 */
import {
  GetHealthCheckCommand,
  ListHealthChecksCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourceCommand,
  Route53Client,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import type { ComponentOutputs, ComponentRequest } from '../../src/infra/components/contract';
import { awsClient } from '../../src/infra/aws/clients';
import { healthCheck } from '../../src/infra/aws/route53/health-check';
import { fromAwsTags, TAG_ENVIRONMENT } from '../../src/infra/aws/tags';
import { resourceTags } from '../../src/infra/components/request-values';
import { standInGatewayHost } from '../../src/infra/kubernetes/gateway-address';
import {
  startCloud,
  driver,
  localSpec,
  requestFor,
  changeCount,
  silentProgress,
  type CloudFixture,
} from '../helpers/components';

jest.setTimeout(600_000);

const spec = localSpec();
const route53 = () => awsClient(Route53Client, 'us-east-1');
const cdnDomain = 'd111111abcdef8.cloudfront.net';
const gateways = {
  primary: standInGatewayHost(spec, 'primary'),
  secondary: standInGatewayHost(spec, 'secondary'),
};

let cloud: CloudFixture;
const outputs: Record<string, ComponentOutputs> = {};
const request = (id: string): ComponentRequest => requestFor(spec, id, outputs);

async function healthChecks() {
  const { HealthChecks } = await route53().send(new ListHealthChecksCommand({}));
  return HealthChecks ?? [];
}

async function records(): Promise<ResourceRecordSet[]> {
  const { ResourceRecordSets } = await route53().send(
    new ListResourceRecordSetsCommand({ HostedZoneId: String(outputs.dns.zoneId) }),
  );
  return (ResourceRecordSets ?? []).filter((r) => r.Type === 'CNAME');
}

beforeAll(async () => {
  cloud = await startCloud();
  const dns = request('dns');
  outputs.dns = (await driver(dns).apply(dns, silentProgress)).outputs;
  // What the upstream components hand over (they are built and checked in their own tests).
  outputs.app = { gatewayHostname: gateways.primary };
  outputs['secondary/app'] = { gatewayHostname: gateways.secondary };
  outputs.cdn = { domainName: cdnDomain };
});

afterAll(async () => {
  const dns = request('dns');
  await driver(dns)
    .destroy(dns, silentProgress)
    .catch(() => {});
  await cloud?.stop();
});

describe('dns-failover on moto', () => {
  const failoverNames = spec.dns.records.filter((r) => r.routing === 'failover').map((r) => r.name);

  test('plan says what it makes and what the emulator does not do', async () => {
    expect(failoverNames).toEqual(['api.lp-system.com', 'app.lp-system.com']);
    const plan = await driver(request('dns-failover')).plan(request('dns-failover'), silentProgress);
    expect(plan.existedBefore).toBe(false);
    // the stack, 2 health checks, 2 failover names x 2 records, 1 cdn record
    expect(plan.changes?.create).toBe(1 + 2 + 4 + 1);
    expect(plan.notEmulated).toEqual(
      expect.arrayContaining([expect.stringContaining('Route 53 health checkers probing the gateways')]),
    );
  });

  test('apply makes a health check per region and PRIMARY/SECONDARY records; ready', async () => {
    const applied = await driver(request('dns-failover')).apply(request('dns-failover'), silentProgress);
    outputs['dns-failover'] = applied.outputs;

    const checks = await healthChecks();
    expect(checks).toHaveLength(2);
    const byFqdn = Object.fromEntries(checks.map((c) => [c.HealthCheckConfig?.FullyQualifiedDomainName, c]));
    for (const role of ['primary', 'secondary'] as const) {
      const config = byFqdn[gateways[role]]?.HealthCheckConfig;
      expect(config).toEqual(
        expect.objectContaining({
          Type: spec.dns.healthCheck.protocol,
          Port: spec.dns.healthCheck.port,
          ResourcePath: spec.dns.healthCheck.path,
          RequestInterval: spec.dns.healthCheck.requestIntervalSeconds,
          FailureThreshold: spec.dns.healthCheck.failureThreshold,
        }),
      );
      const { ResourceTagSet } = await route53().send(
        new ListTagsForResourceCommand({
          ResourceType: 'healthcheck',
          ResourceId: byFqdn[gateways[role]]!.Id!,
        }),
      );
      expect(fromAwsTags(ResourceTagSet?.Tags)[TAG_ENVIRONMENT]).toBe(spec.name);
    }
    expect(applied.outputs.primaryHealthCheckId).toBe(byFqdn[gateways.primary]!.Id);

    const sets = await records();
    for (const name of failoverNames) {
      const pair = sets.filter((r) => r.Name === `${name}.`);
      expect(pair.map((r) => [r.Failover, r.ResourceRecords?.[0]?.Value, r.HealthCheckId]).sort()).toEqual([
        ['PRIMARY', gateways.primary, applied.outputs.primaryHealthCheckId],
        ['SECONDARY', gateways.secondary, applied.outputs.secondaryHealthCheckId],
      ]);
    }
    const assets = sets.find((r) => r.Name === 'assets.lp-system.com.');
    expect(assets?.ResourceRecords).toEqual([{ Value: cdnDomain }]);
    expect(assets?.Failover).toBeUndefined();

    const readiness = await driver(request('dns-failover')).ready(request('dns-failover'), applied.outputs);
    expect(readiness.ready).toBe(true);
  });

  test('re-plan has nothing to do; a second apply makes no second health check or record', async () => {
    const again = await driver(request('dns-failover')).plan(request('dns-failover'), silentProgress);
    expect(changeCount(again.changes)).toBe(0);
    expect(again.existedBefore).toBe(true);
    const before = { checks: (await healthChecks()).length, records: (await records()).length };
    const second = await driver(request('dns-failover')).apply(request('dns-failover'), silentProgress);
    expect(changeCount(second.changes)).toBe(0);
    expect({ checks: (await healthChecks()).length, records: (await records()).length }).toEqual(before);
  });

  test('a health check create retried after it succeeded finds the check it made', async () => {
    const existing = (await healthChecks()).find(
      (c) => c.HealthCheckConfig?.FullyQualifiedDomainName === gateways.primary,
    )!;
    const retried = await healthCheck.create(
      {
        name: `${spec.name}-primary-gateway`,
        type: spec.dns.healthCheck.protocol,
        fqdn: gateways.primary,
        port: spec.dns.healthCheck.port,
        path: spec.dns.healthCheck.path,
        requestIntervalSeconds: spec.dns.healthCheck.requestIntervalSeconds,
        failureThreshold: spec.dns.healthCheck.failureThreshold,
        tags: resourceTags(request('dns-failover')),
      },
      { region: 'us-east-1', endpoint: cloud.moto.endpoint },
    );
    expect(retried.id).toBe(existing.Id);
    expect(await healthChecks()).toHaveLength(2);
    const { HealthCheck } = await route53().send(new GetHealthCheckCommand({ HealthCheckId: existing.Id }));
    expect(HealthCheck?.HealthCheckConfig?.FullyQualifiedDomainName).toBe(gateways.primary);
  });

  test('destroy leaves no health check and no record it made', async () => {
    await driver(request('dns-failover')).destroy(request('dns-failover'), silentProgress);
    expect(await healthChecks()).toHaveLength(0);
    expect(await records()).toHaveLength(0);
  });
});
