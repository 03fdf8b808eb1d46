/**
 * Every workflow and schedule id lp-infra starts or looks up. Pure (no Temporal imports), so
 * the CLI, the workflows and the tests share it. Keep each byte for byte: runs in flight,
 * recorded histories, the provision/destroy guards and people's scripts find runs by these
 * ids, and contextFromWorkflowId (src/observability/logger.ts) parses them.
 */
export const workflowIds = {
  /** `lp-infra up`; a second one of the same environment is refused while one runs. */
  provision: (environment: string) => `provision/${environment}`,
  /** A component's child workflow of a provisioning run. */
  component: (environment: string, component: string) => `provision/${environment}/${component}`,
  destroy: (environment: string) => `destroy/${environment}`,
  failover: (environment: string) => `failover/${environment}`,
  failback: (environment: string) => `failback/${environment}`,
  /** The health monitor (`lp-infra monitor`). */
  health: (environment: string) => `health/${environment}`,
  /** A check started by `lp-infra drift`: a new id each time, so checks never refuse each other. */
  driftCheck: (environment: string, startedAt: number) => `drift/${environment}/now-${startedAt}`,
  /** `lp-infra dev check`. */
  platformCheck: (environment: string) => `check/${environment}`,
};

/** The drift schedule; Temporal names each run it starts with this id and the start time. */
export const driftScheduleId = (environment: string) => `drift/${environment}`;
