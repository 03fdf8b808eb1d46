/** `lp-infra drift <env>` (one check now) and `lp-infra schedule drift <env>` (the Temporal Schedule). */
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  WorkflowFailedError,
  type Client,
  type ScheduleDescription,
  type ScheduleOptions,
} from '@temporalio/client';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { TASK_QUEUE } from '../config/temporal';
import { remainingDrift, summarizeReport, type DriftReport, type Remediation } from '../drift/report';
import { projectRoot } from '../infra/toolchain';
import { componentGraph, type EnvironmentSpec } from '../model';
import { driftCheck, driftReportQuery, type DriftInput } from '../workflows';
import { driftScheduleId, workflowIds } from '../workflows/ids';
import { LpAction, LpEnvironment } from '../workflows/search-attributes';
import { keyOptionHelp, sendDecision, type DecideOptions } from './approver';
import { CliError, loadSpecOrExit, withClient } from './connect';
import { ExitCode } from './exit-codes';
import { runUrl } from './follow';
import { printJson } from './output';

const modes: Remediation[] = ['report-only', 'auto', 'approve-first'];

/** A spec file, or an environment name: environments/<name>.yaml here or in the project. */
export function resolveSpec(target: string): EnvironmentSpec {
  const candidates = /\.(ya?ml|json)$/.test(target)
    ? [target]
    : [path.join('environments', `${target}.yaml`), path.join(projectRoot, 'environments', `${target}.yaml`)];
  const file = candidates.find((candidate) => existsSync(candidate));
  if (!file) {
    throw new CliError(
      `no spec for '${target}': looked for ${candidates.join(', ')}; pass a spec file or an environment name`,
      ExitCode.invalidInput,
    );
  }
  return loadSpecOrExit(file);
}

interface CheckOptions {
  remediation?: string;
  only?: string;
}

/** The workflow input from the options; a bad mode or component id is refused before anything runs. */
export function driftInput(spec: EnvironmentSpec, opts: CheckOptions): DriftInput {
  if (opts.remediation !== undefined && !modes.includes(opts.remediation as Remediation)) {
    throw new CliError(
      `--remediation must be one of ${modes.join(', ')} (got '${opts.remediation}')`,
      ExitCode.invalidInput,
    );
  }
  const ids = componentGraph(spec).map((n) => n.id);
  const components = opts.only?.split(',').map((id) => id.trim());
  const unknown = components?.filter((id) => !ids.includes(id)) ?? [];
  if (unknown.length) {
    throw new CliError(
      `--only: no component ${unknown.join(', ')} in ${spec.name}; known: ${ids.join(', ')}`,
      ExitCode.invalidInput,
    );
  }
  return { spec, remediation: opts.remediation as Remediation | undefined, components };
}

const searchAttributes = (spec: EnvironmentSpec) => [
  { key: LpEnvironment, value: spec.name },
  { key: LpAction, value: 'drift' },
];

/** The report for a terminal: the summary, then one line per finding. */
export function renderReport(report: DriftReport): string {
  const lines = [summarizeReport(report)];
  for (const c of report.components) {
    for (const f of c.findings) {
      lines.push(
        `  ${f.component}  ${f.resource}  ${f.property}: ${JSON.stringify(f.actual) ?? '(none)'} (spec: ${JSON.stringify(f.desired) ?? '(none)'})`,
      );
    }
    if (c.status === 'failed') lines.push(`  ${c.component}: check failed: ${c.error}`);
  }
  return lines.join('\n');
}

/** 5 (attention) when drift was found, 1 when a check failed, 0 when clean. */
export function reportExitCode(report: DriftReport): ExitCode {
  if (report.drifted.length || remainingDrift(report).length) return ExitCode.attention;
  return report.components.some((c) => c.status === 'failed') ? ExitCode.failed : ExitCode.ok;
}

async function checkNow(target: string, opts: CheckOptions & { json?: boolean }) {
  const input = driftInput(resolveSpec(target), opts);
  const report = await withClient(async (client) => {
    const workflowId = workflowIds.driftCheck(input.spec.name, Date.now());
    const handle = await client.workflow.start(driftCheck, {
      taskQueue: TASK_QUEUE,
      workflowId,
      args: [input],
      typedSearchAttributes: searchAttributes(input.spec),
      staticSummary: `Drift check of ${input.spec.name} (lp-infra drift)`,
    });
    const url = runUrl(workflowId, handle.firstExecutionRunId);
    console.error(`started ${workflowId}${url ? `: ${url}` : ''}`);
    const waiting = setInterval(async () => {
      const now = await handle.query(driftReportQuery).catch(() => undefined);
      if (now?.remediation.status !== 'awaiting-approval') return;
      console.error(`re-apply awaits approval: lp-infra drift ${input.spec.name} --approve (or --reject)`);
      clearInterval(waiting);
    }, 2000);
    try {
      return await handle.result();
    } catch (err) {
      if (err instanceof WorkflowFailedError)
        throw new CliError(err.cause?.message ?? err.message, ExitCode.failed);
      throw err;
    } finally {
      clearInterval(waiting);
    }
  });
  if (opts.json) printJson(report);
  else console.log(renderReport(report));
  process.exitCode = reportExitCode(report);
}

