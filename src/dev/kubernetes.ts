/**
 * Local Kubernetes control planes for `lp-infra dev up` and the tests: one etcd, and per region a
 * kube-apiserver (its own etcd prefix), kube-controller-manager, kube-scheduler and kwok, which
 * simulates the Nodes of the spec's node groups and the Pods placed on them. Each region is a
 * cluster of its own (its own objects, service-account issuer and kubeconfig), as the primary EKS
 * cluster and the standby cluster are. Every process runs detached with a pid file and a log in
 * the state folder, so `stop` ends exactly what `start` began, from any process.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { stringify } from 'yaml';
import { kubeApi, type KubeApi } from '../infra/kubernetes/api';
import { clientNode } from '../infra/kubernetes/client-node';
import { kubeconfigVariable } from '../infra/kubernetes/kubeconfig';
import {
  simulatedClusterOf,
  simulatedNodeAnnotation,
  simulatedNodes,
} from '../infra/kubernetes/manifests/nodes';
import type { KubeObject } from '../infra/kubernetes/objects';
import { toolPath } from '../infra/toolchain';
import type { EnvironmentSpec } from '../model';
import { kwokConfigFile, localStorageClassObject } from './kubernetes-kwok';
import { ensurePki, kubeconfigDocument, type ClusterPki, type KeyPair } from './kubernetes-pki';
import { alive, portInUse, runningPidFrom, stopPid } from './processes';

export interface LocalClusterOptions {
  /** The region the cluster stands for (us-east-1); also its folder and etcd prefix. */
  region: string;
  apiPort: number;
  /** Nodes for kwok to simulate. */
  nodes: KubeObject[];
}

export interface LocalControlPlaneOptions {
  stateDir: string;
  etcdPort: number;
  etcdPeerPort: number;
  clusters: LocalClusterOptions[];
}

export interface LocalCluster {
  region: string;
  server: string;
  /** Admin kubeconfig, credentials embedded. */
  kubeconfig: string;
}

export interface LocalControlPlane {
  stateDir: string;
  etcdEndpoint: string;
  clusters: LocalCluster[];
}

export interface LocalProcessStatus {
  process: string;
  pid?: number;
  running: boolean;
  log: string;
}

type Progress = (message: string) => void;

const serviceRange = '10.96.0.0/16';
const startTimeoutMs = 120_000;
const infoFile = (stateDir: string) => path.join(stateDir, 'control-plane.json');
const pidDir = (stateDir: string) => path.join(stateDir, 'pids');
const logDir = (stateDir: string) => path.join(stateDir, 'logs');

/** The spec's regions as local clusters: the primary's node groups, and the standby's reduced ones. */
export function localClustersOf(
  spec: EnvironmentSpec,
  apiPorts: { primary: number; secondary?: number },
): LocalClusterOptions[] {
  const cluster = (role: 'primary' | 'secondary', apiPort: number): LocalClusterOptions => {
    const simulated = simulatedClusterOf(spec, role);
    return { region: simulated.region, apiPort, nodes: simulatedNodes(simulated) };
  };
  const clusters = [cluster('primary', apiPorts.primary)];
  if (apiPorts.secondary !== undefined) clusters.push(cluster('secondary', apiPorts.secondary));
  return clusters;
}

/** LP_INFRA_KUBECONFIG_<REGION> for each cluster: what a worker needs to find them. */
export function kubeconfigEnvironment(plane: LocalControlPlane): Record<string, string> {
  return Object.fromEntries(plane.clusters.map((c) => [kubeconfigVariable(c.region), c.kubeconfig]));
}

export function readLocalControlPlane(stateDir: string): LocalControlPlane | undefined {
  const file = infoFile(stateDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as LocalControlPlane) : undefined;
}

function pidOf(stateDir: string, name: string): number | undefined {
  return runningPidFrom(path.join(pidDir(stateDir), `${name}.pid`));
}

/** Every process of the control plane in the state folder, in start order. */
export function localControlPlaneStatus(stateDir: string): LocalProcessStatus[] {
  if (!existsSync(pidDir(stateDir))) return [];
  return readdirSync(pidDir(stateDir))
    .filter((f) => f.endsWith('.pid'))
    .map((f) => f.slice(0, -'.pid'.length))
    .sort(byStartOrder)
    .map((name) => {
      const pid = pidOf(stateDir, name);
      return {
        process: name,
        pid,
        running: pid !== undefined,
        log: path.join(logDir(stateDir), `${name}.log`),
      };
    });
}

const startOrder = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'];
function byStartOrder(a: string, b: string): number {
  const rank = (name: string) => startOrder.findIndex((p) => name === p || name.endsWith(`-${p}`));
  return rank(a) - rank(b) || a.localeCompare(b);
}

interface Started {
  name: string;
  pid: number;
  log: string;
}

