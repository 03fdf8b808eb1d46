import {
  buildReport,
  cell,
  componentCheck,
  driftMarkdown,
  failedCheck,
  remainingDrift,
  summarizeReport,
  withRemediation,
  type DriftFinding,
} from '../../../src/drift/report';

const versioning: DriftFinding = {
  component: 'storage',
  resource: 'aws:s3-bucket assets',
  property: 'versioning',
  desired: true,
  actual: false,
};
const timeout: DriftFinding = {
  component: 'mesh',
  resource: 'VirtualService istio-system/api-routing',
  property: 'spec.http[0].timeout',
  desired: '30s',
  actual: '99s',
};

describe('componentCheck', () => {
  test('findings make a component drifted, none clean, absent drops findings', () => {
    expect(componentCheck('storage', [versioning]).status).toBe('drifted');
    expect(componentCheck('storage', [], { seconds: 3.2 })).toEqual({
      component: 'storage',
      status: 'clean',
      findings: [],
      seconds: 3.2,
    });
    expect(componentCheck('cdn', [versioning], { absent: true })).toEqual({
      component: 'cdn',
      status: 'absent',
      findings: [],
    });
  });
});

describe('buildReport', () => {
  const components = [
    componentCheck('storage', [versioning]),
    componentCheck('mesh', [timeout]),
    componentCheck('network', []),
    componentCheck('cdn', [], { absent: true }),
    failedCheck('app', 'no kubeconfig for us-east-1'),
  ];

  test('lists the drifted components and counts findings', () => {
    const report = buildReport('local', 'report-only', components, 1000);
    expect(report.drifted).toEqual(['storage', 'mesh']);
    expect(report.findings).toBe(2);
    expect(report.remediation).toEqual({
      mode: 'report-only',
      status: 'not-requested',
      reapplied: [],
      after: [],
    });
  });

  test('nothing to remediate when nothing drifted, whatever the mode', () => {
    const report = buildReport('local', 'auto', [componentCheck('network', [])], 0);
    expect(report.remediation.status).toBe('not-needed');
    expect(summarizeReport(report)).toBe('local: no drift in 1 component');
  });

  test('the summary names drift, failed checks and what remediation did', () => {
    const report = buildReport('local', 'approve-first', components, 0);
    expect(summarizeReport(report)).toBe(
      'local: drift in storage, mesh (2 findings); check failed: app; re-applying',
    );
    const timedOut = withRemediation(report, {
      status: 'not-approved',
      approval: { approved: false, by: 'timeout', timedOut: true, reason: 'no decision within 24h' },
    });
    expect(summarizeReport(timedOut)).toMatch(/not re-applied \(approval timed out\)$/);
    const rejected = withRemediation(report, {
      status: 'not-approved',
      approval: { approved: false, by: 'ana', timedOut: false, reason: 'change window' },
    });
    expect(summarizeReport(rejected)).toMatch(/not re-applied \(rejected by ana: change window\)$/);
  });

  test('after re-apply, the remaining drift comes from the re-check', () => {
    const report = buildReport('local', 'auto', components, 0);
    expect(remainingDrift(report)).toEqual(['storage', 'mesh']);
    const repaired = withRemediation(report, {
      status: 'reapplied',
      reapplied: ['storage', 'mesh'],
      after: [componentCheck('storage', []), componentCheck('mesh', [timeout])],
    });
    expect(remainingDrift(repaired)).toEqual(['mesh']);
    expect(summarizeReport(repaired)).toMatch(/re-applied storage, mesh: still drifted: mesh$/);
  });
});

describe('driftMarkdown', () => {
  test('one row per finding and one per component, values escaped and shortened', () => {
    const report = buildReport(
      'local',
      'report-only',
      [
        componentCheck('storage', [{ ...versioning, actual: 'a|b' }], { seconds: 4 }),
        componentCheck('network', [{ ...versioning, component: 'network', desired: 'x'.repeat(100) }]),
      ],
      0,
    );
    const markdown = driftMarkdown(report);
    expect(markdown).toContain('| storage | aws:s3-bucket assets | versioning | true | a\\|b |');
    expect(markdown).toContain(`| ${'x'.repeat(77)}... |`);
    expect(markdown).toContain('| storage | drifted | 4 s |  |');
    expect(markdown.split('\n')[0]).toBe(`**${summarizeReport(report)}**`);
  });

  test('a clean report has no findings table', () => {
    const markdown = driftMarkdown(buildReport('local', 'auto', [componentCheck('network', [])], 0));
    expect(markdown).not.toContain('| resource |');
    expect(markdown).toContain('| network | clean |');
  });

  test('cell shows missing values and objects', () => {
    expect(cell(undefined)).toBe('(none)');
    expect(cell({ minSize: 1 })).toBe('{"minSize":1}');
  });
});
