/**
 * The in-cluster components on a real kube-apiserver (with etcd, the controller manager, the
 * scheduler, and kwok simulating the spec's nodes), and moto as Secrets Manager: every object of
 * the reference with its values, idempotent re-apply, drift, rollout onto the application nodes,
 * the standby cluster, and destroy.
 */
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ComponentOutputs, ComponentRequest } from '../../src/infra/components/contract';
import { awsClient } from '../../src/infra/aws/clients';
import type { KubeApi } from '../../src/infra/kubernetes/api';
import { clusterComponentDrift } from '../../src/infra/kubernetes/component';
import { eksKubeConfig, eksRequest } from '../../src/infra/kubernetes/kubeconfig';
import { componentLabel, managedByLabel, type KubeObject } from '../../src/infra/kubernetes/objects';
import type { EnvironmentSpec } from '../../src/model';
import {
  driver,
  localSpec,
  requestFor,
  silentProgress,
  startCloud,
  type CloudFixture,
} from '../helpers/components';
import { startKubernetes, type TestClusters } from '../helpers/kubernetes';

jest.setTimeout(240_000);

const primary = 'us-east-1';
const secondary = 'us-west-2';
const spec = localSpec();

let cloud: CloudFixture;
let clusters: TestClusters;
let api: KubeApi;
let appInputs: Record<string, ComponentOutputs>;
let standbyInputs: Record<string, ComponentOutputs>;

async function secret(region: string, name: string, value: string): Promise<string> {
  const client = awsClient(SecretsManagerClient, region);
  const { ARN } = await client.send(new CreateSecretCommand({ Name: name, SecretString: value }));
  return ARN!;
}

beforeAll(async () => {
  [cloud, clusters] = await Promise.all([startCloud(), startKubernetes(spec, { secondary: true })]);
  api = clusters.api(primary);
  const database = {
    endpoint: 'lp-postgresql-cluster.cluster-abc.us-east-1.rds.amazonaws.com',
    port: 5432,
    masterSecretArn: await secret(
      primary,
      'lp-db-master',
      JSON.stringify({ username: 'lp_admin', password: 'p@ss/word' }),
    ),
  };
  const cache = {
    primaryEndpoint: 'master.lp-redis-cluster.abc.use1.cache.amazonaws.com',
    port: 6379,
    authTokenSecretArn: await secret(primary, 'lp-redis-auth', 'token-123'),
  };
  appInputs = { mesh: {}, database, cache };
  standbyInputs = {
    'secondary/mesh': {},
    'secondary/database-replica': {
      endpoint: 'lp-postgresql-replica.cluster-abc.us-west-2.rds.amazonaws.com',
      port: 5432,
      masterSecretArn: await secret(secondary, 'lp-db-master', JSON.stringify({ password: 'standby' })),
    },
    'secondary/cache': { primaryEndpoint: 'master.lp-redis-dr.abc.usw2.cache.amazonaws.com', port: 6379 },
  };
});

afterAll(async () => {
  await Promise.all([clusters?.stop(), cloud?.stop()]);
});

const request = (id: string, inputs: Record<string, ComponentOutputs> = {}, s: EnvironmentSpec = spec) =>
  requestFor(s, id, inputs);

const appRequest = () => request('app', appInputs);

async function apply(req: ComponentRequest) {
  return driver(req).apply(req, silentProgress);
}

async function read(kind: string, apiVersion: string, namespace: string | undefined, name: string, on = api) {
  const live = await on.get({ apiVersion, kind, metadata: { name, namespace } });
  if (!live) throw new Error(`${kind} ${namespace}/${name} is missing`);
  return live;
}

async function waitReady(req: ComponentRequest, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const state = await driver(req).ready(req, {});
    if (state.ready) return state;
    last = state.detail;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`not ready after ${timeoutMs / 1000} s: ${last}`);
}

const decode = (data: string) => Buffer.from(data, 'base64').toString('utf8');

