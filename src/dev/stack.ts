/**
 * The local stack behind `lp-infra dev up|down|status`: the Temporal dev server (with
 * its Web UI and a SQLite file), moto as the emulated AWS, and an lp-infra worker.
 * Each runs detached with a pid file and a log under .local/dev/, so `down` stops
 * exactly what `up` started and nothing else.
 */
import { openSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { toolPath, projectRoot, stateDir } from '../infra/toolchain';
import { TASK_QUEUE } from '../config/temporal';
import { readOrCreateToken, localTokenFile } from '../codec/auth';
import { signInPath, uiCodecPath } from '../codec/server';
import { searchAttributes } from '../workflows/search-attributes';
import { loadSpecFile } from '../model';
import {
  kubeconfigEnvironment,
  localClustersOf,
  localControlPlaneStatus,
  startLocalControlPlane,
  stopLocalControlPlane,
} from './kubernetes';
import { portInUse, runningPidFrom, stopPid } from './processes';

export interface StackPorts {
  temporal: number;
  /** The Temporal UI as users open it: served by the codec process to signed-in browsers. */
  ui: number;
  /** The dev server's own UI, behind `ui` (it decodes nothing: its codec path is on `ui`'s origin). */
  uiUpstream: number;
  moto: number;
  /** etcd client and peer ports, then one kube-apiserver per region. */
  etcd: number;
  etcdPeer: number;
  kubePrimary: number;
  kubeSecondary: number;
  /** The payload codec server the Temporal UI decodes with. */
  codec: number;
}

/**
 * moto knows AWS-managed IAM policies (the RDS monitoring role attaches one) only when asked.
 * A requested certificate turns ISSUED after MOTO_ACM_VALIDATION_WAIT seconds (DNS validation
 * takes minutes on AWS; the certificate component waits for it either way).
 */
export const motoEnvironment = { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true', MOTO_ACM_VALIDATION_WAIT: '3' };

/**
 * moto's server as the local cloud runs it: through src/dev/local-cloud/moto_server.py, which
 * corrects where moto answers differently from AWS on what lp-infra reads back.
 */
export function motoCommand(args: string[]): [string, string[]] {
  const python = path.join(path.dirname(toolPath('motoServer')), 'python3');
  return [python, [path.join(projectRoot, 'src', 'dev', 'local-cloud', 'moto_server.py'), ...args]];
}

export const defaultPorts: StackPorts = {
  temporal: 7233,
  ui: 8233,
  uiUpstream: 8234,
  moto: 5000,
  etcd: 2479,
  etcdPeer: 2480,
  kubePrimary: 6443,
  kubeSecondary: 6444,
  codec: 8888,
};

/** The spec whose node groups the local clusters simulate (kwok nodes with their labels and taints). */
export const defaultClusterSpec = path.join(projectRoot, 'environments', 'local.yaml');

export interface StackInfo {
  temporalAddress: string;
  uiUrl: string;
  awsEndpoint: string;
  /** The codec server (for `temporal --codec-endpoint`); the UI reaches it at <uiUrl>/lp-infra/codec. */
  codecUrl?: string;
  /** Where a browser signs in to the UI (once) with the codec server's token. */
  signInUrl?: string;
  /** The file holding the codec server's token (mode 0600). */
  codecTokenFile?: string;
  /** LP_INFRA_KUBECONFIG_<REGION> of each local cluster. */
  kubeconfigs: Record<string, string>;
  taskQueue: string;
  startedAt: string;
  ports: StackPorts;
}

export type ServiceName = 'temporal' | 'moto' | 'codec' | 'worker';
const services: ServiceName[] = ['temporal', 'moto', 'codec', 'worker'];

const devDir = path.join(stateDir, 'dev');
const kubeDir = path.join(stateDir, 'kubernetes');
const infoFile = path.join(devDir, 'stack.json');
const pidFile = (service: ServiceName) => path.join(devDir, `${service}.pid`);
export const logFile = (service: ServiceName) => path.join(devDir, `${service}.log`);

export function readStackInfo(): StackInfo | undefined {
  return existsSync(infoFile) ? (JSON.parse(readFileSync(infoFile, 'utf8')) as StackInfo) : undefined;
}

function runningPid(service: ServiceName): number | undefined {
  return runningPidFrom(pidFile(service));
}

export interface ServiceStatus {
  service: ServiceName;
  pid?: number;
  running: boolean;
  log: string;
}

export function stackStatus(): {
  info?: StackInfo;
  services: ServiceStatus[];
  kubernetes: ReturnType<typeof localControlPlaneStatus>;
} {
  return {
    info: readStackInfo(),
    services: services.map((service) => {
      const pid = runningPid(service);
      return { service, pid, running: pid !== undefined, log: logFile(service) };
    }),
    kubernetes: localControlPlaneStatus(kubeDir),
  };
}

function startDetached(
  service: ServiceName,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): number {
  mkdirSync(devDir, { recursive: true });
  const log = openSync(logFile(service), 'a');
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, ...env },
    cwd: projectRoot,
  });
  child.unref();
  if (!child.pid) throw new Error(`could not start ${service} (${command})`);
  writeFileSync(pidFile(service), String(child.pid));
  return child.pid;
}

