/** The worker's telemetry settings from the environment (no SDK runtime loaded here). */
import type { LogLevel } from '@temporalio/common';
import type { LineWriter } from './logger';
import { parseLogLevel } from './logger';

export interface ObservabilityOptions {
  /** Serve Prometheus metrics on this port (path /metrics); none when undefined. */
  metricsPort?: number;
  /** Interface the metrics endpoint binds to (default 0.0.0.0, so a scraper in the cluster reaches it). */
  metricsHost?: string;
  logLevel?: LogLevel;
  /** Fields on every record (e.g. { service: 'lp-infra-worker' }). */
  fields?: Record<string, string>;
  write?: LineWriter;
}

export function parsePort(value: string | undefined, source: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${source}: '${value}' is not a port (1-65535)`);
  }
  return port;
}

/** Options from LP_INFRA_METRICS_PORT, LP_INFRA_METRICS_HOST and LP_INFRA_LOG_LEVEL. */
export function observabilityFromEnv(env: NodeJS.ProcessEnv = process.env): ObservabilityOptions {
  return {
    metricsPort: parsePort(env.LP_INFRA_METRICS_PORT, 'LP_INFRA_METRICS_PORT'),
    metricsHost: env.LP_INFRA_METRICS_HOST || undefined,
    logLevel: parseLogLevel(env.LP_INFRA_LOG_LEVEL),
  };
}
