/**
 * The drift report: its shape, how findings become a per-component verdict, a one-line summary
 * and the markdown the run shows in the Temporal UI. Pure (no I/O, no clock): the driftCheck
 * workflow, the CLI and the drivers share it.
 */

export type Remediation = 'report-only' | 'auto' | 'approve-first';

/** One property of one resource that is not what the spec asks for. */
export interface DriftFinding {
  component: string;
  /** `aws:s3-bucket assets`, `VirtualService istio-system/api-routing` */
  resource: string;
  /** Dotted path inside the resource: `versioning`, `scaling.maxSize`, `spec.http[0].timeout` */
  property: string;
  desired?: unknown;
  actual?: unknown;
}

/**
 * clean: as the spec says. drifted: findings. absent: never provisioned (nothing to compare).
 * failed: the check itself did not finish (error says why).
 */
export type CheckStatus = 'clean' | 'drifted' | 'absent' | 'failed';

export interface ComponentCheck {
  component: string;
  status: CheckStatus;
  findings: DriftFinding[];
  /** How long the check took. */
  seconds?: number;
  error?: string;
}

export interface ApprovalRecord {
  approved: boolean;
  by: string;
  reason?: string;
  timedOut: boolean;
}

export interface RemediationRecord {
  mode: Remediation;
  status:
    | 'not-needed'
    | 'not-requested'
    | 'awaiting-approval'
    | 'not-approved'
    | 'reapplying'
    | 'reapplied'
    | 'failed';
  approval?: ApprovalRecord;
  /** Components re-applied (only drifted ones). */
  reapplied: string[];
  /** The re-check of the re-applied components. */
  after: ComponentCheck[];
  error?: string;
}

export interface DriftReport {
  environment: string;
  /** Epoch milliseconds. */
  checkedAt: number;
  components: ComponentCheck[];
  /** Ids of the components with findings. */
  drifted: string[];
  findings: number;
  remediation: RemediationRecord;
}

/** A component's verdict from its findings. */
export function componentCheck(
  component: string,
  findings: DriftFinding[],
  extra: { absent?: boolean; seconds?: number } = {},
): ComponentCheck {
  const status: CheckStatus = extra.absent ? 'absent' : findings.length ? 'drifted' : 'clean';
  return {
    component,
    status,
    findings: extra.absent ? [] : findings,
    ...(extra.seconds !== undefined ? { seconds: extra.seconds } : {}),
  };
}

export function failedCheck(component: string, error: string): ComponentCheck {
  return { component, status: 'failed', findings: [], error };
}

export function buildReport(
  environment: string,
  mode: Remediation,
  components: ComponentCheck[],
  checkedAt: number,
): DriftReport {
  const drifted = components.filter((c) => c.status === 'drifted').map((c) => c.component);
  return {
    environment,
    checkedAt,
    components,
    drifted,
    findings: components.reduce((sum, c) => sum + c.findings.length, 0),
    remediation: {
      mode,
      status: drifted.length === 0 ? 'not-needed' : mode === 'report-only' ? 'not-requested' : 'reapplying',
      reapplied: [],
      after: [],
    },
  };
}

export function withRemediation(report: DriftReport, patch: Partial<RemediationRecord>): DriftReport {
  return { ...report, remediation: { ...report.remediation, ...patch } };
}

/** Components still drifted (or unchecked) after remediation; the check's own when nothing was re-applied. */
export function remainingDrift(report: DriftReport): string[] {
  if (report.remediation.status !== 'reapplied') return report.drifted;
  return report.remediation.after.filter((c) => c.status !== 'clean').map((c) => c.component);
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** One line: what was found and what was done about it. */
export function summarizeReport(report: DriftReport): string {
  const failed = report.components.filter((c) => c.status === 'failed').map((c) => c.component);
  const checked = report.components.filter((c) => c.status !== 'absent').length;
  const head = report.drifted.length
    ? `drift in ${report.drifted.join(', ')} (${count(report.findings, 'finding')})`
    : `no drift in ${count(checked, 'component')}`;
  const failures = failed.length ? `; check failed: ${failed.join(', ')}` : '';
  return `${report.environment}: ${head}${failures}${remediationText(report)}`;
}

function remediationText(report: DriftReport): string {
  const { remediation } = report;
  switch (remediation.status) {
    case 'not-needed':
      return '';
    case 'not-requested':
      return '; report only';
    case 'awaiting-approval':
      return '; re-apply awaits approval';
    case 'not-approved': {
      const approval = remediation.approval;
      const why = approval?.timedOut
        ? 'approval timed out'
        : `rejected by ${approval?.by ?? 'unknown'}${approval?.reason ? `: ${approval.reason}` : ''}`;
      return `; not re-applied (${why})`;
    }
    case 'reapplying':
      return '; re-applying';
    case 'reapplied': {
      const left = remainingDrift(report);
      return `; re-applied ${remediation.reapplied.join(', ')}: ${left.length ? `still drifted: ${left.join(', ')}` : 'clean'}`;
    }
    case 'failed':
      return `; re-apply failed: ${remediation.error ?? 'unknown error'}`;
  }
}

/** A value as one short table cell. */
export function cell(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return short.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The report as markdown: the summary, one row per finding, the components' verdicts. */
export function driftMarkdown(report: DriftReport): string {
  const rows = report.components.flatMap((c) =>
    c.findings.map(
      (f) =>
        `| ${f.component} | ${cell(f.resource)} | ${cell(f.property)} | ${cell(f.desired)} | ${cell(f.actual)} |`,
    ),
  );
  const verdicts = report.components.map(
    (c) =>
      `| ${c.component} | ${c.status} | ${c.seconds !== undefined ? `${c.seconds} s` : ''} | ${c.error ? cell(c.error) : ''} |`,
  );
  return [
    `**${summarizeReport(report)}**`,
    ...(rows.length
      ? [
          '',
          '| component | resource | property | desired | actual |',
          '| --- | --- | --- | --- | --- |',
          ...rows,
        ]
      : []),
    '',
    '| component | status | time | error |',
    '| --- | --- | --- | --- |',
    ...verdicts,
  ].join('\n');
}
