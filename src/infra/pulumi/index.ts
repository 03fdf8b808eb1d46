export { engineSettings, localPassphrase, type EngineSettings } from './engine';
export {
  type HandlerContext,
  type HandlerRegistry,
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
