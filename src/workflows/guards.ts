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
 * the other one runs and started before it. Both compare the server's start times of the two
 * executions, so two runs started together agree: the earlier goes on, the later is refused.
 * On equal times the run told `yieldsOnTie` refuses (provision, so destroy goes on).
 */
export async function refuseWhileEarlierRuns(
  workflowId: string,
  board: ProgressBoard,
  refusal: Refusal,
  { yieldsOnTie }: { yieldsOnTie: boolean },
): Promise<void> {
  const since = await runningSince(workflowId);
  if (since === undefined) return;
  const other = new Date(since).getTime();
  const mine = workflowInfo().startTime.getTime();
  if (other < mine || (other === mine && yieldsOnTie)) refuse(board, refusal);
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
