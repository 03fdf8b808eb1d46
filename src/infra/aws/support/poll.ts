import { setTimeout as sleep } from 'node:timers/promises';

export interface PollOptions {
  /** What is being waited for, for the timeout's message. */
  waitingFor: string;
  timeoutSeconds: number;
  intervalSeconds?: number;
}

/**
 * Describes again until `done` holds, for states that have no SDK waiter (global clusters).
 * Returns the last description.
 */
export async function pollUntil<T>(
  describe: () => Promise<T>,
  done: (value: T) => boolean,
  options: PollOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  for (;;) {
    const value = await describe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${options.timeoutSeconds}s waiting for ${options.waitingFor}`);
    await sleep((options.intervalSeconds ?? 10) * 1000);
  }
}

/** Waiter settings for resources that take minutes: poll fast at first, then every 30 s. */
export function waiterFor<C>(client: C, maxWaitMinutes: number) {
  return { client, maxWaitTime: maxWaitMinutes * 60, minDelay: 2, maxDelay: 30 };
}
