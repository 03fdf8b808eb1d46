/** How long a stopping worker waits for its running activities (no SDK loaded here). */

/** deploy/kubernetes/deployment.yaml's terminationGracePeriodSeconds (a unit test keeps them equal). */
export const POD_TERMINATION_GRACE_SECONDS = 300;

/**
 * After the grace, seconds an engine run cancelled by the stopping worker may take to finish
 * its resource operations in flight before it is stopped at once (src/infra/pulumi/stack.ts).
 */
export const ENGINE_STOP_SECONDS = 20;

/**
 * Seconds running activities get to finish after SIGTERM/SIGINT before they are cancelled.
 * Under the pod's grace by 30 s: ENGINE_STOP_SECONDS for a cancelled engine run to stop and
 * unlock its stack, and the rest for the process to exit.
 */
export const DEFAULT_SHUTDOWN_GRACE_SECONDS = POD_TERMINATION_GRACE_SECONDS - 30;

export function parseGraceSeconds(value: string | undefined, source: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(seconds)) {
    throw new Error(`${source}: '${value}' is not a whole number of seconds`);
  }
  return seconds;
}

/** LP_INFRA_SHUTDOWN_GRACE_SECONDS, else the default. */
export function shutdownGraceSeconds(env: NodeJS.ProcessEnv = process.env): number {
  return (
    parseGraceSeconds(env.LP_INFRA_SHUTDOWN_GRACE_SECONDS, 'LP_INFRA_SHUTDOWN_GRACE_SECONDS') ??
    DEFAULT_SHUTDOWN_GRACE_SECONDS
  );
}
