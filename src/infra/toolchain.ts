import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** The local servers and engines lp-infra runs, as built by `npm run setup`. */
export type Tool =
  | 'temporal'
  | 'temporalTestServer'
  | 'motoServer'
  | 'pulumi'
  | 'kubeApiServer'
  | 'kubeControllerManager'
  | 'kubeScheduler'
  | 'etcd'
  | 'kwok';

/** The repository root, from src/infra (ts) and dist/infra (compiled) alike. */
export const projectRoot = path.resolve(__dirname, '..', '..');

/**
 * Where the local stack keeps its state (pid files, logs, the Temporal SQLite file, the
 * Pulumi file backend, the codec key): `.local/` unless LP_INFRA_STATE_DIR says otherwise,
 * so that a private stack (a test's) never touches a developer's.
 */
export const stateDir = process.env.LP_INFRA_STATE_DIR || path.join(projectRoot, '.local');

const toolchain: Record<string, string> = JSON.parse(
  readFileSync(path.join(projectRoot, 'toolchain.json'), 'utf8'),
);

export function cacheRoot(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'lp-infra');
}

const layout: Record<Tool, { env: string; relative: () => string }> = {
  temporal: {
    env: 'LP_INFRA_TEMPORAL_BIN',
    relative: () => `temporal-cli/${toolchain.temporalCli}/bin/temporal`,
  },
  temporalTestServer: {
    env: 'LP_INFRA_TEST_SERVER_BIN',
    relative: () => `temporal-test-server/${toolchain.temporalTestServer}/temporal-test-server`,
  },
  motoServer: {
    env: 'LP_INFRA_MOTO_BIN',
    relative: () => `moto/${toolchain.moto}/venv/bin/moto_server`,
  },
  pulumi: {
    env: 'LP_INFRA_PULUMI_BIN',
    relative: () => `pulumi/${toolchain.pulumi}/bin/pulumi`,
  },
  kubeApiServer: {
    env: 'LP_INFRA_KUBE_APISERVER_BIN',
    relative: () => `kubernetes/${toolchain.kubernetes}/bin/kube-apiserver`,
  },
  kubeControllerManager: {
    env: 'LP_INFRA_KUBE_CONTROLLER_MANAGER_BIN',
    relative: () => `kubernetes/${toolchain.kubernetes}/bin/kube-controller-manager`,
  },
  kubeScheduler: {
    env: 'LP_INFRA_KUBE_SCHEDULER_BIN',
    relative: () => `kubernetes/${toolchain.kubernetes}/bin/kube-scheduler`,
  },
  etcd: { env: 'LP_INFRA_ETCD_BIN', relative: () => `etcd/${toolchain.etcd}/bin/etcd` },
  kwok: { env: 'LP_INFRA_KWOK_BIN', relative: () => `kwok/${toolchain.kwok}/bin/kwok` },
};

/** Absolute path of a tool: its LP_INFRA_*_BIN override, else the cached build. */
export function toolPath(tool: Tool): string {
  const { env, relative } = layout[tool];
  const candidate = process.env[env] || path.join(cacheRoot(), relative());
  if (!existsSync(candidate)) {
    throw new Error(`${tool} not found at ${candidate}; run 'npm run setup' (or set ${env})`);
  }
  return candidate;
}
