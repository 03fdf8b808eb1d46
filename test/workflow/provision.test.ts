/**
 * Provisioning orchestration on the time-skipping server, with mocked activities
 * (the SDK's way to test workflow logic): order, parallelism, compensation,
 * approvals, cancellation and refusal of a second run.
 */
import path from 'node:path';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { ComponentRequest } from '../../src/infra/components/contract';
import { validateEnvironment } from '../../src/activities/validate';
import { runningSince, workflowRunning } from '../../src/activities/runs';
import { projectRoot } from '../../src/infra/toolchain';
import {
  componentGraph,
  loadSpecFile,
  specSectionsByKind,
  type ComponentKind,
  type ComponentNode,
  type EnvironmentSpec,
} from '../../src/model';
import { commonSpecFields } from '../../src/model/components';
import { decideApproval } from '../../src/workflows/approval';
import { runProgress } from '../../src/cli/follow';
import { progressQuery } from '../../src/workflows/progress';
import { destroyEnvironment, driftCheck, failover, provisionEnvironment } from '../../src/workflows';
import { workflowIds } from '../../src/workflows/ids';
import { startTimeSkipping } from '../helpers/servers';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let taskQueue = 'provision-test';
let counter = 0;
const local = loadSpecFile(path.join(projectRoot, 'environments', 'local.yaml'));

beforeAll(async () => {
  [env, bundle] = await Promise.all([
    startTimeSkipping(),
    bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows') }),
  ]);
}, 120_000);
afterAll(() => env?.teardown());

interface Call {
  activity: string;
  id: string;
  at: number;
}

/** Activities that record what they were asked to do; `failOn` makes one component's apply fail for good. */
function cloud(
  options: {
    failOn?: string;
    existing?: string[];
    applyMs?: number;
    /** The apply's look at readiness, by component (true when not named); none when absent. */
    readyAtApply?: Record<string, boolean>;
  } = {},
) {
  const calls: Call[] = [];
  const specs: { kind: ComponentKind; spec: ComponentRequest['spec'] }[] = [];
  const record = (activity: string, request: ComponentRequest) => {
    calls.push({ activity, id: request.node.id, at: Date.now() });
    specs.push({ kind: request.node.kind, spec: request.spec });
  };
  const activities = {
    validateEnvironment,
    runningSince, // the real ones: they ask the test server through the worker's client
    workflowRunning,
    async planComponent(request: ComponentRequest) {
      record('plan', request);
      const existed = options.existing?.includes(request.node.id) ?? false;
      return {
        changes: { create: existed ? 0 : 3, update: 0, replace: 0, delete: 0, same: existed ? 3 : 0 },
        existedBefore: existed,
        notEmulated: [],
      };
    },
    async applyComponent(request: ComponentRequest) {
      record('apply', request);
      await new Promise((r) => setTimeout(r, options.applyMs ?? 20));
      if (request.node.id === options.failOn) {
        throw ApplicationFailure.nonRetryable(`${request.node.id} exploded`, 'TestFailure');
      }
      record('applied', request);
      const ready = options.readyAtApply && (options.readyAtApply[request.node.id] ?? true);
      return {
        outputs: { id: `${request.node.id}-1` },
        changes: { create: 3, update: 0, replace: 0, delete: 0, same: 0 },
        readiness: ready === undefined ? undefined : { ready, detail: ready ? 'ok' : 'starting' },
      };
    },
    async componentReady(request: ComponentRequest) {
      record('ready', request);
      return { ready: true, detail: 'ok' };
    },
    async destroyComponent(request: ComponentRequest) {
      record('destroy', request);
    },
  };
  const ids = (activity: string) => calls.filter((c) => c.activity === activity).map((c) => c.id);
  const time = (activity: string, id: string) =>
    calls.find((c) => c.activity === activity && c.id === id)?.at;
  return { activities, calls, ids, time, specs };
}