/** Sends the decision to every drift run of the environment that waits for one. */
async function decide(target: string, approved: boolean, opts: DecideOptions) {
  const environment = /\.(ya?ml|json)$/.test(target) ? resolveSpec(target).name : target;
  await withClient(async (client) => {
    let decided = 0;
    const query = `LpEnvironment = '${environment}' AND LpAction = 'drift' AND ExecutionStatus = 'Running'`;
    for await (const run of client.workflow.list({ query })) {
      const handle = client.workflow.getHandle(run.workflowId, run.runId);
      const report = await handle.query(driftReportQuery).catch(() => undefined);
      if (report?.remediation.status !== 'awaiting-approval') continue;
      console.log(`${run.workflowId}: ${(await sendDecision(handle, approved, opts)).message}`);
      decided++;
    }
    if (!decided) throw new CliError(`no drift run of ${environment} waits for approval`, ExitCode.refused);
  });
}

// ---------------------------------------------------------------- the schedule

export interface ScheduleSettings {
  /** How often, e.g. 15m (default: the spec's drift.schedule). */
  every?: string;
  remediation?: string;
  only?: string;
  taskQueue?: string;
}

/** Milliseconds of a Go-style duration (`15m`, `1h30m`, `90s`); at least a minute. */
export function intervalMs(text: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  const valid = parts.length > 0 && parts.map((p) => p[0]).join('') === text;
  const ms = valid ? parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]], 0) : NaN;
  if (!(ms >= 60_000)) {
    throw new CliError(
      `--every must be a duration of at least 1m, like 15m or 1h (got '${text}')`,
      ExitCode.invalidInput,
    );
  }
  return ms;
}

/** The schedule's options: interval, overlap skip, a catch-up window of one interval, searchable runs. */
export function driftSchedule(spec: EnvironmentSpec, settings: ScheduleSettings): ScheduleOptions {
  const every = intervalMs(settings.every ?? spec.drift.schedule);
  const input = driftInput(spec, settings);
  return {
    scheduleId: driftScheduleId(spec.name),
    spec: { intervals: [{ every }] },
    action: {
      type: 'startWorkflow',
      workflowType: driftCheck,
      workflowId: driftScheduleId(spec.name),
      taskQueue: settings.taskQueue ?? TASK_QUEUE,
      args: [input],
      typedSearchAttributes: searchAttributes(spec),
      staticSummary: `Scheduled drift check of ${spec.name} every ${settings.every ?? spec.drift.schedule}`,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: every },
    typedSearchAttributes: searchAttributes(spec),
    memo: {
      environment: spec.name,
      every: settings.every ?? spec.drift.schedule,
      remediation: input.remediation ?? spec.drift.remediation,
    },
    state: { note: `lp-infra schedule drift ${spec.name} --every ${settings.every ?? spec.drift.schedule}` },
  };
}

/** Creates the schedule, or brings an existing one to these settings (keeping its paused state). */
export async function upsertDriftSchedule(
  client: Client,
  spec: EnvironmentSpec,
  settings: ScheduleSettings,
): Promise<'created' | 'updated'> {
  const options = driftSchedule(spec, settings);
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(options.scheduleId).update((previous) => ({
      ...previous,
      spec: options.spec,
      action: options.action,
      policies: { ...previous.policies, ...options.policies },
    }));
    return 'updated';
  }
}

/** The workflow ids of the schedule's runs, newest last (running ones included). */
export function scheduledRuns(description: ScheduleDescription): string[] {
  return [
    ...description.info.recentActions.map((a) => a.action.workflow.workflowId),
    ...description.info.runningActions.map((a) => a.workflow.workflowId),
  ].filter((id, i, all) => all.indexOf(id) === i);
}

interface ScheduleCommandOptions extends ScheduleSettings {
  pause?: boolean;
  unpause?: boolean;
  trigger?: boolean;
  delete?: boolean;
  describe?: boolean;
  json?: boolean;
}

