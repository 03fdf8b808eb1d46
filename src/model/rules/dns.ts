import { isWithinZone } from '../values/hostnames';
import { defineRule, duplicates, type Violation } from './rule';

function hostServed(host: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => p === host || p === '*' || (p.startsWith('*.') && host.endsWith(p.slice(1))));
}

export const dnsRules = [
  defineRule({
    id: 'dns-records',
    description:
      'Records are inside the zone and unique; cdn records are CloudFront aliases; gateway records are hosts a mesh ' +
      'gateway serves; failover routing is for gateway records; disaster recovery has at least one failover record.',
    reads: ['dns', 'cdn', 'mesh', 'disasterRecovery'],
    check: ({ dns, cdn, mesh }) => {
      const gatewayHosts = mesh.gateways.flatMap((g) => g.servers.flatMap((s) => s.hosts));
      const violations: Violation[] = duplicates(
        dns.records,
        (r) => r.name,
        (i) => ['dns', 'records', i, 'name'],
        'record',
      );
      dns.records.forEach((record, i) => {
        const at = ['dns', 'records', i];
        if (!isWithinZone(record.name, dns.zone)) {
          violations.push({
            path: [...at, 'name'],
            value: record.name,
            message: `not inside the zone ${dns.zone}`,
          });
        }
        if (record.target === 'cdn' && !cdn.aliases.includes(record.name)) {
          violations.push({
            path: [...at, 'name'],
            value: record.name,
            message: 'a cdn record must be one of cdn.aliases (CloudFront answers only for its aliases)',
          });
        }
        if (record.target === 'gateway' && !hostServed(record.name, gatewayHosts)) {
          violations.push({
            path: [...at, 'name'],
            value: record.name,
            message: `no mesh gateway serves this host (gateway hosts: ${gatewayHosts.join(', ') || 'none'})`,
          });
        }
        if (record.routing === 'failover' && record.target !== 'gateway') {
          violations.push({
            path: [...at, 'routing'],
            value: record.routing,
            message: 'failover routing needs a regional target (gateway); CloudFront is global',
          });
        }
      });
      if (!dns.records.some((r) => r.routing === 'failover')) {
        violations.push({
          path: ['dns', 'records'],
          message: 'disasterRecovery needs at least one record with routing: failover',
        });
      }
      return violations;
    },
  }),
];
