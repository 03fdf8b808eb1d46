import type { ComponentKind } from '../../model';
import { clusterFindings } from '../kubernetes/drift-findings';
import {
  applyClusterComponent,
  clusterApi,
  clusterComponentKind,
  desiredManifest,
  clusterComponentOutputs,
  clusterComponentReadiness,
  destroyClusterComponent,
  planClusterComponent,
} from '../kubernetes/component';
import { diffManifest } from '../kubernetes/diff';
import type { ClusterComponentKind } from '../kubernetes/objects';
import type { ComponentDriver } from './driver';

/**
 * The in-cluster components: server-side apply of typed manifests to the region's cluster, a
 * dry-run diff as the plan, the Deployments' rollout as readiness, removal by ownership labels.
 */
const clusterDriver: ComponentDriver<ClusterComponentKind> = {
  plan: (request) => planClusterComponent(request),
  apply: (request, progress) => applyClusterComponent(request, progress),
  ready: (request) => clusterComponentReadiness(request),
  destroy: async (request, progress) => {
    await destroyClusterComponent(request, progress);
  },
  /** The server-side-apply dry-run diff of every object of the component against the live one. */
  drift: async (request, _outputs, progress) => {
    const api = await clusterApi(request);
    const manifest = await desiredManifest(api, request);
    progress.heartbeat(`diff ${manifest.objects.length} objects`);
    const differences = await diffManifest(api, request.spec, clusterComponentKind(request), manifest);
    return clusterFindings(request.node.id, differences, manifest.objects.length);
  },
  outputs: (request) => clusterComponentOutputs(request),
};

/** Drivers for the in-cluster components: mesh, app, monitoring (server-side apply). */
export const kubernetesDrivers = {
  mesh: clusterDriver,
  app: clusterDriver,
  monitoring: clusterDriver,
} satisfies { [K in ComponentKind]?: ComponentDriver<K> };
