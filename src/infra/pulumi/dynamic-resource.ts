import * as pulumi from '@pulumi/pulumi';
import { handlerProviderPath } from './compiled';
import type { HandlerInputs, HandlerOutputs } from './handler-provider';
import type { ResourceHandler } from './resource-handler';

/**
 * One Pulumi dynamic provider for every resource kind in the handler registry.
 *
 * Pulumi serializes a dynamic provider's functions, with everything they capture, into
 * the state and runs them in pulumi-resource-pulumi-nodejs. The functions below are kept
 * tiny: they capture one string, the path of the compiled provider entry (compiled.ts), and
 * `require` it there. The engine passes the current path in LP_INFRA_PULUMI_PROVIDER_MODULE
 * (see engine.ts), so state written from one checkout or image still works from another;
 * the captured path is the fallback.
 */
const compiledProvider = handlerProviderPath; // a local constant: the closures capture its value only

type Provider = pulumi.dynamic.ResourceProvider<HandlerInputs, HandlerOutputs>;

function load(): Required<Provider> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- runs in the provider process
  return require(process.env.LP_INFRA_PULUMI_PROVIDER_MODULE || compiledProvider).handlerProvider;
}

const forwardingProvider: Provider = {
  check: (olds, news) => load().check(olds, news),
  diff: (id, olds, news) => load().diff(id, olds, news),
  create: (inputs) => load().create(inputs),
  read: (id, props) => load().read(id, props),
  update: (id, olds, news) => load().update(id, olds, news),
  delete: (id, props) => load().delete(id, props),
};

type Untyped = Record<string, unknown>;
export type PropsOf<H> = H extends ResourceHandler<infer P, infer _O> ? P : never;
export type OutsOf<H> = H extends ResourceHandler<infer _P, infer O> ? O : never;

export interface HandlerResourceArgs<P> {
  props: { [Key in keyof P]: pulumi.Input<P[Key]> };
  /** Defaults to AWS_REGION in the engine's environment. */
  region?: pulumi.Input<string>;
}

/**
 * A resource managed by the handler registered for `kind`, with that handler's props `P` and
 * outs `O`. src/infra/handler-resource.ts types it by lp-infra's registry (src/infra/handlers.ts).
 */
export class HandlerResource<P = Untyped, O = Untyped, K extends string = string>
  extends pulumi.dynamic.Resource
{
  declare readonly kind: pulumi.Output<K>;
  declare readonly region: pulumi.Output<string | undefined>;
  declare readonly props: pulumi.Output<P>;
  declare readonly outs: pulumi.Output<O>;

  constructor(kind: K, name: string, args: HandlerResourceArgs<P>, opts?: pulumi.CustomResourceOptions) {
    const [area, type] = kind.split(':');
    const inputs = { kind, region: args.region, props: args.props, outs: undefined };
    super(forwardingProvider, name, inputs, opts, `lp-infra/${area}`, type);
  }
}
