/**
 * One in-cluster component (mesh, app, monitoring) against its region's cluster: the manifest it
 * wants there, and plan, apply, readiness, drift and removal of it.
 */
import { randomBytes } from 'node:crypto';
import type { ChangeSummary, ComponentPlan, ComponentRequest, OutputsByKind } from '../components/contract';
import { applyManifest, ownedObjects, removeOwned, type Heartbeat } from './apply';
import { kubeApi, type KubeApi } from './api';
import { connectionSecrets } from './connection-secrets';
import { diffManifest, type ObjectDifference } from './diff';
import { KubernetesError } from './errors';
import { gatewayAddress } from './gateway-address';
import { kubeConfigFor } from './kubeconfig';
import { componentManifest, type ComponentManifest } from './manifests/component';
import { grafanaAdminSecret } from './manifests/monitoring';
import type { ClusterComponentKind, KubeObject } from './objects';
import { manifestReadiness, type Readiness } from './rollout';

export function clusterComponentKind(request: ComponentRequest<ClusterComponentKind>): ClusterComponentKind {
  const { kind } = request.node;
  if (kind !== 'mesh' && kind !== 'app' && kind !== 'monitoring') {
    throw new KubernetesError(`${request.node.id} (${kind}) is not an in-cluster component`);
  }
  return kind;
}

export async function clusterApi(request: ComponentRequest<ClusterComponentKind>): Promise<KubeApi> {
  return kubeApi(await kubeConfigFor(request.spec, request.node.region));
}

/** Live replica counts of the autoscaled Deployments, keyed namespace/name. */
async function liveReplicas(
  api: KubeApi,
  request: ComponentRequest<ClusterComponentKind>,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const app of request.spec.applications.filter((a) => a.autoscaling)) {
    const live = await api.get<KubeObject & { spec?: { replicas?: number } }>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app.name, namespace: app.namespace },
    });
    if (live?.spec?.replicas !== undefined) counts[`${app.namespace}/${app.name}`] = live.spec.replicas;
  }
  return counts;
}

/** Grafana's admin Secret: the password it already has, or a new one made here. */
async function grafanaSecret(
  api: KubeApi,
  request: ComponentRequest<ClusterComponentKind>,
): Promise<KubeObject> {
  const monitoring = request.spec.monitoring;
  const ref = monitoring.grafana.adminPasswordSecretRef;
  const live = await api.get<KubeObject & { data?: Record<string, string> }>({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: ref.name, namespace: monitoring.namespace },
  });
  const existing = live?.data?.[ref.key];
  const password = existing
    ? Buffer.from(existing, 'base64').toString('utf8')
    : randomBytes(24).toString('base64url');
  return grafanaAdminSecret(monitoring, password);
}

/** The full manifest, with the Secrets made from Secrets Manager values (inside the activity). */
export async function desiredManifest(
  api: KubeApi,
  request: ComponentRequest<ClusterComponentKind>,
): Promise<ComponentManifest> {
  const kind = clusterComponentKind(request);
  const { spec, node, inputs } = request;
  if (kind === 'app') {
    const [secrets, replicas] = await Promise.all([
      connectionSecrets(spec, node.region, inputs),
      liveReplicas(api, request),
    ]);
    return componentManifest(spec, kind, node.region, { secrets, liveReplicas: replicas });
  }
  if (kind === 'monitoring') {
    return componentManifest(spec, kind, node.region, { secrets: [await grafanaSecret(api, request)] });
  }
  return componentManifest(spec, kind, node.region);
}

const simulated: Record<ClusterComponentKind, string[]> = {
  mesh: [
    'Istio control plane: the Gateway, VirtualService and DestinationRule are stored and validated; no proxy routes traffic',
  ],
  app: [
    'containers: kwok marks pods Running and Ready on simulated nodes; no image is pulled, no probe runs',
    'autoscaling metrics: no metrics server, so the HorizontalPodAutoscaler reports its metrics as unknown',
  ],
  monitoring: [
    'Prometheus Operator: the Prometheus and ServiceMonitor resources are stored; no Prometheus pod runs',
    'Grafana: its pods are simulated by kwok; the claim is bound by kwok',
  ],
};

