/**
 * What each in-cluster component puts on a cluster: the definitions its custom resources need,
 * the namespaces its objects live in, and its own objects, labelled as lp-infra's.
 */
import type { ComponentSpec, RegionRole } from '../../../model';
import {
  fieldManager,
  managedByLabel,
  ownershipLabels,
  withLabels,
  type ClusterComponentKind,
  type KubeObject,
} from '../objects';
import { applicationObjects } from './application';
import { istioCrds } from './crds/istio';
import { prometheusOperatorCrds } from './crds/prometheus-operator';
import { istioApiVersion, meshObjects } from './mesh';
import { monitoringApiVersion, monitoringObjects } from './monitoring';
import { namespacesOf } from './namespaces';

export interface ComponentManifest {
  /** CustomResourceDefinitions the objects need; installed only where the cluster lacks them. */
  definitions: KubeObject[];
  /** Shared by components and kept on destroy (deleting one would delete what others put there). */
  namespaces: KubeObject[];
  /** The component's own objects, in apply order; prune and destroy find them by their labels. */
  objects: KubeObject[];
}

export interface ManifestInputs {
  /** Live replica counts of autoscaled Deployments, by name (see replicasToWrite). */
  liveReplicas?: Record<string, number>;
  /** Secrets built inside the activity (connection strings, the Grafana admin password). */
  secrets?: KubeObject[];
}

export interface KindRef {
  apiVersion: string;
  kind: string;
}

/** Every kind a component may own: what prune and destroy look through. */
export const ownedKinds: Record<ClusterComponentKind, KindRef[]> = {
  mesh: [
    { apiVersion: istioApiVersion, kind: 'Gateway' },
    { apiVersion: istioApiVersion, kind: 'VirtualService' },
    { apiVersion: istioApiVersion, kind: 'DestinationRule' },
  ],
  app: [
    { apiVersion: 'v1', kind: 'ServiceAccount' },
    { apiVersion: 'v1', kind: 'Secret' },
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
    { apiVersion: 'v1', kind: 'Service' },
  ],
  monitoring: [
    { apiVersion: monitoringApiVersion, kind: 'Prometheus' },
    { apiVersion: monitoringApiVersion, kind: 'ServiceMonitor' },
    { apiVersion: 'v1', kind: 'Secret' },
    { apiVersion: 'v1', kind: 'ConfigMap' },
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
    { apiVersion: 'apps/v1', kind: 'Deployment' },
  ],
};

function ownObjects(
  spec: ComponentSpec<ClusterComponentKind>,
  kind: ClusterComponentKind,
  region: RegionRole,
  inputs: ManifestInputs,
) {
  const secrets = inputs.secrets ?? [];
  switch (kind) {
    case 'mesh':
      return meshObjects(spec);
    case 'app':
      return [
        ...secrets,
        ...spec.applications.flatMap((app) =>
          applicationObjects(spec, app, region, inputs.liveReplicas?.[`${app.namespace}/${app.name}`]),
        ),
      ];
    case 'monitoring':
      return [...secrets, ...monitoringObjects(spec)];
  }
}

const definitionsOf: Record<ClusterComponentKind, KubeObject[]> = {
  mesh: istioCrds,
  app: [],
  monitoring: prometheusOperatorCrds,
};

export function componentManifest(
  spec: ComponentSpec<ClusterComponentKind>,
  kind: ClusterComponentKind,
  region: RegionRole,
  inputs: ManifestInputs = {},
): ComponentManifest {
  const objects = ownObjects(spec, kind, region, inputs).map((o) =>
    withLabels(o, ownershipLabels(spec, kind)),
  );
  const shared = { [managedByLabel]: fieldManager };
  return {
    definitions: definitionsOf[kind].map((o) => withLabels(o, shared)),
    namespaces: namespacesOf(objects).map((o) => withLabels(o, shared)),
    objects,
  };
}
