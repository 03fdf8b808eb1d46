/**
 * Determinism: recorded histories of every workflow family replay against today's workflow
 * code, so a deployed worker can resume the runs in flight. The fixtures in
 * test/fixtures/histories/ come from runs with mocked activities: the provisioning families
 * from this file's own dev-server runs, the others from the time-skipping workflow tests
 * (test/helpers/histories.ts). Rewrite them (only when a change is meant to be incompatible and
 * no run in flight depends on the old code) with
 *   LP_INFRA_RECORD_HISTORIES=1 npx jest test/reliability/replay.test.ts test/workflow/drift.test.ts test/workflow/disaster-recovery.test.ts
 * A deliberately non-deterministic copy of a workflow is shown to be caught.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { ComponentRequest } from '../../src/infra/components/contract';
import { runningSince, workflowRunning } from '../../src/activities/runs';
import { validateEnvironment } from '../../src/activities/validate';
import { projectRoot } from '../../src/infra/toolchain';
import { componentGraph, loadSpecFile, type EnvironmentSpec } from '../../src/model';
import { destroyEnvironment, platformCheck, provisionEnvironment } from '../../src/workflows';
import { workflowIds } from '../../src/workflows/ids';
import {
  decodeHistory,
  fetchHistories as histories,
  recordingHistories,
  saveHistoryFixture,
  storedHistoryFixtures,
  type HistoryFixture as Fixture,
} from '../helpers/histories';
import { connections, temporalServer, type TemporalServer } from './temporal-server';

const local = loadSpecFile(path.join(projectRoot, 'environments', 'local.yaml'));
/** Every family of workflows a worker runs; each must have recorded histories. */
const families = [
  'platformCheck',
  'provisionEnvironment',
  'provisionComponent',
  'destroyEnvironment',
  'driftCheck',
  'failover',
  'failback',
  'healthMonitor',
];

let server: TemporalServer;
let conn: Awaited<ReturnType<typeof connections>>;
let bundle: WorkflowBundleWithSourceMap;
const fresh: Fixture[] = [];
/** Mocked activities: a cloud that always works, except `failOn`. */
function activities(failOn?: string) {
  return {
    validateEnvironment,
    runningSince,
    workflowRunning,
    async describeCloud(region: string) {
      return { region, account: '123456789012', availabilityZones: [`${region}a`, `${region}b`] };
    },
    async planComponent() {
      return {
        changes: { create: 2, update: 0, replace: 0, delete: 0, same: 0 },
        existedBefore: false,
        notEmulated: [],
      };
    },
    async applyComponent(request: ComponentRequest) {
      if (request.node.id === failOn)
        throw ApplicationFailure.nonRetryable(`${failOn} failed`, 'TestFailure');
      return {
        outputs: { id: `${request.node.id}-1` },
        changes: { create: 2, update: 0, replace: 0, delete: 0, same: 0 },
        readiness: { ready: true, detail: 'ok' },
      };
    },
    async componentReady() {
      return { ready: true, detail: 'ok' };
    },
    async destroyComponent() {},
  };
}

