#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { CliError } from './cli/connect';
import { ExitCode } from './cli/exit-codes';
import { registerDev } from './cli/dev';
import { registerDisasterRecovery } from './cli/disaster-recovery';
import { registerDrift, registerSchedule } from './cli/drift';
import { registerInventory } from './cli/inventory';
import { registerPlan } from './cli/plan';
import { registerProvision } from './cli/provision';
import { registerWorker } from './cli/worker';
import { registerCodecServer } from './cli/codec-server';
import { registerVersion } from './cli/version';
import { exitCodesHelp } from './cli/help';

export function buildProgram(): Command {
  const program = new Command('lp-infra')
    .description('Builds, watches and fails over the LP platform through durable Temporal workflows.')
    .showHelpAfterError('(run with --help for usage)');
  registerPlan(program);
  registerProvision(program);
  registerDev(program);
  registerDrift(program);
  registerDisasterRecovery(program);
  registerSchedule(program);
  registerInventory(program);
  registerWorker(program);
  registerCodecServer(program);
  registerVersion(program);
  program.addHelpText('after', exitCodesHelp());
  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.invalidInput;
      return;
    }
    console.error(`lp-infra: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = err instanceof CliError ? err.exitCode : ExitCode.failed;
  }
}

if (require.main === module) {
  void main(process.argv);
}
