/**
 * Local Kubernetes clusters for a test file: the same control plane as `lp-infra dev up`, on free
 * loopback ports in a temporary state folder, with LP_INFRA_KUBECONFIG_<REGION> set so the drivers
 * find them. Stopped, and the folder removed, by stop().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  kubeconfigEnvironment,
  localClustersOf,
  startLocalControlPlane,
  stopLocalControlPlane,
  type LocalControlPlane,
} from '../../src/dev/kubernetes';
import { freePort } from '../../src/dev/processes';
import { kubeApi, type KubeApi } from '../../src/infra/kubernetes/api';
import { clientNode } from '../../src/infra/kubernetes/client-node';
import type { EnvironmentSpec } from '../../src/model';

export interface TestClusters {
  plane: LocalControlPlane;
  /** An API client for the cluster of a region (us-east-1). */
  api(region: string): KubeApi;
  stop(): Promise<void>;
}

export async function startKubernetes(
  spec: EnvironmentSpec,
  options: { secondary?: boolean } = {},
): Promise<TestClusters> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'lp-infra-kubernetes-'));
  const apiPorts = { primary: await freePort(), secondary: options.secondary ? await freePort() : undefined };
  let plane: LocalControlPlane;
  try {
    plane = await startLocalControlPlane({
      stateDir,
      etcdPort: await freePort(),
      etcdPeerPort: await freePort(),
      clusters: localClustersOf(spec, apiPorts),
    });
  } catch (error) {
    rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
  const variables = kubeconfigEnvironment(plane);
  const saved = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  Object.assign(process.env, variables);
  return {
    plane,
    api(region: string) {
      const cluster = plane.clusters.find((c) => c.region === region);
      if (!cluster) throw new Error(`no local cluster for ${region}`);
      const config = new clientNode.KubeConfig();
      config.loadFromFile(cluster.kubeconfig);
      return kubeApi(config);
    },
    async stop() {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await stopLocalControlPlane(stateDir);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