async function waitFor(
  what: string,
  service: ServiceName,
  probe: () => Promise<boolean>,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!runningPid(service)) throw new Error(`${what} exited during start-up; see ${logFile(service)}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s; see ${logFile(service)}`);
}

export type Progress = (message: string) => void;

/** Starts what is not running yet, waits until each answers, and returns the addresses. */
export async function stackUp(
  ports: StackPorts = defaultPorts,
  progress: Progress = () => {},
  clusterSpec = defaultClusterSpec,
): Promise<StackInfo> {
  const previous = readStackInfo();
  const kube = localControlPlaneStatus(kubeDir);
  const kubeUp = kube.length > 0 && kube.every((p) => p.running);
  const workerPid = runningPid('worker');
  if (!kubeUp && workerPid !== undefined) {
    progress('restarting the worker so that it gets the local clusters’ kubeconfigs');
    await stopPid(workerPid);
  }
  const missing = services.filter((s) => !runningPid(s));
  if (missing.length === 0 && previous && kubeUp) return previous;
  if (missing.length < services.length && previous) {
    progress(`some services already run; starting ${missing.join(', ')}`);
    // The parts that run keep their ports; what restarts joins them there.
    ports = { ...ports, ...previous.ports };
  }
  const info: StackInfo = {
    temporalAddress: `127.0.0.1:${ports.temporal}`,
    uiUrl: `http://127.0.0.1:${ports.ui}`,
    awsEndpoint: `http://127.0.0.1:${ports.moto}`,
    codecUrl: `http://127.0.0.1:${ports.codec}`,
    signInUrl: `http://127.0.0.1:${ports.ui}${signInPath}`,
    codecTokenFile: localTokenFile,
    kubeconfigs: {},
    taskQueue: TASK_QUEUE,
    startedAt: new Date().toISOString(),
    ports,
  };
  const wanted: Record<ServiceName, number[]> = {
    temporal: [ports.temporal, ports.uiUpstream],
    moto: [ports.moto],
    codec: [ports.codec, ports.ui],
    worker: [],
  };
  for (const service of missing) {
    for (const port of wanted[service]) {
      if (await portInUse(port)) {
        throw new Error(
          `port ${port} (for ${service}) is already in use; stop what uses it or pick another port (lp-infra dev up --help)`,
        );
      }
    }
  }
  mkdirSync(devDir, { recursive: true });
  writeFileSync(infoFile, JSON.stringify(info, null, 2));
  const codecToken = readOrCreateToken(localTokenFile);

  if (missing.includes('temporal')) {
    progress(`starting Temporal dev server on ${info.temporalAddress} (UI ${info.uiUrl})`);
    startDetached('temporal', toolPath('temporal'), [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(ports.temporal),
      '--ui-port',
      String(ports.uiUpstream),
      '--db-filename',
      path.join(stateDir, 'temporal.db'),
      '--log-level',
      'warn',
      // On the origin the browser shows (the front on `ui`), so it sends the sign-in cookie.
      '--ui-codec-endpoint',
      uiCodecPath,
      ...searchAttributes.flatMap((key) => [
        '--search-attribute',
        `${key.name}=${searchAttributeCliType(key.type)}`,
      ]),
    ]);
  }
  if (missing.includes('moto')) {
    progress(`starting moto (emulated AWS) on ${info.awsEndpoint}`);
    startDetached('moto', ...motoCommand(['-H', '127.0.0.1', '-p', String(ports.moto)]), motoEnvironment);
  }
  await waitFor('Temporal dev server', 'temporal', async () => {
    const connection = await Connection.connect({ address: info.temporalAddress, connectTimeout: 1000 });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  });
  await waitFor('moto', 'moto', async () => (await fetch(`${info.awsEndpoint}/moto-api/`)).ok);
  if (missing.includes('codec')) {
    progress(
      `starting the payload codec server on ${info.codecUrl} and the UI on ${info.uiUrl} (token in ${localTokenFile})`,
    );
    startDetached(
      'codec',
      process.execPath,
      [
        path.join(projectRoot, 'dist', 'client.js'),
        'codec-server',
        '--port',
        String(ports.codec),
        '--cors-origin',
        info.uiUrl,
        '--cors-origin',
        `http://localhost:${ports.ui}`,
        '--ui-port',
        String(ports.ui),
        '--ui-upstream',
        `http://127.0.0.1:${ports.uiUpstream}`,
      ],
      // The stack's own token, by file (a command line is visible to every user of the host).
      {
        LP_INFRA_CODEC_SERVER_TOKEN: '',
        LP_INFRA_CODEC_SERVER_TOKEN_FILE: localTokenFile,
        LP_INFRA_CODEC_JWT_JWKS_URL: '',
        LP_INFRA_CODEC_JWT_AUDIENCE: '',
        LP_INFRA_CODEC_JWT_ISSUER: '',
        LP_INFRA_CODEC_JWT_ALLOW: '',
      },
    );
    const decodes = async (url: string) =>
      (
        await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-namespace': 'default',
            authorization: `Bearer ${codecToken}`,
          },
          body: JSON.stringify({ payloads: [] }),
        })
      ).ok;
    await waitFor(
      'codec server',
      'codec',
      async () => (await decodes(`${info.codecUrl}/decode`)) && decodes(`${info.uiUrl}${uiCodecPath}/decode`),
    );
  }
  const plane = await startLocalControlPlane(
    {
      stateDir: kubeDir,
      etcdPort: ports.etcd,
      etcdPeerPort: ports.etcdPeer,
      clusters: localClustersOf(loadSpecFile(clusterSpec), {
        primary: ports.kubePrimary,
        secondary: ports.kubeSecondary,
      }),
    },
    progress,
  );
  info.kubeconfigs = kubeconfigEnvironment(plane);
  writeFileSync(infoFile, JSON.stringify(info, null, 2));
  if (missing.includes('worker')) {
    progress(`starting the lp-infra worker on task queue '${TASK_QUEUE}'`);
    startDetached('worker', process.execPath, [path.join(projectRoot, 'dist', 'worker.js')], {
      TEMPORAL_ADDRESS: info.temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      LP_INFRA_AWS_ENDPOINT: info.awsEndpoint,
      ...info.kubeconfigs,
    });
    await waitFor('lp-infra worker', 'worker', () => hasPollers(info.temporalAddress), 120_000);
  }
  return info;
}

async function hasPollers(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    const { pollers } = await connection.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: TASK_QUEUE },
      taskQueueType: 1, // workflow task queue
    });
    return (pollers ?? []).length > 0;
  } finally {
    await connection.close();
  }
}

function searchAttributeCliType(type: string): string {
  const names: Record<string, string> = {
    KEYWORD: 'Keyword',
    BOOL: 'Bool',
    TEXT: 'Text',
    INT: 'Int',
    DOUBLE: 'Double',
    DATETIME: 'Datetime',
    KEYWORD_LIST: 'KeywordList',
  };
  return names[type] ?? type;
}

/** Stops, in reverse order, every service `up` started; returns the ones it stopped. */
export async function stackDown(progress: Progress = () => {}): Promise<string[]> {
  const stopped: string[] = [];
  for (const service of [...services].reverse()) {
    const pid = runningPid(service);
    if (pid !== undefined) {
      progress(`stopping ${service} (pid ${pid})`);
      await stopPid(pid);
      stopped.push(service);
    }
    rmSync(pidFile(service), { force: true });
    if (service === 'moto') stopped.push(...(await stopLocalControlPlane(kubeDir, progress)));
  }
  rmSync(infoFile, { force: true });
  return stopped;
}
