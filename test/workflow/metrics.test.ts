/**
 * lp-infra's metrics on the worker's Prometheus endpoint, scraped as Prometheus does, from runs
 * on the time-skipping server with mocked cloud steps. The worker caches no workflow, so each
 * workflow task replays the history before it; the finished histories are then replayed once
 * more: the values must stay what the runs did (the SDK emits nothing while replaying).
 */
import path from 'node:path';
import { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { ComponentRequest } from '../../src/infra/components/contract';
import { timedApply } from '../../src/activities/metrics';
import { runningSince, workflowRunning } from '../../src/activities/runs';
import { validateEnvironment } from '../../src/activities/validate';
import { freePort } from '../../src/dev/processes';
import { projectRoot } from '../../src/infra/toolchain';
import { lpMetrics } from '../../src/observability/metrics';
import { runtimeOptions } from '../../src/observability/runtime';
import { componentGraph, loadSpecFile, type EnvironmentSpec } from '../../src/model';
import { decideApproval } from '../../src/workflows/approval';
import { progressQuery } from '../../src/workflows/progress';
import { destroyEnvironment, provisionEnvironment } from '../../src/workflows';
import { workflowIds } from '../../src/workflows/ids';
import { scrape, total, totalBy, type Sample } from '../helpers/metrics';
import { startTimeSkipping } from '../helpers/servers';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let endpoint: string;
let counter = 0;
const local = loadSpecFile(path.join(projectRoot, 'environments', 'local.yaml'));
const { runs, componentApplyDuration, componentReadyDuration, approvalsPending } = lpMetrics;

beforeAll(async () => {
  // The worker's own telemetry instead of the quiet one every test file starts with.
  await Runtime.instance().shutdown();
  const port = await freePort();
  Runtime.install(runtimeOptions({ metricsPort: port, metricsHost: '127.0.0.1', logLevel: 'ERROR' }));
  endpoint = `http://127.0.0.1:${port}/metrics`;
  [env, bundle] = await Promise.all([
    startTimeSkipping(),
    bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows') }),
  ]);
}, 180_000);
afterAll(() => env?.teardown());

/** A cloud that always works, except the apply of `failOn`; applies are timed as the real activity times them. */
function cloud(failOn?: string) {
  const apply = async (request: ComponentRequest) => {
    await new Promise((r) => setTimeout(r, 20));
    if (request.node.id === failOn)
      throw ApplicationFailure.nonRetryable(`${failOn} exploded`, 'TestFailure');
    return {
      outputs: { id: `${request.node.id}-1` },
      changes: { create: 1, update: 0, replace: 0, delete: 0, same: 0 },
    };
  };
  return {
    validateEnvironment,
    runningSince,
    workflowRunning,
    async planComponent() {
      return { existedBefore: false, notEmulated: [] };
    },
    applyComponent: (request: ComponentRequest) => timedApply(request, () => apply(request)),
    async componentReady() {
      return { ready: true, detail: 'ok' };
    },
    async destroyComponent() {},
  };
}

async function withWorker<T>(work: (client: Client, taskQueue: string) => Promise<T>, failOn?: string) {
  const taskQueue = `metrics-${++counter}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: cloud(failOn),
    maxCachedWorkflows: 0,
  });
  // A plain client: time passes as on any server while activities take real time.
  return worker.runUntil(work(new Client({ connection: env.connection }), taskQueue));
}

const named = (base: EnvironmentSpec): EnvironmentSpec => ({ ...base, name: `metrics-${++counter}` });

/** Scrapes until `ready` holds (the exporter may lag a moment behind the worker). */
async function scrapeUntil(ready: (samples: Sample[]) => boolean, timeoutMs = 10_000): Promise<Sample[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const samples = await scrape(endpoint);
    if (ready(samples) || Date.now() > deadline) return samples;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const lpSamples = (samples: Sample[]) =>
  samples.filter((s) => s.name.startsWith('lp_infra_')).sort((a, b) => a.name.localeCompare(b.name));
const count = (histogram: { name: string }) => `${histogram.name}_count`;
const finished: string[] = [];

test('runs by outcome, and an apply and a ready duration for each component, by kind', async () => {
  const ok = named(local);
  const failing = named(local);
  const nodes = componentGraph(ok);
  await withWorker(async (client, taskQueue) => {
    const args: [{ spec: EnvironmentSpec }] = [{ spec: ok }];
    await client.workflow.execute(provisionEnvironment, {
      taskQueue,
      workflowId: workflowIds.provision(ok.name),
      args,
    });
    await client.workflow.execute(destroyEnvironment, {
      taskQueue,
      workflowId: workflowIds.destroy(ok.name),
      args,
    });
  });
  await withWorker(async (client, taskQueue) => {
    const run = client.workflow.execute(provisionEnvironment, {
      taskQueue,
      workflowId: workflowIds.provision(failing.name),
      args: [{ spec: failing }],
    });
    await expect(run).rejects.toThrow();
  }, 'cache');
  finished.push(
    workflowIds.provision(ok.name),
    ...nodes.map((n) => workflowIds.component(ok.name, n.id)),
    workflowIds.destroy(ok.name),
    workflowIds.provision(failing.name),
  );

  const samples = await scrapeUntil((s) => total(s, runs.name, { environment: failing.name }) > 0);
  const byOutcome = (environment: string, action: string) =>
    totalBy(samples, runs.name, 'outcome', { environment, action });
  expect(byOutcome(ok.name, 'provision')).toEqual({ succeeded: 1 });
  expect(byOutcome(ok.name, 'destroy')).toEqual({ succeeded: 1 });
  expect(byOutcome(failing.name, 'provision')).toEqual({ failed: 1 });

  const kinds: Record<string, number> = {};
  for (const node of nodes) kinds[node.kind] = (kinds[node.kind] ?? 0) + 1;
  const environment = ok.name;
  expect(totalBy(samples, count(componentReadyDuration), 'kind', { environment })).toEqual(kinds);
  expect(
    totalBy(samples, count(componentApplyDuration), 'kind', { environment, outcome: 'succeeded' }),
  ).toEqual(kinds);
  expect(
    totalBy(samples, count(componentApplyDuration), 'outcome', { environment: failing.name, kind: 'cache' }),
  ).toMatchObject({ failed: 1 });
  expect(total(samples, `${componentApplyDuration.name}_sum`, { environment })).toBeGreaterThan(0);
});

test('an approval shows as pending while a run waits for it, and no longer once decided', async () => {
  const reference = loadSpecFile(path.join(projectRoot, 'environments', 'reference.yaml'));
  // Policy asks for approval of the production cluster's public API endpoint.
  const spec = named({ ...reference, cluster: { ...reference.cluster, kubernetesVersion: '1.33' } });
  const pending = (samples: Sample[], component: string) =>
    total(samples, approvalsPending.name, { environment: spec.name, action: 'provision', component });
  await withWorker(async (client, taskQueue) => {
    const handle = await client.workflow.start(provisionEnvironment, {
      taskQueue,
      workflowId: workflowIds.provision(spec.name),
      args: [{ spec }],
    });
    for (const component of ['cluster', 'secondary/cluster']) {
      for (;;) {
        const progress = await handle.query(progressQuery).catch(() => undefined);
        if (progress?.components.find((c) => c.id === component)?.phase === 'awaiting-approval') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(pending(await scrapeUntil((s) => pending(s, component) === 1), component)).toBe(1);
      await client.workflow
        .getHandle(workflowIds.component(spec.name, component))
        .executeUpdate(decideApproval, { args: [{ approved: true, by: 'alice' }] });
    }
    await handle.result();
  });
  const after = await scrapeUntil((s) => pending(s, 'secondary/cluster') === 0);
  expect([pending(after, 'cluster'), pending(after, 'secondary/cluster')]).toEqual([0, 0]);
});

test('replaying the finished runs emits nothing: the values stay what the runs did', async () => {
  expect(finished.length).toBeGreaterThan(3);
  const before = lpSamples(await scrape(endpoint));
  const client = new Client({ connection: env.connection });
  const histories = await Promise.all(
    finished.map(async (workflowId) => ({
      workflowId,
      history: await client.workflow.getHandle(workflowId).fetchHistory(),
    })),
  );
  const errors: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, histories))
    if (result.error) errors.push(`${result.workflowId}: ${result.error.message}`);
  expect(errors).toEqual([]);
  await new Promise((r) => setTimeout(r, 1000));
  expect(lpSamples(await scrape(endpoint))).toEqual(before);
});
