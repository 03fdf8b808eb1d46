/** One line per component saying what the spec asks of it, for the plan. */
import type { ComponentKind, RegionRole } from '../components';
import type { EnvironmentSpec } from '../schema';

type Summary = (spec: EnvironmentSpec, region: RegionRole) => string;

const onOff = (flag: boolean) => (flag ? 'on' : 'off');
const list = (items: readonly string[]) => (items.length ? items.join(', ') : 'none');
const networkOf = (spec: EnvironmentSpec, region: RegionRole) =>
  region === 'primary' ? spec.network : spec.regions.secondary.network;

const summaries: Record<ComponentKind, Summary> = {
  network: (spec, region) => {
    const n = networkOf(spec, region);
    return `${n.vpcCidr} across ${list(n.availabilityZones)}; ${n.subnets.public.length} public + ${n.subnets.private.length} private subnets; NAT ${n.natGateway}`;
  },
  kms: (spec, region) =>
    spec.kms.keys
      .filter((k) => k.region === region)
      .map((k) => `${k.alias}${k.enableKeyRotation ? ' (rotation on)' : ''}`)
      .join(', '),
  cluster: ({ cluster, regions }, region) => {
    const access = cluster.endpointAccess;
    const endpoint = [
      access.private ? 'private' : '',
      access.public ? `public from ${list(access.publicAccessCidrs)}` : '',
    ]
      .filter(Boolean)
      .join(' + ');
    const name = region === 'primary' ? cluster.name : `${regions.secondary.clusterName} (standby)`;
    return `EKS ${name}, Kubernetes ${cluster.kubernetesVersion}; endpoint ${endpoint}; OIDC ${onOff(cluster.iam.withOidc)}; add-ons ${list(cluster.addons.map((a) => a.name))}; control-plane logs ${list(cluster.controlPlaneLogging)}`;
  },
  'node-groups': ({ cluster, regions }, region) =>
    cluster.nodeGroups
      .map((g) => {
        const standby = regions.secondary.standby.nodeGroups.find((s) => s.name === g.name);
        const sizes =
          region === 'secondary' && standby
            ? `${standby.minSize}/${standby.desiredSize}/${g.maxSize} standby`
            : `${g.minSize}/${g.desiredSize}/${g.maxSize}`;
        return `${g.name} ${sizes} ${g.instanceTypes.join('|')}${g.spot ? ' spot' : ''}`;
      })
      .join('; ') + ' (min/desired/max)',
  database: ({ database: db }) =>
    `${db.engine} ${db.engineVersion}, ${db.instanceCount} x ${db.instanceClass}; backups ${db.backup.retentionDays} d at ${db.backup.window}; ` +
    `maintenance ${db.maintenanceWindow}; encrypted ${onOff(db.storageEncrypted)}${db.kmsKey ? ` (${db.kmsKey})` : ''}; deletion protection ${onOff(db.deletionProtection)}`,
  'database-replica': ({ database: db, regions }) => {
    const r = db.crossRegionReplica;
    return r
      ? `${r.clusterIdentifier} in ${regions.secondary.region}: ${r.instanceCount} x ${r.instanceClass}, encrypted ${onOff(r.storageEncrypted)}; ` +
          'built as an Aurora global database secondary (Aurora PostgreSQL has no cross-region read replica by replication source, which the reference Terraform uses)'
      : '';
  },
  cache: ({ cache, regions }, region) =>
    region === 'secondary'
      ? `${regions.secondary.cache.numCacheClusters} x ${regions.secondary.cache.nodeType} (starts cold)`
      : `${cache.engine} ${cache.numCacheClusters} x ${cache.nodeType}; failover ${onOff(cache.automaticFailover)}, Multi-AZ ${onOff(cache.multiAz)}; ` +
        `TLS ${onOff(cache.encryption.inTransit)}, at rest ${onOff(cache.encryption.atRest)}, AUTH ${onOff(cache.authTokenRequired)}; ` +
        `snapshots ${cache.snapshot.retentionDays} d at ${cache.snapshot.window}; maxmemory-policy ${cache.parameterGroup.parameters['maxmemory-policy'] ?? 'default'}`,
  storage: ({ storage: s }) => {
    const lifecycle = s.lifecycleRules
      .map((r) =>
        [
          ...r.transitions.map((t) => `${t.storageClass} at ${t.days} d`),
          ...(r.noncurrentVersionExpirationDays
            ? [`noncurrent versions expire at ${r.noncurrentVersionExpirationDays} d`]
            : []),
        ].join(', '),
      )
      .join('; ');
    return `bucket ${s.bucketNamePrefix}<8 hex>; versioning ${onOff(s.versioning)}; ${s.encryption.algorithm}${s.encryption.kmsKey ? ` ${s.encryption.kmsKey}` : ''}${s.encryption.bucketKey ? ' with bucket key' : ''}; lifecycle ${lifecycle || 'none'}`;
  },
  certificate: ({ cdn, dns }) =>
    `${list([cdn.viewerCertificate.domainName, ...cdn.viewerCertificate.subjectAlternativeNames])} in us-east-1 (CloudFront), validated through ${dns.zone}`,
  waf: ({ cdn }) => `${cdn.waf.name}: ${list(cdn.waf.managedRuleGroups.map((g) => g.name))}`,
  cdn: ({ cdn }) => {
    const ttl = (t: { min: number; default: number; max: number }) => `TTL ${t.min}/${t.default}/${t.max} s`;
    return [
      `${list(cdn.aliases)} from the bucket (${cdn.origin.access})`,
      `default ${ttl(cdn.defaultCacheBehavior.ttl)}`,
      ...cdn.orderedCacheBehaviors.map((b) => `${b.pathPattern} ${ttl(b.ttl)}`),
      `viewers ${cdn.defaultCacheBehavior.viewerProtocolPolicy}, ${cdn.viewerCertificate.minimumProtocolVersion}`,
    ].join('; ');
  },
  dns: ({ dns }) => `${dns.zone} (${dns.manageZone ? 'created by lp-infra' : 'existing zone, looked up'})`,
  'dns-failover': ({ dns, regions }) => {
    const failover = dns.records.filter((r) => r.routing === 'failover').map((r) => r.name);
    const simple = dns.records.filter((r) => r.routing === 'simple').map((r) => `${r.name} -> ${r.target}`);
    const hc = dns.healthCheck;
    return `${list(failover)} fail over to ${regions.secondary.region}; ${list(simple)}; health check ${hc.protocol} :${hc.port}${hc.path ?? ''} every ${hc.requestIntervalSeconds} s, ${hc.failureThreshold} failures`;
  },
  mesh: ({ mesh }) => {
    const gateways = mesh.gateways.map(
      (g) => `gateway ${g.name} (${list(g.servers.flatMap((s) => s.hosts))})`,
    );
    const routes = mesh.virtualServices.map(
      (vs) =>
        `${vs.name}: ` +
        vs.http
          .map((r) => {
            const match = r.match.map((m) => m.uri.prefix ?? m.uri.exact ?? m.uri.regex).join('|') || '/';
            const retries = r.retries
              ? `, ${r.retries.attempts} x ${r.retries.perTryTimeout ?? 'default'}`
              : '';
            return `${match} -> ${r.route.map((d) => `${d.destination.host.split('.')[0]}:${d.destination.port}`).join(', ')}${r.timeout ? ` (${r.timeout}${retries})` : ''}`;
          })
          .join(', '),
    );
    const rules = mesh.destinationRules.map((dr) => {
      const od = dr.trafficPolicy.outlierDetection;
      const outlier = od
        ? `, outlierDetection ${od.consecutive5xxErrors} x 5xx / ${od.interval}, eject ${od.baseEjectionTime}, max ${od.maxEjectionPercent}% ` +
          "(Istio's field for the reference's circuitBreaker block, which is not an Istio field)"
        : '';
      return `${dr.name}: ${dr.trafficPolicy.loadBalancer ?? 'default balancing'}${outlier}`;
    });
    return [...gateways, ...routes, ...rules].join('; ');
  },
  app: ({ applications, regions }, region) =>
    applications
      .map((a) => {
        const standby = regions.secondary.standby.applications.find((s) => s.name === a.name);
        if (region === 'secondary')
          return `${a.name} ${a.version} at ${standby ? standby.replicas : a.replicas} replicas (standby)`;
        const hpa = a.autoscaling ? `, HPA ${a.autoscaling.minReplicas}-${a.autoscaling.maxReplicas}` : '';
        return `${a.name} ${a.version}: ${a.replicas} replicas${hpa}, Service ${a.service.type} :${a.service.ports.map((p) => p.port).join(',')}`;
      })
      .join('; '),
  monitoring: ({ monitoring: { prometheus: p, grafana: g } }) =>
    `Prometheus ${p.replicas} replicas x ${p.shards} shards, ${p.retention} retention, ${p.storage.size} ${p.storage.storageClassName}; Grafana ${g.image} x ${g.replicas}`,
};

export function summarize(spec: EnvironmentSpec, kind: ComponentKind, region: RegionRole): string {
  return summaries[kind](spec, region);
}
