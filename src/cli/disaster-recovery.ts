/** `lp-infra failover | failback | drill | monitor`: moving an environment between its regions. */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Command } from 'commander';
import { TASK_QUEUE } from '../config/temporal';
import { monitorMarkdown } from '../disaster-recovery/health';
import type { SagaResult } from '../disaster-recovery/saga';
import type { EnvironmentSpec } from '../model';
import { failback, failover, healthMonitor } from '../workflows';
import { healthStateQuery, pauseMonitor, resumeMonitor } from '../workflows/health-monitor';
import { workflowIds } from '../workflows/ids';
import { LpAction, LpEnvironment } from '../workflows/search-attributes';
import { keyOptionHelp, sendDecision } from './approver';
import { CliError, loadSpecOrExit, running, withClient } from './connect';
import { ExitCode } from './exit-codes';
import { follow, runUrl } from './follow';
import { printJson } from './output';

type Move = 'failover' | 'failback';
interface MoveOptions {
  json?: boolean;
  detach?: boolean;
  planned?: boolean;
}

function loadOrExit(path: string): EnvironmentSpec {
  const spec = loadSpecOrExit(path);
  if (!spec.database.crossRegionReplica)
    throw new CliError(
      `${spec.name} has no database.crossRegionReplica: it has no region to fail over to`,
      ExitCode.invalidInput,
    );
  return spec;
}

/** Starts failover/<env> or failback/<env>; refused while either runs. */
async function start(
  client: Client,
  spec: EnvironmentSpec,
  move: Move,
  planned: boolean,
): Promise<WorkflowHandle> {
  const other = workflowIds[move === 'failover' ? 'failback' : 'failover'](spec.name);
  if (await running(client, other))
    throw new CliError(`${other} is running; wait for it first`, ExitCode.refused);
  const workflowId = workflowIds[move](spec.name);
  const options = {
    taskQueue: TASK_QUEUE,
    workflowId,
    typedSearchAttributes: [
      { key: LpEnvironment, value: spec.name },
      { key: LpAction, value: move },
    ],
    staticSummary: `${move} ${spec.name}${planned ? ' (planned)' : ''}`,
  };
  const started =
    move === 'failover'
      ? client.workflow.start(failover, {
          ...options,
          args: [{ spec, planned, reason: 'requested from the CLI' }],
        })
      : client.workflow.start(failback, { ...options, args: [{ spec }] });
  const handle = await started.catch((err) => {
    if (err instanceof WorkflowExecutionAlreadyStartedError)
      throw new CliError(`${workflowId} is already running`, ExitCode.refused);
    throw err;
  });
  const url = runUrl(workflowId, handle.firstExecutionRunId);
  console.error(`started ${workflowId}${url ? `: ${url}` : ''}`);
  return handle;
}

/** The run's result; a refused or failed run ends the command with its message (and its result with --json). */
async function outcome(handle: WorkflowHandle, json?: boolean): Promise<SagaResult> {
  try {
    return await follow<SagaResult>(handle, `temporal workflow describe --workflow-id ${handle.workflowId}`);
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const cause = err.cause instanceof ApplicationFailure ? err.cause : undefined;
    if (json && cause?.details?.[0]) printJson(cause.details[0]);
    throw new CliError(
      cause?.message ?? err.message,
      cause?.type === 'PreconditionFailed' ? ExitCode.refused : ExitCode.failed,
    );
  }
}

const seconds = (s: number | undefined) => (s === undefined ? 'n/a' : `${s.toFixed(1)} s`);

export function printResult(result: SagaResult): void {
  console.log(`${result.direction} ${result.environment}: ${result.from} → ${result.to} ${result.status}`);
  for (const step of result.steps) {
    console.log(`  ${step.title.padEnd(52)} ${seconds(step.seconds).padStart(9)}  ${step.detail ?? ''}`);
  }
  console.log(
    `RTO ${seconds(result.rtoSeconds)} (objective ${result.rtoObjectiveSeconds / 60} min) · RPO estimate ${seconds(result.rpoSeconds)} (objective ${result.rpoObjectiveSeconds} s)`,
  );
  if (result.notEmulated.length) {
    console.log('not emulated locally (done by the production path):');
    for (const step of result.notEmulated) console.log(`  ${step}`);
  }
}

async function runMove(move: Move, specPath: string, opts: MoveOptions) {
  const spec = loadOrExit(specPath);
  await withClient(async (client) => {
    const handle = await start(client, spec, move, move === 'failback' || Boolean(opts.planned));
    if (opts.detach) return;
    const result = await outcome(handle, opts.json);
    if (opts.json) printJson(result);
    else printResult(result);
  });
}

