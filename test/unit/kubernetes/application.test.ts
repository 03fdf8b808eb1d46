/** The api-gateway's ServiceAccount, Deployment, HPA and Service, per region. */
import {
  applicationNodeSelector,
  applicationObjects,
  applicationSizing,
  replicasToWrite,
} from '../../../src/infra/kubernetes/manifests/application';
import { referenceSpec } from './helpers';

const spec = referenceSpec();
const [app] = spec.applications;
const objects = applicationObjects(spec, app, 'primary');
const byKind = (kind: string, list = objects) => list.find((o) => o.kind === kind)!;

test('builds a ServiceAccount, Deployment, HPA and Service in the production namespace', () => {
  expect(objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
    'ServiceAccount production/api-gateway-sa',
    'Deployment production/api-gateway',
    'HorizontalPodAutoscaler production/api-gateway-hpa',
    'Service production/api-gateway',
  ]);
});

test('the Deployment has the replicas, rolling update, probes, resources and Prometheus annotations', () => {
  const deployment = byKind('Deployment');
  expect(deployment.metadata.labels).toEqual({ app: 'api-gateway', version: 'v2.0.0' });
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
        nodeSelector: { role: 'application' },
        containers: [
          {
            image: 'lp-system/api-gateway:v2.0.0',
            ports: [
              { containerPort: 3000, name: 'http' },
              { containerPort: 3001, name: 'metrics' },
            ],
            resources: { requests: { memory: '512Mi', cpu: '250m' }, limits: { memory: '1Gi', cpu: '500m' } },
            livenessProbe: {
              httpGet: { path: '/health', port: 3000 },
              initialDelaySeconds: 30,
              failureThreshold: 3,
            },
            readinessProbe: { httpGet: { path: '/ready', port: 3000 }, periodSeconds: 5, timeoutSeconds: 3 },
          },
        ],
      },
    },
  });
});

test('secret environment variables reference keys of Secrets, never values', () => {
  const container = (
    byKind('Deployment').spec as { template: { spec: { containers: { env: unknown[] }[] } } }
  ).template.spec.containers[0];
  expect(container.env).toEqual([
    { name: 'NODE_ENV', value: 'production' },
    {
      name: 'DATABASE_URL',
      valueFrom: { secretKeyRef: { name: 'database-secret', key: 'connection-string' } },
    },
    { name: 'REDIS_URL', valueFrom: { secretKeyRef: { name: 'redis-secret', key: 'connection-string' } } },
  ]);
});

test('the HPA scales on CPU, memory and requests per second with the reference behaviour', () => {
  expect(byKind('HorizontalPodAutoscaler').spec).toEqual({
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
        policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }],
      },
    },
  });
});

test('the Service exposes port 3000 inside the cluster', () => {
  expect(byKind('Service').spec).toEqual({
    type: 'ClusterIP',
    selector: { app: 'api-gateway' },
    ports: [{ name: 'http', port: 3000, targetPort: 3000, protocol: 'TCP' }],
  });
});

test('the standby region runs the standby replica count, with the autoscaler floor there', () => {
  expect(applicationSizing(spec, app, 'secondary')).toEqual({
    replicas: 2,
    autoscaling: { minReplicas: 2, maxReplicas: 50 },
  });
  const standby = applicationObjects(spec, app, 'secondary');
  expect((byKind('Deployment', standby).spec as { replicas: number }).replicas).toBe(2);
  expect((byKind('HorizontalPodAutoscaler', standby).spec as { minReplicas: number }).minReplicas).toBe(2);
});

test('once the autoscaler runs, a re-apply keeps its replica count within bounds', () => {
  const sizing = applicationSizing(spec, app, 'primary');
  expect(replicasToWrite(sizing, undefined)).toBe(5);
  expect(replicasToWrite(sizing, 17)).toBe(17);
  expect(replicasToWrite(sizing, 2)).toBe(5);
  expect(replicasToWrite(sizing, 80)).toBe(50);
  expect(replicasToWrite({ replicas: 3 }, 9)).toBe(3);
});

test('pods select the application node group when the cluster has one', () => {
  expect(applicationNodeSelector(spec)).toEqual({ role: 'application' });
  const noRoles = {
    ...spec,
    cluster: { ...spec.cluster, nodeGroups: spec.cluster.nodeGroups.map((g) => ({ ...g, labels: {} })) },
  };
  expect(applicationNodeSelector(noRoles)).toBeUndefined();
});
