import type { ComponentKind } from '../../spec';
import {
  applyClusterComponent,
  clusterComponentReadiness,
  destroyClusterComponent,
  planClusterComponent,
} from '../kubernetes/component';
import type { ComponentDriver } from './driver';

/**
 * The in-cluster components: server-side apply of typed manifests to the region's cluster, a
 * dry-run diff as the plan, the Deployments' rollout as readiness, removal by ownership labels.
 */
const clusterDriver: ComponentDriver = {
  plan: (request) => planClusterComponent(request),
  apply: (request, progress) => applyClusterComponent(request, progress),
  ready: (request) => clusterComponentReadiness(request),
  destroy: async (request, progress) => {
    await destroyClusterComponent(request, progress);
  },
};

/** Drivers for the in-cluster components: mesh, app, monitoring (server-side apply). */
export const kubernetesDrivers: Partial<Record<ComponentKind, ComponentDriver>> = {
  mesh: clusterDriver,
  app: clusterDriver,
  monitoring: clusterDriver,
};
