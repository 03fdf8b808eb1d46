import {
  LocalWorkspace,
  type ConfigMap,
  type EngineEvent,
  type OpMap,
  type OutputMap,
  type PulumiFn,
  type Stack,
} from '@pulumi/pulumi/automation';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assertCompiledCurrent, handlerProviderPath } from './compiled';
import { engineSettings, pulumiCommand } from './engine';
import { diagnosticsRecorder, engineRunError } from './failure';
import { releaseStaleLocks } from './locks';

/** One Pulumi stack and the inline program that declares its resources. */
export interface StackTarget {
  project: string;
  /** `<env>-<component>` */
  stack: string;
  program: PulumiFn;
  config?: ConfigMap;
}

/** Progress of a run, for heartbeats and logs, and how to cancel it (see engineSignal). */
export interface RunOptions {
  onEvent?: (event: EngineEvent) => void;
  onOutput?: (text: string) => void;
  /** Cancels the run: the engine finishes the resource operations in flight, saves and unlocks. */
  signal?: AbortSignal;
  /** Stops a cancelled run at once, without waiting for what is in flight. */
  stopSignal?: AbortSignal;
}

/**
 * The signal handed to the Automation API, which interrupts the engine on each abort event.
 * The first interrupt lets the engine finish the operations in flight, save its state and
 * unlock, however long they take (a handler waiting for a cluster). When the process is about
 * to end that is too long: an engine killed with it leaves the stack locked. `stopSignal`
 * interrupts again, and the engine stops at once: it still unlocks, and records what was in
 * flight as pending operations, from which the next run goes on (handlers adopt what an
 * interrupted create made). The engine may drop an interrupt that arrives while it is still
 * handling the first, so the stop is repeated until the run ends.
 */
function engineSignal({ signal, stopSignal }: RunOptions): { signal?: AbortSignal; dispose(): void } {
  if (!signal) return { dispose: () => undefined };
  const engine = new AbortController();
  let repeat: NodeJS.Timeout | undefined;
  const cancel = () => engine.abort(signal.reason);
  const interrupt = () => engine.signal.dispatchEvent(new Event('abort'));
  const stop = () => {
    cancel(); // no-op once cancelled
    interrupt();
    repeat = setInterval(interrupt, STOP_REPEAT_MS);
  };
  if (signal.aborted) cancel();
  else signal.addEventListener('abort', cancel, { once: true });
  if (stopSignal?.aborted) stop();
  else stopSignal?.addEventListener('abort', stop, { once: true });
  return {
    signal: engine.signal,
    dispose: () => {
      clearInterval(repeat);
      signal.removeEventListener('abort', cancel);
      stopSignal?.removeEventListener('abort', stop);
    },
  };
}

const STOP_REPEAT_MS = 2_000;

/**
 * Runs one engine operation with the run's options: the signal made for the engine, and a
 * failure told short (failure.ts).
 */
async function engineRun<T extends RunOptions, R>(
  target: StackTarget,
  operation: string,
  options: T,
  run: (options: T) => Promise<R>,
): Promise<R> {
  const { signal, dispose } = engineSignal(options);
  const diagnostics = diagnosticsRecorder();
  const onEvent = (event: EngineEvent) => {
    diagnostics.record(event);
    options.onEvent?.(event);
  };
  try {
    return await run({ ...options, signal, onEvent });
  } catch (err) {
    throw engineRunError(err, target.stack, operation, diagnostics.errors, signal?.aborted);
  } finally {
    dispose();
  }
}

export interface StackRunSummary {
  stack: string;
  /** Resources by operation, e.g. { same: 3, update: 1 }. */
  changes: OpMap;
  /** True when any resource was (or would be) created, changed or removed. */
  changed: boolean;
  /** The stack's outputs, secret ones left out. */
  outputs: Record<string, unknown>;
  secretOutputs: string[];
  durationMs: number;
}

/** Creates or updates the stack's resources to match the program. */
export function upStack(
  target: StackTarget,
  options: RunOptions & { refresh?: boolean } = {},
): Promise<StackRunSummary> {
  return withStack(target, async (stack) => {
    const result = await engineRun(target, 'up', options, (o) => stack.up(o));
    return { changes: result.summary.resourceChanges ?? {}, outputs: result.outputs };
  });
}

/** What `up` would do; with `refresh`, against the resources as they are now (drift). */
export function previewStack(
  target: StackTarget,
  options: RunOptions & { refresh?: boolean } = {},
): Promise<StackRunSummary> {
  return withStack(target, async (stack) => {
    const result = await engineRun(target, 'preview', options, (o) => stack.preview(o));
    return { changes: result.changeSummary, outputs: await stack.outputs() };
  });
}