describe('mesh', () => {
  test('plan on an empty cluster creates every object', async () => {
    const plan = await driver(request('mesh')).plan(request('mesh'), silentProgress);
    expect(plan.changes).toEqual({ create: 3, update: 0, replace: 0, delete: 0, same: 0 });
    expect(plan.existedBefore).toBe(false);
    expect(plan.notEmulated.join(' ')).toMatch(/Istio/);
  });

  test('apply installs the CRDs and writes the Gateway, VirtualService and DestinationRule of the reference', async () => {
    const { changes } = await apply(request('mesh'));
    expect(changes).toEqual({ create: 3, update: 0, replace: 0, delete: 0, same: 0 });

    const crd = await read(
      'CustomResourceDefinition',
      'apiextensions.k8s.io/v1',
      undefined,
      'gateways.networking.istio.io',
    );
    expect(crd.metadata.labels).toEqual({ [managedByLabel]: 'lp-infra' });

    const gateway = await read('Gateway', 'networking.istio.io/v1alpha3', 'istio-system', 'lp-gateway');
    expect(gateway.spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [
        {
          port: { number: 443, name: 'https', protocol: 'HTTPS' },
          tls: { mode: 'SIMPLE', credentialName: 'lp-tls-secret' },
          hosts: ['api.lp-system.com', 'app.lp-system.com'],
        },
      ],
    });
    const routing = await read(
      'VirtualService',
      'networking.istio.io/v1alpha3',
      'istio-system',
      'api-routing',
    );
    expect(routing.spec).toEqual({
      hosts: ['api.lp-system.com'],
      gateways: ['lp-gateway'],
      http: [
        {
          match: [{ uri: { prefix: '/graphql' } }],
          route: [
            { destination: { host: 'graphql-gateway.production.svc.cluster.local', port: { number: 4000 } } },
          ],
          timeout: '30s',
          retries: { attempts: 3, perTryTimeout: '10s' },
        },
        {
          match: [{ uri: { prefix: '/api/v2' } }],
          route: [
            { destination: { host: 'api-gateway.production.svc.cluster.local', port: { number: 3000 } } },
          ],
          timeout: '30s',
        },
      ],
    });
    const rule = await read(
      'DestinationRule',
      'networking.istio.io/v1alpha3',
      'istio-system',
      'api-gateway-dr',
    );
    expect(rule.spec).toEqual({
      host: 'api-gateway.production.svc.cluster.local',
      trafficPolicy: {
        loadBalancer: { simple: 'LEAST_CONN' },
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
    });
    expect(rule.metadata.labels).toMatchObject({ [managedByLabel]: 'lp-infra', [componentLabel]: 'mesh' });
  });

  test('is ready once stored (no Istio control plane runs locally)', async () => {
    expect((await waitReady(request('mesh'))).ready).toBe(true);
  });
});

