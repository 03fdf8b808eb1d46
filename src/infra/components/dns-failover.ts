import { GetHealthCheckCommand, GetHealthCheckStatusCommand, Route53Client } from '@aws-sdk/client-route-53';
import type * as pulumi from '@pulumi/pulumi';
import type { ComponentRequest, OutputsByKind } from './contract';
import type { SpecWith } from '../../model';
import { awsClient } from '../aws/clients';
import { HandlerResource } from '../handler-resource';
import { pulumiDriver, type ProgramOutputs } from './pulumi-driver';
import { dependencyOutput, regionOf, resourceTags } from './request-values';

/**
 * The environment's public names (the spec's dns.records): a gateway name with failover
 * routing is a PRIMARY/SECONDARY pair of CNAMEs to each region's ingress gateway, each
 * answered while its region's Route 53 health check passes; a simple gateway name points
 * at the primary gateway; a cdn name at the CloudFront distribution. CNAMEs, not aliases:
 * the names are below the zone apex, and a CNAME needs no load balancer hosted zone id.
 */
const failoverTtl = 60;
const simpleTtl = 300;
const regions = ['primary', 'secondary'] as const;
export type FailoverRole = (typeof regions)[number];

/** The Route 53 failover role and set identifier of a region's record. */
export const failoverRole = (role: FailoverRole) => (role === 'primary' ? 'PRIMARY' : 'SECONDARY');
export const setIdentifier = (request: { spec: SpecWith }, role: FailoverRole) =>
  `${request.spec.name}-${role}`;

/** Where each region's gateway is reached: the app components' gateway address output. */
export function gatewayTargets(request: ComponentRequest<'dns-failover'>): Record<FailoverRole, string> {
  return {
    primary: dependencyOutput(request, 'app', 'gatewayHostname'),
    secondary: dependencyOutput(request, 'secondary/app', 'gatewayHostname'),
  };
}

const resourceName = (host: string) => host.replace(/\./g, '-');

/** The name (and CallerReference stem) of the health check of a region's gateway. */
export const gatewayHealthCheckName = (spec: SpecWith, role: FailoverRole) => `${spec.name}-${role}-gateway`;

function program(request: ComponentRequest<'dns-failover'>) {
  const { dns } = request.spec;
  const region = regionOf(request);
  const zoneId = dependencyOutput(request, 'dns', 'zoneId');
  const targets = gatewayTargets(request);
  const failover = dns.records.filter((r) => r.target === 'gateway' && r.routing === 'failover');

  const checks: Partial<Record<FailoverRole, pulumi.Output<string>>> = {};
  if (failover.length) {
    for (const role of regions) {
      const check = new HandlerResource('aws:route53-health-check', `health-check-${role}`, {
        region,
        props: {
          name: gatewayHealthCheckName(request.spec, role),
          type: dns.healthCheck.protocol,
          fqdn: targets[role],
          port: dns.healthCheck.port,
          ...(dns.healthCheck.path ? { path: dns.healthCheck.path } : {}),
          requestIntervalSeconds: dns.healthCheck.requestIntervalSeconds,
          failureThreshold: dns.healthCheck.failureThreshold,
          tags: resourceTags(request),
        },
      });
      checks[role] = check.outs.apply((outs) => outs.healthCheckId as string);
    }
  }

  const names: string[] = [];
  for (const record of dns.records) {
    names.push(record.name);
    const base = { zoneId, name: record.name, type: 'CNAME' };
    if (record.target === 'cdn') {
      const domain = dependencyOutput(request, 'cdn', 'domainName');
      new HandlerResource('aws:route53-record', `record-${resourceName(record.name)}`, {
        region,
        props: { ...base, ttl: simpleTtl, values: [domain] },
      });
    } else if (record.routing === 'simple') {
      new HandlerResource('aws:route53-record', `record-${resourceName(record.name)}`, {
        region,
        props: { ...base, ttl: simpleTtl, values: [targets.primary] },
      });
    } else {
      for (const role of regions) {
        new HandlerResource('aws:route53-record', `record-${resourceName(record.name)}-${role}`, {
          region,
          props: {
            ...base,
            ttl: failoverTtl,
            values: [targets[role]],
            setIdentifier: setIdentifier(request, role),
            failover: failoverRole(role),
            healthCheckId: checks[role]!,
          },
        });
      }
    }
  }
  return {
    zoneId,
    records: names,
    failoverRecords: failover.map((r) => r.name),
    primaryTarget: targets.primary,
    secondaryTarget: targets.secondary,
    ...(checks.primary ? { primaryHealthCheckId: checks.primary } : {}),
    ...(checks.secondary ? { secondaryHealthCheckId: checks.secondary } : {}),
  } satisfies ProgramOutputs<'dns-failover'>;
}

/** Ready when the primary's health check exists and its checkers report it healthy. */
async function ready(request: ComponentRequest<'dns-failover'>, outputs: OutputsByKind['dns-failover']) {
  const id = outputs.primaryHealthCheckId;
  if (!id) return { ready: true, detail: `${String(outputs.records ?? '')} written` };
  const route53 = awsClient(Route53Client, regionOf(request));
  await route53.send(new GetHealthCheckCommand({ HealthCheckId: String(id) }));
  const { HealthCheckObservations } = await route53.send(
    new GetHealthCheckStatusCommand({ HealthCheckId: String(id) }),
  );
  const reports = (HealthCheckObservations ?? []).map((o) => o.StatusReport?.Status ?? '');
  const healthy = reports.filter((status) => status.startsWith('Success')).length;
  return {
    ready: healthy > 0 && healthy * 2 >= reports.length,
    detail: `primary health check ${String(id)}: ${healthy} of ${reports.length} checkers report healthy`,
  };
}

const notEmulated = (): string[] => [
  'Route 53 health checkers probing the gateways: the emulator reports every health check healthy and answers no DNS query, so failover routing is not exercised by Route 53 itself',
  'the ingress gateways have no load balancer: their records point at stand-in names <gateway>.<region>.<zone>',
];

export const dnsFailoverDriver = pulumiDriver<'dns-failover'>({ program, notEmulated, ready });
