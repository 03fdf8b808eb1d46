/** `lp-infra inventory <environment>`: everything lp-infra owns in AWS for an environment, found by its tags. */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { awsEndpoint } from '../infra/aws/clients';
import { AwsUnreachableError, awsInventoryReport } from '../infra/aws/inventory';
import { formatInventory } from '../infra/aws/inventory-report';
import { projectRoot } from '../infra/toolchain';
import { readStackInfo } from '../dev/stack';
import { loadSpecFile } from '../model';
import { CliError } from './connect';
import { ExitCode } from './exit-codes';
import { printJson } from './output';

const fallbackRegions = ['us-east-1', 'us-west-2'];
const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The regions of environments/<name>.yaml when there is one, else us-east-1 and us-west-2. */
function specRegions(environment: string): string[] {
  const file = [
    path.join('environments', `${environment}.yaml`),
    path.join(projectRoot, 'environments', `${environment}.yaml`),
  ].find((candidate) => existsSync(candidate));
  if (!file) return fallbackRegions;
  try {
    const regions = Object.values(loadSpecFile(file).regions ?? {})
      .map((r) => (r as { region?: string }).region)
      .filter((r): r is string => Boolean(r));
    return regions.length ? regions : fallbackRegions;
  } catch {
    return fallbackRegions;
  }
}

export function inventoryRegions(environment: string, option: string | undefined): string[] {
  if (option === undefined) return specRegions(environment);
  const regions = [
    ...new Set(
      option
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    ),
  ];
  const bad = regions.filter((r) => !regionPattern.test(r));
  if (!regions.length || bad.length) {
    throw new CliError(
      `--regions: expected AWS regions separated by commas (us-east-1,us-west-2), got '${option}'`,
      ExitCode.invalidInput,
    );
  }
  return regions;
}

/**
 * The same rule as for Temporal: a configured endpoint (LP_INFRA_AWS_ENDPOINT, or one per
 * region) wins; without it, the moto of the running local stack; otherwise real AWS.
 */
function useLocalStackEndpoint(regions: string[]): void {
  if (regions.some((region) => awsEndpoint(region))) return;
  const local = readStackInfo();
  if (local?.awsEndpoint) process.env.LP_INFRA_AWS_ENDPOINT = local.awsEndpoint;
}

async function inventory(environment: string, opts: { regions?: string; json?: boolean }): Promise<void> {
  if (!environment.trim()) throw new CliError('<environment>: empty environment name', ExitCode.invalidInput);
  const regions = inventoryRegions(environment, opts.regions);
  useLocalStackEndpoint(regions);
  let report;
  try {
    report = await awsInventoryReport(environment, regions);
  } catch (err) {
    if (err instanceof AwsUnreachableError) {
      const where = awsEndpoint(regions[0]) ?? 'AWS (default credentials)';
      throw new CliError(
        `cannot list ${environment}: ${err.message} at ${where}; start the local stack with 'lp-infra dev up', set LP_INFRA_AWS_ENDPOINT, or check the AWS credentials`,
        ExitCode.unavailable,
      );
    }
    throw err;
  }
  if (opts.json) printJson(report);
  else process.stdout.write(`${formatInventory(report)}\n`);
  for (const warning of report.warnings) if (opts.json) console.error(`warning: ${warning}`);
}

export function registerInventory(program: Command): void {
  program
    .command('inventory')
    .description(
      'List everything lp-infra owns in AWS for an environment, by its tags (lp-infra:environment): what is left after a destroy, duplicates, leaks',
    )
    .argument('<environment>', 'environment name (the lp-infra:environment tag)')
    .option(
      '--regions <regions>',
      'regions to list, comma-separated (default: the regions of environments/<name>.yaml, else us-east-1,us-west-2); global services are always listed',
    )
    .option('--json', 'print {environment, regions, items, warnings} as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  lp-infra inventory local\n  lp-infra inventory reference --regions us-east-1 --json\n\nExit codes: 0 listed (warnings name services that could not be listed), 2 bad input, 4 AWS did not answer.',
    )
    .action((environment: string, opts) => inventory(environment, opts));
}
