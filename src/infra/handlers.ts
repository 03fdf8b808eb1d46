import { dataAndEdgeHandlers } from './aws/handlers/data-and-edge';
import { disasterRecoveryHandlers } from './aws/handlers/disaster-recovery';
import { foundationHandlers } from './aws/handlers/foundation';
import { localFile } from './pulumi/local-file';
import { handlerIn, type HandlerRegistry, type ResourceHandler } from './pulumi/resource-handler';

/**
 * Every resource kind lp-infra manages through Pulumi, by name: the composition root of the
 * handlers. src/infra/pulumi knows no cloud; the AWS handler groups (and the local file) are
 * registered here. The dynamic provider runs in its own process and loads this module from
 * dist/ (through handler-provider.ts), so a handler must be listed here (registering one at
 * run time would not reach that process).
 *
 * A kind is `<area>:<name>` (`aws:vpc`); it becomes the Pulumi type
 * `pulumi-nodejs:dynamic/lp-infra/<area>:<name>`, part of every resource's URN.
 */
export const handlers = {
  'local:file': localFile,
  ...foundationHandlers,
  ...dataAndEdgeHandlers,
  ...disasterRecoveryHandlers,
} satisfies HandlerRegistry;

export type Kind = keyof typeof handlers;

export function handlerFor(kind: string): ResourceHandler {
  return handlerIn(handlers, kind);
}
