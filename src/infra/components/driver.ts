import type { ComponentKind } from '../../model';
import type {
  ChangeSummary,
  ComponentOutputs,
  ComponentPlan,
  ComponentReadiness,
  ComponentRemoval,
  ComponentRequest,
} from './contract';
import type { DriftFinding } from '../../drift/report';

/** Progress of long work, for activity heartbeats. */
export interface Progress {
  heartbeat(detail: string): void;
  /** Cancels the work; it ends cleanly, finishing what is in flight. */
  signal?: AbortSignal;
  /** After a cancel, ends the work at once (the worker is about to exit). */
  stopSignal?: AbortSignal;
}

/**
 * How one kind of component is planned, applied, checked and removed. The activities
 * are generic over this interface: a Pulumi stack (cloud resources) and server-side
 * apply (Kubernetes objects) are two drivers, not two copies of the workflow.
 *
 * A driver of kind K is handed requests of kind K, with the part of the spec that kind reads
 * (specSectionsByKind). The members are function properties, not methods, so that the
 * compiler checks their parameters strictly: a driver that reads a section its kind is not
 * handed does not compile.
 */
export interface ComponentDriver<K extends ComponentKind = ComponentKind> {
  plan: (request: ComponentRequest<K>, progress: Progress) => Promise<ComponentPlan>;
  apply: (
    request: ComponentRequest<K>,
    progress: Progress,
  ) => Promise<{ outputs: ComponentOutputs; changes: ChangeSummary }>;
  /** Is it serving? Called between durable timers until it says ready. */
  ready: (request: ComponentRequest<K>, outputs: ComponentOutputs) => Promise<ComponentReadiness>;
  /** Removes everything of the component; succeeds when it is already gone. */
  destroy: (request: ComponentRemoval<K>, progress: Progress) => Promise<void>;
  /**
   * Drift: every property whose live value differs from the spec, read from the cloud or
   * the cluster without changing anything; `absent` when the component was never made.
   */
  drift?: (
    request: ComponentRequest<K>,
    outputs: ComponentOutputs,
    progress: Progress,
  ) => Promise<ComponentDrift>;
  /** The outputs its last apply recorded (undefined when it has none stored), for drift checks of dependents. */
  outputs?: (request: ComponentRequest<K>) => Promise<ComponentOutputs | undefined>;
}

export interface ComponentDrift {
  findings: DriftFinding[];
  absent: boolean;
}

export const noChanges: ChangeSummary = { create: 0, update: 0, replace: 0, delete: 0, same: 0 };
