/**
 * The health monitor's policy: when N consecutive probes of the primary region fail, fail
 * over; a passing probe in between starts the count again (flapping below the threshold does
 * nothing). Pure, for workflow code and unit tests.
 */

export interface ProbeCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ProbeResult {
  at: number;
  healthy: boolean;
  checks: ProbeCheck[];
}

export type MonitorStatus =
  'watching' | 'paused' | 'awaiting-approval' | 'failover-started' | 'failover-refused';

export interface MonitorState {
  environment: string;
  status: MonitorStatus;
  threshold: number;
  intervalSeconds: number;
  consecutiveFailures: number;
  probes: number;
  lastProbe?: ProbeResult;
  /** The latest outcomes, newest last (true: healthy), for the query and the UI. */
  recent: boolean[];
  failover?: { workflowId: string; startedAt: number; reason: string };
  /** Why the last failover was not started (approval denied, one already running). */
  note?: string;
}

export const recentLength = 20;

export function initialState(environment: string, threshold: number, intervalSeconds: number): MonitorState {
  return {
    environment,
    status: 'watching',
    threshold,
    intervalSeconds,
    consecutiveFailures: 0,
    probes: 0,
    recent: [],
  };
}

/** The state after one probe, and whether this probe crossed the threshold. */
export function afterProbe(
  state: MonitorState,
  probe: ProbeResult,
): { state: MonitorState; failover: boolean } {
  const consecutiveFailures = probe.healthy ? 0 : state.consecutiveFailures + 1;
  const next: MonitorState = {
    ...state,
    probes: state.probes + 1,
    lastProbe: probe,
    consecutiveFailures,
    recent: [...state.recent, probe.healthy].slice(-recentLength),
  };
  return { state: next, failover: state.status === 'watching' && consecutiveFailures >= state.threshold };
}

/** Why the primary is considered down: the failing checks of the last probe. */
export function failureReason(state: MonitorState): string {
  const failing = (state.lastProbe?.checks ?? []).filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
  return `${state.consecutiveFailures} consecutive failed probes of the primary region (${failing.join('; ') || 'no detail'})`;
}

export function monitorMarkdown(state: MonitorState): string {
  const bar = state.recent.map((ok) => (ok ? '▮' : '▯')).join('');
  return [
    `**health ${state.environment}: ${state.status}**`,
    '',
    `${state.consecutiveFailures} of ${state.threshold} consecutive failures · ${state.probes} probes every ${state.intervalSeconds} s · recent ${bar}`,
    '',
    ...(state.lastProbe?.checks ?? []).map((c) => `- ${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`),
    ...(state.failover
      ? ['', `Failover started: ${state.failover.workflowId} (${state.failover.reason})`]
      : []),
    ...(state.note ? ['', state.note] : []),
  ].join('\n');
}
