/**
 * Structured logs: one JSON object per line, for log collectors. Every record names the
 * lp-infra environment and component it is about when the SDK's context says so (the
 * workflow ids are provision/<env>/<component>, destroy/<env>, ...), next to the SDK's own
 * activity and workflow fields (workflowId, activityType, attempt, ...).
 */
import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';

export const logLevels: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/** LP_INFRA_LOG_LEVEL (trace, debug, info, warn, error; any case), INFO when unset. */
export function parseLogLevel(value: string | undefined, source = 'LP_INFRA_LOG_LEVEL'): LogLevel {
  if (value === undefined || value === '') return 'INFO';
  const level = value.toUpperCase() as LogLevel;
  if (!logLevels.includes(level)) {
    throw new Error(
      `${source}: '${value}' is not a log level (one of ${logLevels.join(', ').toLowerCase()})`,
    );
  }
  return level;
}

/** environment (and component) from a workflow id: <action>/<env>[/...], provision/<env>/<component>. */
export function contextFromWorkflowId(workflowId: unknown): { environment?: string; component?: string } {
  if (typeof workflowId !== 'string') return {};
  const match = /^([a-z-]+)\/([^/]+)(?:\/(.+))?$/.exec(workflowId);
  if (!match) return {};
  const [, action, named, rest] = match;
  // A schedule's run is named by its action's id and the nominal time: drift/<env>-2026-12-03T17:00:00Z.
  const environment = named.replace(/-\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, '');
  // provision/<env>/<component> and destroy/<env>/<component> are the per-component children.
  const perComponent = rest && (action === 'provision' || action === 'destroy');
  return { environment, ...(perComponent ? { component: rest } : {}) };
}

/** Fields never written, whatever logs them (the SDK logs the worker's options at debug level). */
const secretFields = /^(key|keys|apiKey|api_key|password|passphrase|token|secret|authorization|privateKey)$/i;

function plain(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export type LineWriter = (line: string) => void;

export class JsonLogger implements Logger {
  private readonly severity: number;

  constructor(
    readonly level: LogLevel = 'INFO',
    private readonly write: LineWriter = (line) => process.stderr.write(`${line}\n`),
    private readonly fields: Record<string, string> = {},
  ) {
    this.severity = logLevels.indexOf(level);
  }

  log(level: LogLevel, message: string, meta: LogMetadata = {}): void {
    if (logLevels.indexOf(level) < this.severity) return;
    const record: Record<string, unknown> = {
      time: new Date().toISOString(),
      level: level.toLowerCase(),
      message,
      ...this.fields,
    };
    const workflowId = meta.workflowId ?? meta.workflowExecution?.workflowId;
    Object.assign(record, contextFromWorkflowId(workflowId));
    for (const [key, value] of Object.entries(meta)) {
      if (key === 'timestampNanos') continue;
      record[key] = plain(value);
    }
    let line: string;
    try {
      line = JSON.stringify(record, (key, value) => (secretFields.test(key) ? '[redacted]' : plain(value)));
    } catch {
      line = JSON.stringify({ time: record.time, level: record.level, message, unserializable: true });
    }
    this.write(line);
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