describe('app', () => {
  test('apply writes the connection Secrets from Secrets Manager, and no value leaves the driver', async () => {
    const { outputs, changes } = await apply(appRequest());
    expect(changes.create).toBe(6); // two Secrets, ServiceAccount, Deployment, HPA, Service
    expect(JSON.stringify(outputs)).not.toMatch(/p@ss|token-123/);

    const database = (await read('Secret', 'v1', 'production', 'database-secret')) as KubeObject & {
      data: Record<string, string>;
    };
    expect(decode(database.data['connection-string'])).toBe(
      'postgresql://lp_admin:p%40ss%2Fword@lp-postgresql-cluster.cluster-abc.us-east-1.rds.amazonaws.com:5432/lp_local?sslmode=require',
    );
    const redis = (await read('Secret', 'v1', 'production', 'redis-secret')) as KubeObject & {
      data: Record<string, string>;
    };
    expect(decode(redis.data['connection-string'])).toBe(
      'rediss://:token-123@master.lp-redis-cluster.abc.use1.cache.amazonaws.com:6379',
    );
  });

  test('the Deployment, HPA, Service and ServiceAccount carry the reference values', async () => {
    await read('ServiceAccount', 'v1', 'production', 'api-gateway-sa');
    const deployment = await read('Deployment', 'apps/v1', 'production', 'api-gateway');
    expect(deployment.metadata.labels).toMatchObject({ app: 'api-gateway', version: 'v2.0.0' });
    expect(deployment.spec).toMatchObject({
      replicas: 5,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 2 } },
      selector: { matchLabels: { app: 'api-gateway' } },
      template: {
        metadata: {
          labels: { app: 'api-gateway', version: 'v2.0.0' },
          annotations: {
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': '3001',
            'prometheus.io/path': '/metrics',
          },
        },
        spec: {
          serviceAccountName: 'api-gateway-sa',
          containers: [
            {
              name: 'api-gateway',
              image: 'lp-system/api-gateway:v2.0.0',
              ports: [
                { containerPort: 3000, name: 'http' },
                { containerPort: 3001, name: 'metrics' },
              ],
              env: [
                { name: 'NODE_ENV', value: 'production' },
                {
                  name: 'DATABASE_URL',
                  valueFrom: { secretKeyRef: { name: 'database-secret', key: 'connection-string' } },
                },
                {
                  name: 'REDIS_URL',
                  valueFrom: { secretKeyRef: { name: 'redis-secret', key: 'connection-string' } },
                },
              ],
              resources: {
                requests: { memory: '512Mi', cpu: '250m' },
                limits: { memory: '1Gi', cpu: '500m' },
              },
              livenessProbe: {
                httpGet: { path: '/health', port: 3000 },
                initialDelaySeconds: 30,
                periodSeconds: 10,
                timeoutSeconds: 5,
                failureThreshold: 3,
              },
              readinessProbe: {
                httpGet: { path: '/ready', port: 3000 },
                initialDelaySeconds: 5,
                periodSeconds: 5,
                timeoutSeconds: 3,
                failureThreshold: 2,
              },
            },
          ],
        },
      },
    });
    const hpa = await read('HorizontalPodAutoscaler', 'autoscaling/v2', 'production', 'api-gateway-hpa');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api-gateway' },
      minReplicas: 5,
      maxReplicas: 50,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
        {
          type: 'Resource',
          resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } },
        },
        {
          type: 'Pods',
          pods: {
            metric: { name: 'requests_per_second' },
            target: { type: 'AverageValue', averageValue: '100' },
          },
        },
      ],
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 60,
          selectPolicy: 'Max',
          policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }],
        },
        scaleDown: {
          stabilizationWindowSeconds: 300,
          selectPolicy: 'Max',
          policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }],
        },
      },
    });
    const service = await read('Service', 'v1', 'production', 'api-gateway');
    expect(service.metadata.labels).toMatchObject({ app: 'api-gateway' });
    expect(service.spec).toMatchObject({
      type: 'ClusterIP',
      selector: { app: 'api-gateway' },
      ports: [{ name: 'http', port: 3000, targetPort: 3000, protocol: 'TCP' }],
    });
  });

  test('the rollout reaches 5 available replicas, all on application nodes, none on the tainted system nodes', async () => {
    const state = await waitReady(appRequest());
    expect(state.detail).toMatch('Deployment production/api-gateway: 5/5 available');

    type Pod = KubeObject & { spec: { nodeName?: string }; status: { phase: string } };
    type Node = KubeObject & { spec: { taints?: { key: string }[] } };
    const nodes = new Map((await api.list<Node>('v1', 'Node')).map((n) => [n.metadata.name, n]));
    const pods = await api.list<Pod>('v1', 'Pod', {
      namespace: 'production',
      labelSelector: 'app=api-gateway',
    });
    const running = pods.filter((p) => p.status.phase === 'Running');
    expect(running).toHaveLength(5);
    for (const pod of running) {
      expect(nodes.get(pod.spec.nodeName!)?.metadata.labels).toMatchObject({
        role: 'application',
        'eks.amazonaws.com/nodegroup': 'application-nodes',
      });
    }
    const systemNodes = [...nodes.values()].filter((n) => n.spec.taints?.some((t) => t.key === 'system'));
    expect(systemNodes).toHaveLength(3);
    const everyPod = await api.list<Pod>('v1', 'Pod');
    expect(everyPod.filter((p) => systemNodes.some((n) => n.metadata.name === p.spec.nodeName))).toEqual([]);
  });
});

