/**
 * A failed engine run, told short: the engine's whole output (hundreds of lines of progress,
 * diagnostics and the command line) goes to a log file, and the error says which resource
 * failed, the first line of what it reported, and where that file is.
 */
import { CommandError, type DiagnosticEvent, type EngineEvent } from '@pulumi/pulumi/automation';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stateDir } from '../toolchain';

export class EngineRunError extends Error {
  constructor(
    /** `<type> <name>: ` of the resource that failed, when one did, and the first line of its error. */
    summary: string,
    readonly logFile: string | undefined,
    /** The engine's whole output. */
    readonly output: string,
  ) {
    super(`${summary}${logFile ? ` (engine log: ${logFile})` : ''}`);
    this.name = 'EngineRunError';
  }

  /** The end of the output, for the failure's details (the UI shows them). */
  get outputTail(): string {
    return this.output.split('\n').slice(-40).join('\n');
  }
}

export const engineLogDir = () => path.join(stateDir, 'logs', 'engine');

/** Records the error diagnostics of a run, to tell its failure. */
export function diagnosticsRecorder() {
  const errors: DiagnosticEvent[] = [];
  return {
    errors,
    record(event: EngineEvent) {
      const diagnostic = event.diagnosticEvent;
      if (diagnostic?.severity === 'error') errors.push(diagnostic);
    },
  };
}

const stackType = 'pulumi:pulumi:Stack';
const firstLine = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line.length > 0) ?? text;

/** `aws:replication-group replication-group` from `urn:pulumi:<stack>::<project>::<type>::<name>`. */
function resourceOf(urn: string): string {
  const [, , type = '', ...name] = urn.split('::');
  return `${type.split('$').pop()!.split('/').pop()} ${name.join('::')}`;
}

/** Log files kept per stack and operation; older ones are removed when a new one is written. */
const logsKept = 20;

function writeEngineLog(stack: string, operation: string, output: string): string | undefined {
  try {
    const dir = engineLogDir();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const prefix = `${stack}-${operation}-`;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = path.join(dir, `${prefix}${stamp}.log`);
    writeFileSync(file, output, { mode: 0o600 });
    const older = readdirSync(dir)
      .filter((name) => name.startsWith(prefix) && name.endsWith('.log'))
      .sort()
      .slice(0, -logsKept);
    for (const name of older) rmSync(path.join(dir, name), { force: true });
    return file;
  } catch {
    return undefined; // the short error still says what failed
  }
}

/**
 * The run's failure as an EngineRunError (its output written to the engine log); errors that
 * are not engine command failures pass through unchanged. A run its caller cancelled says so first.
 */
export function engineRunError(
  err: unknown,
  stack: string,
  operation: string,
  errors: DiagnosticEvent[],
  cancelled = false,
): unknown {
  if (!(err instanceof CommandError)) return err;
  const output = err.message;
  const byResource = errors.find((e) => e.urn && !e.urn.includes(`::${stackType}::`));
  const textError = /^\s*error: (?!update failed|preview failed|destroy failed|refresh failed)(.+)$/m.exec(
    output,
  )?.[1];
  const first = firstLine(
    (byResource?.message ?? textError ?? errors[0]?.message ?? `the engine's ${operation} failed`).replace(
      /^error: /,
      '',
    ),
  );
  const told = cancelled && !/cancel/i.test(first) ? `cancelled: ${first}` : first;
  return new EngineRunError(
    byResource?.urn ? `${resourceOf(byResource.urn)}: ${told}` : told,
    writeEngineLog(stack, operation, output),
    output,
  );
}
