import { ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type * as activities from '../activities';
import type { ProgressBoard } from './progress';

const { runningSince, workflowRunning } = proxyActivities<typeof activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});

export interface Refusal {
  message: string;
  type: string;
}

/**
 * `provision/<env>` and `destroy/<env>` exclude each other, however they were started (the CLI
 * checks too; the Temporal CLI and UI do not): a run refuses, before touching anything, while
 * the other one runs and started before it. Of two runs started together, the earlier goes on
 * and the later is refused; each compares the server's start times, so they agree.
 */
export async function refuseWhileEarlierRuns(
  workflowId: string,
  board: ProgressBoard,
  refusal: Refusal,
): Promise<void> {
  const since = await runningSince(workflowId);
  const mine = workflowInfo().runStartTime;
  if (since !== undefined && mine !== undefined && new Date(since) <= mine) refuse(board, refusal);
}

/** The first form of the check (any run of the other kind refused this one), for recorded runs. */
export async function refuseWhileRunning(
  workflowId: string,
  board: ProgressBoard,
  refusal: Refusal,
): Promise<void> {
  if (await workflowRunning(workflowId)) refuse(board, refusal);
}

function refuse(board: ProgressBoard, { message, type }: Refusal): never {
  board.finish('cancelled');
  throw ApplicationFailure.nonRetryable(message, type);
}
