import type { HandlerContext } from '../../pulumi/resource-handler';

/**
 * Whether to skip one API call that the local emulator does not implement. Against real
 * AWS (no endpoint) it is always false. The component lists the same step in its plan
 * (`notEmulated`), and the skip is logged here, so nothing is skipped silently.
 */
export function skipNotEmulated(ctx: HandlerContext, step: string): boolean {
  if (!ctx.endpoint) return false;
  console.warn(`not emulated, skipped: ${step}`);
  return true;
}

/**
 * A step the emulator cannot complete, whatever the retries: it fails at once (the activities'
 * classify() treats it as permanent) with a message that says what to do instead.
 */
export class EmulatorLimitation extends Error {
  override readonly name = 'EmulatorLimitation';
  /** Read like an AWS answer's, so the dynamic provider tags the failure with this name. */
  readonly $metadata = { httpStatusCode: 409 };
}
