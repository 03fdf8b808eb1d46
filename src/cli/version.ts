/** `lp-infra --version` and `lp-infra version`: what is running, for bug reports and rollouts. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { projectRoot } from '../infra/toolchain';
import { jsonOption, withExamples } from './help';
import { printJson } from './output';

export interface VersionReport {
  version: string;
  /** The Node.js running this process. */
  node: string;
  /** toolchain.json: the servers and engines this build runs locally (the image's Pulumi too). */
  toolchain: Record<string, string>;
}

const readJson = (file: string) => JSON.parse(readFileSync(path.join(projectRoot, file), 'utf8'));

/** The package's version, from package.json (next to dist/ in a checkout and in the image). */
export function packageVersion(): string {
  return String(readJson('package.json').version);
}

export function versionReport(): VersionReport {
  const toolchain = Object.fromEntries(
    Object.entries(readJson('toolchain.json') as Record<string, unknown>).filter(
      ([name, value]) => !name.startsWith('$') && typeof value === 'string',
    ),
  ) as Record<string, string>;
  return { version: packageVersion(), node: process.versions.node, toolchain };
}

export function formatVersionReport(report: VersionReport): string {
  const width = Math.max(...Object.keys(report.toolchain).map((name) => name.length));
  return [
    `lp-infra ${report.version}`,
    `node ${report.node}`,
    'toolchain (toolchain.json):',
    ...Object.entries(report.toolchain).map(([name, version]) => `  ${name.padEnd(width)}  ${version}`),
  ].join('\n');
}

export function registerVersion(program: Command): void {
  program.version(packageVersion(), '-V, --version', 'print the lp-infra version');
  const command = program
    .command('version')
    .description('Print the lp-infra version, the Node.js it runs on and the pinned toolchain versions')
    .action((opts: { json?: boolean }) => {
      const report = versionReport();
      if (opts.json) printJson(report);
      else process.stdout.write(`${formatVersionReport(report)}\n`);
    });
  jsonOption(command, 'the versions');
  withExamples(command, ['lp-infra --version', 'lp-infra version', 'lp-infra version --json']);
}
