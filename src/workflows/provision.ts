import {
  ApplicationFailure,
  CancellationScope,
  executeChild,
  CancelledFailure,
  patched,
  proxyActivities,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type * as activities from '../activities';
import type { ComponentOutputs } from '../infra/components/contract';
import type { EnvironmentSpec } from '../model';
import { componentSpec } from '../model/components';
import { componentGraph } from '../model/dag';
import { componentFailureOutcome, provisionComponent } from './component';
import { errorMessage, removeComponents, type RemovalReport } from './destroy';
import { runGraph } from './graph-runner';
import { refuseWhileEarlierRuns } from './guards';
import { workflowIds } from './ids';
import { ProgressBoard } from './progress';
import { runSpec } from './run-spec';
import { LpAction, LpEnvironment } from './search-attributes';

const { validateEnvironment } = proxyActivities<typeof activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3 },
});

export interface ProvisionInput {
  spec: EnvironmentSpec;
  /** Keep what a failed run made, for inspection (default: the spec's provisioning.keepOnFailure). */
  keepOnFailure?: boolean;
}

export interface ProvisionResult {
  environment: string;
  outputs: Record<string, ComponentOutputs>;
  /** Components this run made from nothing. */
  created: string[];
  /** Components that existed and were brought to the spec (or were already there). */
  updated: string[];
  /** Components whose apply changed something (created, updated, replaced or deleted resources). */
  changed: string[];
  notEmulated: Record<string, string[]>;
}

/**
 * Builds an environment from its spec: every component whose dependencies are done
 * starts at once, each as a child workflow of its own. When a component fails for
 * good, no new one starts, and the components this run created are removed again,
 * dependents first (unless keepOnFailure). While a destroy of the environment that started
 * before it goes on, it refuses and touches nothing (guards.ts).
 */
export async function provisionEnvironment(input: ProvisionInput): Promise<ProvisionResult> {
  // The board first: a refused input still answers the progress query and counts as a failed run.
  const board = new ProgressBoard(input.spec?.name ?? 'unknown', 'provision');
  let spec: EnvironmentSpec;
  try {
    // patched(): runs recorded before the spec was validated here replay with the input as it came.
    spec = patched('provision-validates-spec') ? runSpec(input.spec, 'provision') : input.spec;
  } catch (err) {
    board.finish('failed');
    throw err;
  }
  const refuseWhileDestroying = (name: string) => {
    const destroyId = workflowIds.destroy(name);
    return refuseWhileEarlierRuns(
      destroyId,
      board,
      {
        message: `${destroyId} is running; wait for it to end before provisioning ${name} again`,
        type: 'DestroyRunning',
      },
      { yieldsOnTie: true },
    );
  };
  // patched(): runs recorded before this check replay without it.
  const guard =
    spec?.name && patched('provision-refuses-earlier-destroy')
      ? refuseWhileDestroying(spec.name)
      : Promise.resolve();
  // Policy is asked while the guard looks: neither touches anything, and the first component
  // starts one round trip sooner. patched(): runs recorded before asked one after the other.
  if (!patched('guard-and-policy-at-once')) await guard;
  // Held as a value, so a refusal by the guard leaves no rejected promise behind.
  const validation = validateEnvironment(spec).catch((err: unknown) => err as Error);
  await guard;
  const validated = await validation;
  if (validated instanceof Error) {
    board.finish('failed');
    throw ApplicationFailure.nonRetryable(errorMessage(validated), 'InvalidSpec');
  }
  const { approvals } = validated;
  const nodes = componentGraph(spec);
  board.list(nodes.map((n) => n.id));
  const keepOnFailure = input.keepOnFailure ?? spec.provisioning.keepOnFailure;
  upsertSearchAttributes([
    { key: LpEnvironment, value: spec.name },
    { key: LpAction, value: 'provision' },
  ]);

  const result: ProvisionResult = {
    environment: spec.name,
    outputs: {},
    created: [],
    updated: [],
    changed: [],
    notEmulated: {},
  };
  let stopping = false;
  const waiting = new Map<string, CancellationScope>();
  const run = await runGraph(
    nodes,
    async (node) => {
      board.set(node.id, 'planning');
      const scope = new CancellationScope();
      waiting.set(node.id, scope);
      try {
        const applied = await scope.run(() =>
          executeChild(provisionComponent, {
            workflowId: workflowIds.component(spec.name, node.id),
            args: [
              {
                spec: componentSpec(spec, node.kind),
                node,
                inputs: pick(result.outputs, node.dependsOn),
                keepOnFailure,
                approval: approvals[node.id] && {
                  ...approvals[node.id],
                  approvers: spec.provisioning.approvers,
                },
                preview: approvals[node.id] !== undefined,
              },
            ],
            staticSummary: `${node.id} of ${spec.name}`,
          }),
        );
        result.outputs[node.id] = applied.outputs;
        if (applied.notEmulated.length) result.notEmulated[node.id] = applied.notEmulated;
        (applied.createdByThisRun ? result.created : result.updated).push(node.id);
        const c = applied.changes;
        if (c && c.create + c.update + c.replace + c.delete > 0) result.changed.push(node.id);
        board.set(node.id, 'succeeded');
      } catch (err) {
        stopping = true;
        stopWaitingComponents();
        // Runs recorded before the outcome came with the failure: the child's last report says it.
        const removedItself = componentFailureOutcome(err)?.removed ?? board.phaseOf(node.id) === 'removed';
        board.set(node.id, removedItself ? 'removed' : 'failed', errorMessage(err));
        throw err;
      }
    },
    { shouldStart: () => !stopping },
  );

  /** After a failure, components waiting for approval give up at once; work in flight finishes. */
  function stopWaitingComponents() {
    for (const [id, scope] of waiting) {
      if (board.phaseOf(id) === 'awaiting-approval') scope.cancel();
    }
  }
  for (const id of run.skipped) board.set(id, 'skipped');
  if (run.failed.size === 0) {
    board.finish('succeeded');
    return result;
  }

  const cancelled = CancellationScope.current().consideredCancelled;
  let removal: RemovalReport = { removed: [], failed: [] };
  if (keepOnFailure) {
    for (const id of result.created) board.set(id, 'kept');
  } else {
    board.finish('compensating');
    const created = nodes.filter((n) => result.created.includes(n.id));
    removal = await CancellationScope.nonCancellable(() => removeComponents(spec, created, board));
  }
  board.finish(cancelled ? 'cancelled' : 'failed');
  if (cancelled) throw new CancelledFailure(`provision ${spec.name} was cancelled`);
  const failures = [...run.failed].map(([id, err]) => `${id}: ${errorMessage(err)}`);
  const outcome = keepOnFailure
    ? `kept ${result.created.length} component(s) this run created`
    : `removed ${removal.removed.length} component(s) this run created${removal.failed.length ? `; could NOT remove ${removal.failed.map((f) => f.id).join(', ')}` : ''}`;
  throw ApplicationFailure.nonRetryable(
    `provision ${spec.name} failed (${failures.join('; ')}); ${outcome}`,
    'ProvisionFailed',
    { ...result, failed: failures, skipped: run.skipped, kept: keepOnFailure ? result.created : [], removal },
  );
}

function pick<T>(record: Record<string, T>, keys: string[]): Record<string, T> {
  return Object.fromEntries(keys.filter((k) => k in record).map((k) => [k, record[k]]));
}
