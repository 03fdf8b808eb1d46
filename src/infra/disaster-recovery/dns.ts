/**
 * The DNS side of failover: the gateway health checks the dns-failover component made (found
 * by their CallerReference, so no stored id is needed), switching the active region by
 * inverting the primary's check (Route 53's way of a manual failover: the PRIMARY records
 * stop being answered, the SECONDARY ones are), and the answers that result.
 */
import {
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  UpdateHealthCheckCommand,
  paginateListHealthChecks,
  type HealthCheck,
} from '@aws-sdk/client-route-53';
import { failoverAnswer, type CheckState } from '../../disaster-recovery/answers';
import type { EnvironmentSpec, RegionRole } from '../../model';
import { awsClient } from '../aws/clients';
import { findPublicZone } from '../aws/route53/hosted-zone';
import { callerReference } from '../aws/route53/health-check';
import { gatewayHealthCheckName } from '../components/dns-failover';

const route53 = (spec: EnvironmentSpec) => awsClient(Route53Client, spec.regions.primary.region);

export async function gatewayHealthCheck(spec: EnvironmentSpec, role: RegionRole): Promise<HealthCheck> {
  const reference = callerReference({
    name: gatewayHealthCheckName(spec, role),
    type: spec.dns.healthCheck.protocol,
    requestIntervalSeconds: spec.dns.healthCheck.requestIntervalSeconds,
  });
  for await (const page of paginateListHealthChecks({ client: route53(spec) }, {})) {
    const found = page.HealthChecks?.find((check) => check.CallerReference === reference);
    if (found) return found;
  }
  throw new Error(
    `no Route 53 health check of the ${role} gateway of ${spec.name} (is dns-failover provisioned?)`,
  );
}

/** What the checkers report: most observations are Success. */
async function observedHealthy(
  spec: EnvironmentSpec,
  id: string,
): Promise<{ healthy: boolean; detail: string }> {
  const { HealthCheckObservations } = await route53(spec).send(
    new GetHealthCheckStatusCommand({ HealthCheckId: id }),
  );
  const reports = (HealthCheckObservations ?? []).map((o) => o.StatusReport?.Status ?? '');
  const ok = reports.filter((status) => status.startsWith('Success')).length;
  return {
    healthy: ok > 0 && ok * 2 >= reports.length,
    detail: `${ok} of ${reports.length} checkers healthy`,
  };
}

async function checkState(spec: EnvironmentSpec, id: string): Promise<CheckState & { detail: string }> {
  const { HealthCheck } = await route53(spec).send(new GetHealthCheckCommand({ HealthCheckId: id }));
  const observed = await observedHealthy(spec, id);
  return {
    observedHealthy: observed.healthy,
    inverted: Boolean(HealthCheck?.HealthCheckConfig?.Inverted),
    disabled: Boolean(HealthCheck?.HealthCheckConfig?.Disabled),
    detail: observed.detail,
  };
}

/** The primary gateway as Route 53's checkers see it (inversion aside), for the health monitor. */
export async function primaryGatewayHealth(spec: EnvironmentSpec) {
  const check = await gatewayHealthCheck(spec, 'primary');
  return observedHealthy(spec, check.Id!);
}

/**
 * Makes `active` the region the failover names answer with: the primary's health check is
 * inverted while the secondary is active. Idempotent; returns what it found before.
 */
export async function setActiveRegion(spec: EnvironmentSpec, active: RegionRole): Promise<RegionRole> {
  const primary = await gatewayHealthCheck(spec, 'primary');
  const wasInverted = Boolean(primary.HealthCheckConfig?.Inverted);
  const invert = active === 'secondary';
  if (wasInverted !== invert) {
    await route53(spec).send(new UpdateHealthCheckCommand({ HealthCheckId: primary.Id!, Inverted: invert }));
  }
  return wasInverted ? 'secondary' : 'primary';
}

export interface Answer {
  value?: string;
  /** The region whose record is answered (undefined for a name without failover records). */
  region?: RegionRole;
}

/** Each failover name and the gateway it is answered with now. */
export async function failoverAnswers(spec: EnvironmentSpec): Promise<Record<string, Answer>> {
  const zone = await findPublicZone(spec.dns.zone, { region: spec.regions.primary.region });
  if (!zone?.Id) throw new Error(`hosted zone ${spec.dns.zone} not found`);
  const states: Record<string, CheckState> = {};
  const answers: Record<string, Answer> = {};
  for (const record of spec.dns.records.filter((r) => r.routing === 'failover')) {
    const { ResourceRecordSets } = await route53(spec).send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: zone.Id,
        StartRecordName: record.name,
        MaxItems: 10,
      }),
    );
    const sets = (ResourceRecordSets ?? []).filter((r) => r.Name === `${record.name}.`);
    for (const id of sets.map((s) => s.HealthCheckId).filter((id): id is string => !!id)) {
      states[id] ??= await checkState(spec, id);
    }
    const answer = failoverAnswer(
      sets.map((s) => ({
        failover: s.Failover as 'PRIMARY' | 'SECONDARY' | undefined,
        value: s.ResourceRecords?.[0]?.Value ?? '',
        healthCheckId: s.HealthCheckId,
      })),
      states,
    );
    answers[record.name] = {
      value: answer?.value,
      region:
        answer?.failover === 'PRIMARY'
          ? 'primary'
          : answer?.failover === 'SECONDARY'
            ? 'secondary'
            : undefined,
    };
  }
  return answers;
}
