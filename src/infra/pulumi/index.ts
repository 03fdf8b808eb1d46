export { HandlerResource, type HandlerResourceArgs, type OutsOf, type PropsOf } from './dynamic-resource';
export { engineSettings, localPassphrase, type EngineSettings } from './engine';
export { handlerFor, handlers, type Kind } from './handlers';
export {
  handlerContext,
  type HandlerContext,
  type ResourceHandler,
  type ResourceState,
} from './resource-handler';
export {
  destroyStack,
  previewStack,
  refreshStack,
  stackOutputs,
  stackResourceCount,
  upStack,
  type RunOptions,
  type StackRunSummary,
  type StackTarget,
} from './stack';
