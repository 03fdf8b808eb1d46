/** Benchmark workers: the real lp-infra workflows with profiled activities, or the no-op chain. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type WorkerOptions,
} from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { dataConverter } from '../src/codec/data-converter';
import { keyringFrom, type KeyFile } from '../src/codec/keyring';
import { noop, profiledActivities, type ReadySeen } from './activities';

/** The worker settings the overhead figure varies; the rest are the SDK defaults, as in src/worker.ts. */
export type WorkerSettings = Pick<
  WorkerOptions,
  | 'maxConcurrentActivityTaskExecutions'
  | 'maxConcurrentWorkflowTaskExecutions'
  | 'maxConcurrentActivityTaskPolls'
  | 'maxConcurrentWorkflowTaskPolls'
  | 'workflowTaskPollerBehavior'
  | 'activityTaskPollerBehavior'
  | 'stickyQueueScheduleToStartTimeout'
  | 'maxCachedWorkflows'
>;

export type Workload = 'lp-infra' | 'noop';

export interface WorkerConfig {
  address: string;
  taskQueue: string;
  workload: Workload;
  /** The compiled workflow bundle, written once per run. */
  bundlePath: string;
  keyFile: KeyFile;
  scale: number;
  settings?: WorkerSettings;
}

export function benchConverter(keyFile: KeyFile): DataConverter {
  return dataConverter(keyringFrom(keyFile));
}

/** Bundles the workflows of a workload once; workers load the file instead of bundling again. */
export async function writeBundle(workload: Workload, dir: string): Promise<string> {
  const workflowsPath =
    workload === 'lp-infra' ? require.resolve('../src/workflows') : require.resolve('./workflows');
  const bundle = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  const file = path.join(dir, `${workload}-workflows.js`);
  writeFileSync(file, bundle.code);
  return file;
}

let runtimeInstalled = false;

/** SDK logs at WARN: the bench prints its own progress. */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  runtimeInstalled = true;
}

export async function createBenchWorker(
  config: WorkerConfig,
  onReady?: (seen: ReadySeen) => void,
): Promise<{ worker: Worker; connection: NativeConnection }> {
  quietRuntime();
  const connection = await NativeConnection.connect({ address: config.address });
  const activities =
    config.workload === 'lp-infra' ? profiledActivities({ scale: config.scale }, onReady) : { noop };
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: config.taskQueue,
    workflowBundle: { codePath: config.bundlePath },
    activities,
    dataConverter: benchConverter(config.keyFile),
    ...config.settings,
  });
  return { worker, connection };
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message: string) => console.error(message),
};