export function summarize(differences: ObjectDifference[], objects: number): ChangeSummary {
  const count = (change: ObjectDifference['change']) => differences.filter((d) => d.change === change).length;
  const create = count('missing');
  const update = count('changed');
  return { create, update, replace: 0, delete: count('extra'), same: objects - create - update };
}

export async function planClusterComponent(
  request: ComponentRequest<ClusterComponentKind>,
): Promise<ComponentPlan> {
  const api = await clusterApi(request);
  const manifest = await desiredManifest(api, request);
  const differences = await diffManifest(api, request.spec, clusterComponentKind(request), manifest);
  const existing = await ownedObjects(api, request.spec, clusterComponentKind(request));
  return {
    changes: summarize(differences, manifest.objects.length),
    existedBefore: existing.length > 0,
    notEmulated: request.spec.emulated ? simulated[clusterComponentKind(request)] : [],
  };
}

/** The outputs of an in-cluster component (mesh, app, monitoring). */
type ClusterOutputs = OutputsByKind[ClusterComponentKind];

export async function applyClusterComponent(
  request: ComponentRequest<ClusterComponentKind>,
  progress: Heartbeat,
): Promise<{ outputs: ClusterOutputs; changes: ChangeSummary }> {
  const api = await clusterApi(request);
  const kind = clusterComponentKind(request);
  const manifest = await desiredManifest(api, request);
  const result = await applyManifest(api, request.spec, kind, manifest, progress);
  const count = (action: string) => result.applied.filter((a) => a.action === action).length;
  return {
    outputs: {
      ...(await addressOutputs(api, request, kind)),
      namespaces: manifest.namespaces.map((n) => n.metadata.name),
      objects: manifest.objects.length,
      deployments: manifest.objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name),
      ...(result.foreignDefinitions.length ? { definitionsLeftToTheirOwner: result.foreignDefinitions } : {}),
    } satisfies ClusterOutputs,
    changes: {
      create: count('created'),
      update: count('updated'),
      replace: 0,
      delete: result.pruned.length,
      same: count('unchanged'),
    },
  };
}

/** Where the component is reached: its cluster's API and, for the app, its external address (DNS failover records, health checks). */
async function addressOutputs(
  api: KubeApi,
  request: ComponentRequest<ClusterComponentKind>,
  kind: ClusterComponentKind,
): Promise<Pick<OutputsByKind['app'], 'kubernetesApi' | 'gatewayHostname'>> {
  const gateway = kind === 'app' ? await gatewayAddress(api, request.spec, request.node.region) : undefined;
  return { kubernetesApi: api.server, ...(gateway ? { gatewayHostname: gateway } : {}) };
}

/**
 * The outputs dependents read (see addressOutputs), from the cluster as it is; undefined when
 * none of the component's objects are there. Drift checks of dependents (dns-failover) need them.
 */
export async function clusterComponentOutputs(
  request: ComponentRequest<ClusterComponentKind>,
): Promise<ClusterOutputs | undefined> {
  const api = await clusterApi(request).catch((err: unknown) => {
    // No cluster (EKS answers DescribeCluster with 404), so nothing of the component either.
    if (err instanceof KubernetesError && err.$metadata.httpStatusCode === 404) return undefined;
    throw err;
  });
  if (!api) return undefined;
  const kind = clusterComponentKind(request);
  if ((await ownedObjects(api, request.spec, kind)).length === 0) return undefined;
  return addressOutputs(api, request, kind);
}

/** One look at the rollout. The objects are named from the spec alone: no secret is read here. */
export async function clusterComponentReadiness(
  request: ComponentRequest<ClusterComponentKind>,
): Promise<Readiness> {
  const api = await clusterApi(request);
  const manifest = componentManifest(request.spec, clusterComponentKind(request), request.node.region);
  return manifestReadiness(api, manifest.objects);
}

export async function destroyClusterComponent(
  request: ComponentRequest<ClusterComponentKind>,
  progress: Heartbeat,
): Promise<string[]> {
  return removeOwned(await clusterApi(request), request.spec, clusterComponentKind(request), progress);
}

/** Drift: per object, the fields a server-side apply would change; empty when none. */
export async function clusterComponentDrift(
  request: ComponentRequest<ClusterComponentKind>,
): Promise<ObjectDifference[]> {
  const api = await clusterApi(request);
  const manifest = await desiredManifest(api, request);
  return diffManifest(api, request.spec, clusterComponentKind(request), manifest);
}
