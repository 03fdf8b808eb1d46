import {
  ActivityCancellationType,
  patched,
  proxyActivities,
  type ActivityOptions,
} from '@temporalio/workflow';
import type * as activities from '../activities';

/**
 * Options of every activity that runs the Pulumi engine on a stack (apply, destroy).
 * A cancelled one is waited for until the engine has really stopped (it aborts on the
 * heartbeat's cancellation, finishes its operations in flight and unlocks the stack)
 * before the workflow goes on: a removal, a compensation or the next run on that stack
 * would collide with it.
 */
export const engineRunActivityOptions: ActivityOptions = {
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5s', maximumInterval: '2 minutes', maximumAttempts: 10 },
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
};

/**
 * The engine-run activities of a workflow that once went on as soon as it asked a cancel
 * (TRY_CANCEL): a run recorded then replays that way, since waiting for the cancel would
 * change its commands. `patchId` marks the runs that wait.
 */
export function engineRunActivities(patchId: string) {
  const waiting = proxyActivities<typeof activities>(engineRunActivityOptions);
  const before = proxyActivities<typeof activities>({
    ...engineRunActivityOptions,
    cancellationType: ActivityCancellationType.TRY_CANCEL,
  });
  return () => (patched(patchId) ? waiting : before);
}