let queue = 0;
async function run<T>(acts: object, work: (client: Client, taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `replay-${++queue}`;
  const worker = await Worker.create({
    connection: conn.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: acts,
  });
  return worker.runUntil(work(new Client({ connection: conn.connection }), taskQueue));
}

const named = (suffix: string): EnvironmentSpec => ({ ...local, name: `replay-${suffix}` });

beforeAll(async () => {
  // A dev server of our own: runs here wait on no long timer, so real time is fine.
  server = await temporalServer();
  conn = await connections(server.address);
  bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows') });

  await run(activities(), async (client, taskQueue) => {
    const h = await client.workflow.start(platformCheck, {
      taskQueue,
      workflowId: workflowIds.platformCheck('replay'),
      args: [{ environment: 'replay', regions: ['us-east-1', 'us-west-2'] }],
    });
    await h.result();
    fresh.push({
      family: 'platformCheck',
      scenario: 'two regions',
      workflows: await histories(client, [h.workflowId]),
    });
  });

  const spec = named('ok');
  const children = componentGraph(spec).map((n) => workflowIds.component(spec.name, n.id));
  await run(activities(), async (client, taskQueue) => {
    const h = await client.workflow.start(provisionEnvironment, {
      taskQueue,
      workflowId: workflowIds.provision(spec.name),
      args: [{ spec }],
    });
    await h.result();
    const recorded = await histories(client, [h.workflowId, ...children]);
    fresh.push({
      family: 'provisionEnvironment',
      scenario: 'every component created',
      workflows: recorded.slice(0, 1),
    });
    // Every component runs the same child workflow: a few kinds (cloud, data, Kubernetes) suffice.
    const sample = recorded
      .slice(1)
      .filter((r) => /\/(network|database|cluster|app|dns)$/.test(r.workflowId));
    fresh.push({ family: 'provisionComponent', scenario: 'created and ready', workflows: sample });

    const d = await client.workflow.start(destroyEnvironment, {
      taskQueue,
      workflowId: workflowIds.destroy(spec.name),
      args: [{ spec }],
    });
    await d.result();
    fresh.push({
      family: 'destroyEnvironment',
      scenario: 'everything removed',
      workflows: await histories(client, [d.workflowId]),
    });
  });

  const failing = named('fail');
  await run(activities('cache'), async (client, taskQueue) => {
    const h: WorkflowHandle = await client.workflow.start(provisionEnvironment, {
      taskQueue,
      workflowId: workflowIds.provision(failing.name),
      args: [{ spec: failing }],
    });
    await h.result().catch(() => undefined);
    const [parent, child] = await histories(client, [
      h.workflowId,
      workflowIds.component(failing.name, 'cache'),
    ]);
    fresh.push({
      family: 'provisionEnvironment',
      scenario: 'cache fails, compensation removes the rest',
      workflows: [parent],
    });
    fresh.push({ family: 'provisionComponent', scenario: 'apply fails for good', workflows: [child] });
  });

  if (recordingHistories) fresh.forEach(saveHistoryFixture);
}, 300_000);

afterAll(async () => {
  await conn?.close();
  await server?.stop();
});

const stored = storedHistoryFixtures;

async function replay(workflowBundle: WorkflowBundleWithSourceMap, list: Fixture[]) {
  const results: { workflowId: string; error?: Error }[] = [];
  const all = list.flatMap((f) => f.workflows).map(decodeHistory);
  for await (const result of Worker.runReplayHistories({ workflowBundle }, all)) results.push(result);
  return results;
}

test('the recorded histories of every workflow family replay against the current workflow code', async () => {
  const list = stored();
  expect(new Set(list.map((f) => f.family))).toEqual(new Set(families));
  const results = await replay(bundle, list);
  expect(results.length).toBeGreaterThan(families.length);
  expect(results.filter((r) => r.error).map((r) => `${r.workflowId}: ${r.error?.message}`)).toEqual([]);
});

test('histories recorded just now replay too', async () => {
  const results = await replay(bundle, fresh);
  expect(results.filter((r) => r.error).map((r) => `${r.workflowId}: ${r.error?.message}`)).toEqual([]);
});

test('a non-deterministic change (a timer added before validation) is caught by replay', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lp-infra-nondeterministic-'));
  try {
    cpSync(path.join(projectRoot, 'src'), path.join(dir, 'src'), { recursive: true });
    symlinkSync(path.join(projectRoot, 'node_modules'), path.join(dir, 'node_modules'));
    const file = path.join(dir, 'src', 'workflows', 'provision.ts');
    const source = readFileSync(file, 'utf8');
    const anchor = 'validateEnvironment(spec).catch(';
    expect(source).toContain(anchor);
    writeFileSync(
      file,
      `import { sleep as pauseForReplayTest } from '@temporalio/workflow';\n${source.replace(
        anchor,
        `pauseForReplayTest(4321).then(() => validateEnvironment(spec)).catch(`,
      )}`,
    );
    const changed = await bundleWorkflowCode({
      workflowsPath: path.join(dir, 'src', 'workflows', 'index.ts'),
    });
    const results = await replay(
      changed,
      stored().filter((f) => f.family === 'provisionEnvironment'),
    );
    expect(changed.code).toContain('(4321)');
    expect(results.length).toBeGreaterThan(0);
    for (const r of results)
      expect(r.error?.name ?? r.error?.constructor.name).toMatch(/DeterminismViolation/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 180_000);
