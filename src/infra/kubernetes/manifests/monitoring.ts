/** Prometheus (through the Prometheus Operator's resources) and Grafana from the spec's monitoring section. */
import { stringify } from 'yaml';
import type { EnvironmentSpec, SpecWith } from '../../../model';
import type { KubeObject } from '../objects';
import { selectorLabels, type Application } from './application';
import {
  kubeObject,
  type V1ConfigMap,
  type V1Deployment,
  type V1PersistentVolumeClaim,
  type V1Secret,
} from './typed';

type Monitoring = EnvironmentSpec['monitoring'];

export const monitoringApiVersion = 'monitoring.coreos.com/v1';
/** The reference's Prometheus resource name; the operator serves it as the Service prometheus-operated. */
export const prometheusName = 'prometheus';
export const grafanaName = 'grafana';
/** Not in the reference (it names the claim but gives no size); see docs/kubernetes.md. */
export const grafanaStorageSize = '10Gi';
const grafanaPort = 3000;
const datasourcesKey = 'datasources.yaml';

export function prometheus(monitoring: Monitoring): KubeObject {
  const p = monitoring.prometheus;
  return kubeObject({
    apiVersion: monitoringApiVersion,
    kind: 'Prometheus',
    metadata: { name: prometheusName, namespace: monitoring.namespace },
    spec: {
      replicas: p.replicas,
      shards: p.shards,
      retention: p.retention,
      storage: {
        volumeClaimTemplate: {
          spec: {
            accessModes: p.storage.accessModes,
            resources: { requests: { storage: p.storage.size } },
            storageClassName: p.storage.storageClassName,
          },
        },
      },
      serviceMonitorSelector: { matchLabels: p.serviceMonitorSelector },
      ruleSelector: { matchLabels: p.ruleSelector },
      resources: p.resources,
      replicaExternalLabelName: p.replicaExternalLabelName,
      prometheusExternalLabelName: p.prometheusExternalLabelName,
    },
  });
}

/**
 * A ServiceMonitor per application that asks to be scraped, labelled so that the Prometheus above
 * selects it. It scrapes the pods' metrics port through the application's Service.
 */
export function serviceMonitor(monitoring: Monitoring, app: Application): KubeObject | undefined {
  if (!app.metrics?.scrape) return undefined;
  return kubeObject({
    apiVersion: monitoringApiVersion,
    kind: 'ServiceMonitor',
    metadata: {
      name: app.name,
      namespace: monitoring.namespace,
      labels: monitoring.prometheus.serviceMonitorSelector,
    },
    spec: {
      selector: { matchLabels: selectorLabels(app) },
      namespaceSelector: { matchNames: [app.namespace] },
      endpoints: [{ targetPort: app.metrics.port, path: app.metrics.path }],
    },
  });
}

export function grafanaDeployment(monitoring: Monitoring): KubeObject {
  const g = monitoring.grafana;
  const labels = { app: grafanaName };
  return kubeObject<V1Deployment>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: grafanaName, namespace: monitoring.namespace, labels },
    spec: {
      replicas: g.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: grafanaName,
              image: g.image,
              ports: [{ containerPort: grafanaPort }],
              env: [
                {
                  name: 'GF_SECURITY_ADMIN_PASSWORD',
                  valueFrom: {
                    secretKeyRef: { name: g.adminPasswordSecretRef.name, key: g.adminPasswordSecretRef.key },
                  },
                },
                { name: 'GF_DATABASE_TYPE', value: g.database.type },
                { name: 'GF_DATABASE_HOST', value: g.database.host },
              ],
              volumeMounts: [
                { name: 'grafana-storage', mountPath: '/var/lib/grafana' },
                { name: 'grafana-config', mountPath: '/etc/grafana/provisioning' },
              ],
              resources: g.resources,
            },
          ],
          volumes: [
            { name: 'grafana-storage', persistentVolumeClaim: { claimName: g.persistentVolumeClaim } },
            {
              name: 'grafana-config',
              // Grafana reads data sources from provisioning/datasources/.
              configMap: {
                name: g.provisioningConfigMap,
                items: [{ key: datasourcesKey, path: `datasources/${datasourcesKey}` }],
              },
            },
          ],
        },
      },
    },
  });
}

export function grafanaClaim(monitoring: Monitoring): KubeObject {
  return kubeObject<V1PersistentVolumeClaim>({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: monitoring.grafana.persistentVolumeClaim, namespace: monitoring.namespace },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: grafanaStorageSize } } },
  });
}

/** Grafana's provisioning: the Prometheus above as its default data source. */
export function grafanaConfig(monitoring: Monitoring): KubeObject {
  const datasources = {
    apiVersion: 1,
    datasources: [
      {
        name: 'Prometheus',
        type: 'prometheus',
        access: 'proxy',
        url: `http://prometheus-operated.${monitoring.namespace}.svc:9090`,
        isDefault: true,
      },
    ],
  };
  return kubeObject<V1ConfigMap>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: monitoring.grafana.provisioningConfigMap, namespace: monitoring.namespace },
    data: { [datasourcesKey]: stringify(datasources) },
  });
}

/** The Secret Grafana's admin password lives in; the password is made once, inside the activity. */
export function grafanaAdminSecret(monitoring: Monitoring, password: string): KubeObject {
  const ref = monitoring.grafana.adminPasswordSecretRef;
  return kubeObject<V1Secret>({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: ref.name, namespace: monitoring.namespace },
    type: 'Opaque',
    data: { [ref.key]: Buffer.from(password).toString('base64') },
  });
}

/** Everything of the monitoring component except the admin Secret. */
export function monitoringObjects(spec: SpecWith<'monitoring' | 'applications'>): KubeObject[] {
  const monitoring = spec.monitoring;
  return [
    prometheus(monitoring),
    ...spec.applications.map((app) => serviceMonitor(monitoring, app)),
    grafanaConfig(monitoring),
    grafanaClaim(monitoring),
    grafanaDeployment(monitoring),
  ].filter((o): o is KubeObject => o !== undefined);
}
