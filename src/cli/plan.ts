/** `lp-infra plan <spec>`: validate a spec and show what `up` would build, in what order, at what cost. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { buildPlan, formatPlan, loadSpecFile, SpecError, type Plan } from '../model';
import { workflowIds } from '../workflows/ids';
import { ExitCode } from './exit-codes';

interface PlanOptions {
  json?: boolean;
  emitInput?: string;
}

/** deny: `up` would refuse; approve: `up` would stop at an approval gate. */
function exitCodeFor(plan: Plan): ExitCode {
  if (plan.policy.some((f) => f.severity === 'deny')) return ExitCode.refused;
  if (plan.policy.some((f) => f.severity === 'approve')) return ExitCode.attention;
  return ExitCode.ok;
}

export function runPlan(specPath: string, options: PlanOptions): ExitCode {
  let spec;
  try {
    spec = loadSpecFile(specPath);
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    if (options.json)
      console.log(JSON.stringify({ valid: false, source: err.source, issues: err.issues }, null, 2));
    else console.error(err.message);
    return ExitCode.invalidInput;
  }
  const plan = buildPlan(spec);
  if (options.emitInput) writeFileSync(options.emitInput, `${JSON.stringify({ spec }, null, 2)}\n`);
  console.log(options.json ? JSON.stringify({ valid: true, ...plan }, null, 2) : formatPlan(plan));
  if (options.emitInput && !options.json) {
    console.log(
      `\nWorkflow input written to ${options.emitInput}; start it with:\n` +
        `  temporal workflow start --type provisionEnvironment --task-queue lp-infra ` +
        `--workflow-id ${workflowIds.provision(spec.name)} --input-file ${options.emitInput}`,
    );
  }
  return exitCodeFor(plan);
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description(
      'Validate an environment spec and show its components (tree and Mermaid), critical path, policy findings ' +
        'and monthly cost. Contacts nothing. Exit 0: clean; 2: invalid spec; 3: policy denies; 5: approvals needed.',
    )
    .argument('<spec>', 'environment spec (YAML), e.g. environments/reference.yaml')
    .option('--json', 'print the plan (or the spec errors) as JSON')
    .option(
      '--emit-input <file>',
      'write the validated, fully resolved spec as JSON: the input for provisionEnvironment',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  lp-infra plan environments/reference.yaml\n  lp-infra plan environments/local.yaml --json | jq .criticalPath\n' +
        '  lp-infra plan environments/local.yaml --emit-input input.json',
    )
    .action((specPath: string, options: PlanOptions) => {
      process.exitCode = runPlan(specPath, options);
    });
}
