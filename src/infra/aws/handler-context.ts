import type { HandlerContext } from '../pulumi/resource-handler';
import { awsEndpoint } from './clients';

/**
 * Where a resource handler acts in a region (default: AWS_REGION, AWS_DEFAULT_REGION, us-east-1):
 * real AWS through the default credential chain, or an emulator's endpoint
 * (LP_INFRA_AWS_ENDPOINT*, as for every client, clients.ts).
 */
export function handlerContext(region?: string): HandlerContext {
  const resolved = region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
  return { region: resolved, endpoint: awsEndpoint(resolved) };
}
