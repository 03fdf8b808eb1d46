import {
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type * as activities from '../activities';
import type { ComponentApplied, ComponentRequest } from '../infra/components/contract';
import type { Approver } from '../approvals/claim';
import type { EnvironmentSpec } from '../model';
import { awaitApproval, refusedFailure } from './approval';
import { engineRunActivityOptions } from './engine-run';
import { readyTimer } from './metrics';
import { componentPhase, componentProgressQuery, type ComponentProgress, type Phase } from './progress';
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
  /**
   * Why a person must approve before apply (policy findings), and who may (the spec's
   * provisioning.approvers); absent when no approval is needed.
   */
  approval?: { reasons: string[]; timeout: string; approvers?: Approver[] };
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
  const report = reporter(node.id, job.approval !== undefined);

  // patched(): the parent marks a component planning when it starts it; runs recorded before said so again.
  if (!patched('parent-marks-planning')) await report('planning');
  const plan = await planComponent(job);
  if (job.approval) {
    await report('awaiting-approval', job.approval.reasons.join('; '));
    const outcome = await awaitApproval(node.id, job.approval.timeout, {
      // Runs started before the approvers came with the approval had the whole spec.
      approvers: job.approval.approvers ?? (spec as Partial<EnvironmentSpec>).provisioning?.approvers,
    });
    if (!outcome.approved) throw refusedFailure(`${spec.name}/${node.id}`, outcome);
  }
  await report(
    'applying',
    plan.notEmulated.length ? `not emulated: ${plan.notEmulated.join(', ')}` : undefined,
  );
  try {
    const { outputs, changes, readiness } = await applyComponent(job);
    const recordReady = readyTimer(spec.name, node.kind);
    await report('waiting-ready');
    // patched(): runs recorded before the apply took the first look checked again at once.
    const seen = patched('apply-looks-at-readiness') ? readiness : undefined;
    // Short first pause and a low cap: the time between "ready" and the check that sees
    // it adds straight to the environment's critical path (docs/benchmarks.md, figure 1).
    await waitUntil(
      node.id,
      () => componentReady({ ...job, outputs }),
      { initialInterval: '1 second', maxInterval: '30 seconds', timeout: '1 hour' },
      seen,
    );
    recordReady();
    return { outputs, changes, notEmulated: plan.notEmulated, createdByThisRun: !plan.existedBefore };
  } catch (err) {
    if (plan.existedBefore || job.keepOnFailure) throw err;
    await CancellationScope.nonCancellable(async () => {
      await report('removing', 'this run started it and could not finish it');
      await destroyComponent(job);
      await report('removed');
    });
    if (isCancellation(err)) throw err;
    // The outcome travels with the failure: the parent reads it there, not from the reports.
    const outcome: ComponentFailureOutcome = { removed: true };
    throw ApplicationFailure.create({
      message: `${node.id} failed; this run removed what it had made of it`,
      type: 'ComponentRemoved',
      nonRetryable: true,
      details: [outcome],
      cause: err instanceof Error ? err : undefined,
    });
  }
}

/** What a component's failure says besides its cause (its ApplicationFailure's details). */
export interface ComponentFailureOutcome {
  /** This run made the component, could not finish it and removed it again. */
  removed: boolean;
}

/** The outcome a component's child workflow failed with, when it carries one. */
export function componentFailureOutcome(err: unknown): ComponentFailureOutcome | undefined {
  const failure = err instanceof ChildWorkflowFailure ? err.cause : err;
  if (!(failure instanceof ApplicationFailure) || failure.type !== 'ComponentRemoved') return undefined;
  return failure.details?.[0] as ComponentFailureOutcome | undefined;
}

/**
 * Keeps this component's phase: its progress query answers it (`lp-infra status` asks the
 * running components), and its details in the UI show it. The parent hears only the phases it
 * acts on or must show while they last: waiting for an approval (after another component fails,
 * it stops those that wait), the apply after an approval, and the removal. Every report to the
 * parent is a signal and a workflow task in its history; read from here, a phase costs nothing
 * until someone asks (docs/benchmarks.md). Reports on the way go out with the next step's
 * commands; the removal's stay awaited, so the progress shows it before the failure arrives.
 */
function reporter(id: string, approval: boolean) {
  const parent = workflowInfo().parent;
  // patched(): runs recorded before awaited every report, then sent every phase to the parent.
  const sendAndGoOn = patched('progress-reports-not-awaited');
  const onlyWhatItActsOn = patched('phases-read-from-children');
  const own: ComponentProgress = { id, phase: 'planning', startedAt: Date.now() };
  const publish = () => setCurrentDetails(`**${id}: ${own.phase}**${own.detail ? `\n\n${own.detail}` : ''}`);
  setHandler(componentProgressQuery, () => own);
  publish();
  const parentActsOn = (phase: Phase) =>
    phase === 'awaiting-approval' ||
    phase === 'removing' ||
    phase === 'removed' ||
    (approval && phase === 'applying');
  return async (phase: Phase, detail?: string) => {
    own.phase = phase;
    own.detail = detail;
    publish();
    if (!parent) return;
    if (onlyWhatItActsOn && !parentActsOn(phase)) return;
    const sent = getExternalWorkflowHandle(parent.workflowId, parent.runId).signal(componentPhase, {
      id,
      phase,
      detail,
    });
    if (sendAndGoOn && phase !== 'removing' && phase !== 'removed') sent.catch(() => undefined);
    else await sent;
  };
}
