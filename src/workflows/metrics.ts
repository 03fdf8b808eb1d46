/**
 * lp-infra's metrics from workflow code (src/observability/metrics.ts), one call per emission.
 * Emitting produces no command, so it is safe for determinism; the SDK drops these calls while
 * a workflow replays (workflowInfo().unsafe.isReplaying), so a history replayed after a restart
 * or a cache eviction does not count again. Durations are in workflow time.
 */
import { metricMeter, workflowInfo } from '@temporalio/workflow';
import type { SagaResult } from '../disaster-recovery/saga';
import type { DriftReport } from '../drift/report';
import { contextFromWorkflowId } from '../observability/logger';
import { lpMetrics, type MetricDefinition, type Outcome, type RunAction } from '../observability/metrics';
import type { RunProgress } from './progress';

// Made per call: the meter works only inside a workflow, and the SDK keeps the native metric.
const counter = (m: MetricDefinition) => metricMeter.createCounter(m.name, m.unit, m.help);
const histogram = (m: MetricDefinition) => metricMeter.createHistogram(m.name, 'float', m.unit, m.help);
const gauge = (m: MetricDefinition) => metricMeter.createGauge(m.name, 'int', m.unit, m.help);

const outcomes: readonly string[] = ['succeeded', 'failed', 'cancelled'] satisfies Outcome[];

function countRun(action: RunAction, environment: string, outcome: Outcome): void {
  counter(lpMetrics.runs).add(1, { action, environment, outcome });
}

/** Counts a provision, destroy, failover or failback run once, when its board first reaches an outcome. */
export function countRunEnd(run: RunProgress, next: RunProgress['status']): void {
  if (outcomes.includes(run.status) || !outcomes.includes(next)) return;
  countRun(run.action as RunAction, run.environment, next as Outcome);
}

/** Starts timing a component's wait until ready; call what it returns once the component is ready. */
export function readyTimer(environment: string, kind: string): () => void {
  const since = Date.now();
  return () =>
    histogram(lpMetrics.componentReadyDuration).record((Date.now() - since) / 1000, { environment, kind });
}

/** The findings of a drift check, per component it looked at (0 for a clean one). */
export function countDriftFindings(report: DriftReport): void {
  for (const check of report.components)
    counter(lpMetrics.driftFindings).add(check.findings.length, {
      environment: report.environment,
      component: check.component,
    });
}

/** Counts a drift run by its final report: failed when a check or the remediation failed. */
export function driftRunEnded(report: DriftReport): DriftReport {
  const failed =
    report.remediation.status === 'failed' || report.components.some((c) => c.status === 'failed');
  countRun('drift', report.environment, failed ? 'failed' : 'succeeded');
  return report;
}

/** Records the RTO and RPO a successful failover or failback measured. */
export function recordRecovery(result: SagaResult, planned: boolean): SagaResult {
  const tags = { environment: result.environment, direction: result.direction, planned: String(planned) };
  // Never below 0: the SDK throws on a negative value, and a recorded run must not fail for it.
  if (result.rtoSeconds !== undefined)
    histogram(lpMetrics.recoveryRto).record(Math.max(0, result.rtoSeconds), tags);
  if (result.rpoSeconds !== undefined)
    histogram(lpMetrics.recoveryRpo).record(Math.max(0, result.rpoSeconds), tags);
  return result;
}

const approvalActions: Record<string, string> = {
  provisionComponent: 'provision',
  provisionEnvironment: 'provision',
  destroyEnvironment: 'destroy',
  driftCheck: 'drift',
  healthMonitor: 'failover',
};

/** Shows an approval as pending (1) while `waiting` runs, and 0 however the wait ends. */
export async function pendingApproval<T>(waiting: Promise<T>): Promise<T> {
  const { workflowId, workflowType } = workflowInfo();
  const { environment = '', component = '' } = contextFromWorkflowId(workflowId);
  const tags = { environment, action: approvalActions[workflowType] ?? 'other', component };
  const pending = gauge(lpMetrics.approvalsPending);
  pending.set(1, tags);
  try {
    return await waiting;
  } finally {
    pending.set(0, tags);
  }
}
