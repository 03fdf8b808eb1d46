/**
 * A benchmark worker in a process of its own, so its RSS and CPU are the worker's alone.
 * Config as JSON in argv[2]; tells the parent 'ready' over IPC, stops on 'shutdown'.
 */
import { createBenchWorker, type WorkerConfig } from './worker';

async function main() {
  const config = JSON.parse(process.argv[2]) as WorkerConfig;
  const { worker, connection } = await createBenchWorker(config);
  process.on('message', (message) => {
    if (message === 'shutdown') worker.shutdown();
  });
  // the bench stopped without telling us: do not outlive it
  process.on('disconnect', () => process.exit(1));
  const running = worker.run();
  process.send?.('ready');
  await running;
  await connection.close();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench worker: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