function launch(stateDir: string, name: string, command: string, args: string[]): Started {
  mkdirSync(pidDir(stateDir), { recursive: true });
  mkdirSync(logDir(stateDir), { recursive: true });
  const log = path.join(logDir(stateDir), `${name}.log`);
  const out = openSync(log, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  if (!child.pid) throw new Error(`could not start ${name} (${command})`);
  writeFileSync(path.join(pidDir(stateDir), `${name}.pid`), String(child.pid));
  return { name, pid: child.pid, log };
}

function logTail(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').slice(-3000) : '';
}

async function waitUntil(started: Started, probe: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (!alive(started.pid)) throw new Error(`${what} exited during start-up:\n${logTail(started.log)}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not become ready within ${startTimeoutMs / 1000} s; see ${started.log}`);
}

function httpsOk(url: string, pki: ClusterPki): Promise<boolean> {
  return new Promise((resolve) => {
    const request = https.get(
      url,
      {
        ca: readFileSync(pki.caCert),
        cert: readFileSync(pki.admin.cert),
        key: readFileSync(pki.admin.key),
        timeout: 2000,
      },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      },
    );
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
  });
}

function startEtcd(options: LocalControlPlaneOptions): Started {
  const client = `http://127.0.0.1:${options.etcdPort}`;
  const peer = `http://127.0.0.1:${options.etcdPeerPort}`;
  return launch(options.stateDir, 'etcd', toolPath('etcd'), [
    '--name=lp-local',
    `--data-dir=${path.join(options.stateDir, 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=lp-local=${peer}`,
    // A local, disposable store: skipping fsync keeps two cores free for the control planes.
    '--unsafe-no-fsync',
    '--log-level=warn',
  ]);
}

function writeKubeconfig(
  file: string,
  region: string,
  server: string,
  pki: ClusterPki,
  user: KeyPair,
): string {
  writeFileSync(file, stringify(kubeconfigDocument(region, server, pki.caCert, user)), { mode: 0o600 });
  return file;
}

function clusterDir(stateDir: string, region: string): string {
  return path.join(stateDir, region);
}

function writeAdminKubeconfig(stateDir: string, cluster: LocalClusterOptions, pki: ClusterPki): LocalCluster {
  const dir = clusterDir(stateDir, cluster.region);
  mkdirSync(dir, { recursive: true });
  const server = `https://127.0.0.1:${cluster.apiPort}`;
  const kubeconfig = writeKubeconfig(path.join(dir, 'kubeconfig'), cluster.region, server, pki, pki.admin);
  return { region: cluster.region, server, kubeconfig };
}

