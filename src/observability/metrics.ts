/**
 * lp-infra's own Prometheus series, served with the SDK's temporal_* ones on the worker's
 * endpoint (Temporal's metric meter, no second exporter). Names, units, labels and histogram
 * buckets live here for the workflow and activity helpers (src/workflows/metrics.ts,
 * src/activities/metrics.ts), the Runtime's bucket overrides, the dashboard and its test.
 * Pure data: the workflow bundle imports it.
 *
 * Labels stay bounded: environments, component kinds and ids of the spec, and fixed outcomes.
 * The SDK adds its own (namespace, task_queue, workflow_type or activity_type).
 */

export interface MetricDefinition {
  readonly name: string;
  readonly kind: 'counter' | 'histogram' | 'gauge';
  /** Unit of the values ('s' for seconds; '' for counts). */
  readonly unit: string;
  readonly help: string;
  readonly labels: readonly string[];
  /** Histogram bucket bounds, in the metric's unit (the SDK's defaults are milliseconds). */
  readonly buckets?: readonly number[];
}

/** How a run, or an attempt at an apply, ended. A run refused before it touched anything is cancelled. */
export type Outcome = 'succeeded' | 'failed' | 'cancelled';

/** The run kinds counted by outcome. */
export type RunAction = 'provision' | 'destroy' | 'drift' | 'failover' | 'failback';

/** An engine run takes seconds (in-cluster objects) to an hour and more (a database, a CDN). */
const applyBuckets = [1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];
const readyBuckets = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600];
/** Around the usual recovery objectives (15 min to hours). */
const rtoBuckets = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400];
/** A planned switchover loses nothing (0); an unplanned one the replica's lag. */
const rpoBuckets = [0, 1, 5, 15, 30, 60, 300, 900, 3600];

export const lpMetrics = {
  componentApplyDuration: {
    name: 'lp_infra_component_apply_duration_seconds',
    kind: 'histogram',
    unit: 's',
    help: 'Time one apply of a component took (one attempt of the applyComponent activity), by component kind and outcome',
    labels: ['environment', 'kind', 'outcome'],
    buckets: applyBuckets,
  },
  componentReadyDuration: {
    name: 'lp_infra_component_ready_duration_seconds',
    kind: 'histogram',
    unit: 's',
    help: 'Time from the end of a component apply until the component was ready, by component kind',
    labels: ['environment', 'kind'],
    buckets: readyBuckets,
  },
  runs: {
    name: 'lp_infra_runs_total',
    kind: 'counter',
    unit: '',
    help: 'Runs that ended (provision, destroy, drift, failover, failback), by outcome',
    labels: ['action', 'environment', 'outcome'],
  },
  driftFindings: {
    name: 'lp_infra_drift_findings_total',
    kind: 'counter',
    unit: '',
    help: 'Drift findings of drift checks (before remediation), by component; a clean check adds 0',
    labels: ['environment', 'component'],
  },
  recoveryRto: {
    name: 'lp_infra_recovery_rto_seconds',
    kind: 'histogram',
    unit: 's',
    help: 'Measured RTO of a successful failover or failback: start of the run until the new region serves and is verified',
    labels: ['environment', 'direction', 'planned'],
    buckets: rtoBuckets,
  },
  recoveryRpo: {
    name: 'lp_infra_recovery_rpo_seconds',
    kind: 'histogram',
    unit: 's',
    help: 'RPO estimate of a successful failover or failback: the replica lag when the writer moved',
    labels: ['environment', 'direction', 'planned'],
    buckets: rpoBuckets,
  },
  approvalsPending: {
    name: 'lp_infra_approvals_pending',
    kind: 'gauge',
    unit: '',
    help: 'Approvals this worker is waiting for: 1 while a run waits for approve or reject, 0 once decided',
    labels: ['environment', 'action', 'component'],
  },
} as const satisfies Record<string, MetricDefinition>;

export type LpMetric = keyof typeof lpMetrics;

/** Bucket overrides for the Runtime's Prometheus exporter, by metric name. */
export function histogramBucketOverrides(): Record<string, number[]> {
  return Object.fromEntries(
    Object.values(lpMetrics as Record<string, MetricDefinition>)
      .filter((m) => m.buckets)
      .map((m) => [m.name, [...m.buckets!]]),
  );
}

/** The series names Prometheus shows for a metric (a histogram's _bucket, _sum and _count). */
export function seriesNames(metric: MetricDefinition): string[] {
  return metric.kind === 'histogram'
    ? ['_bucket', '_sum', '_count'].map((suffix) => `${metric.name}${suffix}`)
    : [metric.name];
}
