/**
 * Failover, failback and the health monitor on the time-skipping server, with activities that
 * keep a model of the two regions in memory: which region DNS answers, which database writes,
 * each region's role and node group size. A step failing in turn must leave the model as it
 * was (the primary serves again); the monitor must start exactly one failover after N failures.
 */
import path from 'node:path';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { MoveRequest, RegionRequest } from '../../src/activities/disaster-recovery';
import type { MonitorState, ProbeResult } from '../../src/disaster-recovery/health';
import type { SagaResult } from '../../src/disaster-recovery/saga';
import { projectRoot } from '../../src/infra/toolchain';
import { loadSpecFile, type EnvironmentSpec, type RegionRole } from '../../src/model';
import { failback, failover, healthMonitor } from '../../src/workflows';
import { decideApproval } from '../../src/workflows/approval';
import { disasterRecoveryQuery } from '../../src/workflows/failover';
import { healthStateQuery, pauseMonitor, resumeMonitor } from '../../src/workflows/health-monitor';
import { progressQuery } from '../../src/workflows/progress';
import { workflowIds } from '../../src/workflows/ids';
import { recordHistories } from '../helpers/histories';
import { startTimeSkipping } from '../helpers/servers';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let taskQueue = 'dr-test';
let counter = 0;
const local = loadSpecFile(path.join(projectRoot, 'environments', 'local.yaml'));

beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows') });
  env = await startTimeSkipping();
}, 180_000);
afterAll(() => env?.teardown());

type State = 'active' | 'standby' | 'fenced';
interface Model {
  dns: RegionRole;
  writer: RegionRole;
  role: Record<RegionRole, State>;
  nodes: Record<RegionRole, 'active' | 'standby'>;
}

const normal = (): Model => ({
  dns: 'primary',
  writer: 'primary',
  role: { primary: 'active', secondary: 'standby' },
  nodes: { primary: 'active', secondary: 'standby' },
});
const failedOver = (): Model => ({
  dns: 'secondary',
  writer: 'secondary',
  role: { primary: 'fenced', secondary: 'active' },
  nodes: { primary: 'active', secondary: 'active' },
});

/** Fake regions; `failOn` names the one call that fails for good, e.g. `switchDns:secondary`. */
function regions(
  options: {
    model?: Model;
    failOn?: string;
    lagSeconds?: number;
    hold?: Promise<void>;
    probes?: boolean[];
  } = {},
) {
  const model = options.model ?? normal();
  const calls: string[] = [];
  const probes = [...(options.probes ?? [])];
  const act = (key: string) => {
    calls.push(key);
    if (key === options.failOn) throw ApplicationFailure.nonRetryable(`${key} exploded`, 'TestFailure');
  };
  const activities = {
    async checkPreconditions(move: MoveRequest) {
      await options.hold;
      act(`checkPreconditions:${move.to}`);
      const lag = options.lagSeconds ?? 1;
      if (lag > move.spec.disasterRecovery.rpoSeconds)
        throw ApplicationFailure.nonRetryable(
          `replication lag ${lag} s exceeds the RPO`,
          'PreconditionFailed',
        );
      return { detail: 'ok', lagSeconds: move.planned ? 0 : lag };
    },
    async setRegionState(r: RegionRequest & { state: State }) {
      act(`setRegionState:${r.region}:${r.state}`);
      model.role[r.region] = r.state;
      return { detail: `${r.region} ${r.state}` };
    },
    async moveDatabaseWriter(move: MoveRequest) {
      act(`moveDatabaseWriter:${move.to}`);
      model.writer = move.to;
      return { detail: `writer ${move.to}` };
    },
    async databaseWriterIs(r: RegionRequest) {
      return { ready: model.writer === r.region, detail: `writer ${model.writer}` };
    },
    async scaleRegionNodeGroups(r: RegionRequest & { state: 'active' | 'standby' }) {
      act(`scaleRegionNodeGroups:${r.region}:${r.state}`);
      model.nodes[r.region] = r.state;
      return { detail: `${r.region} ${r.state}` };
    },
    async regionNodeGroupsAt(r: RegionRequest & { state: 'active' | 'standby' }) {
      return { ready: model.nodes[r.region] === r.state, detail: model.nodes[r.region] };
    },
    async switchDns(r: { active: RegionRole }) {
      act(`switchDns:${r.active}`);
      model.dns = r.active;
      return { detail: `dns ${r.active}` };
    },
    async verifyRegion(r: RegionRequest) {
      calls.push(`verifyRegion:${r.region}`);
      const ok = model.dns === r.region && model.writer === r.region && model.role[r.region] === 'active';
      const broken = options.failOn === `verifyRegion:${r.region}`;
      return { ready: ok && !broken, detail: broken ? 'health endpoint fails' : 'serving' };
    },
    async replicationTowards(r: RegionRequest) {
      act(`replicationTowards:${r.region}`);
      return { ready: true, detail: 'replicating' };
    },
    async probePrimary(): Promise<ProbeResult> {
      const healthy = probes.length ? probes.shift()! : true;
      calls.push(`probe:${healthy ? 'ok' : 'down'}`);
      return {
        at: Date.now(),
        healthy,
        checks: [{ name: 'database', ok: healthy, detail: healthy ? 'available' : 'stopped' }],
      };
    },
  };
  return { model, calls, activities };
}

