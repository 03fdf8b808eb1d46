/** Every validation rule: the reference passes it, and each broken case is reported at the right path. */
import { specRules } from '../../../src/model';
import { issuesAfter, type Document } from './helpers';

interface Case {
  rule: string;
  name: string;
  change: (doc: Document) => void;
  path: string;
}

const cases: Case[] = [
  // network-layout
  {
    rule: 'network-layout',
    name: 'subnet outside the VPC',
    change: (d) => (d.network.subnets.public[2].cidr = '10.2.0.0/19'),
    path: 'network.subnets.public[2].cidr',
  },
  {
    rule: 'network-layout',
    name: 'overlapping subnets',
    change: (d) => (d.network.subnets.private[0].cidr = '10.0.0.0/20'),
    path: 'network.subnets.private[0].cidr',
  },
  {
    rule: 'network-layout',
    name: 'two public subnets in one zone',
    change: (d) => (d.network.subnets.public[1].availabilityZone = 'us-east-1a'),
    path: 'network.subnets.public[1].availabilityZone',
  },
  {
    rule: 'network-layout',
    name: 'a zone without a public subnet',
    change: (d) => (d.network.subnets.public[1].availabilityZone = 'us-east-1a'),
    path: 'network.subnets.public',
  },
  {
    rule: 'network-layout',
    name: 'subnet in an unlisted zone',
    change: (d) => (d.network.subnets.private[2].availabilityZone = 'us-east-1d'),
    path: 'network.subnets.private[2].availabilityZone',
  },
  {
    rule: 'network-layout',
    name: 'zone outside the region',
    change: (d) => (d.network.availabilityZones[2] = 'us-west-2c'),
    path: 'network.availabilityZones[2]',
  },
  {
    rule: 'network-layout',
    name: 'a single availability zone',
    change: (d) => {
      d.network.availabilityZones = ['us-east-1a'];
      d.network.subnets.public = d.network.subnets.public.slice(0, 1);
      d.network.subnets.private = d.network.subnets.private.slice(0, 1);
    },
    path: 'network.availabilityZones',
  },
  {
    rule: 'network-layout',
    name: 'secondary subnet outside its VPC',
    change: (d) => (d.regions.secondary.network.subnets.public[0].cidr = '10.0.0.0/19'),
    path: 'regions.secondary.network.subnets.public[0].cidr',
  },
  // regions-distinct
  {
    rule: 'regions-distinct',
    name: 'secondary region equals primary',
    change: (d) => (d.regions.secondary.region = 'us-east-1'),
    path: 'regions.secondary.region',
  },
  {
    rule: 'regions-distinct',
    name: 'overlapping VPCs',
    change: (d) => (d.regions.secondary.network.vpcCidr = '10.0.0.0/8'),
    path: 'regions.secondary.network.vpcCidr',
  },
  // node-group-sizes
  {
    rule: 'node-group-sizes',
    name: 'minSize above desiredSize',
    change: (d) => (d.cluster.nodeGroups[1].minSize = 11),
    path: 'cluster.nodeGroups[1].minSize',
  },
  {
    rule: 'node-group-sizes',
    name: 'desiredSize above maxSize',
    change: (d) => (d.cluster.nodeGroups[1].desiredSize = 60),
    path: 'cluster.nodeGroups[1].desiredSize',
  },
  {
    rule: 'node-group-sizes',
    name: 'minSize above maxSize',
    change: (d) => (d.cluster.nodeGroups[0].minSize = 11),
    path: 'cluster.nodeGroups[0].minSize',
  },
  {
    rule: 'node-group-sizes',
    name: 'duplicate node group name',
    change: (d) => (d.cluster.nodeGroups[2].name = 'system-nodes'),
    path: 'cluster.nodeGroups[2].name',
  },
  {
    rule: 'node-group-sizes',
    name: 'duplicate add-on',
    change: (d) => (d.cluster.addons[1].name = 'vpc-cni'),
    path: 'cluster.addons[1].name',
  },
  // endpoint-access
  {
    rule: 'endpoint-access',
    name: 'no endpoint at all',
    change: (d) => Object.assign(d.cluster.endpointAccess, { private: false, public: false }),
    path: 'cluster.endpointAccess',
  },
  {
    rule: 'endpoint-access',
    name: 'public CIDRs while private only',
    change: (d) => (d.cluster.endpointAccess.public = false),
    path: 'cluster.endpointAccess.publicAccessCidrs',
  },
  // standby-capacity
  {
    rule: 'standby-capacity',
    name: 'standby for an unknown node group',
    change: (d) => (d.regions.secondary.standby.nodeGroups[0].name = 'gpu-nodes'),
    path: 'regions.secondary.standby.nodeGroups[0].name',
  },
  {
    rule: 'standby-capacity',
    name: 'standby above the group maxSize',
    change: (d) => (d.regions.secondary.standby.nodeGroups[0].desiredSize = 11),
    path: 'regions.secondary.standby.nodeGroups[0].desiredSize',
  },
  {
    rule: 'standby-capacity',
    name: 'standby for an unknown application',
    change: (d) => (d.regions.secondary.standby.applications[0].name = 'web'),
    path: 'regions.secondary.standby.applications[0].name',
  },
  // known-instance-types
  {
    rule: 'known-instance-types',
    name: 'misspelt EC2 type',
    change: (d) => (d.cluster.nodeGroups[1].instanceTypes[0] = 'c5.xlrage'),
    path: 'cluster.nodeGroups[1].instanceTypes[0]',
  },
  {
    rule: 'known-instance-types',
    name: 'unknown DB instance class',
    change: (d) => (d.database.instanceClass = 'db.r6g.huge'),
    path: 'database.instanceClass',
  },
  {
    rule: 'known-instance-types',
    name: 'unknown replica class',
    change: (d) => (d.database.crossRegionReplica.instanceClass = 'r6g.xlarge'),
    path: 'database.crossRegionReplica.instanceClass',
  },
  {
    rule: 'known-instance-types',
    name: 'unknown cache node type',
    change: (d) => (d.cache.nodeType = 'cache.r6g.mega'),
    path: 'cache.nodeType',
  },
  {
    rule: 'known-instance-types',
    name: 'unknown standby cache node type',
    change: (d) => (d.regions.secondary.cache.nodeType = 't3.large'),
    path: 'regions.secondary.cache.nodeType',
  },
  // database-settings
  {
    rule: 'database-settings',
    name: 'serverless min above max',
    change: (d) => (d.database.serverlessV2Scaling.minCapacity = 128),
    path: 'database.serverlessV2Scaling.minCapacity',
  },
  {
    rule: 'database-settings',
    name: 'unencrypted replica of an encrypted cluster',
    change: (d) => (d.database.crossRegionReplica.storageEncrypted = false),
    path: 'database.crossRegionReplica.storageEncrypted',
  },
  {
    rule: 'database-settings',
    name: 'no replica for disaster recovery',
    change: (d) => delete d.database.crossRegionReplica,
    path: 'database.crossRegionReplica',
  },
  // cache-settings
  {
    rule: 'cache-settings',
    name: 'automatic failover with one node',
    change: (d) => Object.assign(d.cache, { numCacheClusters: 1 }),
    path: 'cache.numCacheClusters',
  },
  {
    rule: 'cache-settings',
    name: 'Multi-AZ without failover',
    change: (d) => (d.cache.automaticFailover = false),
    path: 'cache.multiAz',
  },
  {
    rule: 'cache-settings',
    name: 'AUTH without TLS',
    change: (d) => (d.cache.encryption.inTransit = false),
    path: 'cache.authTokenRequired',
  },
  // maintenance-windows
  {
    rule: 'maintenance-windows',
    name: 'backup overlaps maintenance',
    change: (d) => (d.database.backup.window = '04:30-05:30'),
    path: 'database.maintenanceWindow',
  },
  {
    rule: 'maintenance-windows',
    name: 'window across midnight into Sunday maintenance',
    change: (d) => (d.database.backup.window = '23:30-04:30'),
    path: 'database.maintenanceWindow',
  },
  {
    rule: 'maintenance-windows',
    name: 'maintenance wrapping the week overlaps a daily backup',
    change: (d) =>
      Object.assign(d.database, {
        maintenanceWindow: 'sun:23:30-mon:00:30',
        backup: { retentionDays: 35, window: '00:00-01:00' },
      }),
    path: 'database.maintenanceWindow',
  },
  {
    rule: 'maintenance-windows',
    name: 'Aurora backup window under 30 minutes',
    change: (d) => (d.database.backup.window = '03:00-03:15'),
    path: 'database.backup.window',
  },
  {
    rule: 'maintenance-windows',
    name: 'ElastiCache snapshot window under 60 minutes',
    change: (d) => (d.cache.snapshot.window = '03:00-03:30'),
    path: 'cache.snapshot.window',
  },
  {
    rule: 'maintenance-windows',
    name: 'empty window',
    change: (d) => (d.cache.maintenanceWindow = 'sun:05:00-sun:05:00'),
    path: 'cache.maintenanceWindow',
  },
  // kms-key-references
  {
    rule: 'kms-key-references',
    name: 'unknown key alias',
    change: (d) => (d.database.kmsKey = 'lp-missing'),
    path: 'database.kmsKey',
  },
  {
    rule: 'kms-key-references',
    name: 'key from the other region',
    change: (d) => (d.database.kmsKey = 'lp-database-replica'),
    path: 'database.kmsKey',
  },
  {
    rule: 'kms-key-references',
    name: 'duplicate alias',
    change: (d) => (d.kms.keys[1].alias = 'lp-database'),
    path: 'kms.keys[1].alias',
  },
  {
    rule: 'kms-key-references',
    name: 'kmsKey with SSE-S3',
    change: (d) => (d.storage.encryption.algorithm = 'AES256'),
    path: 'storage.encryption.algorithm',
  },
  // s3-lifecycle
  {
    rule: 's3-lifecycle',
    name: 'STANDARD_IA before 30 days',
    change: (d) => (d.storage.lifecycleRules[0].transitions[0].days = 10),
    path: 'storage.lifecycleRules[0].transitions[0].days',
  },
  {
    rule: 's3-lifecycle',
    name: 'leaving STANDARD_IA within 30 days',
    change: (d) => (d.storage.lifecycleRules[0].transitions[1].days = 45),
    path: 'storage.lifecycleRules[0].transitions[1].days',
  },
  {
    rule: 's3-lifecycle',
    name: 'days not ascending',
    change: (d) => (d.storage.lifecycleRules[0].transitions[2].days = 90),
    path: 'storage.lifecycleRules[0].transitions[2].days',
  },
  {
    rule: 's3-lifecycle',
    name: 'storage classes out of order',
    change: (d) => (d.storage.lifecycleRules[0].transitions[2].storageClass = 'STANDARD_IA'),
    path: 'storage.lifecycleRules[0].transitions[2].storageClass',
  },
  {
    rule: 's3-lifecycle',
    name: 'duplicate rule id',
    change: (d) => d.storage.lifecycleRules.push({ id: 'asset_lifecycle', transitions: [] }),
    path: 'storage.lifecycleRules[1].id',
  },
  // cdn-behaviors
  {
    rule: 'cdn-behaviors',
    name: 'min TTL above default',
    change: (d) => (d.cdn.defaultCacheBehavior.ttl.min = 90000),
    path: 'cdn.defaultCacheBehavior.ttl.min',
  },
  {
    rule: 'cdn-behaviors',
    name: 'default TTL above max',
    change: (d) => (d.cdn.orderedCacheBehaviors[0].ttl.default = 40000000),
    path: 'cdn.orderedCacheBehaviors[0].ttl.default',
  },
  {
    rule: 'cdn-behaviors',
    name: 'method set CloudFront rejects',
    change: (d) => (d.cdn.defaultCacheBehavior.allowedMethods = ['GET', 'POST']),
    path: 'cdn.defaultCacheBehavior.allowedMethods',
  },
  {
    rule: 'cdn-behaviors',
    name: 'cached methods not allowed',
    change: (d) =>
      Object.assign(d.cdn.orderedCacheBehaviors[0], {
        allowedMethods: ['GET', 'HEAD'],
        cachedMethods: ['GET', 'HEAD', 'OPTIONS'],
      }),
    path: 'cdn.orderedCacheBehaviors[0].cachedMethods',
  },
  {
    rule: 'cdn-behaviors',
    name: 'duplicate path pattern',
    change: (d) => d.cdn.orderedCacheBehaviors.push(structuredClone(d.cdn.orderedCacheBehaviors[0])),
    path: 'cdn.orderedCacheBehaviors[1].pathPattern',
  },
  {
    rule: 'cdn-behaviors',
    name: 'alias the certificate does not cover',
    change: (d) => d.cdn.aliases.push('static.lp-system.com'),
    path: 'cdn.aliases[1]',
  },
  // dns-records
  {
    rule: 'dns-records',
    name: 'record outside the zone',
    change: (d) => (d.dns.records[0].name = 'api.example.com'),
    path: 'dns.records[0].name',
  },
  {
    rule: 'dns-records',
    name: 'cdn record that is no CloudFront alias',
    change: (d) => (d.dns.records[2].name = 'cdn.lp-system.com'),
    path: 'dns.records[2].name',
  },
  {
    rule: 'dns-records',
    name: 'gateway record no gateway serves',
    change: (d) => (d.dns.records[1].name = 'admin.lp-system.com'),
    path: 'dns.records[1].name',
  },
  {
    rule: 'dns-records',
    name: 'failover routing to CloudFront',
    change: (d) => (d.dns.records[2].routing = 'failover'),
    path: 'dns.records[2].routing',
  },
  {
    rule: 'dns-records',
    name: 'no failover record',
    change: (d) => d.dns.records.forEach((r: Document) => (r.routing = 'simple')),
    path: 'dns.records',
  },
  {
    rule: 'dns-records',
    name: 'duplicate record',
    change: (d) => (d.dns.records[1].name = 'api.lp-system.com'),
    path: 'dns.records[1].name',
  },
  // mesh-references
  {
    rule: 'mesh-references',
    name: 'unknown gateway',
    change: (d) => (d.mesh.virtualServices[0].gateways = ['public-gateway']),
    path: 'mesh.virtualServices[0].gateways[0]',
  },
  {
    rule: 'mesh-references',
    name: 'host the gateway does not serve',
    change: (d) => d.mesh.virtualServices[0].hosts.push('admin.lp-system.com'),
    path: 'mesh.virtualServices[0].hosts[1]',
  },
  {
    rule: 'mesh-references',
    name: 'HTTPS server without tls',
    change: (d) => delete d.mesh.gateways[0].servers[0].tls,
    path: 'mesh.gateways[0].servers[0].tls',
  },
  {
    rule: 'mesh-references',
    name: 'duplicate destination rule',
    change: (d) => d.mesh.destinationRules.push(structuredClone(d.mesh.destinationRules[0])),
    path: 'mesh.destinationRules[1].name',
  },
  // application-wiring
  {
    rule: 'application-wiring',
    name: 'HPA minReplicas above maxReplicas',
    change: (d) => (d.applications[0].autoscaling.minReplicas = 60),
    path: 'applications[0].autoscaling.minReplicas',
  },
  {
    rule: 'application-wiring',
    name: 'probe on an undeclared port',
    change: (d) => (d.applications[0].livenessProbe.port = 8080),
    path: 'applications[0].livenessProbe.port',
  },
  {
    rule: 'application-wiring',
    name: 'Service targetPort names no container port',
    change: (d) => (d.applications[0].service.ports[0].targetPort = 'web'),
    path: 'applications[0].service.ports[0].targetPort',
  },
  {
    rule: 'application-wiring',
    name: 'request above limit',
    change: (d) => (d.applications[0].resources.requests.cpu = '2'),
    path: 'applications[0].resources.requests.cpu',
  },
  {
    rule: 'application-wiring',
    name: 'Prometheus request above limit',
    change: (d) => (d.monitoring.prometheus.resources.requests.memory = '16Gi'),
    path: 'monitoring.prometheus.resources.requests.memory',
  },
  {
    rule: 'application-wiring',
    name: 'env with value and secretRef',
    change: (d) => (d.applications[0].env[1].value = 'postgres://x'),
    path: 'applications[0].env[1]',
  },
  {
    rule: 'application-wiring',
    name: 'secret-looking env with a literal value',
    change: (d) => d.applications[0].env.push({ name: 'DB_PASSWORD', value: 'hunter2' }),
    path: 'applications[0].env[3].value',
  },
  {
    rule: 'application-wiring',
    name: 'duplicate env var',
    change: (d) => d.applications[0].env.push({ name: 'NODE_ENV', value: 'test' }),
    path: 'applications[0].env[3].name',
  },
  // operations-timing
  {
    rule: 'operations-timing',
    name: 'drift every 30 seconds',
    change: (d) => (d.drift.schedule = '30s'),
    path: 'drift.schedule',
  },
];

