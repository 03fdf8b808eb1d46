import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import * as activities from './activities';
import { dataConverter } from './codec/data-converter';
import { TASK_QUEUE, temporalTarget } from './config/temporal';
import { shutdownGraceSeconds } from './config/worker';
import { installObservability, observabilityFromEnv } from './observability/runtime';

export type LpWorkerOptions = Pick<WorkerOptions, 'connection' | 'namespace' | 'dataConverter'> &
  Partial<
    Pick<
      WorkerOptions,
      'taskQueue' | 'activities' | 'workflowBundle' | 'workflowsPath' | 'identity' | 'shutdownGraceTime'
    >
  >;

/** A worker with every lp-infra workflow and activity, on the lp-infra task queue. */
export async function createWorker(options: LpWorkerOptions): Promise<Worker> {
  const { workflowBundle, workflowsPath, ...rest } = options;
  return Worker.create({
    taskQueue: TASK_QUEUE,
    activities,
    dataConverter: dataConverter(),
    ...(workflowBundle
      ? { workflowBundle }
      : { workflowsPath: workflowsPath ?? require.resolve('./workflows') }),
    ...rest,
  });
}

export type RunWorkerOptions = Partial<
  Omit<LpWorkerOptions, 'connection' | 'namespace' | 'shutdownGraceTime'>
> & {
  /** Default: LP_INFRA_SHUTDOWN_GRACE_SECONDS, else DEFAULT_SHUTDOWN_GRACE_SECONDS. */
  shutdownGraceSeconds?: number;
};

/**
 * The worker of `lp-infra worker`, until SIGINT or SIGTERM (the Runtime's shutdown signals).
 * Then it stops polling, running activities get the grace to finish, and those still running
 * after it are cancelled: an engine run stops and releases its stack's lock, and the activity
 * is retried on another worker.
 */
export async function runWorker(options: RunWorkerOptions = {}): Promise<void> {
  const { shutdownGraceSeconds: grace = shutdownGraceSeconds(), ...overrides } = options;
  const { connectionOptions, namespace } = temporalTarget();
  const connection = await NativeConnection.connect(connectionOptions);
  try {
    const worker = await createWorker({
      connection,
      namespace,
      shutdownGraceTime: grace * 1000,
      ...overrides,
    });
    Runtime.instance().logger.info('lp-infra worker polling', {
      taskQueue: worker.options.taskQueue,
      address: connectionOptions.address,
      namespace,
      shutdownGraceSeconds: grace,
    });
    await worker.run();
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  Promise.resolve()
    .then(() => installObservability(observabilityFromEnv()))
    .then(() => runWorker())
    .catch((err) => {
      console.error(`lp-infra worker: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
