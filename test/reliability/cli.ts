/**
 * The CLI run in-process, the way `lp-infra` runs it (src/client.ts main): output captured,
 * exit code computed the same way. `dev` subcommands are replaced by recorders so that no
 * fuzzed input can ever start a stack; reaching one is reported as `reached`.
 */
import { Command, CommanderError } from 'commander';
import { CliError } from '../../src/cli/connect';
import { buildProgram } from '../../src/client';

export interface CliRun {
  exitCode: number;
  output: string;
  /** `dev` actions that parsing let through (none, for bad input). */
  reached: string[];
}

export async function runCli(argv: string[]): Promise<CliRun> {
  const program = buildProgram();
  const output: string[] = [];
  const reached: string[] = [];
  const configure = (command: Command) => {
    command.exitOverride();
    command.configureOutput({ writeOut: (s) => output.push(s), writeErr: (s) => output.push(s) });
    command.commands.forEach(configure);
  };
  configure(program);
  for (const sub of program.commands.find((c) => c.name() === 'dev')?.commands ?? []) {
    sub.action(() => {
      reached.push(`dev ${sub.name()}`);
    });
  }
  const capture = (...args: unknown[]) => {
    output.push(args.map(String).join(' '));
  };
  const error = jest.spyOn(console, 'error').mockImplementation(capture);
  const log = jest.spyOn(console, 'log').mockImplementation(capture);
  process.exitCode = undefined;
  let exitCode = 0;
  try {
    await program.parseAsync(argv, { from: 'user' });
    exitCode = Number(process.exitCode ?? 0);
  } catch (err) {
    if (err instanceof CommanderError) exitCode = err.exitCode === 0 ? 0 : 2;
    else if (err instanceof CliError) {
      exitCode = err.exitCode;
      output.push(err.message);
    } else {
      exitCode = 1;
      output.push(`unexpected: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  } finally {
    process.exitCode = undefined;
    error.mockRestore();
    log.mockRestore();
  }
  return { exitCode, output: output.join('\n'), reached };
}
