/** `lp-infra up | status | approve | reject | destroy`: provisioning runs from the terminal. */
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { Command } from 'commander';
import { TASK_QUEUE } from '../config/temporal';
import { buildPlan } from '../model';
import {
  destroyEnvironment,
  provisionEnvironment,
  type ProvisionResult,
  type RemovalReport,
} from '../workflows';
import { workflowIds } from '../workflows/ids';
import { progressQuery } from '../workflows/progress';
import { LpAction, LpEnvironment } from '../workflows/search-attributes';
import {
  keyOptionHelp,
  registerApprover,
  sendDecision,
  type DecideOptions,
  type SentDecision,
} from './approver';
import { CliError, loadSpecOrExit, running, withClient } from './connect';
import { ExitCode } from './exit-codes';
import { follow, renderProgress, runProgress, runUrl } from './follow';
import { printJson } from './output';

/** Ends the command with the failure's message and exit code 1 (the run failed, cleanly). */
function failed(err: unknown): never {
  if (err instanceof WorkflowFailedError) {
    throw new CliError(`${err.cause?.message ?? err.message}`, ExitCode.failed);
  }
  throw err;
}

async function up(specPath: string, opts: { keepOnFailure?: boolean; detach?: boolean; json?: boolean }) {
  const spec = loadSpecOrExit(specPath);
  const plan = buildPlan(spec);
  const denied = plan.policy.filter((f) => f.severity === 'deny');
  if (denied.length) {
    throw new CliError(
      `policy denies ${spec.name}:\n${denied.map((f) => `  ${f.component}: ${f.message} [${f.rule}]`).join('\n')}\n(see 'lp-infra plan ${specPath}')`,
      ExitCode.refused,
    );
  }
  await withClient(async (client) => {
    await refuseIfRunning(
      client,
      workflowIds.destroy(spec.name),
      `wait for it to end before provisioning ${spec.name} again`,
    );
    const workflowId = workflowIds.provision(spec.name);
    const handle = await client.workflow
      .start(provisionEnvironment, {
        taskQueue: TASK_QUEUE,
        workflowId,
        args: [{ spec, keepOnFailure: opts.keepOnFailure }],
        typedSearchAttributes: [
          { key: LpEnvironment, value: spec.name },
          { key: LpAction, value: 'provision' },
        ],
        staticSummary: `Provision ${spec.name}: ${plan.components.length} components, critical path ${plan.criticalPath.path.join(' → ')}`,
      })
      .catch((err) => {
        if (err instanceof WorkflowExecutionAlreadyStartedError) {
          throw new CliError(
            `a provisioning run of ${spec.name} is already running (workflow ${workflowId}); follow it with 'lp-infra status ${spec.name}'`,
            ExitCode.refused,
          );
        }
        throw err;
      });
    const url = runUrl(workflowId, handle.firstExecutionRunId);
    console.error(`started ${workflowId}${url ? `: ${url}` : ''}`);
    if (opts.detach) return;
    const result = await follow<ProvisionResult>(handle, `lp-infra status ${spec.name}`).catch(failed);
    if (opts.json) return printJson(result);
    printProvisionSummary(result, url);
  });
}

/** `provision/<env>` and `destroy/<env>` exclude each other: exit 3 while the other runs. */
async function refuseIfRunning(client: Client, workflowId: string, advice: string) {
  if (await running(client, workflowId))
    throw new CliError(`${workflowId} is running; ${advice}`, ExitCode.refused);
}

function printProvisionSummary(result: ProvisionResult, url?: string) {
  const all = result.created.length + result.updated.length;
  const changes = result.changed.length
    ? `changed: ${result.changed.join(', ')}`
    : 'nothing changed: the cloud already matched the spec';
  console.log(
    `${result.environment} is ready: ${result.created.length} component(s) created, ${result.updated.length} already there (${all} in all); ${changes}`,
  );
  const notEmulated = Object.entries(result.notEmulated);
  if (notEmulated.length) {
    console.log('not emulated locally (done by the production path):');
    for (const [id, steps] of notEmulated) console.log(`  ${id}: ${steps.join(', ')}`);
  }
  if (url) console.log(`Temporal UI: ${url}`);
}

async function status(environment: string, opts: { json?: boolean; follow?: boolean }) {
  await withClient(async (client) => {
    for (const action of ['provision', 'destroy'] as const) {
      const handle = client.workflow.getHandle(workflowIds[action](environment));
      const description = await handle.describe().catch((err) => {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      });
      if (!description) continue;
      const running = description.status.name === 'RUNNING';
      if (running && opts.follow !== false && !opts.json) {
        await follow(handle, `lp-infra status ${environment}`).catch(failed);
        return;
      }
      const progress = await runProgress(handle);
      if (opts.json)
        return printJson({ workflowId: handle.workflowId, status: description.status.name, progress });
      console.log(`${handle.workflowId}: ${description.status.name}`);
      if (progress) console.log(renderProgress(progress));
      const url = runUrl(handle.workflowId, description.runId);
      if (url) console.log(url);
      return;
    }
    throw new CliError(`no provisioning or destroy run of ${environment} was found`, ExitCode.failed);
  });
}

