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
