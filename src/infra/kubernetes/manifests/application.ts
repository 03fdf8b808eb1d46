/** An application of the spec as a ServiceAccount, Deployment, HorizontalPodAutoscaler and Service. */
import type { EnvironmentSpec, RegionRole, SpecWith } from '../../../model';
import type { KubeObject } from '../objects';
import {
  kubeObject,
  type V1Deployment,
  type V1EnvVar,
  type V1Probe,
  type V1Service,
  type V1ServiceAccount,
  type V2HorizontalPodAutoscaler,
  type V2HPAScalingRules,
  type V2MetricSpec,
} from './typed';

export type Application = EnvironmentSpec['applications'][number];
type Probe = NonNullable<Application['livenessProbe']>;
type Autoscaling = NonNullable<Application['autoscaling']>;
type ScalingRules = NonNullable<NonNullable<Autoscaling['behavior']>['scaleUp']>;

/** Where and at what size an application runs: the primary's sizes, or the standby region's. */
export interface ApplicationSizing {
  replicas: number;
  /** Absent when the application does not autoscale in this region. */
  autoscaling?: { minReplicas: number; maxReplicas: number };
}

/**
 * Replicas per region. The secondary (standby) region runs the reduced count of
 * regions.secondary.standby.applications, with the autoscaler's floor at that count, until
 * failover scales it up; without a standby entry it follows the primary.
 */
export function applicationSizing(
  spec: SpecWith<'cluster'>,
  app: Application,
  region: RegionRole,
): ApplicationSizing {
  const standby =
    region === 'secondary'
      ? spec.regions.secondary.standby.applications.find((s) => s.name === app.name)
      : undefined;
  const replicas = standby?.replicas ?? app.replicas;
  if (!app.autoscaling) return { replicas };
  if (standby && standby.replicas === 0) return { replicas: 0 };
  const minReplicas = standby ? standby.replicas : app.autoscaling.minReplicas;
  return { replicas, autoscaling: { minReplicas, maxReplicas: app.autoscaling.maxReplicas } };
}

/**
 * The replica count to write. Once an autoscaler runs, it owns the count: a re-apply keeps the
 * live value when it lies within the autoscaler's bounds, so lp-infra and the HPA never fight,
 * and brings it back within bounds otherwise.
 */
export function replicasToWrite(sizing: ApplicationSizing, liveReplicas: number | undefined): number {
  if (!sizing.autoscaling || liveReplicas === undefined) return sizing.replicas;
  const { minReplicas, maxReplicas } = sizing.autoscaling;
  return Math.min(Math.max(liveReplicas, minReplicas), maxReplicas);
}

/**
 * Node labels the application's pods select. The spec has no placement field for applications;
 * the reference runs them on its application-nodes group, labelled role: application, so pods
 * select that label when a node group carries it.
 */
export function applicationNodeSelector(spec: SpecWith<'cluster'>): Record<string, string> | undefined {
  const placement = { role: 'application' };
  const present = spec.cluster.nodeGroups.some((group) => group.labels.role === placement.role);
  return present ? placement : undefined;
}

export function selectorLabels(app: Application): Record<string, string> {
  return Object.keys(app.labels).length ? app.labels : { app: app.name };
}

function podLabels(app: Application): Record<string, string> {
  return { ...selectorLabels(app), version: app.version };
}

function probe(p: Probe | undefined): V1Probe | undefined {
  if (!p) return undefined;
  return {
    httpGet: { path: p.path, port: p.port },
    initialDelaySeconds: p.initialDelaySeconds,
    periodSeconds: p.periodSeconds,
    timeoutSeconds: p.timeoutSeconds,
    failureThreshold: p.failureThreshold,
  };
}

function envVar(env: Application['env'][number]): V1EnvVar {
  if (env.secretRef) {
    return {
      name: env.name,
      valueFrom: { secretKeyRef: { name: env.secretRef.name, key: env.secretRef.key } },
    };
  }
  return { name: env.name, value: env.value ?? '' };
}

