import type { ResourceHandler } from '../../pulumi/resource-handler';

/** AWS resource handlers by kind (`aws:<name>`); see src/infra/pulumi/handlers.ts. */
export const foundationHandlers = {} satisfies Record<string, ResourceHandler<never, never>>;
