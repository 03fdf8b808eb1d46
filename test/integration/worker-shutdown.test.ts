/**
 * A stopping worker: a real worker process (src/worker.ts's runWorker, test/helpers/shutdown-worker.ts)
 * on the Temporal dev server gets SIGTERM while an activity runs. Within the shutdown grace the
 * activity finishes and completes; one that outlasts the grace is cancelled then, gets
 * ENGINE_STOP_SECONDS to stop (as an engine run does) and the process still exits cleanly. And a cancelled Pulumi engine run whose resource operation blocks
 * releases its stack's lock: after finishing the operation when its run cancelled it, at once
 * when the worker stops it (src/infra/pulumi/stack.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { dataConverter } from '../../src/codec/data-converter';
import { ENGINE_STOP_SECONDS } from '../../src/config/worker';
import { keyringFrom, newKeyFile } from '../../src/codec/keyring';
import { HandlerResource } from '../../src/infra/pulumi/dynamic-resource';
import { engineSettings } from '../../src/infra/pulumi/engine';
import { lockDirectory } from '../../src/infra/pulumi/locks';
import { upStack, type StackTarget } from '../../src/infra/pulumi/stack';
import { projectRoot } from '../../src/infra/toolchain';
import { startDevServer } from '../helpers/servers';

jest.setTimeout(300_000);

const EventType = temporal.api.enums.v1.EventType;
const keyFile = newKeyFile('shutdown-test');
const codecKey = `shutdown-test:${keyFile.keys['shutdown-test']}`;
const stateDir = mkdtempSync(path.join(tmpdir(), 'lp-infra-shutdown-'));

let env: TestWorkflowEnvironment;
let client: Client;

beforeAll(async () => {
  env = await startDevServer();
  client = new Client({ connection: env.connection, dataConverter: dataConverter(keyringFrom(keyFile)) });
}, 120_000);

afterAll(async () => {
  await env?.teardown();
  rmSync(stateDir, { recursive: true, force: true });
});

interface WorkerProcess {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<{ code: number | null; at: number }>;
  waitFor(text: string, timeoutMs?: number): Promise<void>;
}

function startWorker(taskQueue: string, graceSeconds: number): WorkerProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(projectRoot, 'test', 'helpers', 'shutdown-worker.ts')],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: env.address,
        TEMPORAL_NAMESPACE: 'default',
        LP_INFRA_TASK_QUEUE: taskQueue,
        LP_INFRA_CODEC_KEY: codecKey,
        LP_INFRA_STATE_DIR: stateDir,
        LP_INFRA_SHUTDOWN_GRACE_SECONDS: String(graceSeconds),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.once('exit', (code) => resolve({ code, at: Date.now() })),
  );
  return {
    child,
    exited,
    stderr: () => stderr,
    async waitFor(text, timeoutMs = 240_000) {
      const deadline = Date.now() + timeoutMs;
      while (!stderr.includes(text)) {
        if (child.exitCode !== null) throw new Error(`the worker exited before '${text}':\n${stderr}`);
        if (Date.now() > deadline) throw new Error(`no '${text}' within ${timeoutMs} ms:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/** The JSON log records of the worker (one per line on stderr). */
const records = (worker: WorkerProcess) =>
  worker
    .stderr()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** Starts a slow workflow whose step takes `stepSeconds`, sends SIGTERM once the step runs, and waits for the worker to exit. */
async function terminatedDuringSlowStep(
  worker: WorkerProcess,
  taskQueue: string,
  workflowId: string,
  stepSeconds: number,
) {
  await client.workflow.start('slowWorkflow', { taskQueue, workflowId, args: [stepSeconds] });
  await worker.waitFor('slow step started');
  const signalled = Date.now();
  worker.child.kill('SIGTERM');
  return { signalled, ...(await worker.exited) };
}

/** How the activity's one attempt ended, from the run's history. */
async function activityOutcome(workflowId: string) {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const ended = events.find((e) =>
    [
      EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
      EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
      EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
      EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED,
    ].includes(e.eventType!),
  );
  return {
    type: ended ? EventType[ended.eventType!] : 'none',
    failure: ended?.activityTaskFailedEventAttributes?.failure?.message ?? undefined,
  };
}