function metricAnnotations(app: Application): Record<string, string> | undefined {
  if (!app.metrics) return undefined;
  return {
    'prometheus.io/scrape': String(app.metrics.scrape),
    'prometheus.io/port': String(app.metrics.port),
    'prometheus.io/path': app.metrics.path,
  };
}

export function serviceAccount(app: Application): KubeObject | undefined {
  if (!app.serviceAccountName) return undefined;
  return kubeObject<V1ServiceAccount>({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: app.serviceAccountName, namespace: app.namespace },
  });
}

export function deployment(
  app: Application,
  replicas: number,
  nodeSelector: Record<string, string> | undefined,
): KubeObject {
  return kubeObject<V1Deployment>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app.name, namespace: app.namespace, labels: podLabels(app) },
    spec: {
      replicas,
      strategy: {
        type: app.strategy.type,
        rollingUpdate: { maxUnavailable: app.strategy.maxUnavailable, maxSurge: app.strategy.maxSurge },
      },
      selector: { matchLabels: selectorLabels(app) },
      template: {
        metadata: { labels: podLabels(app), annotations: metricAnnotations(app) },
        spec: {
          serviceAccountName: app.serviceAccountName,
          nodeSelector,
          containers: [
            {
              name: app.name,
              image: app.image,
              ports: app.containerPorts.map((p) => ({ containerPort: p.containerPort, name: p.name })),
              env: app.env.length ? app.env.map(envVar) : undefined,
              resources: app.resources,
              livenessProbe: probe(app.livenessProbe),
              readinessProbe: probe(app.readinessProbe),
            },
          ],
        },
      },
    },
  });
}

function metric(m: Autoscaling['metrics'][number]): V2MetricSpec {
  if (m.type === 'pods') {
    return {
      type: 'Pods',
      pods: { metric: { name: m.metric }, target: { type: 'AverageValue', averageValue: m.averageValue } },
    };
  }
  return {
    type: 'Resource',
    resource: { name: m.type, target: { type: 'Utilization', averageUtilization: m.averageUtilization } },
  };
}

function scalingRules(rules: ScalingRules | undefined): V2HPAScalingRules | undefined {
  return rules && { stabilizationWindowSeconds: rules.stabilizationWindowSeconds, policies: rules.policies };
}

export function horizontalPodAutoscaler(app: Application, sizing: ApplicationSizing): KubeObject | undefined {
  if (!app.autoscaling || !sizing.autoscaling) return undefined;
  const behavior = app.autoscaling.behavior;
  return kubeObject<V2HorizontalPodAutoscaler>({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: `${app.name}-hpa`, namespace: app.namespace },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app.name },
      minReplicas: sizing.autoscaling.minReplicas,
      maxReplicas: sizing.autoscaling.maxReplicas,
      metrics: app.autoscaling.metrics.map(metric),
      behavior: behavior && {
        scaleUp: scalingRules(behavior.scaleUp),
        scaleDown: scalingRules(behavior.scaleDown),
      },
    },
  });
}

export function service(app: Application): KubeObject {
  return kubeObject<V1Service>({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: app.name, namespace: app.namespace, labels: selectorLabels(app) },
    spec: {
      type: app.service.type,
      selector: selectorLabels(app),
      ports: app.service.ports.map((p) => ({
        name: p.name,
        port: p.port,
        targetPort: p.targetPort,
        protocol: p.protocol,
      })),
    },
  });
}

/** Everything of one application except the Secrets it reads (connection-secrets.ts builds those). */
export function applicationObjects(
  spec: SpecWith<'cluster'>,
  app: Application,
  region: RegionRole,
  liveReplicas?: number,
): KubeObject[] {
  const sizing = applicationSizing(spec, app, region);
  return [
    serviceAccount(app),
    deployment(app, replicasToWrite(sizing, liveReplicas), applicationNodeSelector(spec)),
    horizontalPodAutoscaler(app, sizing),
    service(app),
  ].filter((o): o is KubeObject => o !== undefined);
}
