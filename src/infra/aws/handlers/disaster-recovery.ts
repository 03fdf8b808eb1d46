import type { ResourceHandler } from '../../pulumi/resource-handler';
import { healthCheck } from '../route53/health-check';

/** AWS resource handlers of the disaster-recovery components; see src/infra/handlers.ts. */
export const disasterRecoveryHandlers = {
  'aws:route53-health-check': healthCheck,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- every kind has its own props and outs
} satisfies Record<string, ResourceHandler<any, any>>;