async function withWorker<T>(activities: object, run: () => Promise<T>): Promise<T> {
  taskQueue = `provision-test-${++counter}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities,
  });
  return worker.runUntil(run());
}

function specNamed(base: EnvironmentSpec, overrides: Partial<EnvironmentSpec> = {}): EnvironmentSpec {
  return { ...base, ...overrides, name: `${base.name}-${++counter}` };
}

/**
 * Runs start on a plain client: time passes as on any server, so activities that take
 * real time are not overtaken by skipped time. Tests of long waits skip time with env.sleep.
 */
const start = (spec: EnvironmentSpec, keepOnFailure?: boolean) =>
  new Client({ connection: env.connection }).workflow.start(provisionEnvironment, {
    taskQueue,
    workflowId: workflowIds.provision(spec.name),
    args: [{ spec, keepOnFailure }],
  });

/** Each removed component was removed before everything it depends on. */
function expectDependentsFirst(nodes: ComponentNode[], removed: string[]) {
  for (const node of nodes.filter((n) => removed.includes(n.id))) {
    for (const dep of node.dependsOn.filter((d) => removed.includes(d))) {
      expect(removed.indexOf(node.id)).toBeLessThan(removed.indexOf(dep));
    }
  }
}

test('every component starts once its dependencies are ready, and independent ones overlap', async () => {
  const spec = specNamed(local);
  const nodes = componentGraph(spec);
  const fake = cloud({ applyMs: 200 });
  const result = await withWorker(fake.activities, async () => (await start(spec)).result());

  expect(new Set(result.created)).toEqual(new Set(nodes.map((n) => n.id)));
  for (const node of nodes) {
    for (const dep of node.dependsOn) {
      expect(fake.time('plan', node.id)!).toBeGreaterThanOrEqual(fake.time('ready', dep)!);
    }
  }
  const roots = nodes.filter((n) => n.dependsOn.length === 0).map((n) => n.id);
  expect(roots.length).toBeGreaterThan(1);
  const firstRootDone = Math.min(...roots.map((id) => fake.time('applied', id)!));
  for (const id of roots) expect(fake.time('apply', id)!).toBeLessThan(firstRootDone);
  expect(fake.ids('destroy')).toEqual([]);
});

test('a component ready when applied is not checked again; one that is not waits before it looks', async () => {
  const spec = specNamed(local);
  const fake = cloud({ readyAtApply: { network: false } });
  const networkHistory = await withWorker(fake.activities, async () => {
    await (await start(spec)).result();
    const client = new Client({ connection: env.connection });
    return client.workflow.getHandle(workflowIds.component(spec.name, 'network')).fetchHistory();
  });

  expect(fake.ids('ready')).toEqual(['network']);
  const events = networkHistory.events ?? [];
  const timer = events.findIndex((e) => e.timerStartedEventAttributes);
  const check = events.findIndex(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'componentReady',
  );
  expect(timer).toBeGreaterThan(-1);
  expect(check).toBeGreaterThan(timer);
});

test("a running component's phase is read from its own run; no report of it enters the parent's history", async () => {
  const spec = specNamed(local);
  const fake = cloud({ applyMs: 1500 });
  const { seen, progress, parent, child } = await withWorker(fake.activities, async () => {
    const handle = await start(spec);
    // What `lp-infra status` shows while network applies: the run's progress, the running components asked.
    let seen: string | undefined;
    for (let i = 0; i < 200 && seen !== 'applying'; i++) {
      seen = (await runProgress(handle))?.components.find((c) => c.id === 'network')?.phase;
      await new Promise((r) => setTimeout(r, 25));
    }
    await handle.result();
    const client = new Client({ connection: env.connection });
    return {
      seen,
      progress: await handle.query(progressQuery),
      parent: await handle.fetchHistory(),
      child: await client.workflow.getHandle(workflowIds.component(spec.name, 'network')).fetchHistory(),
    };
  });
  expect(seen).toBe('applying');
  expect(progress.components.every((c) => c.phase === 'succeeded' && c.finishedAt! >= c.startedAt!)).toBe(
    true,
  );
  const EventType = temporal.api.enums.v1.EventType;
  const count = (events: typeof parent.events, type: number) =>
    (events ?? []).filter((e) => e.eventType === type).length;
  // No approval, no removal: the parent heard nothing but each component's start and end.
  expect(count(parent.events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)).toBe(0);
  expect(count(child.events, EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED)).toBe(0);
});

test.each(componentGraph(local).map((n) => n.id))(
  'a failure at %s removes what the run created, dependents first, and starts nothing new',
  async (failing) => {
    const spec = specNamed(local);
    const nodes = componentGraph(spec);
    const fake = cloud({ failOn: failing });
    const progress = await withWorker(fake.activities, async () => {
      const h = await start(spec);
      await expect(h.result()).rejects.toThrow(WorkflowFailedError);
      return h.query(progressQuery);
    });
    const created = [...fake.ids('applied'), failing];
    const removed = fake.ids('destroy');
    expect(new Set(removed)).toEqual(new Set(created));
    expectDependentsFirst(nodes, removed);
    // The run knows of the failure once the failed component has removed itself (a few
    // workflow tasks later on a loaded machine), and compensation begins after it stopped
    // starting components: no plan comes after either.
    const compensation = fake.calls.filter((c) => c.activity === 'destroy' && c.id !== failing);
    const known = fake.time('destroy', failing)! + 5000;
    const stoppedBy = Math.min(known, ...compensation.map((c) => c.at));
    const startedLater = fake.calls.filter((c) => c.activity === 'plan' && c.at > stoppedBy);
    expect(startedLater).toEqual([]);
    expect(progress.status).toBe('failed');
    expect(progress.components.find((c) => c.id === failing)?.phase).toBe('removed');
  },
);

test('components that existed before the run are never removed by its compensation', async () => {
  const spec = specNamed(local);
  const fake = cloud({ failOn: 'app', existing: ['network', 'database'] });
  await withWorker(fake.activities, async () => {
    const h = await start(spec);
    const failure = await h.result().catch((e) => e);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(failure.cause.message).toMatch(/app: .*app exploded/);
  });
  expect(fake.ids('destroy')).not.toContain('network');
  expect(fake.ids('destroy')).not.toContain('database');
  expect(fake.ids('destroy')).toContain('cache');
});

test('keepOnFailure keeps what the run made, and the failure says so', async () => {
  const spec = specNamed(local);
  const fake = cloud({ failOn: 'cdn' });
  const failure = await withWorker(fake.activities, async () =>
    (await start(spec, true)).result().catch((e) => e),
  );
  expect(fake.ids('destroy')).toEqual([]);
  expect(failure.cause.message).toMatch(/kept \d+ component/);
  expect(failure.cause.details[0].kept).toEqual(expect.arrayContaining(['storage', 'waf']));
});

describe('approval gate (policy asks for approval of an EKS API open to 0.0.0.0/0 in production)', () => {
  const production = () => {
    const spec = loadSpecFile(path.join(projectRoot, 'environments', 'reference.yaml'));
    return specNamed({ ...spec, cluster: { ...spec.cluster, kubernetesVersion: '1.33' } });
  };

  async function awaitingApproval(handle: Awaited<ReturnType<typeof start>>, component: string) {
    for (;;) {
      const progress = await handle.query(progressQuery).catch(() => undefined);
      if (progress?.components.find((c) => c.id === component)?.phase === 'awaiting-approval') return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  test('approved: the cluster is applied after the decision', async () => {
    const spec = production();
    const fake = cloud();
    const result = await withWorker(fake.activities, async () => {
      const handle = await start(spec);
      for (const component of ['cluster', 'secondary/cluster']) {
        await awaitingApproval(handle, component);
        const child = env.client.workflow.getHandle(workflowIds.component(spec.name, component));
        await child.executeUpdate(decideApproval, { args: [{ approved: true, by: 'alice' }] });
        const second = await child
          .executeUpdate(decideApproval, { args: [{ approved: true, by: 'bob' }] })
          .catch((e) => e);
        expect(second.cause.message).toMatch(/already approved by alice/);
      }
      return handle.result();
    });
    expect(result.created).toContain('cluster');
  });

  test('rejected: the run fails, nothing of the cluster is applied, the rest is removed', async () => {
    const spec = production();
    const fake = cloud();
    const failure = await withWorker(fake.activities, async () => {
      const handle = await start(spec);
      await awaitingApproval(handle, 'cluster');
      await env.client.workflow
        .getHandle(workflowIds.component(spec.name, 'cluster'))
        .executeUpdate(decideApproval, { args: [{ approved: false, by: 'alice', reason: 'open API' }] });
      return handle.result().catch((e) => e);
    });
    expect(failure.cause.message).toMatch(/cluster: .*rejected by alice: open API/);
    expect(fake.ids('apply')).not.toContain('cluster');
    expect(new Set(fake.ids('destroy'))).toEqual(new Set(fake.ids('applied')));
  });

  test('timed out: nobody decides within the spec’s approval timeout, and the run fails', async () => {
    const spec = production();
    const fake = cloud({ applyMs: 0 });
    const failure = await withWorker(fake.activities, async () => {
      const handle = await start(spec);
      await awaitingApproval(handle, 'cluster');
      await env.sleep('25 hours');
      return handle.result().catch((e) => e);
    });
    expect(failure.cause.message).toMatch(/approval timed out/);
    expect(fake.ids('apply')).not.toContain('cluster');
  });
});

test('a second run for the same environment is refused while one runs', async () => {
  const spec = specNamed(local);
  const fake = cloud({ applyMs: 200 });
  await withWorker(fake.activities, async () => {
    const first = await start(spec);
    await expect(start(spec)).rejects.toThrow(WorkflowExecutionAlreadyStartedError);
    await first.result();
  });
});

test('destroy while the environment is being provisioned is refused and touches nothing', async () => {
  const spec = specNamed(local);
  const fake = cloud({ applyMs: 300 });
  const cause = await withWorker(fake.activities, async () => {
    const provisioning = await start(spec);
    const failure = await new Client({ connection: env.connection }).workflow
      .execute(destroyEnvironment, {
        taskQueue,
        workflowId: workflowIds.destroy(spec.name),
        args: [{ spec }],
      })
      .then(() => undefined)
      .catch((err: unknown) => (err as WorkflowFailedError).cause as ApplicationFailure);
    await provisioning.result();
    return failure;
  });
  expect(cause?.type).toBe('ProvisionRunning');
  expect(cause?.message).toContain(`provision/${spec.name} is running`);
  expect(fake.ids('destroy')).toEqual([]);
});

test('provisioning while a destroy of the environment runs is refused and touches nothing', async () => {
  const spec = specNamed(loadSpecFile(path.join(projectRoot, 'environments', 'reference.yaml')));
  const fake = cloud();
  const cause = await withWorker(fake.activities, async () => {
    // Deletion protection holds the destroy at its approval: it runs, and has removed nothing yet.
    const destroying = await new Client({ connection: env.connection }).workflow.start(destroyEnvironment, {
      taskQueue,
      workflowId: workflowIds.destroy(spec.name),
      args: [{ spec }],
    });
    const failure = await (
      await start(spec)
    )
      .result()
      .then(() => undefined)
      .catch((err: unknown) => (err as WorkflowFailedError).cause as ApplicationFailure);
    await destroying.terminate('the test is done with it');
    return failure;
  });
  expect(cause?.type).toBe('DestroyRunning');
  expect(cause?.message).toContain(`destroy/${spec.name} is running`);
  expect(fake.calls).toEqual([]);
});

test('an invalid spec given as workflow input fails at once and touches nothing', async () => {
  const fake = cloud();
  const bad = { ...specNamed(local), network: { ...local.network, vpcCidr: '10.0.0.0/33' } };
  const { failure, progress } = await withWorker(fake.activities, async () => {
    const handle = await start(bad);
    const failure = await handle.result().catch((e) => e);
    return { failure, progress: await handle.query(progressQuery) };
  });
  expect(failure.cause.message).toMatch(/network\.vpcCidr/);
  expect(failure.cause.type).toBe('InvalidSpec');
  expect(fake.calls).toEqual([]);
  expect(progress).toMatchObject({ environment: bad.name, status: 'failed', components: [] });
});

test.each([
  ['destroy', destroyEnvironment],
  ['drift', driftCheck],
  ['failover', failover],
] as const)(
  '%s started with an invalid spec fails at once, naming the field, and touches nothing',
  async (name, workflow) => {
    const fake = cloud();
    const bad = { ...specNamed(local), network: { ...local.network, vpcCidr: '10.0.0.0/33' } };
    const failure = await withWorker(fake.activities, async () =>
      new Client({ connection: env.connection }).workflow
        .execute(workflow as typeof destroyEnvironment, {
          taskQueue,
          workflowId: `${name}/${bad.name}`,
          args: [{ spec: bad }],
        })
        .then(
          () => undefined,
          (e: WorkflowFailedError) => e.cause as ApplicationFailure,
        ),
    );
    expect(failure?.type).toBe('InvalidSpec');
    expect(failure?.message).toMatch(new RegExp(`^${name} input.*network\\.vpcCidr`, 's'));
    expect(fake.calls).toEqual([]);
  },
);

test("a spec with a section left out is provisioned with the schema's defaults for it", async () => {
  const fake = cloud();
  const { provisioning: _left, tags: _tags, ...written } = specNamed(local);
  const result = await withWorker(fake.activities, async () =>
    (await start(written as EnvironmentSpec)).result(),
  );
  expect(result.created.sort()).toEqual(
    componentGraph(local)
      .map((n) => n.id)
      .sort(),
  );
  // The children got the normalized spec (tags: {} from the schema), each only the part its kind reads.
  expect(fake.specs.length).toBeGreaterThan(0);
  for (const { kind, spec } of fake.specs) {
    expect(spec.tags).toEqual({});
    expect(Object.keys(spec).sort()).toEqual([...commonSpecFields, ...specSectionsByKind[kind]].sort());
  }
});

test('destroy removes dependents first and asks approval when deletion protection is on', async () => {
  const spec = loadSpecFile(path.join(projectRoot, 'environments', 'reference.yaml'));
  const protectedSpec = specNamed(spec);
  const nodes = componentGraph(protectedSpec);
  const fake = cloud();
  const report = await withWorker(fake.activities, async () => {
    const handle = await new Client({ connection: env.connection }).workflow.start(destroyEnvironment, {
      taskQueue,
      workflowId: workflowIds.destroy(protectedSpec.name),
      args: [{ spec: protectedSpec }],
    });
    for (;;) {
      const updated = await handle
        .executeUpdate(decideApproval, { args: [{ approved: true, by: 'alice' }] })
        .then(() => true)
        .catch(() => false);
      if (updated) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return handle.result();
  });
  expect(new Set(report.removed)).toEqual(new Set(nodes.map((n) => n.id)));
  expectDependentsFirst(nodes, fake.ids('destroy'));
});
