/**
 * The worker's telemetry, installed once per process before any connection is made:
 * JSON logs through the SDK's Runtime logger (the SDK's own, the workflows' and the
 * activities' log calls, and Core's logs forwarded) and a Prometheus endpoint with the
 * SDK's temporal_* metrics and lp-infra's lp_infra_* ones (metrics.ts).
 */
import { makeTelemetryFilterString, Runtime, type RuntimeOptions } from '@temporalio/worker';
import type { ObservabilityOptions } from './env';
import { JsonLogger } from './logger';
import { histogramBucketOverrides } from './metrics';

export { observabilityFromEnv, type ObservabilityOptions } from './env';

export function runtimeOptions(options: ObservabilityOptions): RuntimeOptions {
  const level = options.logLevel ?? 'INFO';
  // Core's debug output is the SDK's internals (every history update): only with TRACE.
  const core = level === 'TRACE' ? 'DEBUG' : level === 'DEBUG' ? 'INFO' : level;
  return {
    logger: new JsonLogger(level, options.write, options.fields),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core, other: 'WARN' }), forward: {} },
      ...(options.metricsPort !== undefined
        ? {
            metrics: {
              prometheus: {
                bindAddress: `${options.metricsHost ?? '0.0.0.0'}:${options.metricsPort}`,
                histogramBucketOverrides: histogramBucketOverrides(),
              },
            },
          }
        : {}),
    },
  };
}

/** Installs the Runtime; must run before the first NativeConnection of the process. */
export function installObservability(options: ObservabilityOptions): Runtime {
  return Runtime.install(runtimeOptions(options));
}
