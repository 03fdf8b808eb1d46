import { contextFromWorkflowId, JsonLogger, parseLogLevel } from '../../../src/observability/logger';
import { observabilityFromEnv, parsePort } from '../../../src/observability/env';

function capture(level: Parameters<typeof parseLogLevel>[0] = 'info') {
  const lines: string[] = [];
  const logger = new JsonLogger(parseLogLevel(level), (line) => lines.push(line), { service: 'test' });
  return { logger, records: () => lines.map((l) => JSON.parse(l)) };
}

test('records name the environment and component of the run they are about', () => {
  const { logger, records } = capture();
  logger.info('Activity completed', {
    sdkComponent: 'activity',
    activityType: 'applyComponent',
    workflowId: 'provision/staging/secondary/database-replica',
  });
  logger.warn('Workflow failed', { workflowId: 'destroy/staging', error: new Error('boom') });
  const [activity, workflow] = records();
  expect(activity).toMatchObject({
    level: 'info',
    message: 'Activity completed',
    service: 'test',
    environment: 'staging',
    component: 'secondary/database-replica',
    activityType: 'applyComponent',
  });
  expect(workflow).toMatchObject({ level: 'warn', environment: 'staging', error: { message: 'boom' } });
  expect(workflow.component).toBeUndefined();
});

test('below the level nothing is written; unknown levels and ports are refused by name', () => {
  const { logger, records } = capture('warn');
  logger.info('quiet');
  logger.debug('quieter');
  logger.error('loud');
  expect(records().map((r) => r.message)).toEqual(['loud']);
  expect(() => parseLogLevel('verbose')).toThrow("LP_INFRA_LOG_LEVEL: 'verbose' is not a log level");
  expect(() => parsePort('99999', '--metrics-port')).toThrow("--metrics-port: '99999' is not a port");
  expect(observabilityFromEnv({ LP_INFRA_METRICS_PORT: '9464', LP_INFRA_LOG_LEVEL: 'Debug' })).toMatchObject({
    metricsPort: 9464,
    logLevel: 'DEBUG',
  });
});

test('ids that are not lp-infra runs carry no environment', () => {
  expect(contextFromWorkflowId('some-other-workflow')).toEqual({});
  expect(contextFromWorkflowId(undefined)).toEqual({});
  expect(contextFromWorkflowId('drift/prod/now-123')).toEqual({ environment: 'prod' });
  // A run the drift schedule started: Temporal appends the nominal time to the schedule's id.
  expect(contextFromWorkflowId('drift/prod-eu-2026-12-03T17:00:00Z')).toEqual({ environment: 'prod-eu' });
});

test('secrets in logged metadata are redacted, even deep inside options', () => {
  const { logger, records } = capture('debug');
  logger.debug('Creating worker', {
    options: {
      connection: { apiKey: 'tk-secret' },
      codec: { keyring: { current: { id: 'k1', key: Buffer.from('0123') } } },
    },
  });
  const text = JSON.stringify(records()[0]);
  expect(text).not.toContain('tk-secret');
  expect(text).not.toContain('"data":[48,49,50,51]');
  expect(records()[0].options.codec.keyring.current).toEqual({ id: 'k1', key: '[redacted]' });
});