async function schedule(environment: string, opts: ScheduleCommandOptions) {
  const actions = (['pause', 'unpause', 'trigger', 'delete', 'describe'] as const).filter((a) => opts[a]);
  if (actions.length > 1)
    throw new CliError(`choose one of --${actions.join(', --')}`, ExitCode.invalidInput);
  const [action] = actions;
  const spec = action ? undefined : resolveSpec(environment);
  const name = spec?.name ?? environment;
  await withClient(async (client) => {
    const handle = client.schedule.getHandle(driftScheduleId(name));
    const missing = (err: unknown): never => {
      if (err instanceof ScheduleNotFoundError)
        throw new CliError(
          `no drift schedule for ${name}; create it with 'lp-infra schedule drift ${name} --every 15m'`,
          ExitCode.failed,
        );
      throw err;
    };
    const by = process.env.USER ?? 'lp-infra';
    if (spec) {
      const outcome = await upsertDriftSchedule(client, spec, opts);
      console.log(`${outcome} schedule ${driftScheduleId(name)}: every ${opts.every ?? spec.drift.schedule}`);
    } else if (action === 'pause') {
      await handle.pause(`paused by ${by}`).catch(missing);
      console.log(`paused ${handle.scheduleId}`);
    } else if (action === 'unpause') {
      await handle.unpause(`unpaused by ${by}`).catch(missing);
      console.log(`unpaused ${handle.scheduleId}`);
    } else if (action === 'trigger') {
      await handle.trigger().catch(missing);
      console.log(`triggered ${handle.scheduleId}: see 'lp-infra schedule drift ${name} --describe'`);
    } else if (action === 'delete') {
      await handle.delete().catch(missing);
      console.log(`deleted ${handle.scheduleId}`);
    } else {
      await describe(client, name, opts.json).catch(missing);
    }
  });
}

async function describe(client: Client, environment: string, json?: boolean) {
  const description = await client.schedule.getHandle(driftScheduleId(environment)).describe();
  const runs = scheduledRuns(description);
  const latest = runs.length ? runs[runs.length - 1] : undefined;
  const report = latest
    ? await client.workflow
        .getHandle(latest)
        .query(driftReportQuery)
        .catch(() => undefined)
    : undefined;
  const every = description.spec.intervals?.[0]?.every;
  const summary = {
    scheduleId: description.scheduleId,
    paused: description.state.paused,
    note: description.state.note,
    everyMs: every,
    overlap: description.policies.overlap,
    nextRuns: description.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()),
    runs,
    latestReport: report,
  };
  if (json) return printJson(summary);
  console.log(
    `${summary.scheduleId}: ${summary.paused ? 'paused' : 'active'}, every ${every !== undefined ? `${Number(every) / 60_000}m` : '?'}, overlap ${summary.overlap}`,
  );
  if (summary.nextRuns.length) console.log(`next: ${summary.nextRuns.join(', ')}`);
  for (const id of runs) console.log(`  run ${id}`);
  if (report) console.log(renderReport(report));
}

export function registerDrift(program: Command): void {
  program
    .command('drift')
    .description('Check an environment for drift now (workflow drift/<env>/now-…) and print the report')
    .argument('<environment>', 'environment name (environments/<name>.yaml) or spec file')
    .option('--remediation <mode>', `override the spec's drift.remediation: ${modes.join(', ')}`)
    .option('--only <ids>', 'check only these components (comma-separated ids)')
    .option('--approve', 'approve the re-apply a drift run of the environment waits for')
    .option('--reject', 'reject the re-apply a drift run of the environment waits for')
    .option('--by <name>', "who decides (default: the key's approver, else $USER)")
    .option('--key <file>', keyOptionHelp)
    .option('--reason <text>', 'why, recorded in the run')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  lp-infra drift local\n  lp-infra drift environments/local.yaml --remediation report-only --json\n  lp-infra drift local --approve --reason "reviewed"\n\nExit codes: 0 no drift, 5 drift found, 1 a check failed.',
    )
    .action((target: string, opts) =>
      opts.approve || opts.reject ? decide(target, Boolean(opts.approve), opts) : checkNow(target, opts),
    );
}

export function registerSchedule(program: Command): void {
  const scheduleCommand =
    program.commands.find((c) => c.name() === 'schedule') ??
    program.command('schedule').description('Temporal Schedules that run lp-infra workflows');
  scheduleCommand
    .command('drift')
    .description('Create or update the drift schedule of an environment (schedule id drift/<env>)')
    .argument('<environment>', 'environment name or spec file')
    .option('--every <duration>', "how often, e.g. 15m (default: the spec's drift.schedule)")
    .option('--remediation <mode>', `override the spec's drift.remediation: ${modes.join(', ')}`)
    .option('--only <ids>', 'check only these components (comma-separated ids)')
    .option('--pause', 'pause the schedule')
    .option('--unpause', 'unpause the schedule')
    .option('--trigger', 'start one run now (skipped while one runs)')
    .option('--delete', 'delete the schedule (runs already started go on)')
    .option('--describe', 'show the schedule, its runs and the latest report')
    .option('--json', 'with --describe: print as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  lp-infra schedule drift local --every 15m\n  lp-infra schedule drift local --trigger\n  lp-infra schedule drift local --describe --json',
    )
    .action(schedule);
}