describe('SIGTERM to a worker running an activity', () => {
  test('within the grace, the activity finishes and completes; then the worker exits 0', async () => {
    const taskQueue = `shutdown-finish-${Date.now()}`;
    const worker = startWorker(taskQueue, 60);
    try {
      await worker.waitFor('lp-infra worker polling');
      expect(records(worker).find((r) => r.message === 'lp-infra worker polling')).toMatchObject({
        taskQueue,
        shutdownGraceSeconds: 60,
      });
      const workflowId = `shutdown-finish-${Date.now()}`;
      const { signalled, code, at } = await terminatedDuringSlowStep(worker, taskQueue, workflowId, 6);
      expect(code).toBe(0);
      // The stopped worker took no workflow task since SIGTERM: the run goes on with the next
      // worker, from the activity's result.
      expect(await activityOutcome(workflowId)).toEqual({
        type: 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED',
        failure: undefined,
      });
      // It exited once the activity was done, well inside the grace.
      expect((at - signalled) / 1000).toBeLessThan(60);
      // SIGTERM stopped the worker (STOPPING), the activity then finished, and only then the worker stopped.
      const steps = records(worker).map((r) =>
        r.message === 'Worker state changed' ? `worker ${String(r.state)}` : r.message,
      );
      const position = (step: string) => steps.indexOf(step);
      expect(position('worker STOPPING')).toBeGreaterThan(position('slow step started'));
      expect(position('slow step finished')).toBeGreaterThan(position('worker STOPPING'));
      expect(position('worker STOPPED')).toBeGreaterThan(position('slow step finished'));
    } finally {
      worker.child.kill('SIGKILL');
    }
  });

  test('past the grace, the activity is cancelled, then stopped ENGINE_STOP_SECONDS later; the worker exits 0', async () => {
    const taskQueue = `shutdown-cancel-${Date.now()}`;
    const grace = 3;
    const worker = startWorker(taskQueue, grace);
    try {
      await worker.waitFor('lp-infra worker polling');
      const workflowId = `shutdown-cancel-${Date.now()}`;
      const { signalled, code, at } = await terminatedDuringSlowStep(worker, taskQueue, workflowId, 120);
      expect(code).toBe(0);
      // The grace, then the time an engine run gets to stop; far from the activity's 120 s.
      const seconds = (at - signalled) / 1000;
      expect(seconds).toBeGreaterThanOrEqual(grace + ENGINE_STOP_SECONDS);
      expect(seconds).toBeLessThan(grace + ENGINE_STOP_SECONDS + 20);
      const logged = records(worker);
      expect(logged.find((r) => r.message === 'slow step cancelled')?.reason).toMatch(/WORKER_SHUTDOWN/);
      expect(logged.map((r) => r.message)).toContain('slow step stopped');
      expect(logged.map((r) => r.message)).not.toContain('slow step finished');
      const outcome = await activityOutcome(workflowId);
      expect(outcome.type).toBe('EVENT_TYPE_ACTIVITY_TASK_FAILED');
      expect(outcome.failure).toMatch(/shutting down|stopped/);
    } finally {
      worker.child.kill('SIGKILL');
    }
  });
});

describe('a cancelled engine run whose resource operation blocks', () => {
  let root: string;
  let saved: string | undefined;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'lp-infra-engine-stop-'));
    saved = process.env.LP_INFRA_PULUMI_BACKEND;
    process.env.LP_INFRA_PULUMI_BACKEND = path.join(root, 'backend');
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.LP_INFRA_PULUMI_BACKEND;
    else process.env.LP_INFRA_PULUMI_BACKEND = saved;
    rmSync(root, { recursive: true, force: true });
  });

  /** A stack of one file; writing a named pipe nobody reads blocks the handler's create. */
  const target = (filePath: string): StackTarget => ({
    project: 'lp-infra-stop',
    stack: 'pipe',
    program: async () => {
      new HandlerResource('local:file', 'blocked', { props: { path: filePath, content: 'x' } });
      return {};
    },
  });
  const lockFiles = () => {
    const dir = lockDirectory(engineSettings().backendUrl, 'lp-infra-stop', 'pipe')!;
    return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.json')) : [];
  };
  const stateUrns = () => {
    const file = path.join(root, 'backend', '.pulumi', 'stacks', 'lp-infra-stop', 'pipe.json');
    const { resources } = JSON.parse(readFileSync(file, 'utf8')).checkpoint.latest as {
      resources: { urn: string }[];
    };
    return resources.map((r) => r.urn.split('::').pop());
  };
  /** Starts `up` on a pipe; resolves once its create is in flight, with the lock files then. */
  function blockedUp(stopSignal?: AbortSignal) {
    const pipe = path.join(root, 'pipe');
    expect(spawnSync('mkfifo', [pipe]).status).toBe(0);
    const cancel = new AbortController();
    let inFlight: (locks: string[]) => void;
    const blocked = new Promise<string[]>((resolve) => (inFlight = resolve));
    const run = upStack(target(pipe), {
      signal: cancel.signal,
      stopSignal,
      onEvent: (event) => {
        if (event.resourcePreEvent?.metadata.urn.endsWith('::blocked'))
          setTimeout(() => inFlight(lockFiles()), 1000);
      },
    });
    run.catch(() => undefined);
    return { pipe, cancel, run, blocked };
  }

  test('cancelled by its run, it waits for the operation, records the resource and unlocks', async () => {
    const { pipe, cancel, run, blocked } = blockedUp();
    expect(await blocked).toHaveLength(1);
    cancel.abort();
    await new Promise((r) => setTimeout(r, 3000));
    expect(lockFiles()).toHaveLength(1); // still finishing the create
    // A reader lets the create finish (cat: reading here would block this process).
    expect(spawnSync('cat', [pipe], { encoding: 'utf8' }).stdout).toBe('x');
    await expect(run).rejects.toThrow(/cancel/);
    expect(lockFiles()).toEqual([]);
    expect(stateUrns()).toContain('blocked'); // a destroy will find it
  });

  test('stopped by a stopping worker, it unlocks at once, and the next run goes on', async () => {
    const stop = new AbortController();
    const { cancel, run, blocked } = blockedUp(stop.signal);
    expect(await blocked).toHaveLength(1);
    cancel.abort();
    stop.abort();
    const stopped = Date.now();
    await expect(run).rejects.toThrow(/cancel/);
    expect((Date.now() - stopped) / 1000).toBeLessThan(15);
    expect(lockFiles()).toEqual([]);

    // The next run takes the stack (no "locked" error) and makes the resource.
    const regular = path.join(root, 'regular.txt');
    const next = await upStack(target(regular));
    expect(next.changes).toEqual(expect.objectContaining({ create: 1 }));
    expect(readFileSync(regular, 'utf8')).toBe('x');
  });
});
