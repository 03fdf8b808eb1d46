/**
 * How one kind of cloud resource is made, observed, changed and removed. Handlers are
 * plain async functions over a cloud SDK; the Pulumi dynamic provider calls them (see
 * dynamic-resource.ts), and so can drift checks and tests.
 *
 * `props` is the desired configuration, in the same shape on every call; `outs` is what
 * the cloud assigns (ids, ARNs, endpoints). `read` reports the props as they are now, so
 * that a refresh records changes made outside lp-infra and the next diff shows them.
 */
export interface ResourceHandler<
  P extends object = Record<string, unknown>,
  O extends object = Record<string, unknown>,
> {
  create(props: P, ctx: HandlerContext): Promise<{ id: string; outs: O }>;
  /** The resource as it is now, or undefined when it no longer exists. */
  read(
    id: string,
    current: ResourceState<P, O>,
    ctx: HandlerContext,
  ): Promise<ResourceState<P, O> | undefined>;
  update(id: string, current: ResourceState<P, O>, news: P, ctx: HandlerContext): Promise<O>;
  /** Removes the resource; succeeds when it is already gone. */
  delete(id: string, current: ResourceState<P, O>, ctx: HandlerContext): Promise<void>;
  /** Props whose change needs a new resource (default: every change is an update). */
  replaceOnChanges?: readonly (keyof P & string)[];
  /** Delete the old resource before creating its replacement (names that must be unique). */
  deleteBeforeReplace?: boolean;
  /** Overrides the default diff, which compares each prop for deep equality. */
  diff?(id: string, current: ResourceState<P, O>, news: P, ctx: HandlerContext): Promise<HandlerDiff<P>>;
}

export interface ResourceState<P, O> {
  props: P;
  outs: O;
}

export interface HandlerDiff<P> {
  changed: (keyof P & string)[];
  replaces?: (keyof P & string)[];
}

/**
 * Where a handler acts: real AWS through the default chain, or an emulator's endpoint. The
 * cloud side makes it (src/infra/aws/handler-context.ts); this layer knows no cloud.
 */
export interface HandlerContext {
  region: string;
  endpoint?: string;
  /**
   * A create calls this as soon as its resource exists (made now, or found from an earlier
   * attempt), before the steps that finish it (waiters, settings, aliases, tags). If one of
   * those fails, the stack still records the resource: a destroy removes it, and the next
   * apply finishes it (see handler-provider.ts).
   */
  made?(id: string): void;
}

/**
 * Resource handlers by kind. A kind is `<area>:<name>` (`aws:vpc`); it becomes the Pulumi type
 * `pulumi-nodejs:dynamic/lp-infra/<area>:<name>`, part of every resource's URN. The registry
 * itself is composed above this layer (src/infra/handlers.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every kind has its own props and outs
export type HandlerRegistry = Record<string, ResourceHandler<any, any>>;

export function handlerIn(registry: HandlerRegistry, kind: string): ResourceHandler {
  if (!Object.hasOwn(registry, kind)) {
    throw new Error(`no resource handler for kind '${kind}'; known: ${Object.keys(registry).join(', ')}`);
  }
  return registry[kind] as ResourceHandler;
}