async function decide(
  environment: string,
  component: string | undefined,
  approved: boolean,
  opts: DecideOptions & { json?: boolean },
) {
  await withClient(async (client) => {
    const waiting = component
      ? [component]
      : (
          (
            await client.workflow
              .getHandle(workflowIds.provision(environment))
              .query(progressQuery)
              .catch(() => undefined)
          )?.components ?? []
        )
          .filter((c) => c.phase === 'awaiting-approval')
          .map((c) => c.id);
    const targets = waiting.length
      ? waiting.map((id) => workflowIds.component(environment, id))
      : [workflowIds.destroy(environment)];
    const decisions: SentDecision[] = [];
    for (const workflowId of targets) {
      const sent = await sendDecision(client.workflow.getHandle(workflowId), approved, opts);
      decisions.push(sent);
      if (!opts.json) console.log(`${workflowId}: ${sent.message}`);
    }
    if (opts.json) printJson({ approved, decisions });
  });
}

async function destroy(specPath: string, opts: { json?: boolean; detach?: boolean }) {
  const spec = loadSpecOrExit(specPath);
  await withClient(async (client) => {
    await refuseIfRunning(
      client,
      workflowIds.provision(spec.name),
      'cancel it (its compensation removes what it made) or wait for it before destroying',
    );
    const workflowId = workflowIds.destroy(spec.name);
    const handle = await client.workflow
      .start(destroyEnvironment, {
        taskQueue: TASK_QUEUE,
        workflowId,
        args: [{ spec }],
        typedSearchAttributes: [
          { key: LpEnvironment, value: spec.name },
          { key: LpAction, value: 'destroy' },
        ],
        staticSummary: `Destroy ${spec.name}`,
      })
      .catch((err) => {
        if (err instanceof WorkflowExecutionAlreadyStartedError) {
          throw new CliError(`a destroy run of ${spec.name} is already running`, ExitCode.refused);
        }
        throw err;
      });
    const url = runUrl(workflowId, handle.firstExecutionRunId);
    console.error(`started ${workflowId}${url ? `: ${url}` : ''}`);
    if (spec.database.deletionProtection) {
      console.error(`deletion protection is on: approve with 'lp-infra approve ${spec.name}'`);
    }
    if (opts.detach) return;
    const report = await follow<RemovalReport>(handle, `lp-infra status ${spec.name}`).catch(failed);
    if (opts.json) return printJson(report);
    console.log(`${spec.name} destroyed: ${report.removed.length} component(s) removed`);
  });
}

export function registerProvision(program: Command): void {
  program
    .command('up')
    .description(
      'Provision an environment from its spec (workflow provision/<env>); follows the run until it ends',
    )
    .argument('<spec>', 'environment spec, e.g. environments/local.yaml')
    .option('--keep-on-failure', 'keep what a failed run made, for inspection (default: remove it)')
    .option('--detach', 'start the run and return')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  lp-infra up environments/local.yaml\n  lp-infra up environments/local.yaml --detach && lp-infra status local',
    )
    .action(up);
  program
    .command('status')
    .description('Show (and follow, while it runs) the latest provision or destroy run of an environment')
    .argument('<environment>', 'environment name (the spec’s name)')
    .option('--no-follow', 'print once, even while the run goes on')
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  lp-infra status local\n  lp-infra status local --json | jq .progress.components',
    )
    .action(status);
  for (const [name, approved] of [
    ['approve', true],
    ['reject', false],
  ] as const) {
    program
      .command(name)
      .description(
        `${approved ? 'Approve' : 'Reject'} what a run of the environment waits for (a component, or a destroy)`,
      )
      .argument('<environment>', 'environment name')
      .argument('[component]', 'component id (default: every component that waits)')
      .option('--by <name>', "who decides (default: the key's approver, else $USER)")
      .option('--key <file>', keyOptionHelp)
      .option('--reason <text>', 'why, recorded in the run')
      .option('--json', 'print the decisions as JSON')
      .addHelpText(
        'after',
        `\nExamples:\n  lp-infra ${name} local\n  lp-infra ${name} reference database --key ~/.config/lp-infra/approver-alice.key --reason "change ticket 42"`,
      )
      .action((environment: string, component: string | undefined, opts) =>
        decide(environment, component, approved, opts),
      );
  }
  registerApprover(program);
  program
    .command('destroy')
    .description(
      'Remove an environment, dependents first (workflow destroy/<env>); refused while it is being provisioned',
    )
    .argument('<spec>', 'environment spec')
    .option('--detach', 'start the run and return')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  lp-infra destroy environments/local.yaml\n  lp-infra destroy environments/local.yaml --detach && lp-infra approve local',
    )
    .action(destroy);
}
