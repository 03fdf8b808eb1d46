import { z } from 'zod';
import {
  dnsLabel,
  imageReference,
  labels,
  nonNegativeInt,
  percentage,
  port,
  quantity,
  section,
} from './primitives';
import { ResourcesSchema } from './resources';

const portName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/, 'must be a port name (15 characters at most)');
const portOrName = z.union([port, portName]);
const intOrPercent = z.union([
  nonNegativeInt,
  z.string().regex(/^\d{1,3}%$/, 'must be a count or a percentage such as 25%'),
]);

const ProbeSchema = section({
  path: z.string().startsWith('/'),
  port: portOrName,
  initialDelaySeconds: nonNegativeInt.default(0),
  periodSeconds: z.int().min(1).default(10),
  timeoutSeconds: z.int().min(1).default(1),
  failureThreshold: z.int().min(1).default(3),
});

/** A literal value, or a reference to a key of a Kubernetes Secret lp-infra fills. */
const EnvVarSchema = section({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'must be an environment variable name'),
  value: z.string().optional(),
  secretRef: section({
    name: dnsLabel,
    key: z.string().regex(/^[-._a-zA-Z0-9]+$/, 'must be a Secret key'),
  }).optional(),
});

const utilizationMetric = (type: 'cpu' | 'memory') =>
  section({ type: z.literal(type), averageUtilization: percentage });

const HpaMetricSchema = z.discriminatedUnion('type', [
  utilizationMetric('cpu'),
  utilizationMetric('memory'),
  section({ type: z.literal('pods'), metric: z.string().min(1), averageValue: quantity }),
]);

const ScalingRulesSchema = section({
  stabilizationWindowSeconds: z.int().min(0).max(3600),
  policies: z
    .array(
      section({
        type: z.enum(['Percent', 'Pods']),
        value: z.int().min(1),
        periodSeconds: z.int().min(1).max(1800),
      }),
    )
    .min(1),
});

const AutoscalingSchema = section({
  minReplicas: z.int().min(1),
  maxReplicas: z.int().min(1),
  metrics: z.array(HpaMetricSchema).min(1),
  behavior: section({
    scaleUp: ScalingRulesSchema.optional(),
    scaleDown: ScalingRulesSchema.optional(),
  }).optional(),
});

/** One workload: a Deployment, its HorizontalPodAutoscaler and its Service. */
export const ApplicationSchema = section({
  name: dnsLabel,
  namespace: dnsLabel,
  image: imageReference,
  /** The `version` label on the Deployment and its pods. */
  version: z.string().regex(/^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$/, 'must be a label value such as v2.0.0'),
  labels: labels.default({}),
  replicas: nonNegativeInt,
  strategy: section({
    type: z.literal('RollingUpdate').default('RollingUpdate'),
    maxUnavailable: intOrPercent,
    maxSurge: intOrPercent,
  }),
  serviceAccountName: dnsLabel.optional(),
  containerPorts: z.array(section({ name: portName, containerPort: port })).min(1),
  env: z.array(EnvVarSchema).default([]),
  resources: ResourcesSchema,
  /** Written as prometheus.io/scrape, /port and /path annotations on the pods. */
  metrics: section({ scrape: z.boolean(), port: portOrName, path: z.string().startsWith('/') }).optional(),
  livenessProbe: ProbeSchema.optional(),
  readinessProbe: ProbeSchema.optional(),
  autoscaling: AutoscalingSchema.optional(),
  service: section({
    type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).default('ClusterIP'),
    ports: z
      .array(
        section({
          name: portName,
          port,
          targetPort: portOrName,
          protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'),
        }),
      )
      .min(1),
  }),
});
