import { z } from 'zod';
import { hostname, notes, port, section } from './primitives';

export const DnsSchema = section({
  zone: hostname,
  /** false: the hosted zone exists (it usually comes with the domain) and lp-infra looks it up. */
  manageZone: z.boolean().default(false),
  records: z.array(
    section({
      name: hostname,
      /** gateway: the Istio ingress load balancer of each region; cdn: the CloudFront distribution. */
      target: z.enum(['gateway', 'cdn']),
      /** failover: primary region's gateway, secondary's when the health check fails. */
      routing: z.enum(['simple', 'failover']).default('simple'),
    }),
  ),
  healthCheck: section({
    protocol: z.enum(['HTTPS', 'HTTP', 'TCP']),
    path: z.string().startsWith('/').optional(),
    port,
    requestIntervalSeconds: z.literal([10, 30]),
    failureThreshold: z.int().min(1).max(10),
  }),
  notes,
});
