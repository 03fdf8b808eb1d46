import { setTimeout as sleep } from 'node:timers/promises';
import { defaultRetryDecider, isServerError } from '@smithy/core/retry';

export interface CreateOnceOptions {
  /** Times the call may be sent in all (default 3). */
  attempts?: number;
  /**
   * How long to keep looking for what a failed call may have made before sending it again.
   * AWS's describe and list calls are eventually consistent, so a resource made a moment ago
   * can be missing from them for a while; an emulator answers at once (0).
   */
  settleMs?: number;
}

/**
 * Makes a resource whose create call has no idempotency token (CreateVpc, CreateSubnet,
 * AllocateAddress, kms:CreateKey, ...). Resending such a call after a lost answer (the
 * connection reset after AWS applied it) makes a second resource, so the SDK must not retry
 * it: `create` sends it once, through a client made with `awsClient(..., true)`. When it fails
 * in a way the SDK would retry (throttling, 5xx, a reset), `find` looks for what the call may
 * have made (by the tags it was given), again and again for `settleMs`: what it finds is used,
 * and only when nothing is there is the call sent again, with a growing pause. Any other
 * failure (access denied, a validation error) stands at once.
 */
export async function createOnce<T>(
  create: () => Promise<T>,
  find: () => Promise<T | undefined>,
  { attempts = 3, settleMs = 0 }: CreateOnceOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (err) {
      const transient = defaultRetryDecider(err as never) || isServerError(err as never);
      if (!transient) throw err;
      const made = await lookFor(find, settleMs);
      if (made !== undefined) return made;
      if (attempt >= attempts) throw err;
      await sleep(250 * 2 ** attempt * (0.5 + Math.random() / 2));
    }
  }
}

async function lookFor<T>(find: () => Promise<T | undefined>, settleMs: number): Promise<T | undefined> {
  const deadline = Date.now() + settleMs;
  for (let pause = 500; ; pause *= 2) {
    const made = await find();
    if (made !== undefined || Date.now() + pause > deadline) return made;
    await sleep(pause);
  }
}
