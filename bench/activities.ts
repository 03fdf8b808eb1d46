/**
 * Stand-ins for the component activities that take the time a latency profile says and
 * touch nothing. The workflows are the real ones; only the cloud is replaced. The spec
 * validation activity is the real one (it is pure), and so is the check for a running
 * destroy (it asks the server).
 */
import { Context } from '@temporalio/activity';
import type {
  ChangeSummary,
  ComponentApplyResult,
  ComponentOutputs,
  ComponentPlan,
  ComponentReadiness,
  ComponentRequest,
} from '../src/infra/components/contract';
import { runningSince } from '../src/activities/runs';
import { validateEnvironment } from '../src/activities/validate';
import { awsProfile, type StepTimes } from './profile';

export interface ProfileSettings {
  /** Real seconds are divided by this. */
  scale: number;
}

/** One readiness check that said ready: when it could first have, and when it did. */
export interface ReadySeen {
  environment: string;
  component: string;
  readyAt: number;
  seenAt: number;
  checks: number;
}

const created: ChangeSummary = { create: 1, update: 0, replace: 0, delete: 0, same: 0 };

/** Sleeps, heartbeating every few seconds so long steps stay within heartbeat timeouts. */
async function busy(ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (let left = ms; left > 0; left = end - Date.now()) {
    await new Promise((r) => setTimeout(r, Math.min(left, 5000)));
    if (end - Date.now() > 0 && inActivity()) Context.current().heartbeat();
  }
}

function inActivity(): boolean {
  try {
    Context.current();
    return true;
  } catch {
    return false; // called by the sequential baseline script, outside any worker
  }
}

export function profiledActivities(settings: ProfileSettings, onReady?: (seen: ReadySeen) => void) {
  const times = (request: ComponentRequest): StepTimes => awsProfile[request.node.kind];
  const ms = (seconds: number) => (seconds * 1000) / settings.scale;
  const checks = new Map<string, number>();
  const look = (request: ComponentRequest, outputs: ComponentOutputs): ComponentReadiness => {
    const readyAt = Number(outputs.appliedAt) + ms(times(request).settle);
    const key = `${request.spec.name}/${request.node.id}`;
    const count = (checks.get(key) ?? 0) + 1;
    checks.set(key, count);
    const now = Date.now();
    if (now < readyAt) return { ready: false, detail: `ready in ${readyAt - now} ms` };
    onReady?.({
      environment: request.spec.name,
      component: request.node.id,
      readyAt,
      seenAt: now,
      checks: count,
    });
    return { ready: true, detail: 'ready' };
  };
  return {
    validateEnvironment,
    runningSince,
    async planComponent(request: ComponentRequest): Promise<ComponentPlan> {
      await busy(ms(times(request).plan));
      return { changes: created, existedBefore: false, notEmulated: [] };
    },
    /** The real activity looks at readiness once after the apply; so does this one. */
    async applyComponent(request: ComponentRequest): Promise<ComponentApplyResult> {
      await busy(ms(times(request).apply));
      const outputs = { appliedAt: Date.now() };
      return { outputs, changes: created, readiness: look(request, outputs) };
    },
    async componentReady(
      request: ComponentRequest & { outputs: ComponentOutputs },
    ): Promise<ComponentReadiness> {
      return look(request, request.outputs);
    },
    async destroyComponent(): Promise<void> {},
  };
}

/** The activity of the overhead figure: does nothing. */
export async function noop(): Promise<void> {}
