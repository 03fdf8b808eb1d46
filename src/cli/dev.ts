import { InvalidArgumentError, type Command } from 'commander';
import { platformCheck } from '../workflows';
import { defaultPorts, stackDown, stackStatus, stackUp, type StackInfo, type StackPorts } from '../dev/stack';
import { freePort } from '../dev/processes';
import { workflowIds } from '../workflows/ids';
import { connectClient } from './connect';
import { runUrl } from './follow';
import { printJson } from './output';

const say = (message: string) => console.error(`[dev] ${message}`);

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError(`not a port: ${value}`);
  return n;
}

function printAddresses(info: StackInfo) {
  console.log(`Temporal:    ${info.temporalAddress}  (namespace default, task queue ${info.taskQueue})`);
  console.log(
    `Temporal UI: ${info.uiUrl}${info.codecTokenFile ? `  (a browser signs in once with the token in ${info.codecTokenFile})` : ''}`,
  );
  console.log(`AWS (moto):  ${info.awsEndpoint}`);
  if (info.codecUrl) console.log(`Codec:       ${info.codecUrl}  (Authorization: Bearer <that token>)`);
  for (const [variable, kubeconfig] of Object.entries(info.kubeconfigs ?? {}))
    console.log(`${variable}=${kubeconfig}`);
}

async function freePorts(): Promise<StackPorts> {
  const ports = {} as StackPorts;
  const taken = new Set<number>();
  for (const key of Object.keys(defaultPorts) as (keyof StackPorts)[]) {
    let port = await freePort();
    while (taken.has(port)) port = await freePort();
    taken.add(port);
    ports[key] = port;
  }
  return ports;
}

export function registerDev(program: Command): void {
  const dev = program
    .command('dev')
    .description('The local stack: Temporal dev server + UI, emulated AWS (moto), a worker');

  dev
    .command('up')
    .description('Start what is not running yet and wait until each part answers')
    .option('--temporal-port <port>', 'Temporal frontend port', port, defaultPorts.temporal)
    .option('--ui-port <port>', 'Temporal Web UI port', port, defaultPorts.ui)
    .option('--moto-port <port>', 'emulated AWS port', port, defaultPorts.moto)
    .option('--free-ports', 'pick free loopback ports for every part (a second, private stack)')
    .option('--json', 'print the addresses as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  lp-infra dev up --ui-port 18233\n  LP_INFRA_STATE_DIR=/tmp/stack2 lp-infra dev up --free-ports --json',
    )
    .action(async (opts) => {
      const started = Date.now();
      const ports: StackPorts = opts.freePorts
        ? await freePorts()
        : { ...defaultPorts, temporal: opts.temporalPort, ui: opts.uiPort, moto: opts.motoPort };
      const info = await stackUp(ports, say);
      if (opts.json) return printJson(info);
      say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      printAddresses(info);
    });

  dev
    .command('down')
    .description('Stop what `dev up` started (and nothing else); data stays in .local/')
    .addHelpText('after', '\nExample:\n  lp-infra dev down')
    .action(async () => {
      const stopped = await stackDown(say);
      say(stopped.length ? `stopped ${stopped.join(', ')}` : 'nothing was running');
    });

  dev
    .command('status')
    .description('Say which parts of the local stack run, and where')
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nExamples:\n  lp-infra dev status\n  lp-infra dev status --json | jq .info.uiUrl')
    .action((opts) => {
      const status = stackStatus();
      if (opts.json) return printJson(status);
      for (const s of status.services) {
        console.log(
          `${s.service.padEnd(9)} ${s.running ? `running (pid ${s.pid})` : 'stopped'}  log: ${s.log}`,
        );
      }
      if (status.info && status.services.some((s) => s.running)) printAddresses(status.info);
    });

  dev
    .command('check')
    .description('Run a first workflow: every region of the emulated cloud says who and where it is')
    .option('--regions <list>', 'comma-separated regions', 'us-east-1,us-west-2')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  lp-infra dev check\n  lp-infra dev check --regions us-east-1 --json',
    )
    .action(async (opts) => {
      const { client, close } = await connectClient();
      try {
        const workflowId = workflowIds.platformCheck('local');
        const regions = String(opts.regions)
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean);
        const handle = await client.workflow.start(platformCheck, {
          taskQueue: stackStatus().info?.taskQueue ?? 'lp-infra',
          workflowId,
          workflowIdConflictPolicy: 'TERMINATE_EXISTING',
          args: [{ environment: 'local', regions }],
          staticSummary: `Platform check of ${regions.join(', ')}`,
        });
        const result = await handle.result();
        if (opts.json) return printJson(result);
        for (const r of result) {
          console.log(
            `${r.region}: account ${r.account}, zones ${r.availabilityZones.join(' ')}${r.endpoint ? ` (emulated at ${r.endpoint})` : ''}`,
          );
        }
        const url = runUrl(workflowId, handle.firstExecutionRunId);
        if (url) console.log(`Run: ${url}`);
      } finally {
        await close();
      }
    });
}
