/**
 * The CLI as a user meets it, in child processes against a real Temporal dev server:
 * exit codes, --json, help with examples, Ctrl-C detaching from a run that goes on (and
 * `status` re-attaching), and `lp-infra worker` with its Prometheus metrics and JSON logs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Command } from 'commander';
import type { ComponentRequest } from '../../src/infra/components/contract';
import { runningSince } from '../../src/activities/runs';
import { validateEnvironment } from '../../src/activities/validate';
import { buildProgram } from '../../src/client';
import { dataConverter } from '../../src/codec/data-converter';
import { keyringFrom, newKeyFile } from '../../src/codec/keyring';
import { freePort } from '../../src/dev/processes';
import { projectRoot } from '../../src/infra/toolchain';
import { ExitCode } from '../../src/cli/exit-codes';
import { startDevServer } from '../helpers/servers';
import { runCli, startCli, stopCli, type CliRun } from '../helpers/cli';

const keyFile = newKeyFile('cli-test');
const codecKey = `cli-test:${keyFile.keys['cli-test']}`;
const localSpec = path.join(projectRoot, 'environments', 'local.yaml');

let env: TestWorkflowEnvironment;
let client: Client;
let temporal: NodeJS.ProcessEnv;
const started: CliRun[] = [];

beforeAll(async () => {
  env = await startDevServer();
  client = new Client({ connection: env.connection, dataConverter: dataConverter(keyringFrom(keyFile)) });
  temporal = { TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: 'default', LP_INFRA_CODEC_KEY: codecKey };
}, 120_000);

afterAll(async () => {
  for (const run of started) await stopCli(run);
  await env?.teardown();
});

function cli(args: string[], extra: NodeJS.ProcessEnv = {}): CliRun {
  const run = startCli(args, { ...temporal, ...extra });
  started.push(run);
  return run;
}

describe('exit codes and --json', () => {
  test('an invalid spec is exit 2 and contacts nothing; plan --json is one JSON document', async () => {
    const missing = await runCli(['up', 'environments/no-such.yaml'], temporal);
    expect(missing.code).toBe(ExitCode.invalidInput);

    const badLevel = await runCli(['worker', '--log-level', 'loud'], temporal);
    expect(badLevel.code).toBe(ExitCode.invalidInput);
    expect(badLevel.stderr).toContain("--log-level: 'loud' is not a log level");

    const plan = await runCli(['plan', localSpec, '--json']);
    expect(plan.code).toBe(ExitCode.ok);
    const parsed = JSON.parse(plan.stdout);
    expect(parsed.valid).toBe(true);
    expect(parsed.components.length).toBeGreaterThan(5);
  });

  test('no Temporal at the address is exit 4 with a hint; an unknown environment is exit 1', async () => {
    const closed = await freePort();
    const down = await runCli(['status', 'local'], { TEMPORAL_ADDRESS: `127.0.0.1:${closed}` });
    expect(down.code).toBe(ExitCode.unavailable);
    expect(down.stderr).toContain('cannot reach Temporal');

    const unknown = await runCli(['status', 'no-such-env', '--json'], temporal);
    expect(unknown.code).toBe(ExitCode.failed);
    expect(unknown.stderr).toContain('no-such-env');
  });

  test('every command’s help has a description and examples; the program’s help lists the exit codes', () => {
    const program = buildProgram();
    const helpOf = (command: Command) => {
      let text = '';
      command.configureOutput({ writeOut: (s) => (text += s) });
      command.outputHelp();
      return text;
    };
    const leaves: Command[] = [];
    const walk = (c: Command) => (c.commands.length ? c.commands.forEach(walk) : leaves.push(c));
    program.commands.forEach(walk);
    const missing = leaves
      .filter((c) => !c.description() || !/Examples?:/.test(helpOf(c)))
      .map((c) => c.name());
    expect(missing).toEqual([]);
    expect(helpOf(program)).toMatch(/Exit codes:[\s\S]*\n {2}4 {3}/);
  });
});

describe('following a run', () => {
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = 'cli-test-slow';

  beforeAll(async () => {
    // Activities that take their time: the run is still planning when the user presses Ctrl-C.
    const slow = async (request: ComponentRequest) => {
      await Context.current().sleep('10 minutes');
      throw new Error(`${request.node.id} should have been cancelled`);
    };
    worker = await Worker.create({
      connection: await NativeConnection.connect({ address: env.address }),
      taskQueue,
      workflowsPath: require.resolve('../../src/workflows'),
      activities: {
        validateEnvironment,
        runningSince,
        planComponent: slow,
        applyComponent: slow,
        componentReady: slow,
      },
      dataConverter: dataConverter(keyringFrom(keyFile)),
    });
    running = worker.run();
  }, 180_000);

  afterAll(async () => {
    await client.workflow
      .getHandle('provision/local')
      .terminate('test done')
      .catch(() => undefined);
    worker?.shutdown();
    await running;
  });

  test('Ctrl-C detaches and says how to re-attach; the run goes on; status re-attaches', async () => {
    const up = cli(['up', localSpec], { LP_INFRA_TASK_QUEUE: taskQueue });
    await up.waitFor('started provision/local');
    await up.waitFor(/planning/);
    up.child.kill('SIGINT');
    expect(await up.exited).toBe(130);
    expect(up.stderr()).toContain('detached; the run goes on');
    expect(up.stderr()).toContain('lp-infra status local');

    const description = await client.workflow.getHandle('provision/local').describe();
    expect(description.status.name).toBe('RUNNING');

    const once = await runCli(['status', 'local', '--json'], temporal);
    expect(once.code).toBe(ExitCode.ok);
    const status = JSON.parse(once.stdout);
    expect(status).toMatchObject({ workflowId: 'provision/local', status: 'RUNNING' });
    expect(status.progress.components.some((c: { phase: string }) => c.phase === 'planning')).toBe(true);

    const again = cli(['status', 'local']);
    await again.waitFor(/planning/);
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(130);
    expect(again.stderr()).toContain('lp-infra status local');
  });
});

/** A Temporal config file (the `temporal` CLI's TOML) with one profile, and no TEMPORAL_ADDRESS. */
function profile(name: string, address: string): NodeJS.ProcessEnv {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'lp-infra-profile-')), 'temporal.toml');
  writeFileSync(file, `[profile.${name}]\naddress = "${address}"\nnamespace = "default"\n`);
  return { TEMPORAL_ADDRESS: undefined, TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: name };
}