async function withWorker<T>(activities: object, run: () => Promise<T>): Promise<T> {
  taskQueue = `dr-test-${++counter}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities,
  });
  return worker.runUntil(run());
}

const specNamed = (overrides: Partial<EnvironmentSpec> = {}): EnvironmentSpec => ({
  ...local,
  ...overrides,
  name: `${local.name}-${++counter}`,
});

const startFailover = (spec: EnvironmentSpec, planned = false) =>
  env.client.workflow.start(failover, {
    taskQueue,
    workflowId: workflowIds.failover(spec.name),
    args: [{ spec, planned }],
  });

/** Queries until the state matches (a signal is handled in the run's next task). */
async function until(
  handle: WorkflowHandle,
  predicate: (state: MonitorState) => boolean,
): Promise<MonitorState> {
  for (let i = 0; ; i++) {
    const state = await handle.query(healthStateQuery);
    if (predicate(state) || i > 50) return state;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const failureOf = async (promise: Promise<unknown>) => {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  return (err as WorkflowFailedError).cause as ApplicationFailure;
};

describe('failover', () => {
  test('moves DNS, the writer, capacity and the application roles to the secondary; reports RTO and RPO', async () => {
    const spec = specNamed();
    const fake = regions({ lagSeconds: 2 });
    const { result, progress } = await withWorker(fake.activities, async () => {
      const handle = await startFailover(spec);
      const done = { result: await handle.result(), progress: await handle.query(progressQuery) };
      await recordHistories(env.client, 'failover', 'every step done', [handle.workflowId]);
      return done;
    });
    expect(fake.model).toEqual(failedOver());
    expect(result.status).toBe('succeeded');
    expect(result.steps.map((s) => [s.id, s.status])).toEqual([
      ['preconditions', 'done'],
      ['fence', 'done'],
      ['promote-database', 'done'],
      ['scale', 'done'],
      ['repoint', 'done'],
      ['switch-dns', 'done'],
      ['verify', 'done'],
    ]);
    expect(result.steps.every((s) => typeof s.seconds === 'number')).toBe(true);
    expect(result.rtoSeconds).toBeGreaterThanOrEqual(0);
    expect(result.rpoSeconds).toBe(2);
    expect(progress.action).toBe('failover');
    expect(progress.components.every((c) => c.phase === 'succeeded')).toBe(true);
  });

  const steps: [string, string][] = [
    ['fence', 'setRegionState:primary:fenced'],
    ['promote-database', 'moveDatabaseWriter:secondary'],
    ['scale', 'scaleRegionNodeGroups:secondary:active'],
    ['repoint', 'setRegionState:secondary:active'],
    ['switch-dns', 'switchDns:secondary'],
    ['verify', 'verifyRegion:secondary'],
  ];
  test.each(steps)(
    'a failure at %s undoes the finished steps in reverse; the primary serves again',
    async (step, failOn) => {
      const spec = specNamed();
      const fake = regions({ failOn });
      const { cause, result } = await withWorker(fake.activities, async () => {
        const handle = await startFailover(spec);
        const cause = await failureOf(handle.result());
        if (step === 'switch-dns')
          await recordHistories(env.client, 'failover', `${step} fails, the rest undone`, [
            handle.workflowId,
          ]);
        return { cause, result: await handle.query(disasterRecoveryQuery) };
      });
      expect(cause.type).toBe('FailoverFailed');
      expect(fake.model).toEqual(normal());
      const failedAt = result.steps.findIndex((s) => s.id === step);
      expect(result.steps[failedAt].status).toBe('failed');
      const undone = result.steps.slice(0, failedAt).filter((s) => s.id !== 'preconditions');
      expect(undone.every((s) => s.status === 'compensated')).toBe(true);
      expect(result.steps.slice(failedAt + 1).every((s) => s.status === 'skipped')).toBe(true);
      // compensations ran in reverse order of the steps
      const undo: Record<string, string> = {
        fence: 'setRegionState:primary:active',
        'promote-database': 'moveDatabaseWriter:primary',
        scale: 'scaleRegionNodeGroups:secondary:standby',
        repoint: 'setRegionState:secondary:standby',
        'switch-dns': 'switchDns:primary',
      };
      const expected = undone.map((s) => undo[s.id]).reverse();
      const afterFailure = fake.calls
        .slice(fake.calls.lastIndexOf(failOn) + 1)
        .filter((c) => !c.startsWith('verify'));
      expect(afterFailure).toEqual(expected);
      expect(result.rtoSeconds).toBeUndefined();
    },
  );

  test('replication lag above the RPO refuses to start and changes nothing', async () => {
    const spec = specNamed();
    const fake = regions({ lagSeconds: spec.disasterRecovery.rpoSeconds + 30 });
    const cause = await withWorker(fake.activities, async () =>
      failureOf((await startFailover(spec)).result()),
    );
    expect(cause.type).toBe('PreconditionFailed');
    expect(cause.message).toContain('exceeds the RPO');
    expect(fake.model).toEqual(normal());
    expect(fake.calls).toEqual(['checkPreconditions:secondary']);
  });

  test('a second failover while one runs is refused', async () => {
    const spec = specNamed();
    let release!: () => void;
    const fake = regions({ hold: new Promise<void>((r) => (release = r)) });
    await withWorker(fake.activities, async () => {
      const first = await startFailover(spec);
      await expect(startFailover(spec)).rejects.toThrow(WorkflowExecutionAlreadyStartedError);
      release();
      expect((await first.result()).status).toBe('succeeded');
    });
    expect(fake.calls.filter((c) => c.startsWith('switchDns'))).toEqual(['switchDns:secondary']);
  });
});

describe('failback', () => {
  test('waits for replication towards the primary, switches back and returns the secondary to standby', async () => {
    const spec = specNamed();
    const fake = regions({ model: failedOver() });
    const result: SagaResult = await withWorker(fake.activities, async () => {
      const handle = await env.client.workflow.start(failback, {
        taskQueue,
        workflowId: workflowIds.failback(spec.name),
        args: [{ spec }],
      });
      const done = await handle.result();
      await recordHistories(env.client, 'failback', 'replication back, switched, standby', [
        handle.workflowId,
      ]);
      return done;
    });
    expect(fake.model).toEqual(normal());
    expect(result.steps[0].id).toBe('replication');
    expect(result.steps.at(-1)!.id).toBe('standby');
    expect(result.rpoSeconds).toBe(0);
    expect(fake.calls[0]).toBe('replicationTowards:primary');
  });
});

describe('health monitor', () => {
  const interval = local.disasterRecovery.healthCheck.intervalSeconds * 1000;
  const threshold = local.disasterRecovery.healthCheck.failureThreshold;
  const startMonitor = (spec: EnvironmentSpec, probesPerRun?: number) =>
    env.client.workflow.start(healthMonitor, {
      taskQueue,
      workflowId: workflowIds.health(spec.name),
      args: [{ spec, probesPerRun }],
    });

  test('failures below the threshold, broken by a healthy probe, start nothing', async () => {
    const spec = specNamed();
    const flapping = Array.from({ length: 4 }, () => [
      ...Array<boolean>(threshold - 1).fill(false),
      true,
    ]).flat();
    const fake = regions({ probes: flapping });
    const state = await withWorker(fake.activities, async () => {
      const monitor = await startMonitor(spec);
      await env.sleep(interval * (flapping.length + 1));
      const seen = await monitor.query(healthStateQuery);
      await monitor.terminate();
      return seen;
    });
    expect(state.probes).toBeGreaterThanOrEqual(flapping.length);
    expect(state.status).toBe('watching');
    expect(fake.calls.filter((c) => c.startsWith('checkPreconditions'))).toEqual([]);
  });

  test('N consecutive failures start exactly one failover', async () => {
    const spec = specNamed();
    const fake = regions({ probes: Array<boolean>(threshold + 3).fill(false) });
    const state = await withWorker(fake.activities, async () => {
      const monitor = await startMonitor(spec);
      await env.sleep(interval * (threshold + 4));
      const result = await env.client.workflow.getHandle(workflowIds.failover(spec.name)).result();
      expect(result.status).toBe('succeeded');
      const seen = await monitor.query(healthStateQuery);
      await monitor.terminate();
      await recordHistories(env.client, 'healthMonitor', 'N failures start a failover', [monitor.workflowId]);
      return seen;
    });
    expect(state.status).toBe('failover-started');
    expect(state.failover?.workflowId).toBe(workflowIds.failover(spec.name));
    expect(fake.calls.filter((c) => c.startsWith('checkPreconditions'))).toHaveLength(1);
    expect(fake.model).toEqual(failedOver());
    // probing stops once failover started
    expect(fake.calls.filter((c) => c.startsWith('probe'))).toHaveLength(threshold);
  });

  test.each([
    [true, 'failover-started'],
    [false, 'watching'],
  ])('with approval required, approved=%s leaves the monitor %s', async (approved, status) => {
    const spec = specNamed({ disasterRecovery: { ...local.disasterRecovery, failoverApproval: 'required' } });
    const fake = regions({ probes: Array<boolean>(threshold).fill(false) });
    const state = await withWorker(fake.activities, async () => {
      const monitor = await startMonitor(spec);
      await env.sleep(interval * (threshold + 1));
      expect(fake.calls.filter((c) => c.startsWith('checkPreconditions'))).toEqual([]);
      expect((await monitor.query(healthStateQuery)).status).toBe('awaiting-approval');
      await monitor.executeUpdate(decideApproval, { args: [{ approved, by: 'oncall' }] });
      if (approved) await env.client.workflow.getHandle(workflowIds.failover(spec.name)).result();
      await env.sleep(interval);
      const seen = await monitor.query(healthStateQuery);
      await monitor.terminate();
      return seen;
    });
    expect(state.status).toBe(status);
    expect(fake.model).toEqual(approved ? failedOver() : normal());
    if (!approved) expect(state.note).toContain('not approved (oncall)');
  });

  test('continue-as-new carries the state over; pause and resume are signals', async () => {
    // The shortest interval: the test server skips time less readily across continue-as-new.
    const healthCheck = { ...local.disasterRecovery.healthCheck, intervalSeconds: 10 };
    const spec = specNamed({ disasterRecovery: { ...local.disasterRecovery, healthCheck } });
    const fake = regions({ probes: [true, false, true, false] });
    const { carried, firstRun, lastRun, paused, resumed } = await withWorker(fake.activities, async () => {
      const monitor = await startMonitor(spec, 2);
      const firstRun = (await monitor.describe()).runId;
      await env.sleep(10_000 * 6);
      const latest = env.client.workflow.getHandle(workflowIds.health(spec.name));
      const carried = await latest.query(healthStateQuery);
      await latest.signal(pauseMonitor);
      const paused = await until(latest, (s) => s.status === 'paused');
      await latest.signal(resumeMonitor);
      const resumed = await until(latest, (s) => s.status === 'watching');
      const lastRun = (await latest.describe()).runId;
      await latest.terminate();
      return { carried, firstRun, lastRun, paused, resumed };
    });
    expect(lastRun).not.toBe(firstRun);
    expect(carried.probes).toBeGreaterThanOrEqual(5);
    expect(carried.recent.slice(0, 4)).toEqual([true, false, true, false]);
    expect(paused.status).toBe('paused');
    expect(resumed.status).toBe('watching');
  });
});