test('the reference passes every rule', () => {
  expect(issuesAfter(() => undefined)).toEqual([]);
});

test('every rule has cases here', () => {
  expect(new Set(cases.map((c) => c.rule))).toEqual(new Set(specRules.map((r) => r.id)));
});

describe.each(specRules.map((r) => r.id))('%s', (rule) => {
  test.each(cases.filter((c) => c.rule === rule).map((c) => [c.name, c] as const))(
    'rejects: %s',
    (_name, c) => {
      const issues = issuesAfter(c.change);
      const hit = issues.find((i) => i.rule === c.rule && i.path === c.path);
      expect(hit).toBeDefined();
      expect(hit?.message.length).toBeGreaterThan(10);
    },
  );
});

test('all problems are reported at once', () => {
  const issues = issuesAfter((d) => {
    d.cluster.nodeGroups[1].desiredSize = 60;
    d.cdn.defaultCacheBehavior.ttl.min = 90000;
    d.storage.lifecycleRules[0].transitions[0].days = 10;
    d.database.backup.retentionDays = 40;
  });
  expect(issues.map((i) => i.path)).toEqual(
    expect.arrayContaining([
      'cluster.nodeGroups[1].desiredSize',
      'cdn.defaultCacheBehavior.ttl.min',
      'storage.lifecycleRules[0].transitions[0].days',
      'database.backup.retentionDays',
    ]),
  );
});
