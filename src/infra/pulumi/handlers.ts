import { dataAndEdgeHandlers } from '../aws/handlers/data-and-edge';
import { disasterRecoveryHandlers } from '../aws/handlers/disaster-recovery';
import { foundationHandlers } from '../aws/handlers/foundation';
import { localFile } from './local-file';
import type { ResourceHandler } from './resource-handler';

/**
 * Every resource kind lp-infra manages through Pulumi, by name. The dynamic provider
 * runs in its own process and loads this module from dist/, so a handler must be listed
 * here (registering one at run time would not reach that process).
 *
 * A kind is `<area>:<name>` (`aws:vpc`); it becomes the Pulumi type
 * `pulumi-nodejs:dynamic/lp-infra/<area>:<name>`, part of every resource's URN.
 */
export const handlers = {
  'local:file': localFile,
  ...foundationHandlers,
  ...dataAndEdgeHandlers,
  ...disasterRecoveryHandlers,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- every kind has its own props and outs
} satisfies Record<string, ResourceHandler<any, any>>;

export type Kind = keyof typeof handlers;

export function handlerFor(kind: string): ResourceHandler {
  const registry: Record<string, unknown> = handlers;
  if (!Object.hasOwn(registry, kind)) {
    throw new Error(`no resource handler for kind '${kind}'; known: ${Object.keys(registry).join(', ')}`);
  }
  return registry[kind] as ResourceHandler;
}
