import { ApplicationFailure, sleep } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';

export interface WaitOptions {
  /** First pause between checks; doubles up to `maxInterval`. */
  initialInterval: Duration;
  maxInterval: Duration;
  /** Give up after this long, with a non-retryable failure naming the last state seen. */
  timeout: Duration;
}

/**
 * Durable waiting: a short check activity, then a workflow timer, with backoff and a
 * cap. The worker holds nothing while it waits, a restart resumes the wait, and
 * time-skipping tests cover hours of waiting in milliseconds.
 */
export async function waitUntil<T extends { ready: boolean; detail: string }>(
  what: string,
  check: () => Promise<T>,
  options: WaitOptions,
  /** A look the step before already took: the wait starts with the pause, not a check. */
  seen?: T,
): Promise<T> {
  const deadline = Date.now() + msToNumber(options.timeout);
  let interval = msToNumber(options.initialInterval);
  for (let state = seen ?? (await check()); ; state = await check()) {
    if (state.ready) return state;
    if (Date.now() + interval > deadline) {
      throw ApplicationFailure.nonRetryable(
        `${what} not ready after ${options.timeout}: ${state.detail}`,
        'NotReady',
      );
    }
    await sleep(interval);
    interval = Math.min(interval * 2, msToNumber(options.maxInterval));
  }
}
