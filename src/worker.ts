import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import * as activities from './activities';
import { dataConverter } from './codec/data-converter';
import { TASK_QUEUE, temporalTarget } from './config/temporal';
import { installObservability, observabilityFromEnv } from './observability/runtime';

export type LpWorkerOptions = Pick<WorkerOptions, 'connection' | 'namespace' | 'dataConverter'> &
  Partial<Pick<WorkerOptions, 'taskQueue' | 'activities' | 'workflowBundle' | 'identity'>>;

/** A worker with every lp-infra workflow and activity, on the lp-infra task queue. */
export async function createWorker(options: LpWorkerOptions): Promise<Worker> {
  const { workflowBundle, ...rest } = options;
  return Worker.create({
    taskQueue: TASK_QUEUE,
    activities,
    dataConverter: dataConverter(),
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('./workflows') }),
    ...rest,
  });
}

export async function runWorker(): Promise<void> {
  const { connectionOptions, namespace } = temporalTarget();
  const connection = await NativeConnection.connect(connectionOptions);
  try {
    const worker = await createWorker({ connection, namespace });
    Runtime.instance().logger.info('lp-infra worker polling', {
      taskQueue: worker.options.taskQueue,
      address: connectionOptions.address,
      namespace,
    });
    await worker.run();
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  Promise.resolve()
    .then(() => installObservability(observabilityFromEnv()))
    .then(runWorker)
    .catch((err) => {
      console.error(`lp-infra worker: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