function startApiServer(
  options: LocalControlPlaneOptions,
  cluster: LocalClusterOptions,
  pki: ClusterPki,
): Started {
  return launch(options.stateDir, `${cluster.region}-kube-apiserver`, toolPath('kubeApiServer'), [
    `--etcd-servers=http://127.0.0.1:${options.etcdPort}`,
    `--etcd-prefix=/lp-infra/${cluster.region}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${cluster.apiPort}`,
    `--tls-cert-file=${pki.serving.cert}`,
    `--tls-private-key-file=${pki.serving.key}`,
    `--client-ca-file=${pki.caCert}`,
    `--service-account-issuer=https://kubernetes.default.svc.cluster.local/${cluster.region}`,
    `--service-account-key-file=${pki.serviceAccountPublicKey}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    `--service-cluster-ip-range=${serviceRange}`,
    '--authorization-mode=Node,RBAC',
    // The `kubernetes` Service would point at 127.0.0.1, which Endpoints refuse.
    '--endpoint-reconciler-type=none',
    '--enable-priority-and-fairness=false',
    '--profiling=false',
    `--cert-dir=${path.join(clusterDir(options.stateDir, cluster.region), 'certs')}`,
  ]);
}

/** Starts the controller manager, the scheduler and kwok of a cluster; returns kwok. */
function startClusterAgents(
  options: LocalControlPlaneOptions,
  cluster: LocalClusterOptions,
  pki: ClusterPki,
): Started {
  const dir = clusterDir(options.stateDir, cluster.region);
  const server = `https://127.0.0.1:${cluster.apiPort}`;
  const kcmConfig = writeKubeconfig(
    path.join(dir, 'kube-controller-manager.kubeconfig'),
    cluster.region,
    server,
    pki,
    pki.controllerManager,
  );
  const schedulerConfig = writeKubeconfig(
    path.join(dir, 'kube-scheduler.kubeconfig'),
    cluster.region,
    server,
    pki,
    pki.scheduler,
  );
  const kwokConfig = path.join(dir, 'kwok.yaml');
  writeFileSync(kwokConfig, kwokConfigFile());
  const name = (process: string) => `${cluster.region}-${process}`;
  launch(options.stateDir, name('kube-controller-manager'), toolPath('kubeControllerManager'), [
    `--kubeconfig=${kcmConfig}`,
    '--secure-port=0',
    '--leader-elect=false',
    `--cluster-name=${cluster.region}`,
    `--service-account-private-key-file=${pki.serviceAccountKey}`,
    `--root-ca-file=${pki.caCert}`,
    `--service-cluster-ip-range=${serviceRange}`,
  ]);
  launch(options.stateDir, name('kube-scheduler'), toolPath('kubeScheduler'), [
    `--kubeconfig=${schedulerConfig}`,
    '--secure-port=0',
    '--leader-elect=false',
  ]);
  return launch(options.stateDir, name('kwok'), toolPath('kwok'), [
    `--kubeconfig=${path.join(dir, 'kubeconfig')}`,
    `--config=${kwokConfig}`,
    '--manage-all-nodes=false',
    `--manage-nodes-with-annotation-selector=${simulatedNodeAnnotation}=fake`,
    '--node-lease-duration-seconds=40',
    '--cidr=10.244.0.0/16',
  ]);
}

async function nodesReady(api: KubeApi, count: number): Promise<boolean> {
  type Node = KubeObject & { status?: { conditions?: { type: string; status: string }[] } };
  const nodes = await api.list<Node>('v1', 'Node');
  const ready = nodes.filter((n) =>
    n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
  return ready.length >= count;
}

/** Puts the simulated Nodes and the default StorageClass on the cluster, and waits until kwok has them Ready. */
async function seedCluster(cluster: LocalClusterOptions, kubeconfig: string, kwok: Started): Promise<void> {
  const config = new clientNode.KubeConfig();
  config.loadFromFile(kubeconfig);
  const api = kubeApi(config);
  await api.apply(localStorageClassObject);
  for (const node of cluster.nodes) await api.apply(node);
  await waitUntil(kwok, () => nodesReady(api, cluster.nodes.length), `kwok (${cluster.region})`);
}

async function refuseTakenPorts(options: LocalControlPlaneOptions): Promise<void> {
  const ports = [
    { port: options.etcdPort, what: 'etcd' },
    { port: options.etcdPeerPort, what: 'etcd (peer)' },
    ...options.clusters.map((c) => ({ port: c.apiPort, what: `kube-apiserver (${c.region})` })),
  ];
  for (const { port, what } of ports) {
    if (await portInUse(port)) {
      throw new Error(`port ${port} (for ${what}) is already in use; stop what uses it or pick another port`);
    }
  }
}

/**
 * Starts the control planes, or returns the running ones when every process of them still runs.
 * Certificates, kubeconfigs, etcd data and logs live in options.stateDir. On a failure, what was
 * started is stopped again.
 */
export async function startLocalControlPlane(
  options: LocalControlPlaneOptions,
  progress: Progress = () => {},
): Promise<LocalControlPlane> {
  const running = readLocalControlPlane(options.stateDir);
  const status = localControlPlaneStatus(options.stateDir);
  if (running && status.length && status.every((p) => p.running)) return running;
  if (status.some((p) => p.running)) await stopLocalControlPlane(options.stateDir, progress);
  await refuseTakenPorts(options);
  try {
    return await startProcesses(options, progress);
  } catch (error) {
    await stopLocalControlPlane(options.stateDir);
    throw error;
  }
}

async function startProcesses(
  options: LocalControlPlaneOptions,
  progress: Progress,
): Promise<LocalControlPlane> {
  const pki = await ensurePki(
    path.join(options.stateDir, 'pki'),
    options.clusters.map((c) => c.region),
  );
  progress(`starting etcd on 127.0.0.1:${options.etcdPort}`);
  const etcd = startEtcd(options);
  const etcdEndpoint = `http://127.0.0.1:${options.etcdPort}`;
  await waitUntil(etcd, async () => (await fetch(`${etcdEndpoint}/health`)).ok, 'etcd');

  const starting = options.clusters.map((cluster) => {
    const local = writeAdminKubeconfig(options.stateDir, cluster, pki[cluster.region]);
    progress(`starting kube-apiserver for ${cluster.region} on ${local.server}`);
    return { cluster, local, apiServer: startApiServer(options, cluster, pki[cluster.region]) };
  });
  for (const { cluster, local, apiServer } of starting) {
    const probe = () => httpsOk(`${local.server}/readyz`, pki[cluster.region]);
    await waitUntil(apiServer, probe, `kube-apiserver (${cluster.region})`);
    progress(
      `starting controller manager, scheduler and kwok for ${cluster.region} (${cluster.nodes.length} nodes)`,
    );
    const kwok = startClusterAgents(options, cluster, pki[cluster.region]);
    await seedCluster(cluster, local.kubeconfig, kwok);
  }
  const clusters = starting.map((s) => s.local);
  const plane: LocalControlPlane = { stateDir: options.stateDir, etcdEndpoint, clusters };
  writeFileSync(infoFile(options.stateDir), JSON.stringify(plane, null, 2));
  return plane;
}

/** Stops, in reverse start order, every process of the control plane in the state folder. */
export async function stopLocalControlPlane(
  stateDir: string,
  progress: Progress = () => {},
): Promise<string[]> {
  const stopped: string[] = [];
  for (const entry of localControlPlaneStatus(stateDir).reverse()) {
    if (entry.pid !== undefined) {
      progress(`stopping ${entry.process} (pid ${entry.pid})`);
      await stopPid(entry.pid);
      stopped.push(entry.process);
    }
    rmSync(path.join(pidDir(stateDir), `${entry.process}.pid`), { force: true });
  }
  rmSync(infoFile(stateDir), { force: true });
  return stopped;
}
