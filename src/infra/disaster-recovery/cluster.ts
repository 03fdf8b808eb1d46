/**
 * The cluster side of failover: node group sizes (EKS UpdateNodegroupConfig), application
 * replicas, and the `lp-disaster-recovery` ConfigMap that tells the applications of a region
 * whether they serve (active), wait (standby) or must not write (fenced), and which database
 * endpoint writes. Every function sets an absolute state, so a retry or a compensation that
 * runs twice does no harm.
 */
import { DescribeNodegroupCommand, EKSClient, UpdateNodegroupConfigCommand } from '@aws-sdk/client-eks';
import type { EnvironmentSpec, RegionRole } from '../../model';
import { awsClient } from '../aws/clients';
import { nodeGroupsFor } from '../components/node-group-settings';
import { kubeApi, type KubeApi } from '../kubernetes/api';
import { clusterTarget, kubeConfigFor } from '../kubernetes/kubeconfig';
import { applicationSizing } from '../kubernetes/manifests/application';
import type { KubeObject } from '../kubernetes/objects';

export type RegionState = 'active' | 'standby' | 'fenced';
export const roleConfigMap = 'lp-disaster-recovery';
const manager = 'lp-infra-disaster-recovery';

/** The node group sizes a region runs at when it serves (the primary's) or stands by. */
export function nodeGroupSizes(spec: EnvironmentSpec, region: RegionRole, state: 'active' | 'standby') {
  const groups = nodeGroupsFor(spec, state === 'active' ? 'primary' : region);
  return groups.map((g) => ({
    name: g.name,
    minSize: g.minSize,
    maxSize: g.maxSize,
    desiredSize: g.desiredSize,
  }));
}

export async function scaleNodeGroups(
  spec: EnvironmentSpec,
  region: RegionRole,
  state: 'active' | 'standby',
): Promise<string> {
  const target = clusterTarget(spec, region);
  const eks = awsClient(EKSClient, target.region);
  const changed: string[] = [];
  for (const size of nodeGroupSizes(spec, region, state)) {
    const { nodegroup } = await eks.send(
      new DescribeNodegroupCommand({ clusterName: target.clusterName, nodegroupName: size.name }),
    );
    const live = nodegroup?.scalingConfig;
    if (
      live?.minSize === size.minSize &&
      live?.desiredSize === size.desiredSize &&
      live?.maxSize === size.maxSize
    )
      continue;
    await eks.send(
      new UpdateNodegroupConfigCommand({
        clusterName: target.clusterName,
        nodegroupName: size.name,
        scalingConfig: { minSize: size.minSize, maxSize: size.maxSize, desiredSize: size.desiredSize },
      }),
    );
    changed.push(`${size.name} ${size.minSize}/${size.desiredSize}/${size.maxSize}`);
  }
  return changed.length
    ? `${target.clusterName}: ${changed.join(', ')} (min/desired/max)`
    : `${target.clusterName}: node groups already at ${state} sizes`;
}

/** One look: are the region's node groups ACTIVE at the sizes of `state`? */
export async function nodeGroupsAt(spec: EnvironmentSpec, region: RegionRole, state: 'active' | 'standby') {
  const target = clusterTarget(spec, region);
  const eks = awsClient(EKSClient, target.region);
  for (const size of nodeGroupSizes(spec, region, state)) {
    const { nodegroup } = await eks.send(
      new DescribeNodegroupCommand({ clusterName: target.clusterName, nodegroupName: size.name }),
    );
    const desired = nodegroup?.scalingConfig?.desiredSize;
    if (nodegroup?.status !== 'ACTIVE' || desired !== size.desiredSize) {
      return {
        ready: false,
        detail: `node group ${size.name} is ${nodegroup?.status} at ${desired}, wanted ${size.desiredSize}`,
      };
    }
  }
  return { ready: true, detail: `${target.clusterName} node groups ACTIVE at ${state} sizes` };
}

