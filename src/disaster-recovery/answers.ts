/**
 * How Route 53 answers a name with failover routing: the PRIMARY record while its health
 * check is healthy, else the SECONDARY. A disabled check counts as healthy; an inverted one
 * as the opposite of what the checkers see. Pure: the emulated cloud answers no DNS query,
 * so failover and its tests compute the answer from the records and the checks with this.
 */

export interface FailoverRecord {
  failover?: 'PRIMARY' | 'SECONDARY';
  value: string;
  healthCheckId?: string;
}

export interface CheckState {
  /** What the checkers report (GetHealthCheckStatus): most of them see the endpoint healthy. */
  observedHealthy: boolean;
  inverted: boolean;
  disabled: boolean;
}

export function effectiveHealthy(check: CheckState | undefined): boolean {
  if (!check || check.disabled) return true;
  return check.inverted ? !check.observedHealthy : check.observedHealthy;
}

/** The record Route 53 answers with; a simple record answers itself. */
export function failoverAnswer(
  records: FailoverRecord[],
  checks: Record<string, CheckState>,
): FailoverRecord | undefined {
  const simple = records.find((r) => !r.failover);
  if (simple) return simple;
  const primary = records.find((r) => r.failover === 'PRIMARY');
  const secondary = records.find((r) => r.failover === 'SECONDARY');
  const healthy = (r: FailoverRecord | undefined) =>
    r !== undefined && effectiveHealthy(r.healthCheckId ? checks[r.healthCheckId] : undefined);
  if (healthy(primary)) return primary;
  // Both unhealthy: Route 53 answers the primary (it fails open).
  return healthy(secondary) ? secondary : primary;
}
