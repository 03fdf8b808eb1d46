/**
 * A whole private local stack for end-to-end tests: `lp-infra dev up --free-ports` with its
 * own state folder (Temporal dev server with a SQLite file, moto, etcd + one kube-apiserver
 * per region with kwok nodes, a real worker process). Nothing is shared with a developer's
 * running stack or with another test file.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { dataConverter } from '../../src/codec/data-converter';
import { loadKeyring, newKeyFile } from '../../src/codec/keyring';
import type { StackInfo } from '../../src/dev/stack';
import { alive, runningPidFrom } from '../../src/dev/processes';
import { kubeApi, type KubeApi } from '../../src/infra/kubernetes/api';
import { clientNode } from '../../src/infra/kubernetes/client-node';
import { kubeconfigVariable } from '../../src/infra/kubernetes/kubeconfig';
import { projectRoot } from '../../src/infra/toolchain';
import { workflowIds } from '../../src/workflows/ids';

const run = promisify(execFile);
const cliEntry = path.join(projectRoot, 'dist', 'client.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface LocalStack {
  info: StackInfo;
  stateDir: string;
  /** A client with the stack's codec key. */
  client: Client;
  /** The environment a process needs to use this stack (state dir, endpoints, kubeconfigs). */
  env: NodeJS.ProcessEnv;
  /** Runs the lp-infra CLI against this stack. */
  cli(args: string[], options?: { timeoutMs?: number }): Promise<CliResult>;
  /** The API server of the stack's cluster in this region. */
  kube(region: string): KubeApi;
  workerPid(): number | undefined;
  /** SIGKILL, as a crash: no shutdown, no heartbeat, nothing flushed. */
  killWorker(): Promise<void>;
  /** Starts the worker again (`dev up` starts only what is missing). */
  restartWorker(): Promise<void>;
  /**
   * Replaces the worker with one whose environment has these variables too (an AWS endpoint
   * through a proxy, say); it is the stack's worker from then on (kill, restart, stop).
   */
  replaceWorker(variables: NodeJS.ProcessEnv): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalStack(): Promise<LocalStack> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'lp-infra-stack-'));
  const keyFile = path.join(stateDir, 'codec-key.json');
  writeFileSync(keyFile, JSON.stringify(newKeyFile(), null, 2), { mode: 0o600 });
  const env: NodeJS.ProcessEnv = { ...process.env, LP_INFRA_STATE_DIR: stateDir };
  for (const name of [
    'TEMPORAL_ADDRESS',
    'TEMPORAL_PROFILE',
    'LP_INFRA_CODEC_KEY',
    'LP_INFRA_CODEC_KEY_FILE',
  ])
    delete env[name];

  const cli = async (args: string[], options: { timeoutMs?: number } = {}): Promise<CliResult> => {
    try {
      const { stdout, stderr } = await run(process.execPath, [cliEntry, ...args], {
        env,
        cwd: projectRoot,
        timeout: options.timeoutMs ?? 600_000,
        maxBuffer: 32 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number | string; stdout?: string; stderr?: string };
      return {
        code: typeof e.code === 'number' ? e.code : 1,
        stdout: e.stdout ?? '',
        stderr: e.stderr ?? '',
      };
    }
  };

  const up = async (): Promise<StackInfo> => {
    const result = await cli(['dev', 'up', '--free-ports', '--json'], { timeoutMs: 240_000 });
    if (result.code !== 0) throw new Error(`dev up failed (${result.code}):\n${result.stderr}`);
    return JSON.parse(result.stdout) as StackInfo;
  };

  let info: StackInfo;
  try {
    info = await up();
  } catch (err) {
    await cli(['dev', 'down']);
    rmSync(stateDir, { recursive: true, force: true });
    throw err;
  }
  Object.assign(env, info.kubeconfigs, { LP_INFRA_AWS_ENDPOINT: info.awsEndpoint });
  const connection = await Connection.connect({ address: info.temporalAddress });
  const client = new Client({ connection, dataConverter: dataConverter(loadKeyring(keyFile)) });
  const workerPidFile = path.join(stateDir, 'dev', 'worker.pid');
  const workerPid = () => runningPidFrom(workerPidFile);
  const killWorker = async () => {
    const pid = workerPid();
    if (pid === undefined) return;
    process.kill(pid, 'SIGKILL');
    while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
  };

  return {
    info,
    stateDir,
    client,
    env,
    cli,
    kube(region) {
      const config = new clientNode.KubeConfig();
      config.loadFromFile(info.kubeconfigs[kubeconfigVariable(region)]);
      return kubeApi(config);
    },
    workerPid,
    killWorker,
    async restartWorker() {
      await up();
    },
    async replaceWorker(variables) {
      await killWorker();
      const logFile = path.join(stateDir, 'dev', 'worker.log');
      const from = readFileSync(logFile, 'utf8').length;
      const child = spawn(process.execPath, [path.join(projectRoot, 'dist', 'worker.js')], {
        detached: true,
        stdio: ['ignore', openSync(logFile, 'a'), openSync(logFile, 'a')],
        env: { ...env, TEMPORAL_ADDRESS: info.temporalAddress, TEMPORAL_NAMESPACE: 'default', ...variables },
        cwd: projectRoot,
      });
      child.unref();
      writeFileSync(workerPidFile, String(child.pid));
      for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
        if (readFileSync(logFile, 'utf8').slice(from).includes('lp-infra worker polling')) return;
        if (!alive(child.pid!)) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`the replacement worker did not start polling; see ${logFile}`);
    },
    async stop() {
      await connection.close();
      await cli(['dev', 'down']);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** What a failed `up` reports in its failure's details: the components that failed, and what compensation removed. */
export interface ProvisionFailureDetails {
  failed: string[];
  created: string[];
  removal: { removed: string[]; failed: { id: string }[] };
}

/** The details of the failure that ended the environment's latest provision run (which must have failed). */
export async function provisionFailure(
  client: Client,
  environment: string,
): Promise<ProvisionFailureDetails> {
  const failure = await client.workflow
    .getHandle(workflowIds.provision(environment))
    .result()
    .then(() => undefined)
    .catch((err: unknown) => (err instanceof WorkflowFailedError ? err.cause : err));
  expect(failure).toBeInstanceOf(ApplicationFailure);
  return (failure as ApplicationFailure).details?.[0] as ProvisionFailureDetails;
}
