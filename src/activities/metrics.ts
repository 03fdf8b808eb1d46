/**
 * lp-infra's metrics from activities (src/observability/metrics.ts), through the activity's
 * metric meter: on the worker's Prometheus endpoint when it has one, nowhere otherwise.
 */
import { Context } from '@temporalio/activity';
import { lpMetrics, type Outcome } from '../observability/metrics';
import type { ComponentRequest } from '../infra/components/contract';

/** Runs one apply attempt and records how long it took and how it ended. */
export async function timedApply<T>(request: ComponentRequest, apply: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const started = performance.now();
  let outcome: Outcome = 'failed';
  try {
    const result = await apply();
    outcome = 'succeeded';
    return result;
  } catch (err) {
    if (context.cancellationSignal.aborted) outcome = 'cancelled';
    throw err;
  } finally {
    const m = lpMetrics.componentApplyDuration;
    context.metricMeter
      .createHistogram(m.name, 'float', m.unit, m.help)
      .record((performance.now() - started) / 1000, {
        environment: request.spec.name,
        kind: request.node.kind,
        outcome,
      });
  }
}
