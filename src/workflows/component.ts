import {
  CancellationScope,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type * as activities from '../activities';
import type { ComponentApplied, ComponentRequest } from '../infra/components/contract';
import { awaitApproval, refusedFailure } from './approval';
import { engineRunActivityOptions } from './engine-run';
import { readyTimer } from './metrics';
import { componentPhase, type Phase } from './progress';
import { LpAction, LpComponent, LpEnvironment } from './search-attributes';
import { waitUntil } from './wait';

const { planComponent } = proxyActivities<typeof activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2s', maximumInterval: '1 minute', maximumAttempts: 10 },
});
const { applyComponent, destroyComponent } = proxyActivities<typeof activities>(engineRunActivityOptions);
const { componentReady } = proxyActivities<typeof activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2s', maximumAttempts: 5 },
});

export interface ComponentJob extends ComponentRequest {
  /** Why a person must approve before apply (policy findings); absent when none is needed. */
  approval?: { reasons: string[]; timeout: string };
  keepOnFailure: boolean;
}

/**
 * One component of an environment: plan, approval when policy asks, apply, wait until
 * ready, outputs. A component this run started from nothing and could not finish is
 * removed again (unless keepOnFailure), so a failure never leaves half of one behind.
 */
export async function provisionComponent(job: ComponentJob): Promise<ComponentApplied> {
  const { node, spec } = job;
  upsertSearchAttributes([
    { key: LpEnvironment, value: spec.name },
    { key: LpComponent, value: node.id },
    { key: LpAction, value: 'provision' },
  ]);
  const report = reporter(node.id);

  await report('planning');
  const plan = await planComponent(job);
  if (job.approval) {
    await report('awaiting-approval', job.approval.reasons.join('; '));
    const outcome = await awaitApproval(node.id, job.approval.timeout, {
      approvers: spec.provisioning?.approvers,
    });
    if (!outcome.approved) throw refusedFailure(`${spec.name}/${node.id}`, outcome);
  }
  await report(
    'applying',
    plan.notEmulated.length ? `not emulated: ${plan.notEmulated.join(', ')}` : undefined,
  );
  try {
    const { outputs, changes } = await applyComponent(job);
    const recordReady = readyTimer(spec.name, node.kind);
    await report('waiting-ready');
    // Short first pause and a low cap: the time between "ready" and the check that sees
    // it adds straight to the environment's critical path (docs/benchmarks.md, figure 1).
    await waitUntil(node.id, () => componentReady({ ...job, outputs }), {
      initialInterval: '1 second',
      maxInterval: '30 seconds',
      timeout: '1 hour',
    });
    recordReady();
    return { outputs, changes, notEmulated: plan.notEmulated, createdByThisRun: !plan.existedBefore };
  } catch (err) {
    if (!plan.existedBefore && !job.keepOnFailure) {
      await CancellationScope.nonCancellable(async () => {
        await report('removing', 'this run started it and could not finish it');
        await destroyComponent(job);
        await report('removed');
      });
    }
    throw err;
  }
}

/**
 * Tells the parent run which phase this component is in (for its progress query). Phases on the
 * way are sent with the next step's commands rather than awaited, which saved a round trip per
 * phase (docs/benchmarks.md); the parent ignores one that arrives after the component's end.
 * The compensation's phases stay awaited: the parent reads them when the child fails.
 */
function reporter(id: string) {
  const parent = workflowInfo().parent;
  // patched(): runs recorded before awaited every report.
  const sendAndGoOn = patched('progress-reports-not-awaited');
  return async (phase: Phase, detail?: string) => {
    if (!parent) return;
    const sent = getExternalWorkflowHandle(parent.workflowId, parent.runId).signal(componentPhase, {
      id,
      phase,
      detail,
    });
    if (sendAndGoOn && phase !== 'removing' && phase !== 'removed') sent.catch(() => undefined);
    else await sent;
  };
}
