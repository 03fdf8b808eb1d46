import {
  ParentClosePolicy,
  continueAsNew,
  defineQuery,
  defineSignal,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type * as activities from '../activities';
import {
  afterProbe,
  failureReason,
  initialState,
  monitorMarkdown,
  type MonitorState,
} from '../disaster-recovery/health';
import type { EnvironmentSpec } from '../model';
import { awaitApproval } from './approval';
import { failover } from './failover';
import { workflowIds } from './ids';
import { runSpec } from './run-spec';
import { LpAction, LpEnvironment } from './search-attributes';

const { probePrimary } = proxyActivities<typeof activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 2 },
});

export interface HealthMonitorInput {
  spec: EnvironmentSpec;
  /** Carried over by continue-as-new. */
  state?: MonitorState;
  /** Probes per run before continuing as new (keeps the history small). */
  probesPerRun?: number;
}

export const healthStateQuery = defineQuery<MonitorState>('healthState');
export const pauseMonitor = defineSignal('pauseMonitor');
/** Watch again (after a pause, or after a failover once the environment is back to normal). */
export const resumeMonitor = defineSignal('resumeMonitor');

/**
 * Watches the primary region of an environment (workflow id health/<env>): a probe every
 * disasterRecovery.healthCheck.intervalSeconds; after failureThreshold consecutive failures it
 * starts failover/<env>, at once or after approval as disasterRecovery.failoverApproval says.
 */
export async function healthMonitor(input: HealthMonitorInput): Promise<void> {
  const spec = runSpec(input.spec, 'health monitor');
  const dr = spec.disasterRecovery;
  let state =
    input.state ?? initialState(spec.name, dr.healthCheck.failureThreshold, dr.healthCheck.intervalSeconds);
  const update = (next: Partial<MonitorState>) =>
    setCurrentDetails(monitorMarkdown((state = { ...state, ...next })));
  setHandler(healthStateQuery, () => state);
  setHandler(pauseMonitor, () => update({ status: 'paused' }));
  setHandler(resumeMonitor, () => update({ status: 'watching', consecutiveFailures: 0, note: undefined }));
  upsertSearchAttributes([
    { key: LpEnvironment, value: spec.name },
    { key: LpAction, value: 'health' },
  ]);
  update({});
  for (
    let probes = 0;
    probes < (input.probesPerRun ?? 500) && !workflowInfo().continueAsNewSuggested;
    probes++
  ) {
    if (state.status === 'watching') {
      const next = afterProbe(state, await probePrimary(spec));
      update(next.state);
      if (next.failover) update(await startFailover(spec, state, update));
    }
    await sleep(`${state.intervalSeconds} seconds`);
  }
  await continueAsNew<typeof healthMonitor>({ ...input, state });
}

async function startFailover(
  spec: EnvironmentSpec,
  state: MonitorState,
  update: (next: Partial<MonitorState>) => void,
): Promise<Partial<MonitorState>> {
  const reason = failureReason(state);
  if (spec.disasterRecovery.failoverApproval === 'required') {
    update({
      status: 'awaiting-approval',
      note: `approve with: lp-infra monitor <spec> --approve (or --reject)`,
    });
    const approval = await awaitApproval(
      `fail over ${spec.name}: ${reason}`,
      spec.provisioning.approvalTimeout,
      { approvers: spec.provisioning.approvers },
    );
    if (!approval.approved) {
      return {
        status: 'watching',
        consecutiveFailures: 0,
        note: `failover not approved (${approval.by}${approval.reason ? `: ${approval.reason}` : ''})`,
      };
    }
  }
  const workflowId = workflowIds.failover(spec.name);
  try {
    await startChild(failover, {
      workflowId,
      args: [{ spec, planned: false, reason }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      staticSummary: `failover of ${spec.name}: ${reason}`,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { status: 'failover-refused', note: `${workflowId} is already running` };
  }
  return {
    status: 'failover-started',
    failover: { workflowId, startedAt: Date.now(), reason },
    note: undefined,
  };
}
