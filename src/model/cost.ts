/**
 * Monthly cost estimate from the shipped price table: capacity the spec asks for (instances,
 * control planes, NAT gateways, volumes, keys, ACLs, health checks). Usage-based charges are
 * listed as not included. Pure; safe in workflow code.
 */
import { eksSupportStatus } from './data/eks-versions';
import { priceTable } from './data/prices';
import { isoDate } from './policy';
import type { EnvironmentSpec } from './schema';
import { gibibytes } from './values/quantities';

export interface CostLine {
  /** Component id from componentGraph. */
  component: string;
  item: string;
  quantity: number;
  unit: string;
  unitPriceUsd: number;
  monthlyUsd: number;
}

export interface CostEstimate {
  currency: 'USD';
  lines: CostLine[];
  byComponent: Record<string, number>;
  totalMonthlyUsd: number;
  notIncluded: string[];
  assumptions: string[];
  source: string;
  asOf: string;
}

const hours = priceTable.hoursPerMonth;
const cents = (usd: number) => Math.round(usd * 100) / 100;

function line(
  component: string,
  item: string,
  quantity: number,
  unit: string,
  unitPriceUsd: number,
): CostLine {
  return { component, item, quantity, unit, unitPriceUsd, monthlyUsd: cents(quantity * unitPriceUsd) };
}

function hourly(table: Record<string, number>, type: string): number {
  return table[type] ?? 0;
}

function natGateways(network: EnvironmentSpec['network']): number {
  if (network.natGateway === 'highly-available') return new Set(network.availabilityZones).size;
  return network.natGateway === 'single' ? 1 : 0;
}

function regionLines(spec: EnvironmentSpec, today: string): CostLine[] {
  const { cluster, database, cache, regions } = spec;
  const prefixFor = (region: 'primary' | 'secondary') => (region === 'primary' ? '' : 'secondary/');
  const standbyOf = (name: string) => regions.secondary.standby.nodeGroups.find((g) => g.name === name);
  const controlPlaneRate =
    eksSupportStatus(cluster.kubernetesVersion, today) === 'standard'
      ? priceTable.eksClusterHour
      : priceTable.eksExtendedSupportClusterHour;

  return (['primary', 'secondary'] as const).flatMap((region) => {
    const prefix = prefixFor(region);
    const network = region === 'primary' ? spec.network : regions.secondary.network;
    const nodeLines = cluster.nodeGroups.flatMap((group) => {
      const count =
        region === 'primary' ? group.desiredSize : (standbyOf(group.name)?.desiredSize ?? group.desiredSize);
      const type = group.instanceTypes[0];
      const rate = hourly(priceTable.ec2Hourly, type) * (group.spot ? priceTable.spotFractionOfOnDemand : 1);
      return [
        line(
          `${prefix}node-groups`,
          `${group.name}: ${count} x ${type}${group.spot ? ' (Spot)' : ''}`,
          count * hours,
          'instance-hours',
          rate,
        ),
        line(
          `${prefix}node-groups`,
          `${group.name}: ${count} x ${group.volume.sizeGiB} GiB ${group.volume.type}`,
          count * group.volume.sizeGiB,
          'GiB-months',
          priceTable.ebsGbMonth[group.volume.type] ?? 0,
        ),
      ];
    });
    const cacheNodes =
      region === 'primary'
        ? { type: cache.nodeType, count: cache.numCacheClusters }
        : { type: regions.secondary.cache.nodeType, count: regions.secondary.cache.numCacheClusters };
    const keys = spec.kms.keys.filter((key) => key.region === region).length;
    return [
      line(
        `${prefix}network`,
        `NAT gateways (${network.natGateway})`,
        natGateways(network) * hours,
        'gateway-hours',
        priceTable.natGatewayHour,
      ),
      ...(keys > 0
        ? [
            line(
              `${prefix}kms`,
              `${keys} customer-managed key${keys === 1 ? '' : 's'}`,
              keys,
              'key-months',
              priceTable.kmsKeyMonth,
            ),
          ]
        : []),
      line(
        `${prefix}cluster`,
        `EKS control plane${controlPlaneRate === priceTable.eksClusterHour ? '' : ' (extended support rate)'}`,
        hours,
        'cluster-hours',
        controlPlaneRate,
      ),
      ...nodeLines,
      line(
        `${prefix}cache`,
        `${cacheNodes.count} x ${cacheNodes.type}`,
        cacheNodes.count * hours,
        'node-hours',
        hourly(priceTable.elasticacheHourly, cacheNodes.type),
      ),
      line(`${prefix}mesh`, 'ingress gateway Network Load Balancer', hours, 'LB-hours', priceTable.nlbHour),
      ...(region === 'primary' ? databaseLines(database) : replicaLines(database)),
    ];
  });
}

