/** `lp-infra worker`: runs an lp-infra worker in the foreground until SIGINT/SIGTERM. */
import type { Command } from 'commander';
import { parseLogLevel } from '../observability/logger';
import { observabilityFromEnv, parsePort } from '../observability/env';
import { DEFAULT_SHUTDOWN_GRACE_SECONDS, parseGraceSeconds, shutdownGraceSeconds } from '../config/worker';
import { CliError } from './connect';
import { ExitCode } from './exit-codes';
import { withExamples } from './help';

interface WorkerCommandOptions {
  metricsPort?: string;
  metricsHost?: string;
  logLevel?: string;
  shutdownGrace?: string;
}

async function worker(opts: WorkerCommandOptions): Promise<void> {
  let observability;
  let grace: number;
  try {
    grace = parseGraceSeconds(opts.shutdownGrace, '--shutdown-grace') ?? shutdownGraceSeconds();
    const fromEnv = observabilityFromEnv();
    observability = {
      ...fromEnv,
      metricsPort: parsePort(opts.metricsPort, '--metrics-port') ?? fromEnv.metricsPort,
      metricsHost: opts.metricsHost ?? fromEnv.metricsHost,
      logLevel: opts.logLevel ? parseLogLevel(opts.logLevel, '--log-level') : fromEnv.logLevel,
      fields: { service: 'lp-infra-worker' },
    };
  } catch (err) {
    throw new CliError((err as Error).message, ExitCode.invalidInput);
  }
  // Loaded only here: the worker's code and native runtime take seconds to load, which
  // the other commands should not pay.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { installObservability } =
    require('../observability/runtime') as typeof import('../observability/runtime');
  const { runWorker } = require('../worker') as typeof import('../worker');
  /* eslint-enable @typescript-eslint/no-require-imports */
  installObservability(observability);
  try {
    await runWorker({ shutdownGraceSeconds: grace });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/connect|transport|dns|refused|unavailable/i.test(message)) {
      throw new CliError(`worker cannot reach Temporal: ${message}`, ExitCode.unavailable);
    }
    throw err;
  }
}

export function registerWorker(program: Command): void {
  const command = program
    .command('worker')
    .description(
      'Run an lp-infra worker in the foreground: polls the lp-infra task queue of the Temporal named by ' +
        'TEMPORAL_ADDRESS / TEMPORAL_PROFILE (envconfig), logs JSON lines on stderr; on SIGINT/SIGTERM it stops ' +
        'polling and lets running activities finish (--shutdown-grace), then exits',
    )
    .option(
      '--metrics-port <port>',
      'serve Prometheus metrics on this port at /metrics (or LP_INFRA_METRICS_PORT)',
    )
    .option(
      '--metrics-host <host>',
      'interface for the metrics endpoint (default 0.0.0.0, or LP_INFRA_METRICS_HOST)',
    )
    .option('--log-level <level>', 'trace, debug, info, warn or error (or LP_INFRA_LOG_LEVEL; default info)')
    .option(
      '--shutdown-grace <seconds>',
      'after SIGTERM/SIGINT, seconds running activities get to finish before they are cancelled ' +
        `(or LP_INFRA_SHUTDOWN_GRACE_SECONDS; default ${DEFAULT_SHUTDOWN_GRACE_SECONDS})`,
    )
    .action(worker);
  withExamples(command, [
    'TEMPORAL_ADDRESS=127.0.0.1:7233 lp-infra worker --metrics-port 9464',
    'TEMPORAL_PROFILE=cloud LP_INFRA_CODEC_KEY_FILE=/etc/lp-infra/codec-keys.json lp-infra worker',
  ]);
}
