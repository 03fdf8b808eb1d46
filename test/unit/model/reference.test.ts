/** reference.yaml holds the reference document's numbers, checked one by one. */
import { loadSpecFile } from '../../../src/model';
import { referencePath } from './helpers';

const spec = loadSpecFile(referencePath);
const group = (name: string) => {
  const found = spec.cluster.nodeGroups.find((g) => g.name === name);
  if (!found) throw new Error(`no node group ${name}`);
  return found;
};

describe('reference.yaml carries the reference architecture', () => {
  test('regions: AWS us-east-1, disaster recovery in us-west-2', () => {
    expect(spec.regions.primary).toEqual({ cloud: 'aws', region: 'us-east-1' });
    expect(spec.regions.secondary).toMatchObject({
      cloud: 'aws',
      region: 'us-west-2',
      role: 'disaster-recovery',
    });
    expect(spec.environment).toBe('production');
  });

  test('VPC 10.0.0.0/16 with highly-available NAT', () => {
    expect(spec.network.vpcCidr).toBe('10.0.0.0/16');
    expect(spec.network.natGateway).toBe('highly-available');
  });

  test('EKS lp-production 1.28, private and public endpoint open to 0.0.0.0/0, OIDC, logging *', () => {
    expect(spec.cluster).toMatchObject({ name: 'lp-production', kubernetesVersion: '1.28' });
    expect(spec.cluster.endpointAccess).toEqual({
      private: true,
      public: true,
      publicAccessCidrs: ['0.0.0.0/0'],
    });
    expect(spec.cluster.iam).toEqual({
      withOidc: true,
      serviceRolePermissionsBoundaryPolicy: 'EKSServiceRolePermissionsBoundary',
    });
    expect(spec.cluster.controlPlaneLogging).toEqual(['*']);
    expect(spec.cluster.addons.map((a) => [a.name, a.version])).toEqual([
      ['vpc-cni', 'latest'],
      ['coredns', 'latest'],
      ['kube-proxy', 'latest'],
      ['aws-ebs-csi-driver', 'latest'],
    ]);
  });

  test('system-nodes: t3.large 3/3/10, 100 GiB gp3, role=system, taint system=true:NoSchedule', () => {
    expect(group('system-nodes')).toMatchObject({
      instanceTypes: ['t3.large'],
      minSize: 3,
      desiredSize: 3,
      maxSize: 10,
      volume: { sizeGiB: 100, type: 'gp3' },
      spot: false,
      labels: { role: 'system' },
      taints: [{ key: 'system', value: 'true', effect: 'NoSchedule' }],
    });
  });

  test('application-nodes: c5.xlarge + c5.2xlarge 5/10/50 Spot, 200 GiB gp3, role=application', () => {
    expect(group('application-nodes')).toMatchObject({
      instanceTypes: ['c5.xlarge', 'c5.2xlarge'],
      minSize: 5,
      desiredSize: 10,
      maxSize: 50,
      volume: { sizeGiB: 200, type: 'gp3' },
      spot: true,
      labels: { role: 'application' },
      taints: [],
    });
  });

  test('memory-optimized: r5.xlarge 2/3/20, 100 GiB gp3, role=cache workload=redis', () => {
    expect(group('memory-optimized')).toMatchObject({
      instanceTypes: ['r5.xlarge'],
      minSize: 2,
      desiredSize: 3,
      maxSize: 20,
      volume: { sizeGiB: 100, type: 'gp3' },
      labels: { role: 'cache', workload: 'redis' },
    });
  });

  test('Aurora PostgreSQL 15.4, 3 x db.r6g.xlarge, 35-day backups 03:00-04:00, maintenance sun:04:00-sun:05:00', () => {
    expect(spec.database).toMatchObject({
      clusterIdentifier: 'lp-postgresql-cluster',
      engine: 'aurora-postgresql',
      engineVersion: '15.4',
      databaseName: 'lp_production',
      masterUsername: 'lp_admin',
      instanceClass: 'db.r6g.xlarge',
      instanceCount: 3,
      instanceIdentifierPrefix: 'lp-aurora',
      backup: { retentionDays: 35, window: '03:00-04:00' },
      maintenanceWindow: 'sun:04:00-sun:05:00',
      performanceInsights: { enabled: true, retentionDays: 7 },
      monitoringIntervalSeconds: 60,
      storageEncrypted: true,
      serverlessV2Scaling: { minCapacity: 0.5, maxCapacity: 64 },
      deletionProtection: true,
      skipFinalSnapshot: false,
    });
    expect(spec.database.crossRegionReplica).toMatchObject({
      clusterIdentifier: 'lp-postgresql-replica',
      storageEncrypted: true,
    });
  });

  test('Redis: cache.r6g.xlarge x 6, failover, Multi-AZ, both encryptions, AUTH, snapshots 7 d 03:00-05:00, allkeys-lru', () => {
    expect(spec.cache).toMatchObject({
      replicationGroupId: 'lp-redis-cluster',
      description: 'Redis cluster for LP production',
      nodeType: 'cache.r6g.xlarge',
      port: 6379,
      numCacheClusters: 6,
      automaticFailover: true,
      multiAz: true,
      encryption: { atRest: true, inTransit: true },
      authTokenRequired: true,
      snapshot: { retentionDays: 7, window: '03:00-05:00' },
      maintenanceWindow: 'sun:05:00-sun:07:00',
      slowLog: { destinationType: 'cloudwatch-logs', format: 'text' },
    });
    expect(spec.cache.parameterGroup).toEqual({
      name: 'lp-redis-params',
      family: 'redis7',
      parameters: {
        'maxmemory-policy': 'allkeys-lru',
        'maxmemory-samples': '10',
        timeout: '300',
        'tcp-keepalive': '300',
      },
    });
  });

  test('S3: versioned, KMS with bucket key, transitions 30/90/365 and 90-day noncurrent expiry', () => {
    expect(spec.storage).toMatchObject({
      bucketNamePrefix: 'lp-system-assets-',
      versioning: true,
      encryption: { algorithm: 'aws:kms', bucketKey: true },
    });
    expect(spec.storage.lifecycleRules).toEqual([
      {
        id: 'asset_lifecycle',
        enabled: true,
        transitions: [
          { days: 30, storageClass: 'STANDARD_IA' },
          { days: 90, storageClass: 'GLACIER' },
          { days: 365, storageClass: 'DEEP_ARCHIVE' },
        ],
        noncurrentVersionExpirationDays: 90,
      },
    ]);
  });

  test('CloudFront: default TTLs 0/86400/31536000, /images/* 30 days, TLSv1.2_2021 sni-only', () => {
    const { cdn } = spec;
    expect(cdn).toMatchObject({
      enabled: true,
      ipv6: true,
      defaultRootObject: 'index.html',
      geoRestriction: { type: 'none' },
    });
    expect(cdn.defaultCacheBehavior).toMatchObject({
      allowedMethods: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
      cachedMethods: ['GET', 'HEAD'],
      compress: true,
      viewerProtocolPolicy: 'redirect-to-https',
      forwardedValues: {
        queryString: false,
        headers: ['Origin', 'Access-Control-Request-Headers', 'Access-Control-Request-Method'],
        cookies: 'none',
      },
      ttl: { min: 0, default: 86400, max: 31536000 },
    });
    expect(cdn.orderedCacheBehaviors).toHaveLength(1);
    expect(cdn.orderedCacheBehaviors[0]).toMatchObject({
      pathPattern: '/images/*',
      allowedMethods: ['GET', 'HEAD', 'OPTIONS'],
      cachedMethods: ['GET', 'HEAD'],
      forwardedValues: { queryString: true, headers: ['CloudFront-Is-*-Viewer'], cookies: 'none' },
      ttl: { min: 0, default: 30 * 86400, max: 365 * 86400 },
    });
    expect(cdn.viewerCertificate).toMatchObject({
      sslSupportMethod: 'sni-only',
      minimumProtocolVersion: 'TLSv1.2_2021',
    });
  });

  test('Istio: gateway on 443 for api/app, /graphql -> :4000 30s with 3 x 10s retries, /api/v2 -> :3000 30s', () => {
    const [gateway] = spec.mesh.gateways;
    expect(gateway).toMatchObject({
      name: 'lp-gateway',
      namespace: 'istio-system',
      selector: { istio: 'ingressgateway' },
    });
    expect(gateway.servers).toEqual([
      {
        port: { number: 443, name: 'https', protocol: 'HTTPS' },
        tls: { mode: 'SIMPLE', credentialName: 'lp-tls-secret' },
        hosts: ['api.lp-system.com', 'app.lp-system.com'],
      },
    ]);
    const [vs] = spec.mesh.virtualServices;
    expect(vs).toMatchObject({ name: 'api-routing', hosts: ['api.lp-system.com'], gateways: ['lp-gateway'] });
    expect(vs.http).toEqual([
      {
        match: [{ uri: { prefix: '/graphql' } }],
        route: [{ destination: { host: 'graphql-gateway.production.svc.cluster.local', port: 4000 } }],
        timeout: '30s',
        retries: { attempts: 3, perTryTimeout: '10s' },
      },
      {
        match: [{ uri: { prefix: '/api/v2' } }],
        route: [{ destination: { host: 'api-gateway.production.svc.cluster.local', port: 3000 } }],
        timeout: '30s',
      },
    ]);
  });

  test('Istio destination rule: LEAST_CONN, pool 100/50/100/2, outlier detection 5/10s/30s/50%', () => {
    expect(spec.mesh.destinationRules).toEqual([
      {
        name: 'api-gateway-dr',
        namespace: 'istio-system',
        host: 'api-gateway.production.svc.cluster.local',
        trafficPolicy: {
          loadBalancer: 'LEAST_CONN',
          connectionPool: {
            tcp: { maxConnections: 100 },
            http: { http1MaxPendingRequests: 50, http2MaxRequests: 100, maxRequestsPerConnection: 2 },
          },
          outlierDetection: {
            consecutive5xxErrors: 5,
            interval: '10s',
            baseEjectionTime: '30s',
            maxEjectionPercent: 50,
          },
        },
      },
    ]);
  });

  test('api-gateway Deployment: 5 replicas, rolling 1/2, ports 3000/3001, resources, probes, env from secrets', () => {
    const [app] = spec.applications;
    expect(app).toMatchObject({
      name: 'api-gateway',
      namespace: 'production',
      image: 'lp-system/api-gateway:v2.0.0',
      version: 'v2.0.0',
      replicas: 5,
      strategy: { type: 'RollingUpdate', maxUnavailable: 1, maxSurge: 2 },
      serviceAccountName: 'api-gateway-sa',
      containerPorts: [
        { name: 'http', containerPort: 3000 },
        { name: 'metrics', containerPort: 3001 },
      ],
      resources: { requests: { memory: '512Mi', cpu: '250m' }, limits: { memory: '1Gi', cpu: '500m' } },
      metrics: { scrape: true, port: 3001, path: '/metrics' },
      livenessProbe: {
        path: '/health',
        port: 3000,
        initialDelaySeconds: 30,
        periodSeconds: 10,
        timeoutSeconds: 5,
        failureThreshold: 3,
      },
      readinessProbe: {
        path: '/ready',
        port: 3000,
        initialDelaySeconds: 5,
        periodSeconds: 5,
        timeoutSeconds: 3,
        failureThreshold: 2,
      },
    });
    expect(app.env).toEqual([
      { name: 'NODE_ENV', value: 'production' },
      { name: 'DATABASE_URL', secretRef: { name: 'database-secret', key: 'connection-string' } },
      { name: 'REDIS_URL', secretRef: { name: 'redis-secret', key: 'connection-string' } },
    ]);
  });

  test('api-gateway HPA 5-50 on cpu 70%, memory 80%, 100 requests/s; scale-up 100%/60s, scale-down 10%/60s after 300s', () => {
    expect(spec.applications[0].autoscaling).toEqual({
      minReplicas: 5,
      maxReplicas: 50,
      metrics: [
        { type: 'cpu', averageUtilization: 70 },
        { type: 'memory', averageUtilization: 80 },
        { type: 'pods', metric: 'requests_per_second', averageValue: '100' },
      ],
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 60,
          policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }],
        },
        scaleDown: {
          stabilizationWindowSeconds: 300,
          policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }],
        },
      },
    });
  });

  test('api-gateway Service: ClusterIP http 3000 -> 3000 TCP', () => {
    expect(spec.applications[0].service).toEqual({
      type: 'ClusterIP',
      ports: [{ name: 'http', port: 3000, targetPort: 3000, protocol: 'TCP' }],
    });
  });

  test('Prometheus 2 replicas x 2 shards, 30d, 100Gi gp3, 4-8Gi / 2-4 CPU; Grafana 10.2.0 x 2', () => {
    expect(spec.monitoring.prometheus).toMatchObject({
      replicas: 2,
      shards: 2,
      retention: '30d',
      storage: { size: '100Gi', storageClassName: 'gp3', accessModes: ['ReadWriteOnce'] },
      serviceMonitorSelector: { team: 'lp-system' },
      ruleSelector: { team: 'lp-system' },
      resources: { requests: { memory: '4Gi', cpu: '2' }, limits: { memory: '8Gi', cpu: '4' } },
      replicaExternalLabelName: 'replica',
      prometheusExternalLabelName: 'prometheus',
    });
    expect(spec.monitoring.grafana).toMatchObject({
      replicas: 2,
      image: 'grafana/grafana:10.2.0',
      adminPasswordSecretRef: { name: 'grafana-secret', key: 'admin-password' },
      database: { type: 'postgres', host: 'postgres.monitoring.svc.cluster.local:5432' },
      persistentVolumeClaim: 'grafana-pvc',
      provisioningConfigMap: 'grafana-config',
      resources: { requests: { memory: '512Mi', cpu: '250m' }, limits: { memory: '1Gi', cpu: '500m' } },
    });
  });

  test('active-passive disaster recovery with 99.99% uptime target', () => {
    expect(spec.disasterRecovery).toMatchObject({
      mode: 'active-passive',
      uptimeTargetPercent: 99.99,
      failoverApproval: 'required',
    });
  });
});