function databaseLines(database: EnvironmentSpec['database']): CostLine[] {
  if (database.instanceClass === 'db.serverless') {
    const minimum = database.serverlessV2Scaling?.minCapacity ?? 0.5;
    return [
      line(
        'database',
        `${database.instanceCount} x db.serverless at the ${minimum}-ACU floor`,
        database.instanceCount * minimum * hours,
        'ACU-hours',
        priceTable.auroraServerlessAcuHour,
      ),
    ];
  }
  return [
    line(
      'database',
      `${database.instanceCount} x ${database.instanceClass}`,
      database.instanceCount * hours,
      'instance-hours',
      hourly(priceTable.rdsHourly, database.instanceClass),
    ),
  ];
}

function replicaLines(database: EnvironmentSpec['database']): CostLine[] {
  const replica = database.crossRegionReplica;
  if (!replica) return [];
  return [
    line(
      'secondary/database-replica',
      `${replica.instanceCount} x ${replica.instanceClass}`,
      replica.instanceCount * hours,
      'instance-hours',
      hourly(priceTable.rdsHourly, replica.instanceClass),
    ),
  ];
}

function globalLines(spec: EnvironmentSpec): CostLine[] {
  const { cdn, dns, monitoring } = spec;
  const failoverRecords = dns.records.filter((r) => r.routing === 'failover').length;
  const checkFeatures =
    (dns.healthCheck.protocol === 'HTTPS' ? 1 : 0) + (dns.healthCheck.requestIntervalSeconds === 10 ? 1 : 0);
  const prometheus = monitoring.prometheus;
  const volumeGiB = gibibytes(prometheus.storage.size) ?? 0;
  const volumes = prometheus.replicas * prometheus.shards;
  return [
    line('waf', `web ACL ${cdn.waf.name}`, 1, 'ACL-months', priceTable.wafWebAclMonth),
    line(
      'waf',
      `${cdn.waf.managedRuleGroups.length} managed rule groups`,
      cdn.waf.managedRuleGroups.length,
      'rule-months',
      priceTable.wafRuleMonth,
    ),
    line('dns', `hosted zone ${dns.zone}`, 1, 'zone-months', priceTable.route53HostedZoneMonth),
    line(
      'dns-failover',
      `${failoverRecords * 2} health checks (each failover record, both regions)`,
      failoverRecords * 2,
      'check-months',
      priceTable.route53HealthCheckMonth + checkFeatures * priceTable.route53HealthCheckFeatureMonth,
    ),
    line('certificate', 'ACM public certificate', 1, 'certificates', 0),
    line(
      'monitoring',
      `Prometheus volumes: ${volumes} x ${prometheus.storage.size} ${prometheus.storage.storageClassName}`,
      volumes * volumeGiB,
      'GiB-months',
      priceTable.ebsGbMonth[prometheus.storage.storageClassName] ?? priceTable.ebsGbMonth.gp3,
    ),
  ];
}

export interface CostOptions {
  /** YYYY-MM-DD; decides whether the Kubernetes version bills at the extended-support rate. Default: today. */
  today?: string;
}

export function estimateMonthlyCost(spec: EnvironmentSpec, options: CostOptions = {}): CostEstimate {
  const today = options.today ?? isoDate(new Date());
  const lines = [...regionLines(spec, today), ...globalLines(spec)].filter((l) => l.quantity > 0);
  const byComponent: Record<string, number> = {};
  for (const l of lines) byComponent[l.component] = cents((byComponent[l.component] ?? 0) + l.monthlyUsd);
  return {
    currency: 'USD',
    lines,
    byComponent,
    totalMonthlyUsd: cents(lines.reduce((sum, l) => sum + l.monthlyUsd, 0)),
    notIncluded: [
      'data transfer, NAT gateway and load balancer data processing',
      'S3 storage and requests; CloudFront data transfer and requests; WAF requests',
      'Aurora storage, I/O, backups beyond the free allowance and global-database replicated writes',
      'CloudWatch logs (EKS control-plane logging, Redis slow log) and metrics',
      'Grafana and other persistent volumes whose size the spec does not state',
    ],
    assumptions: [
      `${hours} hours a month; on-demand prices, no Savings Plans or Reserved Instances`,
      'node groups run at desiredSize (standby sizes in the secondary region), priced at their first instance type',
      `Spot capacity at ${priceTable.spotFractionOfOnDemand * 100}% of the on-demand price`,
      ...(spec.emulated
        ? ['emulated environment: nothing is billed; these are what the same spec costs on AWS']
        : []),
    ],
    source: priceTable.source,
    asOf: priceTable.asOf,
  };
}
