import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { startTimeSkipping } from '../helpers/servers';
import { sleepDays } from './fixtures/timers';

const DAY_MS = 24 * 60 * 60 * 1000;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startTimeSkipping();
});
afterAll(async () => {
  await env?.teardown();
});

test('a workflow that sleeps 30 days completes, its clock 30 days on', async () => {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'time-skipping',
    workflowsPath: require.resolve('./fixtures/timers'),
  });
  const serverTimeBefore = (await env.currentTimeMs()) as number;
  const result = await worker.runUntil(
    env.client.workflow.execute(sleepDays, {
      args: [30],
      workflowId: 'sleep-30-days',
      taskQueue: 'time-skipping',
    }),
  );
  expect(result.finishedAt - result.startedAt).toBeGreaterThanOrEqual(30 * DAY_MS);
  expect(result.finishedAt - result.startedAt).toBeLessThan(31 * DAY_MS);
  expect(Number(await env.currentTimeMs()) - serverTimeBefore).toBeGreaterThanOrEqual(30 * DAY_MS);
});