describe('monitoring', () => {
  test('apply writes Prometheus, its ServiceMonitor and Grafana with the reference values, and rolls Grafana out', async () => {
    await apply(request('monitoring'));

    const prometheus = await read('Prometheus', 'monitoring.coreos.com/v1', 'monitoring', 'prometheus');
    expect(prometheus.spec).toEqual({
      replicas: 2,
      shards: 2,
      retention: '30d',
      storage: {
        volumeClaimTemplate: {
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: '100Gi' } },
            storageClassName: 'gp3',
          },
        },
      },
      serviceMonitorSelector: { matchLabels: { team: 'lp-system' } },
      ruleSelector: { matchLabels: { team: 'lp-system' } },
      resources: { requests: { memory: '4Gi', cpu: '2' }, limits: { memory: '8Gi', cpu: '4' } },
      replicaExternalLabelName: 'replica',
      prometheusExternalLabelName: 'prometheus',
    });
    const monitor = await read('ServiceMonitor', 'monitoring.coreos.com/v1', 'monitoring', 'api-gateway');
    expect(monitor.metadata.labels).toMatchObject({ team: 'lp-system' });
    expect(monitor.spec).toEqual({
      selector: { matchLabels: { app: 'api-gateway' } },
      namespaceSelector: { matchNames: ['production'] },
      endpoints: [{ targetPort: 3001, path: '/metrics' }],
    });

    const grafana = await read('Deployment', 'apps/v1', 'monitoring', 'grafana');
    expect(grafana.spec).toMatchObject({
      replicas: 2,
      selector: { matchLabels: { app: 'grafana' } },
      template: {
        metadata: { labels: { app: 'grafana' } },
        spec: {
          containers: [
            {
              name: 'grafana',
              image: 'grafana/grafana:10.2.0',
              ports: [{ containerPort: 3000 }],
              env: [
                {
                  name: 'GF_SECURITY_ADMIN_PASSWORD',
                  valueFrom: { secretKeyRef: { name: 'grafana-secret', key: 'admin-password' } },
                },
                { name: 'GF_DATABASE_TYPE', value: 'postgres' },
                { name: 'GF_DATABASE_HOST', value: 'postgres.monitoring.svc.cluster.local:5432' },
              ],
              volumeMounts: [
                { name: 'grafana-storage', mountPath: '/var/lib/grafana' },
                { name: 'grafana-config', mountPath: '/etc/grafana/provisioning' },
              ],
              resources: {
                requests: { memory: '512Mi', cpu: '250m' },
                limits: { memory: '1Gi', cpu: '500m' },
              },
            },
          ],
          volumes: [
            { name: 'grafana-storage', persistentVolumeClaim: { claimName: 'grafana-pvc' } },
            { name: 'grafana-config', configMap: { name: 'grafana-config' } },
          ],
        },
      },
    });
    const config = (await read('ConfigMap', 'v1', 'monitoring', 'grafana-config')) as KubeObject & {
      data: Record<string, string>;
    };
    expect(config.data['datasources.yaml']).toContain('http://prometheus-operated.monitoring.svc:9090');
    const password = (await read('Secret', 'v1', 'monitoring', 'grafana-secret')) as KubeObject & {
      data: Record<string, string>;
    };
    expect(decode(password.data['admin-password']).length).toBeGreaterThanOrEqual(24);

    const state = await waitReady(request('monitoring'));
    expect(state.detail).toMatch('Deployment monitoring/grafana: 2/2 available');
    const claim = (await read('PersistentVolumeClaim', 'v1', 'monitoring', 'grafana-pvc')) as KubeObject & {
      status: { phase: string };
    };
    expect(claim.status.phase).toBe('Bound');
  });
});

describe('re-apply and drift', () => {
  const components = () => [request('mesh'), appRequest(), request('monitoring')];

  test('re-applying changes nothing, and the diff is empty', async () => {
    for (const req of components()) {
      const { changes } = await apply(req);
      expect({ id: req.node.id, ...changes }).toMatchObject({
        id: req.node.id,
        create: 0,
        update: 0,
        delete: 0,
      });
      expect(await clusterComponentDrift(req)).toEqual([]);
    }
    const plan = await driver(appRequest()).plan(appRequest(), silentProgress);
    expect(plan).toMatchObject({
      existedBefore: true,
      changes: { create: 0, update: 0, delete: 0, same: 6 },
    });
  });

  test('an object edited out of band shows the edited field; a deleted one shows as missing', async () => {
    const routing = await read(
      'VirtualService',
      'networking.istio.io/v1alpha3',
      'istio-system',
      'api-routing',
    );
    (routing.spec as { http: { timeout: string }[] }).http[0].timeout = '99s';
    await api.replace(routing, 'kubectl-edit');
    await api.remove({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api-gateway', namespace: 'production' },
    });
    const deployment = await read('Deployment', 'apps/v1', 'production', 'api-gateway');
    const spec = deployment.spec as { template: { spec: { containers: { resources: unknown }[] } } };
    spec.template.spec.containers[0].resources = { requests: { cpu: '1', memory: '512Mi' } };
    await api.replace(deployment, 'kubectl-edit');

    const mesh = await clusterComponentDrift(request('mesh'));
    expect(mesh).toHaveLength(1);
    expect(mesh[0]).toMatchObject({ object: 'VirtualService istio-system/api-routing', change: 'changed' });
    expect(mesh[0].fields).toContainEqual({ path: 'spec.http[0].timeout', live: '99s', desired: '30s' });

    const app = await clusterComponentDrift(appRequest());
    expect(app).toContainEqual({ object: 'Service production/api-gateway', change: 'missing', fields: [] });
    const changed = app.find((d) => d.object === 'Deployment production/api-gateway');
    expect(changed?.fields).toEqual(
      expect.arrayContaining([
        { path: 'spec.template.spec.containers[0].resources.requests.cpu', live: '1', desired: '250m' },
        {
          path: 'spec.template.spec.containers[0].resources.limits',
          desired: { cpu: '500m', memory: '1Gi' },
        },
      ]),
    );
  });

  test('re-applying repairs the drift', async () => {
    for (const req of components()) await apply(req);
    for (const req of components()) expect(await clusterComponentDrift(req)).toEqual([]);
  });

  test('an object that left the spec is pruned, and shows as extra until then', async () => {
    const [app] = spec.applications;
    const withoutAutoscaling = { ...spec, applications: [{ ...app, autoscaling: undefined }] };
    const req = request('app', appInputs, withoutAutoscaling);
    expect(await clusterComponentDrift(req)).toContainEqual({
      object: 'HorizontalPodAutoscaler production/api-gateway-hpa',
      change: 'extra',
      fields: [],
    });
    const { changes } = await apply(req);
    expect(changes.delete).toBe(1);
    expect(
      await api.get({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'api-gateway-hpa', namespace: 'production' },
      }),
    ).toBeUndefined();
    await apply(appRequest());
  });
});

