import {
  HandlerResource as DynamicHandlerResource,
  type HandlerResourceArgs as DynamicHandlerResourceArgs,
  type OutsOf as HandlerOutsOf,
  type PropsOf as HandlerPropsOf,
} from './pulumi/dynamic-resource';
import type { handlers, Kind } from './handlers';

export type PropsOf<K extends Kind> = HandlerPropsOf<(typeof handlers)[K]>;
export type OutsOf<K extends Kind> = HandlerOutsOf<(typeof handlers)[K]>;
export type HandlerResourceArgs<K extends Kind> = DynamicHandlerResourceArgs<PropsOf<K>>;

/**
 * A resource managed by the handler registered for `kind` (handlers.ts), typed by kind: `props`
 * takes the handler's props (each may be an Output), `outs` gives its outputs.
 */
export class HandlerResource<K extends Kind> extends DynamicHandlerResource<PropsOf<K>, OutsOf<K>, K> {}
