import { setTimeout as sleep } from 'node:timers/promises';
import { defaultRetryDecider, isServerError } from '@smithy/core/retry';

/**
 * Makes a resource whose create call has no idempotency token (CreateVpc, CreateSubnet,
 * AllocateAddress, kms:CreateKey, ...). Resending such a call after a lost answer (the
 * connection reset after AWS applied it) makes a second resource, so the SDK must not retry
 * it: `create` sends it once, through a client made with `awsClient(..., true)`. When it fails
 * in a way the SDK would retry (throttling, 5xx, a reset), `find` looks for what the call may
 * have made (by the tags it was given): what it finds is used, and only when nothing is there
 * is the call sent again, up to `attempts` times with a growing pause. Any other failure
 * (access denied, a validation error) stands at once.
 */
export async function createOnce<T>(
  create: () => Promise<T>,
  find: () => Promise<T | undefined>,
  attempts = 3,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (err) {
      const transient = defaultRetryDecider(err as never) || isServerError(err as never);
      if (!transient) throw err;
      const made = await find();
      if (made !== undefined) return made;
      if (attempt >= attempts) throw err;
      await sleep(250 * 2 ** attempt * (0.5 + Math.random() / 2));
    }
  }
}
