import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';

/** The task queue lp-infra's workers poll and its workflows are started on. */
export const TASK_QUEUE = process.env.LP_INFRA_TASK_QUEUE || 'lp-infra';

export interface TemporalTarget {
  connectionOptions: NativeConnectionOptions;
  namespace: string;
  /** True when an environment variable or a config profile names the address (else the default is used). */
  configured: boolean;
}

/**
 * Where Temporal is: the standard Temporal environment variables and config profiles
 * (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE,
 * temporal.toml), the same ones the `temporal` CLI reads.
 */
export function temporalTarget(): TemporalTarget {
  const { connectionOptions, namespace } = loadClientConnectConfig({ profile: process.env.TEMPORAL_PROFILE });
  return {
    connectionOptions: { address: 'localhost:7233', ...stripUndefined(connectionOptions) },
    namespace: namespace || 'default',
    configured: connectionOptions.address !== undefined,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
