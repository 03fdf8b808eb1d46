/**
 * `lp-infra worker` as src/worker.ts runs it (its Runtime, connection, options and shutdown
 * grace from the environment), with one slow activity instead of lp-infra's: the worker of the
 * shutdown test, started with `node --import tsx`.
 */
import { setTimeout } from 'node:timers/promises';
import { CancelledFailure, Context } from '@temporalio/activity';
import { stopBeforeExit } from '../../src/activities/components';
import { installObservability, observabilityFromEnv } from '../../src/observability/runtime';
import { runWorker } from '../../src/worker';
import type { ShutdownActivities } from './shutdown-workflows';

const activities: ShutdownActivities = {
  /**
   * Works like an engine run: a cancel does not end it (it finishes what is in flight), the
   * stop signal lp-infra's activities hand their engine runs does (stopBeforeExit).
   */
  async slowStep(seconds) {
    const context = Context.current();
    const stop = stopBeforeExit(context.cancellationSignal);
    context.cancellationSignal.addEventListener('abort', () =>
      context.log.info('slow step cancelled', { reason: String(context.cancellationSignal.reason) }),
    );
    context.log.info('slow step started', { seconds });
    for (let tenths = 0; tenths < seconds * 10; tenths++) {
      if (stop.aborted) {
        context.log.info('slow step stopped');
        throw new CancelledFailure('stopped');
      }
      await setTimeout(100);
      context.heartbeat(tenths);
    }
    context.log.info('slow step finished', { seconds });
    return `worked ${seconds} s`;
  },
};

installObservability(observabilityFromEnv());
runWorker({ activities, workflowsPath: require.resolve('./shutdown-workflows') }).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`shutdown-worker: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