/** Reads every resource back and records what it finds in the state. */
export function refreshStack(target: StackTarget, options: RunOptions = {}): Promise<StackRunSummary> {
  return withStack(target, async (stack) => {
    const result = await engineRun(target, 'refresh', options, (o) => stack.refresh(o));
    return { changes: result.summary.resourceChanges ?? {}, outputs: await stack.outputs() };
  });
}

/** Removes every resource of the stack; with `remove`, the stack and its history too. */
export function destroyStack(
  target: StackTarget,
  options: RunOptions & { remove?: boolean } = {},
): Promise<StackRunSummary> {
  return withStack(target, async (stack) => {
    const result = await engineRun(target, 'destroy', options, (o) => stack.destroy(o));
    return { changes: result.summary.resourceChanges ?? {}, outputs: {} };
  });
}

/**
 * Runs one operation in a throwaway workspace: everything that lasts is in the backend,
 * so any worker can run any stack.
 */
async function withStack(
  target: StackTarget,
  operation: (stack: Stack) => Promise<{ changes: OpMap; outputs: OutputMap }>,
): Promise<StackRunSummary> {
  assertCompiledCurrent(handlerProviderPath);
  const settings = engineSettings();
  const workDir = await mkdtemp(path.join(tmpdir(), 'lp-infra-pulumi-'));
  const started = Date.now();
  try {
    // A retry after a crashed worker finds the dead engine's lock: release it, not wait forever.
    await releaseStaleLocks(settings.backendUrl, target.project, target.stack);
    const stack = await LocalWorkspace.createOrSelectStack(
      { projectName: target.project, stackName: target.stack, program: target.program },
      {
        workDir,
        pulumiCommand: await pulumiCommand(),
        envVars: settings.envVars,
        secretsProvider: settings.secretsProvider,
        projectSettings: { name: target.project, runtime: 'nodejs', backend: { url: settings.backendUrl } },
      },
    );
    if (target.config) await stack.setAllConfig(target.config);
    const { changes, outputs } = await operation(stack);
    return summary(target, changes, outputs, Date.now() - started);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function summary(
  target: StackTarget,
  changes: OpMap,
  outputs: OutputMap,
  durationMs: number,
): StackRunSummary {
  const entries = Object.entries(outputs);
  return {
    stack: target.stack,
    changes,
    changed: Object.entries(changes).some(([op, count]) => op !== 'same' && (count ?? 0) > 0),
    outputs: Object.fromEntries(
      entries.filter(([, output]) => !output.secret).map(([name, output]) => [name, output.value]),
    ),
    secretOutputs: entries.filter(([, output]) => output.secret).map(([name]) => name),
    durationMs,
  };
}

/**
 * The stack's outputs (secret ones left out), or undefined when the stack does not exist:
 * never creates one. Drift checks use it to tell a component never made from a clean one.
 */
/** How many resources the stack's state holds (the stack itself counts as one); 0 when there is no stack. */
export async function stackResourceCount(target: StackTarget): Promise<number> {
  return withWorkspace(target, async (workspace) => {
    const stacks = await workspace.listStacks();
    const found = stacks.find((s) => s.name === target.stack || s.name.endsWith(`/${target.stack}`));
    return found?.resourceCount ?? 0;
  });
}

export async function stackOutputs(target: StackTarget): Promise<Record<string, unknown> | undefined> {
  return withWorkspace(target, async (workspace) => {
    const stacks = await workspace.listStacks();
    if (!stacks.some((s) => s.name === target.stack || s.name.endsWith(`/${target.stack}`))) return undefined;
    const outputs = await workspace.stackOutputs(target.stack);
    return Object.fromEntries(
      Object.entries(outputs)
        .filter(([, output]) => !output.secret)
        .map(([name, output]) => [name, output.value]),
    );
  });
}

/** A workspace of the project in a scratch folder, for reading stacks without running the program. */
async function withWorkspace<T>(
  target: StackTarget,
  work: (workspace: LocalWorkspace) => Promise<T>,
): Promise<T> {
  const settings = engineSettings();
  const workDir = await mkdtemp(path.join(tmpdir(), 'lp-infra-pulumi-'));
  try {
    const workspace = await LocalWorkspace.create({
      workDir,
      pulumiCommand: await pulumiCommand(),
      envVars: settings.envVars,
      secretsProvider: settings.secretsProvider,
      projectSettings: { name: target.project, runtime: 'nodejs', backend: { url: settings.backendUrl } },
    });
    return await work(workspace);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
