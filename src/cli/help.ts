/**
 * Conventions every lp-infra command follows, so scripts and people can rely on them:
 * - data goes to stdout; progress, hints and errors go to stderr;
 * - a command that prints data takes `--json` (jsonOption) and then prints exactly one
 *   JSON document on stdout (printJson in output.ts), nothing else;
 * - failures throw CliError(message, ExitCode.x) (connect.ts); the exit codes are in
 *   exit-codes.ts and listed by `lp-infra --help`;
 * - each command's help ends with examples (withExamples).
 */
import type { Command } from 'commander';
import { ExitCode } from './exit-codes';

/** Adds `--json`: print the result as one JSON document on stdout. */
export function jsonOption(command: Command, what = 'the result'): Command {
  return command.option('--json', `print ${what} as one JSON document on stdout`);
}

/** Ends the command's --help with examples, one command line each. */
export function withExamples(command: Command, examples: string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}`);
}

const meanings: Record<keyof typeof ExitCode, string> = {
  ok: 'done',
  failed: 'the work failed (a failed run or check)',
  invalidInput: 'invalid input: bad spec, option or argument; nothing was contacted',
  refused: 'refused: the same action already runs, policy denies it, or approval was rejected',
  unavailable: 'a server lp-infra needs (Temporal, AWS endpoint) did not answer',
  attention: 'findings to act on: drift found, approvals needed',
};

/** The exit code table, as shown at the end of `lp-infra --help`. */
export function exitCodesHelp(): string {
  const rows = (Object.keys(ExitCode) as (keyof typeof ExitCode)[]).map(
    (name) => `  ${String(ExitCode[name]).padEnd(4)}${meanings[name]}`,
  );
  return `\nExit codes:\n${rows.join('\n')}\n  130 detached with Ctrl-C while following a run (the run goes on)`;
}