/** Failover (planned) then failback: the measured RTO of both. */
async function drill(specPath: string, opts: MoveOptions) {
  const spec = loadOrExit(specPath);
  await withClient(async (client) => {
    const over = await outcome(await start(client, spec, 'failover', true), opts.json);
    if (!opts.json) printResult(over);
    const back = await outcome(await start(client, spec, 'failback', true), opts.json);
    if (opts.json) return printJson({ failover: over, failback: back });
    printResult(back);
    console.log(
      `drill of ${spec.name}: failover RTO ${seconds(over.rtoSeconds)}, failback RTO ${seconds(back.rtoSeconds)}`,
    );
  });
}

interface MonitorOptions {
  json?: boolean;
  status?: boolean;
  approve?: boolean;
  reject?: boolean;
  pause?: boolean;
  resume?: boolean;
  by?: string;
  reason?: string;
  key?: string;
}

/** The monitor's state, or a decision on the failover it waits to start. */
async function monitorRun(client: Client, workflowId: string, opts: MonitorOptions) {
  const handle = client.workflow.getHandle(workflowId);
  if (opts.approve || opts.reject) {
    const { message, by, signed } = await sendDecision(handle, Boolean(opts.approve), opts);
    return opts.json
      ? printJson({ workflowId, message, by, signed })
      : console.log(`${workflowId}: ${message}`);
  }
  if (opts.pause || opts.resume) {
    await handle.signal(opts.pause ? pauseMonitor : resumeMonitor).catch(() => {
      throw new CliError(`${workflowId} is not running`, ExitCode.failed);
    });
  }
  const state = await handle.query(healthStateQuery).catch(() => {
    throw new CliError(`${workflowId} is not running`, ExitCode.failed);
  });
  if (opts.json) return printJson(state);
  console.log(monitorMarkdown(state).replace(/\*\*/g, ''));
}

async function monitor(specPath: string, opts: MonitorOptions) {
  const spec = loadOrExit(specPath);
  await withClient(async (client) => {
    const workflowId = workflowIds.health(spec.name);
    if (opts.status || opts.approve || opts.reject || opts.pause || opts.resume)
      return monitorRun(client, workflowId, opts);
    const handle = await client.workflow
      .start(healthMonitor, {
        taskQueue: TASK_QUEUE,
        workflowId,
        args: [{ spec }],
        typedSearchAttributes: [
          { key: LpEnvironment, value: spec.name },
          { key: LpAction, value: 'health' },
        ],
        staticSummary: `health of ${spec.name}'s primary region`,
      })
      .catch((err) => {
        if (err instanceof WorkflowExecutionAlreadyStartedError)
          throw new CliError(`${workflowId} is already watching`, ExitCode.refused);
        throw err;
      });
    if (opts.json) return printJson({ workflowId, runId: handle.firstExecutionRunId });
    const url = runUrl(workflowId, handle.firstExecutionRunId);
    console.log(`started ${workflowId}${url ? `: ${url}` : ''}`);
  });
}

export function registerDisasterRecovery(program: Command): void {
  for (const [move, what] of [
    [
      'failover',
      'Move the environment to its secondary region (workflow failover/<env>): a saga, undone on failure',
    ],
    [
      'failback',
      'Move the environment back to its primary region once it replicates again (workflow failback/<env>)',
    ],
  ] as const) {
    const command = program
      .command(move)
      .description(what)
      .argument('<spec>', 'environment spec, e.g. environments/local.yaml')
      .option('--detach', 'start the run and return')
      .option('--json', 'print the result (steps, durations, RTO, RPO) as JSON');
    if (move === 'failover')
      command.option('--planned', 'the primary is healthy: a switchover that loses no data');
    command.addHelpText(
      'after',
      `\nExamples:\n  lp-infra ${move} environments/local.yaml${move === 'failover' ? ' --planned' : ''}\n  lp-infra ${move} environments/local.yaml --json`,
    );
    command.action((spec: string, opts: MoveOptions) => runMove(move, spec, opts));
  }
  program
    .command('drill')
    .description('Fail over (planned) and back, and print the measured RTO of each')
    .argument('<spec>', 'environment spec')
    .option('--json', 'print both results as JSON')
    .addHelpText('after', '\nExample:\n  lp-infra drill environments/local.yaml')
    .action(drill);
  program
    .command('monitor')
    .description('Start watching the primary region (workflow health/<env>); fails over as the spec says')
    .argument('<spec>', 'environment spec')
    .option('--status', 'print the state of the running monitor (probes, failures, last checks)')
    .option('--approve', 'approve the failover the monitor waits to start (failoverApproval: required)')
    .option('--reject', 'reject it; the monitor watches again')
    .option('--pause', 'stop probing until resumed')
    .option('--resume', 'watch again (after a pause, or once failback is done)')
    .option('--by <name>', "who decides (default: the key's approver, else $USER)")
    .option('--key <file>', keyOptionHelp)
    .option('--reason <text>', 'why, recorded in the run')
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  lp-infra monitor environments/reference.yaml\n  lp-infra monitor environments/reference.yaml --status\n  lp-infra monitor environments/reference.yaml --approve --reason "us-east-1 outage"',
    )
    .action(monitor);
}