export const regionApi = async (spec: EnvironmentSpec, region: RegionRole): Promise<KubeApi> =>
  kubeApi(await kubeConfigFor(spec, region));

/** Replicas of each application in a region of the given state. */
export function replicasFor(spec: EnvironmentSpec, region: RegionRole, state: RegionState) {
  return spec.applications.map((app) => {
    const sizing = applicationSizing(spec, app, state === 'active' ? 'primary' : region);
    return {
      app,
      replicas: state === 'fenced' ? 0 : sizing.replicas,
      minReplicas: sizing.autoscaling?.minReplicas,
    };
  });
}

type Scalable = KubeObject & { spec?: { replicas?: number; minReplicas?: number } };

/** Sets the applications' replicas (and their autoscalers' floor) for the state. */
export async function scaleApplications(
  api: KubeApi,
  spec: EnvironmentSpec,
  region: RegionRole,
  state: RegionState,
) {
  const changed: string[] = [];
  for (const { app, replicas, minReplicas } of replicasFor(spec, region, state)) {
    const metadata = { name: app.name, namespace: app.namespace };
    const live = await api.get<Scalable>({ apiVersion: 'apps/v1', kind: 'Deployment', metadata });
    if (!live) continue;
    if (live.spec?.replicas !== replicas) {
      await api.replace({ ...live, spec: { ...live.spec, replicas } }, manager);
      changed.push(`${app.name}=${replicas}`);
    }
    const hpa = await api.get<Scalable>({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata,
    });
    const floor = minReplicas ?? hpa?.spec?.minReplicas;
    if (hpa && floor !== undefined && replicas > 0 && hpa.spec?.minReplicas !== floor) {
      await api.replace({ ...hpa, spec: { ...hpa.spec, minReplicas: floor } }, manager);
    }
  }
  return changed;
}

/** Writes the region's role for its applications (one ConfigMap per application namespace). */
export async function writeRegionRole(
  api: KubeApi,
  spec: EnvironmentSpec,
  region: RegionRole,
  state: RegionState,
  databaseWriter: string,
) {
  const namespaces = [...new Set(spec.applications.map((a) => a.namespace))];
  for (const namespace of namespaces) {
    await api.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: roleConfigMap,
        namespace,
        labels: { 'app.kubernetes.io/managed-by': 'lp-infra', 'lp-infra/environment': spec.name },
      },
      data: {
        LP_REGION_ROLE: state,
        LP_REGION: spec.regions[region].region,
        LP_DATABASE_WRITER_ENDPOINT: databaseWriter,
        LP_DATABASE_READ_ONLY: state === 'active' ? 'false' : 'true',
      },
    } as KubeObject);
  }
  return namespaces;
}

export async function readRegionRole(
  api: KubeApi,
  spec: EnvironmentSpec,
): Promise<Record<string, string> | undefined> {
  const namespace = spec.applications[0]?.namespace;
  if (!namespace) return undefined;
  const live = await api.get<KubeObject & { data?: Record<string, string> }>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: roleConfigMap, namespace },
  });
  return live?.data;
}

/** One look: are the region's Deployments available at the replicas of `state`? */
export async function applicationsServing(api: KubeApi, spec: EnvironmentSpec, region: RegionRole) {
  const waiting: string[] = [];
  for (const { app, replicas } of replicasFor(spec, region, 'active')) {
    const live = await api.get<
      KubeObject & { spec?: { replicas?: number }; status?: { availableReplicas?: number } }
    >({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app.name, namespace: app.namespace },
    });
    if (!live) waiting.push(`${app.name} missing`);
    else if ((live.spec?.replicas ?? 0) < replicas)
      waiting.push(`${app.name} at ${live.spec?.replicas} of ${replicas}`);
  }
  return {
    ready: waiting.length === 0,
    detail: waiting.length ? waiting.join(', ') : `${spec.applications.length} applications at full size`,
  };
}
