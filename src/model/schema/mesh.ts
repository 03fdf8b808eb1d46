import { z } from 'zod';
import {
  dnsLabel,
  goDuration,
  hostnameOrWildcard,
  labels,
  nonNegativeInt,
  notes,
  port,
  section,
} from './primitives';

const GatewaySchema = section({
  name: dnsLabel,
  namespace: dnsLabel.default('istio-system'),
  selector: labels,
  servers: z
    .array(
      section({
        port: section({
          number: port,
          name: z.string().min(1),
          protocol: z.enum(['HTTP', 'HTTPS', 'GRPC', 'HTTP2', 'MONGO', 'TCP', 'TLS']),
        }),
        tls: section({
          mode: z.enum(['SIMPLE', 'MUTUAL', 'PASSTHROUGH', 'ISTIO_MUTUAL', 'OPTIONAL_MUTUAL']),
          /** Name of the Kubernetes TLS Secret; lp-infra never holds the key itself. */
          credentialName: z.string().min(1).optional(),
        }).optional(),
        hosts: z.array(hostnameOrWildcard).min(1),
      }),
    )
    .min(1),
});

const serviceHost = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-.]*[a-z0-9])?$/,
    'must be a service host such as api-gateway.production.svc.cluster.local',
  );

const HttpRouteSchema = section({
  match: z
    .array(
      section({
        uri: section({
          prefix: z.string().startsWith('/').optional(),
          exact: z.string().startsWith('/').optional(),
          regex: z.string().min(1).optional(),
        }),
      }),
    )
    .default([]),
  route: z
    .array(
      section({
        destination: section({ host: serviceHost, port, subset: z.string().optional() }),
        weight: z.int().min(0).max(100).optional(),
      }),
    )
    .min(1),
  timeout: goDuration.optional(),
  retries: section({
    attempts: nonNegativeInt,
    perTryTimeout: goDuration.optional(),
    retryOn: z.string().optional(),
  }).optional(),
});

const VirtualServiceSchema = section({
  name: dnsLabel,
  /** Defaults to istio-system so a gateway named without a namespace resolves as in the reference. */
  namespace: dnsLabel.default('istio-system'),
  hosts: z.array(hostnameOrWildcard).min(1),
  gateways: z.array(z.string().min(1)).default([]),
  http: z.array(HttpRouteSchema).min(1),
});

/**
 * Istio's outlier detection. The reference document's `circuitBreaker` block is not an Istio
 * field; its settings are these (consecutiveErrors became consecutive5xxErrors).
 */
const OutlierDetectionSchema = section({
  consecutive5xxErrors: nonNegativeInt,
  interval: goDuration,
  baseEjectionTime: goDuration,
  maxEjectionPercent: z.int().min(0).max(100),
});

const DestinationRuleSchema = section({
  name: dnsLabel,
  namespace: dnsLabel.default('istio-system'),
  host: serviceHost,
  trafficPolicy: section({
    loadBalancer: z.enum(['ROUND_ROBIN', 'LEAST_CONN', 'LEAST_REQUEST', 'RANDOM', 'PASSTHROUGH']).optional(),
    connectionPool: section({
      tcp: section({ maxConnections: z.int().min(1), connectTimeout: goDuration.optional() }).optional(),
      http: section({
        http1MaxPendingRequests: z.int().min(1).optional(),
        http2MaxRequests: z.int().min(1).optional(),
        maxRequestsPerConnection: nonNegativeInt.optional(),
        maxRetries: nonNegativeInt.optional(),
      }).optional(),
    }).optional(),
    outlierDetection: OutlierDetectionSchema.optional(),
  }),
});

export const MeshSchema = section({
  gateways: z.array(GatewaySchema).default([]),
  virtualServices: z.array(VirtualServiceSchema).default([]),
  destinationRules: z.array(DestinationRuleSchema).default([]),
  notes,
});
