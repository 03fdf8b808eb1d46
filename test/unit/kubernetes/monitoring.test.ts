/** Prometheus, its ServiceMonitor and Grafana from the reference's monitoring section. */
import { parse } from 'yaml';
import { grafanaAdminSecret, monitoringObjects } from '../../../src/infra/kubernetes/manifests/monitoring';
import { referenceSpec } from './helpers';

const spec = referenceSpec();
const objects = monitoringObjects(spec);
const named = (kind: string) => objects.find((o) => o.kind === kind)!;

test('lists Prometheus, a ServiceMonitor per scraped application, and Grafana with its claim and config', () => {
  expect(objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
    'Prometheus monitoring/prometheus',
    'ServiceMonitor monitoring/api-gateway',
    'ConfigMap monitoring/grafana-config',
    'PersistentVolumeClaim monitoring/grafana-pvc',
    'Deployment monitoring/grafana',
  ]);
});

test('Prometheus has the reference replicas, shards, retention, storage, selectors and resources', () => {
  expect(named('Prometheus').spec).toEqual({
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
});

test('the ServiceMonitor is selected by Prometheus and scrapes the metrics port', () => {
  const monitor = named('ServiceMonitor');
  expect(monitor.metadata.labels).toEqual({ team: 'lp-system' });
  expect(monitor.spec).toEqual({
    selector: { matchLabels: { app: 'api-gateway' } },
    namespaceSelector: { matchNames: ['production'] },
    endpoints: [{ targetPort: 3001, path: '/metrics' }],
  });
});

test('Grafana reads its admin password from the Secret and mounts its claim and provisioning', () => {
  const pod = (named('Deployment').spec as { template: { spec: Record<string, unknown> } }).template.spec;
  expect(pod).toMatchObject({
    containers: [
      {
        image: 'grafana/grafana:10.2.0',
        env: [
          {
            name: 'GF_SECURITY_ADMIN_PASSWORD',
            valueFrom: { secretKeyRef: { name: 'grafana-secret', key: 'admin-password' } },
          },
          { name: 'GF_DATABASE_TYPE', value: 'postgres' },
          { name: 'GF_DATABASE_HOST', value: 'postgres.monitoring.svc.cluster.local:5432' },
        ],
      },
    ],
    volumes: [
      { name: 'grafana-storage', persistentVolumeClaim: { claimName: 'grafana-pvc' } },
      { name: 'grafana-config', configMap: { name: 'grafana-config' } },
    ],
  });
});

test("Grafana's provisioning points at the operator's Prometheus service", () => {
  const data = (named('ConfigMap') as unknown as { data: Record<string, string> }).data;
  expect(parse(data['datasources.yaml'])).toEqual({
    apiVersion: 1,
    datasources: [
      {
        name: 'Prometheus',
        type: 'prometheus',
        access: 'proxy',
        url: 'http://prometheus-operated.monitoring.svc:9090',
        isDefault: true,
      },
    ],
  });
});

test('the admin Secret holds the password under the referenced key, base64-encoded', () => {
  const secret = grafanaAdminSecret(spec.monitoring, 's3cret') as unknown as { data: Record<string, string> };
  expect(secret.data).toEqual({ 'admin-password': Buffer.from('s3cret').toString('base64') });
});
