/**
 * CustomResourceDefinitions for the Prometheus Operator's monitoring.coreos.com/v1 Prometheus and
 * ServiceMonitor, for clusters where the operator is not installed yet. No npm package ships the
 * operator's CRDs, so these are written here from its API reference (prometheus-operator
 * Documentation/api-reference/api.md, PrometheusSpec and ServiceMonitorSpec), listing the fields
 * lp-infra writes with the operator's types; every object keeps the operator's other fields.
 */
import { customResourceDefinition } from './definition';
import { array, boolean, integer, intOrString, labelSelector, object, quantityMap, string } from './schema';

const source =
  'prometheus-operator API reference, monitoring.coreos.com/v1 (PrometheusSpec, ServiceMonitorSpec)';
const group = 'monitoring.coreos.com';
const versions = { served: ['v1'], storage: 'v1' };
const categories = ['prometheus-operator'];

const resources = object({ requests: quantityMap(), limits: quantityMap() });

const prometheusSpec = object({
  replicas: integer(0),
  shards: integer(0),
  retention: string(),
  storage: object({
    volumeClaimTemplate: object({
      metadata: object({}),
      spec: object({
        accessModes: array(string()),
        resources,
        storageClassName: string(),
      }),
    }),
  }),
  serviceMonitorSelector: labelSelector(),
  serviceMonitorNamespaceSelector: labelSelector(),
  ruleSelector: labelSelector(),
  resources,
  replicaExternalLabelName: string(),
  prometheusExternalLabelName: string(),
  serviceAccountName: string(),
});

const serviceMonitorSpec = object(
  {
    jobLabel: string(),
    selector: labelSelector(),
    namespaceSelector: object({ any: boolean(), matchNames: array(string()) }),
    endpoints: array(
      object({
        port: string(),
        targetPort: intOrString(),
        path: string(),
        interval: string(),
        scheme: string(),
      }),
    ),
  },
  ['selector'],
);

export const prometheusOperatorCrds = [
  customResourceDefinition(
    { group, kind: 'Prometheus', plural: 'prometheuses', shortNames: ['prom'], categories },
    versions,
    prometheusSpec,
    source,
  ),
  customResourceDefinition(
    { group, kind: 'ServiceMonitor', plural: 'servicemonitors', shortNames: ['smon'], categories },
    versions,
    serviceMonitorSpec,
    source,
  ),
];
