import { contextFromWorkflowId } from '../../../src/observability/logger';
import { driftScheduleId, workflowIds } from '../../../src/workflows/ids';

// Literal on purpose: people, scripts and runs in flight use these ids, so a change must fail here.
test('workflow and schedule ids keep the format people and running workflows know', () => {
  expect(workflowIds.provision('local')).toBe('provision/local');
  expect(workflowIds.component('local', 'secondary/database-replica')).toBe(
    'provision/local/secondary/database-replica',
  );
  expect(workflowIds.destroy('local')).toBe('destroy/local');
  expect(workflowIds.failover('local')).toBe('failover/local');
  expect(workflowIds.failback('local')).toBe('failback/local');
  expect(workflowIds.health('local')).toBe('health/local');
  expect(workflowIds.driftCheck('local', 1700000000000)).toBe('drift/local/now-1700000000000');
  expect(workflowIds.platformCheck('local')).toBe('check/local');
  expect(driftScheduleId('local')).toBe('drift/local');
});

test('logs and metrics read the environment (and a child run its component) back from each id', () => {
  expect(contextFromWorkflowId(workflowIds.component('staging', 'secondary/database-replica'))).toEqual({
    environment: 'staging',
    component: 'secondary/database-replica',
  });
  const perEnvironment = [
    workflowIds.provision('staging'),
    workflowIds.destroy('staging'),
    workflowIds.failover('staging'),
    workflowIds.failback('staging'),
    workflowIds.health('staging'),
    workflowIds.driftCheck('staging', 1),
    workflowIds.platformCheck('staging'),
  ];
  for (const id of perEnvironment) expect(contextFromWorkflowId(id)).toEqual({ environment: 'staging' });
});
