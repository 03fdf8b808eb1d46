import type { ComponentRequest } from './contract';
import { HandlerResource } from '../handler-resource';
import { pulumiDriver, type ProgramOutputs } from './pulumi-driver';
import { regionOf, resourceTags } from './request-values';

/**
 * In an emulated environment a zone that the spec says exists (it comes with the domain)
 * does not: no domain is registered there. lp-infra then makes a stand-in zone of that
 * name and removes it with the stack, and says so in the plan.
 */
const standsIn = (request: ComponentRequest<'dns'>) => request.spec.emulated && !request.spec.dns.manageZone;

/** The environment's public hosted zone: made and owned when dns.manageZone, else looked up. */
function program(request: ComponentRequest<'dns'>) {
  const { dns } = request.spec;
  const manage = dns.manageZone || standsIn(request);
  const zone = new HandlerResource('aws:route53-zone', 'zone', {
    region: regionOf(request),
    props: {
      name: dns.zone,
      manage,
      comment: `lp-infra environment ${request.spec.name}`,
      tags: manage ? { ...resourceTags(request), Name: dns.zone } : {},
    },
  });
  return {
    zoneId: zone.outs.apply((outs) => outs.zoneId),
    zoneName: dns.zone,
    nameServers: zone.outs.apply((outs) => outs.nameServers),
  } satisfies ProgramOutputs<'dns'>;
}

function notEmulated(request: ComponentRequest<'dns'>): string[] {
  const zone = request.spec.dns.zone;
  return standsIn(request)
    ? [
        `look up the existing hosted zone ${zone} (the emulated cloud has no registered domain: a stand-in zone is made and removed with the stack)`,
      ]
    : [];
}

export const dnsDriver = pulumiDriver<'dns'>({ program, notEmulated });
