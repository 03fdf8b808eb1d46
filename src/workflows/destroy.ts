import { ApplicationFailure, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ComponentNode, EnvironmentSpec } from '../model';
import { componentSpec } from '../model/components';
import { componentGraph } from '../model/dag';
import { awaitApproval, refusedFailure } from './approval';
import { engineRunActivities } from './engine-run';
import { runGraph } from './graph-runner';
import { refuseWhileEarlierRuns, refuseWhileRunning } from './guards';
import { workflowIds } from './ids';
import { runSpec } from './run-spec';
import { ProgressBoard } from './progress';
import { LpAction, LpEnvironment } from './search-attributes';

// patched(): runs recorded before went on at once after cancelling a removal.
const engineRuns = engineRunActivities('destroy-waits-for-cancelled-engine-runs');

export interface RemovalReport {
  removed: string[];
  failed: { id: string; error: string }[];
}

/**
 * Removes components dependents-first, independent ones at once. A removal that
 * still fails after its retries is reported, never swallowed; the others go on.
 */
export async function removeComponents(
  spec: EnvironmentSpec,
  nodes: ComponentNode[],
  board: ProgressBoard,
  options: { finalSnapshotName?: string } = {},
): Promise<RemovalReport> {
  const run = await runGraph(
    nodes,
    async (node) => {
      board.set(node.id, 'removing');
      try {
        await engineRuns().destroyComponent({
          spec: componentSpec(spec, node.kind),
          node,
          inputs: {},
          finalSnapshotName: options.finalSnapshotName,
        });
        board.set(node.id, 'removed');
      } catch (err) {
        board.set(node.id, 'failed', errorMessage(err));
        throw err;
      }
    },
    { reverse: true },
  );
  return {
    removed: [...run.done.keys()],
    failed: [...run.failed].map(([id, err]) => ({ id, error: errorMessage(err) })),
  };
}

/** The message that says what went wrong: the innermost cause (past the child-workflow and activity wrappers). */
export function errorMessage(err: unknown): string {
  let current = err;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

export interface DestroyInput {
  spec: EnvironmentSpec;
}

/**
 * Takes an environment away, dependents first. Resources under deletion protection
 * wait for an approval Update; the database keeps a final snapshot whose name comes
 * from the run's start time, so a retried or replayed run names it the same. While a
 * provisioning run of the environment that started before it goes on, it refuses and touches
 * nothing (guards.ts).
 */
export async function destroyEnvironment(input: DestroyInput): Promise<RemovalReport> {
  const spec = runSpec(input.spec, 'destroy');
  const nodes = componentGraph(spec);
  const board = new ProgressBoard(spec.name, 'destroy').list(nodes.map((n) => n.id));
  upsertSearchAttributes([
    { key: LpEnvironment, value: spec.name },
    { key: LpAction, value: 'destroy' },
  ]);
  const provisionId = workflowIds.provision(spec.name);
  // patched(): runs recorded before each form of the check replay as they ran.
  const refusal = {
    message: `${provisionId} is running; cancel it (its compensation removes what it made) or wait for it before destroying`,
    type: 'ProvisionRunning',
  };
  if (patched('destroy-refuses-earlier-provision'))
    await refuseWhileEarlierRuns(provisionId, board, refusal, { yieldsOnTie: false });
  else if (patched('destroy-refuses-running-provision'))
    await refuseWhileRunning(provisionId, board, refusal);
  if (spec.database?.deletionProtection) {
    const outcome = await awaitApproval(
      `destroy ${spec.name} (deletion protection is on)`,
      spec.provisioning.approvalTimeout,
      { approvers: spec.provisioning.approvers },
    );
    if (!outcome.approved) {
      board.finish('cancelled');
      throw refusedFailure(`destroy ${spec.name}`, outcome);
    }
  }
  const started = workflowInfo().runStartTime ?? new Date(0);
  const finalSnapshotName = `${spec.name}-final-${started.toISOString().slice(0, 16).replace(/[-:T]/g, '')}`;
  const report = await removeComponents(spec, nodes, board, { finalSnapshotName });
  board.finish(report.failed.length ? 'failed' : 'succeeded');
  if (report.failed.length) {
    throw ApplicationFailure.nonRetryable(
      `destroy ${spec.name}: ${report.failed.length} component(s) could not be removed: ${report.failed.map((f) => `${f.id} (${f.error})`).join('; ')}`,
      'DestroyIncomplete',
      report,
    );
  }
  return report;
}