describe('the standby region', () => {
  test('secondary/mesh and secondary/app go to the standby cluster at standby size', async () => {
    const standby = clusters.api(secondary);
    await apply(request('secondary/mesh', { 'secondary/node-groups': {} }));
    const { outputs } = await apply(request('secondary/app', standbyInputs));
    expect(outputs.kubernetesApi).toBe(standby.server);

    const deployment = await read('Deployment', 'apps/v1', 'production', 'api-gateway', standby);
    expect((deployment.spec as { replicas: number }).replicas).toBe(2);
    const hpa = await read(
      'HorizontalPodAutoscaler',
      'autoscaling/v2',
      'production',
      'api-gateway-hpa',
      standby,
    );
    expect((hpa.spec as { minReplicas: number }).minReplicas).toBe(2);
    const database = (await read('Secret', 'v1', 'production', 'database-secret', standby)) as KubeObject & {
      data: Record<string, string>;
    };
    expect(decode(database.data['connection-string'])).toContain(
      'lp-postgresql-replica.cluster-abc.us-west-2',
    );
    expect((await waitReady(request('secondary/app', standbyInputs))).detail).toMatch('2/2 available');

    const primaryDeployment = await read('Deployment', 'apps/v1', 'production', 'api-gateway');
    expect((primaryDeployment.spec as { replicas: number }).replicas).toBe(5);
  });
});

describe('a real environment', () => {
  test('its kubeconfig comes from EKS DescribeCluster with a presigned STS token', async () => {
    const target = { region: primary, clusterName: 'lp-production' };
    await eksRequest(primary, 'POST', '/clusters', {
      name: target.clusterName,
      version: '1.28',
      roleArn: 'arn:aws:iam::123456789012:role/lp-eks',
      resourcesVpcConfig: { subnetIds: [] },
    });
    const config = await eksKubeConfig(target);
    const cluster = config.getCurrentCluster();
    expect(cluster?.server).toMatch(/^https:\/\//);
    expect(cluster?.caData).toBeTruthy();
    expect(config.getCurrentUser()?.token).toMatch(/^k8s-aws-v1\./);
  });
});

describe('destroy', () => {
  test('removes every object of each component and leaves namespaces and definitions', async () => {
    for (const req of [appRequest(), request('monitoring'), request('mesh')]) {
      await driver(req).destroy(req, silentProgress);
      await driver(req).destroy(req, silentProgress); // already gone: still succeeds
    }
    for (const [kind, apiVersion, namespace, name] of [
      ['Deployment', 'apps/v1', 'production', 'api-gateway'],
      ['Secret', 'v1', 'production', 'database-secret'],
      ['Deployment', 'apps/v1', 'monitoring', 'grafana'],
      ['PersistentVolumeClaim', 'v1', 'monitoring', 'grafana-pvc'],
      ['Prometheus', 'monitoring.coreos.com/v1', 'monitoring', 'prometheus'],
      ['Gateway', 'networking.istio.io/v1alpha3', 'istio-system', 'lp-gateway'],
    ]) {
      expect(await api.get({ apiVersion, kind, metadata: { name, namespace } })).toBeUndefined();
    }
    expect(
      await api.get({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'production' } }),
    ).toBeDefined();
    const plan = await driver(appRequest()).plan(appRequest(), silentProgress);
    expect(plan.existedBefore).toBe(false);
  });
});
