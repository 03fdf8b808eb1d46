import { handlerContext } from './aws/handler-context';
import { handlerProviderOver } from './pulumi/handler-provider';
import { handlers } from './handlers';

/**
 * The module pulumi-resource-pulumi-nodejs loads from dist/ (src/infra/pulumi/compiled.ts names
 * it): the dynamic provider over every registered handler, acting where the AWS side says.
 */
export const handlerProvider = handlerProviderOver(handlers, handlerContext);
