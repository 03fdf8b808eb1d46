import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type {
  ComponentApplyResult,
  ComponentOutputs,
  ComponentPlan,
  ComponentReadiness,
  ComponentRemoval,
  ComponentRequest,
} from '../infra/components/contract';
import { ENGINE_STOP_SECONDS } from '../config/worker';
import { driverFor, isComponentKind } from '../infra/components';
import type { ComponentDriver, Progress } from '../infra/components/driver';
import { classify } from './errors';
import { timedApply } from './metrics';

function driver(request: ComponentRequest): ComponentDriver {
  // The request is JSON from a workflow's input: its kind may be one lp-infra does not know.
  const kind: string = request.node.kind;
  if (!isComponentKind(kind)) {
    throw ApplicationFailure.nonRetryable(
      `lp-infra cannot build components of kind '${kind}' yet`,
      'UnsupportedComponent',
    );
  }
  return driverFor(kind);
}

function progress(): Progress {
  const context = Context.current();
  return {
    heartbeat: (detail) => context.heartbeat(detail),
    signal: context.cancellationSignal,
    stopSignal: stopBeforeExit(context.cancellationSignal),
  };
}

/**
 * Aborted ENGINE_STOP_SECONDS after a cancel by the stopping worker (its shutdown grace is
 * over): the work must then end before the process does. Other cancels (the run's) let it
 * finish what is in flight, however long that takes.
 */
export function stopBeforeExit(cancelled: AbortSignal): AbortSignal {
  const stop = new AbortController();
  const byShutdown = () =>
    cancelled.reason instanceof CancelledFailure && cancelled.reason.message === 'WORKER_SHUTDOWN';
  cancelled.addEventListener(
    'abort',
    () => {
      if (byShutdown()) setTimeout(() => stop.abort(), ENGINE_STOP_SECONDS * 1000).unref();
    },
    { once: true },
  );
  return stop.signal;
}

async function step<T>(request: ComponentRequest, doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    return classify(err, `${doing} ${request.spec.name}/${request.node.id}`);
  }
}

/** What applying the component would change (Pulumi preview, or a server-side dry run). */
export async function planComponent(request: ComponentRequest): Promise<ComponentPlan> {
  return step(request, 'plan', () => driver(request).plan(request, progress()));
}

/**
 * Brings the component to its spec; safe to retry: it converges, it never duplicates. Then
 * one look at readiness, so a component that is ready at once costs the workflow no further
 * step; a look that fails is left to the workflow's own checks (the apply itself succeeded).
 */
export async function applyComponent(request: ComponentRequest): Promise<ComponentApplyResult> {
  const applied = await timedApply(request, () =>
    step(request, 'apply', () => driver(request).apply(request, progress())),
  );
  const readiness = await driver(request)
    .ready(request, applied.outputs)
    .catch(() => undefined);
  return { ...applied, readiness };
}

/** One short look: is the component serving yet? The workflow waits between looks. */
export async function componentReady(
  request: ComponentRequest & { outputs: ComponentOutputs },
): Promise<ComponentReadiness> {
  return step(request, 'check', () => driver(request).ready(request, request.outputs));
}

/** Removes the component; succeeds when it is already gone. */
export async function destroyComponent(request: ComponentRemoval): Promise<void> {
  return step(request, 'destroy', () => driver(request).destroy(request, progress()));
}
