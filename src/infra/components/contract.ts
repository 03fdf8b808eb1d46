/**
 * The component contract: what an activity hands a component driver (driver.ts) and what it
 * gets back. The drivers implement it and the activities and workflows use it, so it lives
 * with the drivers, below both (imports go one way, docs/architecture.md#layout).
 */
import type { ComponentNode, EnvironmentSpec } from '../../spec';

/** Values a component hands to the components that depend on it: ids, ARNs, endpoints. Never secret values. */
export type ComponentOutputs = Record<string, string | number | boolean | string[]>;

/** Everything an activity needs to act on one component of one environment. */
export interface ComponentRequest {
  spec: EnvironmentSpec;
  node: ComponentNode;
  /** Outputs of the components this one depends on, by component id. */
  inputs: Record<string, ComponentOutputs>;
  /**
   * Plan with a full preview of what would change (a person is about to approve it).
   * Without, the plan only finds out whether the component exists: an engine preview
   * costs as much as the apply that follows it.
   */
  preview?: boolean;
  /**
   * Apply after reading every resource back, so that changes made outside lp-infra are undone
   * too (drift remediation). A plain apply compares with the recorded state only.
   */
  refresh?: boolean;
}

export interface ComponentRemoval extends ComponentRequest {
  /** For a database: the final snapshot to take before deletion. */
  finalSnapshotName?: string;
}

export interface ChangeSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
  same: number;
}

export interface ComponentPlan {
  /** What the apply would change; absent when the plan was not a preview. */
  changes?: ChangeSummary;
  /** The component had resources before this run (then a failed run must not remove it). */
  existedBefore: boolean;
  /** Steps the local emulator cannot do; the production path does them (docs/emulation.md). */
  notEmulated: string[];
}

export interface ComponentApplied {
  outputs: ComponentOutputs;
  changes: ChangeSummary;
  notEmulated: string[];
  /** True when this run made the component from nothing: only then may compensation remove it. */
  createdByThisRun: boolean;
}

export interface ComponentReadiness {
  ready: boolean;
  detail: string;
}
