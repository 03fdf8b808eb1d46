/**
 * Is a component's manifest rolled out? One look at each object, no waiting: the workflow waits
 * between looks with durable timers.
 */
import type { KubeApi } from './api';
import { objectName, type KubeObject } from './objects';

export interface Readiness {
  ready: boolean;
  detail: string;
}

interface DeploymentState {
  metadata: { generation?: number };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
  };
}

/** A Deployment is rolled out as `kubectl rollout status` says: observed, updated, old pods gone, available. */
export function deploymentRollout(live: DeploymentState): Readiness {
  const desired = live.spec?.replicas ?? 1;
  const status = live.status ?? {};
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if ((status.observedGeneration ?? 0) < (live.metadata.generation ?? 0)) {
    return { ready: false, detail: 'waiting for the controller to see the new spec' };
  }
  if (updated < desired) return { ready: false, detail: `${updated} of ${desired} replicas updated` };
  if ((status.replicas ?? 0) > updated) {
    return { ready: false, detail: `${(status.replicas ?? 0) - updated} old replicas terminating` };
  }
  if (available < desired) return { ready: false, detail: `${available} of ${desired} replicas available` };
  return { ready: true, detail: `${available}/${desired} available` };
}

interface Condition {
  type: string;
  status: string;
  message?: string;
}

/**
 * A resource whose controller reports conditions (the operator's Prometheus) is ready when its
 * Available condition is True. Without a controller there is no status, and the resource is
 * ready once stored: nothing else will act on it.
 */
export function conditionsReadiness(live: KubeObject): Readiness {
  const conditions = ((live.status as { conditions?: Condition[] } | undefined)?.conditions ??
    []) as Condition[];
  const available = conditions.find((c) => c.type === 'Available');
  if (!available) return { ready: true, detail: 'stored (no controller reports on it)' };
  return available.status === 'True'
    ? { ready: true, detail: 'available' }
    : { ready: false, detail: `not available: ${available.message ?? available.status}` };
}

export function objectReadiness(live: KubeObject): Readiness {
  if (live.kind === 'Deployment') return deploymentRollout(live as KubeObject & DeploymentState);
  if (live.kind === 'Prometheus') return conditionsReadiness(live);
  return { ready: true, detail: 'present' };
}

/** Ready when every object exists and every workload is rolled out; the detail names what is not. */
export async function manifestReadiness(api: KubeApi, objects: KubeObject[]): Promise<Readiness> {
  const waiting: string[] = [];
  const done: string[] = [];
  for (const object of objects) {
    const live = await api.get(object);
    const state = live ? objectReadiness(live) : { ready: false, detail: 'missing' };
    const line = `${objectName(object)}: ${state.detail}`;
    (state.ready ? done : waiting).push(line);
  }
  if (waiting.length) return { ready: false, detail: waiting.join('; ') };
  const workloads = done.filter((line) => line.startsWith('Deployment'));
  return { ready: true, detail: workloads.length ? workloads.join('; ') : `${done.length} objects present` };
}