test('the CLI finds Temporal through a config profile (envconfig), like the temporal CLI', async () => {
  const reached = await runCli(['status', 'no-such-env'], { ...temporal, ...profile('lp', env.address) });
  expect(reached.code).toBe(ExitCode.failed); // the server answered: no such run
  const closed = await freePort();
  const down = await runCli(['status', 'no-such-env'], {
    ...temporal,
    ...profile('lp', `127.0.0.1:${closed}`),
  });
  expect(down.code).toBe(ExitCode.unavailable);
  expect(down.stderr).toContain(`127.0.0.1:${closed}`);
});

describe('lp-infra worker', () => {
  test('serves temporal_* metrics and logs JSON lines with the environment of the run', async () => {
    const metricsPort = await freePort();
    // Connected through a config profile, as with Temporal Cloud (where the profile also holds the API key).
    const worker = cli(['worker', '--metrics-port', String(metricsPort)], {
      LP_INFRA_LOG_LEVEL: 'debug',
      ...profile('workers', env.address),
    });
    await worker.waitFor('lp-infra worker polling', 'stderr', 240_000);

    // A run whose input is not a valid spec: the workflow refuses it before any activity, touching nothing.
    const workflowId = `provision/obs-${Date.now()}`;
    const handle = await client.workflow.start('provisionEnvironment', {
      taskQueue: 'lp-infra',
      workflowId,
      args: [{ spec: { name: 'broken' } }],
    });
    await expect(handle.result()).rejects.toThrow();

    // The worker reports the failure (metric, log) as it completes the task, not before the client sees it.
    const failedMetric = /^temporal_workflow_failed\S*\{[^}]*workflow_type="provisionEnvironment"/m;
    let metrics = '';
    for (let tries = 0; tries < 100 && !failedMetric.test(metrics); tries++) {
      if (tries) await new Promise((r) => setTimeout(r, 200));
      metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    }
    expect(metrics).toMatch(/^temporal_\w+/m);
    expect(metrics).toMatch(failedMetric);

    await worker.waitFor('"message":"Workflow failed"');
    // Debug logs include the worker's options: the payload key must not be among them.
    const keyBytes = Buffer.from(keyFile.keys['cli-test'], 'base64');
    expect(worker.stderr()).not.toContain(keyFile.keys['cli-test']);
    expect(worker.stderr()).not.toContain(`"data":[${[...keyBytes].join(',')}]`);
    const records = worker
      .stderr()
      .split('\n')
      .slice(0, -1) // the last line may still be being written
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.find((r) => r.message === 'lp-infra worker polling')).toMatchObject({
      level: 'info',
      service: 'lp-infra-worker',
      taskQueue: 'lp-infra',
    });
    const aboutRun = records.filter((r) => r.workflowId === workflowId);
    expect(aboutRun.length).toBeGreaterThan(0);
    expect(aboutRun.every((r) => r.environment === workflowId.split('/')[1])).toBe(true);
    expect(aboutRun.find((r) => r.message === 'Workflow failed')).toMatchObject({
      workflowType: 'provisionEnvironment',
    });
    expect(aboutRun.filter((r) => r.activityType !== undefined)).toEqual([]);

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  });
});
