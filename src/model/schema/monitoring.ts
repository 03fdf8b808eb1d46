import { z } from 'zod';
import { dnsLabel, imageReference, labels, notes, prometheusDuration, quantity, section } from './primitives';
import { ResourcesSchema } from './resources';

const PrometheusSchema = section({
  replicas: z.int().min(1),
  shards: z.int().min(1).default(1),
  retention: prometheusDuration,
  storage: section({
    size: quantity,
    storageClassName: z.string().min(1),
    accessModes: z
      .array(z.enum(['ReadWriteOnce', 'ReadWriteMany', 'ReadOnlyMany', 'ReadWriteOncePod']))
      .default(['ReadWriteOnce']),
  }),
  serviceMonitorSelector: labels,
  ruleSelector: labels,
  resources: ResourcesSchema,
  replicaExternalLabelName: z.string().default('replica'),
  prometheusExternalLabelName: z.string().default('prometheus'),
});

const GrafanaSchema = section({
  replicas: z.int().min(1),
  image: imageReference,
  /** The admin password lives in this Kubernetes Secret, which lp-infra creates; never in the spec. */
  adminPasswordSecretRef: section({ name: dnsLabel, key: z.string().min(1) }),
  database: section({
    type: z.enum(['postgres', 'mysql', 'sqlite3']),
    host: z.string().regex(/^[a-z0-9.-]+:\d{1,5}$/, 'must be host:port'),
  }),
  persistentVolumeClaim: dnsLabel,
  provisioningConfigMap: dnsLabel,
  resources: ResourcesSchema,
});

export const MonitoringSchema = section({
  namespace: dnsLabel.default('monitoring'),
  prometheus: PrometheusSchema,
  grafana: GrafanaSchema,
  notes,
});
