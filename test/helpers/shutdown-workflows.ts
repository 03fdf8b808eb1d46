/** The workflow of the worker-shutdown test (test/helpers/shutdown-worker.ts runs it). */
import { proxyActivities } from '@temporalio/workflow';

export interface ShutdownActivities {
  /** Works for `seconds`, heartbeating; the worker's test waits for it to start. */
  slowStep(seconds: number): Promise<string>;
}

const { slowStep } = proxyActivities<ShutdownActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  // One attempt: the test reads how that attempt ended.
  retry: { maximumAttempts: 1 },
});

export async function slowWorkflow(seconds: number): Promise<string> {
  return slowStep(seconds);
}
