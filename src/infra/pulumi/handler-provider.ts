import type * as pulumi from '@pulumi/pulumi';
import { isDeepStrictEqual } from 'node:util';
import {
  handlerIn,
  type HandlerContext,
  type HandlerDiff,
  type HandlerRegistry,
  type ResourceHandler,
  type ResourceState,
} from './resource-handler';

/**
 * The dynamic provider itself, in terms of a handler registry. It runs inside
 * pulumi-resource-pulumi-nodejs, loaded from dist/ by the forwarding provider in
 * dynamic-resource.ts (through the entry compiled.ts names, which builds it over lp-infra's
 * registry), so it may import compiled project code and node_modules freely.
 */
type Props = Record<string, unknown>;

export interface HandlerInputs {
  kind: string;
  region?: string;
  props: Props;
  /** The dynamic provider's serialised code, in every request's properties. */
  __provider?: string;
}

export interface HandlerOutputs extends HandlerInputs {
  outs: Props;
}

/**
 * The provider over `registry`; `handlerContext` says where a handler acts in a region (the
 * cloud side makes it: this layer knows no cloud).
 */
export function handlerProviderOver(
  registry: HandlerRegistry,
  handlerContext: (region?: string) => HandlerContext,
): pulumi.dynamic.ResourceProvider<HandlerInputs, HandlerOutputs> {
  const handlerFor = (kind: string) => handlerIn(registry, kind);
  const finish = (id: string, olds: HandlerOutputs, news: HandlerInputs) =>
    finishUnfinished(handlerFor(news.kind), handlerContext(news.region), id, olds, news);
  return {
    async check(_olds, news) {
      if (Object.hasOwn(registry, news.kind)) return { inputs: news };
      return { failures: [{ property: 'kind', reason: `no resource handler for kind '${news.kind}'` }] };
    },

    async diff(id, olds, news) {
      const moved = (['kind', 'region'] as const).filter((key) => (olds[key] ?? '') !== (news[key] ?? ''));
      if (moved.length > 0) return { changes: true, replaces: [...moved] };
      const handler = handlerFor(news.kind);
      const diff = handler.diff
        ? await withAwsCode(() => handler.diff!(id, stateOf(olds), news.props, handlerContext(news.region)))
        : propertyDiff(handler, olds.props, news.props);
      return {
        // An unfinished resource (see create) always has work left, even after a refresh
        // cleared the engine's record of its initialization error.
        changes: diff.changed.length > 0 || Boolean(olds.outs?.[unfinished]),
        replaces: (diff.replaces ?? []).map((key) => `props.${key}`),
        deleteBeforeReplace: handler.deleteBeforeReplace ?? false,
      };
    },

    async create(inputs) {
      let made: string | undefined;
      const ctx = { ...handlerContext(inputs.region), made: (id: string) => void (made = id) };
      try {
        const { id, outs } = await withAwsCode(() => handlerFor(inputs.kind).create(inputs.props, ctx));
        return { id, outs: outputsOf(inputs, inputs.props, outs) };
      } catch (err) {
        if (made === undefined || !(err instanceof Error)) throw err;
        // Pulumi's initialization failure: the engine records the resource (with the dynamic
        // provider's own `__provider` property, which its delete needs) and the error. A destroy
        // removes it; the next apply runs update, which finishes it.
        throw Object.assign(err, {
          id: made,
          reasons: [err.message],
          properties: {
            ...outputsOf(inputs, inputs.props, { [unfinished]: true }),
            ...(inputs.__provider === undefined ? {} : { __provider: inputs.__provider }),
          },
        });
      }
    },

    async read(id, stored) {
      const current = stored as HandlerOutputs; // the engine always sends the stored state
      if (current.outs?.[unfinished]) {
        // Recorded, not finished: a refresh drops it when it is gone; otherwise it stays as
        // recorded (the outputs a read relies on may be missing) and the next apply finishes it.
        const found = await handlerFor(current.kind)
          .read(id, stateOf(current), handlerContext(current.region))
          .catch(() => current);
        return found ? { id, props: current } : {};
      }
      const state = await withAwsCode(() =>
        handlerFor(current.kind).read(id, stateOf(current), handlerContext(current.region)),
      );
      if (!state) return {}; // no id: the resource is gone, and refresh drops it
      return { id, props: outputsOf(current, state.props, state.outs) };
    },

    async update(id, olds, news) {
      if (olds.outs?.[unfinished]) return { outs: outputsOf(news, news.props, await finish(id, olds, news)) };
      const outs = await withAwsCode(() =>
        handlerFor(news.kind).update(id, stateOf(olds), news.props, handlerContext(news.region)),
      );
      return { outs: outputsOf(news, news.props, outs) };
    },

    async delete(id, current) {
      await withAwsCode(() =>
        handlerFor(current.kind).delete(id, stateOf(current), handlerContext(current.region)),
      );
    },
  };
}

/** Marks the outputs of a resource recorded by a create that did not finish. */
const unfinished = 'lpInfraUnfinished';

/**
 * Finishes a resource whose create failed after it was made: the create runs again, finds the
 * resource by its identity (every handler's create looks before it makes) and brings it to the
 * props; props changed since the failed create are then applied as an update, as a handler's
 * create may adopt a resource without changing it. The engine cannot change a resource's id
 * in an update: a create that made another resource (the first was removed outside lp-infra)
 * removes it again and fails, saying what to do.
 */
async function finishUnfinished(
  handler: ResourceHandler,
  ctx: HandlerContext,
  id: string,
  olds: HandlerOutputs,
  news: HandlerInputs,
): Promise<Props> {
  const done = await withAwsCode(() => handler.create(news.props, ctx));
  if (done.id !== id) {
    await withAwsCode(() => handler.delete(done.id, { props: news.props, outs: done.outs }, ctx));
    throw new Error(
      `${news.kind} ${id} was recorded unfinished and is gone: remove it from the stack (pulumi state delete) and apply again`,
    );
  }
  if (isDeepStrictEqual(olds.props, news.props)) return done.outs;
  return withAwsCode(() => handler.update(id, { props: olds.props, outs: done.outs }, news.props, ctx));
}

/**
 * The engine hands only a failure's text to the program that runs it: an AWS error's code is
 * put at the front of that text (`[aws:AccessDenied] ...`), so the activity can tell a
 * permission or validation error (fail at once) from a transient one (retry).
 */
async function withAwsCode<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const aws = err as Error & { $metadata?: unknown };
    if (err instanceof Error && aws.$metadata !== undefined && !err.message.startsWith('[aws:'))
      err.message = `[aws:${err.name}] ${err.message}`;
    throw err;
  }
}

function propertyDiff(handler: ResourceHandler, olds: Props, news: Props): HandlerDiff<Props> {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  const changed = [...keys].filter((key) => !isDeepStrictEqual(olds[key], news[key]));
  const replaces = changed.filter((key) => handler.replaceOnChanges?.includes(key));
  return { changed, replaces };
}

function stateOf(outputs: HandlerOutputs): ResourceState<Props, Props> {
  return { props: outputs.props, outs: outputs.outs ?? {} };
}

/** State as Pulumi stores it: JSON only (a key whose value is undefined fails the engine's RPC). */
function outputsOf(inputs: HandlerInputs, props: Props, outs: Props): HandlerOutputs {
  return JSON.parse(JSON.stringify({ kind: inputs.kind, region: inputs.region, props, outs }));
}
