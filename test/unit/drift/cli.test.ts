import { ScheduleOverlapPolicy } from '@temporalio/client';
import {
  driftInput,
  driftSchedule,
  intervalMs,
  renderReport,
  reportExitCode,
  resolveSpec,
} from '../../../src/cli/drift';
import { ExitCode } from '../../../src/cli/exit-codes';
import { buildReport, componentCheck, failedCheck, withRemediation } from '../../../src/drift/report';
import { LpAction, LpEnvironment } from '../../../src/workflows/search-attributes';

const spec = resolveSpec('local');
const finding = {
  component: 'storage',
  resource: 'aws:s3-bucket assets',
  property: 'versioning',
  desired: true,
  actual: false,
};

test('an environment name resolves to its spec; an unknown one is invalid input', () => {
  expect(spec.name).toBe('local');
  expect(() => resolveSpec('nowhere')).toThrow(expect.objectContaining({ exitCode: ExitCode.invalidInput }));
});

test('intervals: Go-style durations of at least a minute', () => {
  expect(intervalMs('15m')).toBe(900_000);
  expect(intervalMs('1h30m')).toBe(5_400_000);
  for (const bad of ['30s', 'soon', '15', '15m x'])
    expect(() => intervalMs(bad)).toThrow(expect.objectContaining({ exitCode: ExitCode.invalidInput }));
});

test('a bad mode or component id is refused, naming the option', () => {
  expect(() => driftInput(spec, { remediation: 'fix-it' })).toThrow(/--remediation must be one of/);
  expect(() => driftInput(spec, { only: 'storage,nope' })).toThrow(/--only: no component nope/);
  expect(driftInput(spec, { only: 'storage, mesh', remediation: 'auto' })).toMatchObject({
    components: ['storage', 'mesh'],
    remediation: 'auto',
  });
});

test('the schedule: id drift/<env>, skip overlaps, one interval of catch-up, searchable runs', () => {
  const options = driftSchedule(spec, { every: '10m' });
  expect(options.scheduleId).toBe('drift/local');
  expect(options.spec.intervals).toEqual([{ every: 600_000 }]);
  expect(options.policies).toEqual({ overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 600_000 });
  expect(options.action).toMatchObject({ workflowId: 'drift/local', args: [{ spec }] });
  const attributes = [
    { key: LpEnvironment, value: 'local' },
    { key: LpAction, value: 'drift' },
  ];
  expect(options.action.type === 'startWorkflow' && options.action.typedSearchAttributes).toEqual(attributes);
  expect(options.typedSearchAttributes).toEqual(attributes);
  expect(driftSchedule(spec, {}).spec.intervals).toEqual([{ every: 900_000 }]); // the spec's 15m
});

test('exit codes: 5 when drift was found (even if repaired), 1 when a check failed, else 0', () => {
  const drifted = buildReport('local', 'auto', [componentCheck('storage', [finding])], 0);
  expect(reportExitCode(drifted)).toBe(ExitCode.attention);
  expect(reportExitCode(withRemediation(drifted, { status: 'reapplied', after: [] }))).toBe(
    ExitCode.attention,
  );
  expect(reportExitCode(buildReport('local', 'auto', [failedCheck('app', 'boom')], 0))).toBe(ExitCode.failed);
  expect(reportExitCode(buildReport('local', 'auto', [componentCheck('storage', [])], 0))).toBe(ExitCode.ok);
});

test('the terminal report: summary, then each finding with its actual and desired value', () => {
  const report = buildReport('local', 'report-only', [componentCheck('storage', [finding])], 0);
  expect(renderReport(report).split('\n')).toEqual([
    'local: drift in storage (1 finding); report only',
    '  storage  aws:s3-bucket assets  versioning: false (spec: true)',
  ]);
});
