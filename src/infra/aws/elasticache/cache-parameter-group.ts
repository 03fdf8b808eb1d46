import {
  CreateCacheParameterGroupCommand,
  DeleteCacheParameterGroupCommand,
  DescribeCacheParametersCommand,
  ElastiCacheClient,
  ModifyCacheParameterGroupCommand,
  ResetCacheParameterGroupCommand,
} from '@aws-sdk/client-elasticache';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { skipNotEmulated } from '../support/emulator';
import { ignoreMissing, isAwsError, unlessMissing } from '../support/errors';
import { toAwsTags } from '../tags';
import type { AwsGrant } from '../permissions/grants';

/** A Redis parameter group: the family's defaults with the spec's parameters on top. */
export interface CacheParameterGroupProps {
  name: string;
  family: string;
  description: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
}

export interface CacheParameterGroupOuts {
  name: string;
}

const notFound = 'CacheParameterGroupNotFoundFault';
const client = (ctx: HandlerContext) => awsClient(ElastiCacheClient, ctx.region);
/** ModifyCacheParameterGroup takes at most 20 parameters a call. */
const perCall = 20;

async function setParameters(name: string, parameters: Record<string, string>, ctx: HandlerContext) {
  const entries = Object.entries(parameters);
  for (let start = 0; start < entries.length; start += perCall) {
    const batch = entries.slice(start, start + perCall);
    await client(ctx).send(
      new ModifyCacheParameterGroupCommand({
        CacheParameterGroupName: name,
        ParameterNameValues: batch.map(([ParameterName, ParameterValue]) => ({
          ParameterName,
          ParameterValue,
        })),
      }),
    );
  }
}

/** The parameters set by the user (not the family's defaults), or undefined when the group is gone. */
async function userParameters(
  name: string,
  ctx: HandlerContext,
): Promise<Record<string, string> | undefined> {
  const parameters: Record<string, string> = {};
  let marker: string | undefined;
  do {
    const page = await unlessMissing(
      client(ctx).send(
        new DescribeCacheParametersCommand({ CacheParameterGroupName: name, Source: 'user', Marker: marker }),
      ),
      notFound,
    );
    if (!page) return undefined;
    for (const parameter of page.Parameters ?? []) {
      if (parameter.ParameterName) parameters[parameter.ParameterName] = parameter.ParameterValue ?? '';
    }
    marker = page.Marker;
  } while (marker);
  return parameters;
}

export const cacheParameterGroup: ResourceHandler<CacheParameterGroupProps, CacheParameterGroupOuts> = {
  async create(props, ctx) {
    if (
      skipNotEmulated(
        ctx,
        `create cache parameter group ${props.name} (${props.family}) and set its parameters`,
      )
    ) {
      return { id: props.name, outs: { name: props.name } };
    }
    try {
      await client(ctx).send(
        new CreateCacheParameterGroupCommand({
          CacheParameterGroupName: props.name,
          CacheParameterGroupFamily: props.family,
          Description: props.description,
          Tags: toAwsTags(props.tags),
        }),
      );
    } catch (err) {
      if (!isAwsError(err, 'CacheParameterGroupAlreadyExistsFault')) throw err; // a retry: set the parameters again
    }
    ctx.made?.(props.name);
    await setParameters(props.name, props.parameters, ctx);
    return { id: props.name, outs: { name: props.name } };
  },

  async read(id, current, ctx) {
    if (ctx.endpoint) return current; // the emulator has no parameter groups to read
    const parameters = await userParameters(id, ctx);
    if (!parameters) return undefined;
    return { props: { ...current.props, parameters }, outs: current.outs };
  },

  async update(id, current, news, ctx) {
    if (skipNotEmulated(ctx, `change the parameters of cache parameter group ${id}`)) return current.outs;
    const removed = Object.keys(current.props.parameters).filter((key) => !(key in news.parameters));
    if (removed.length) {
      await client(ctx).send(
        new ResetCacheParameterGroupCommand({
          CacheParameterGroupName: id,
          ParameterNameValues: removed.map((ParameterName) => ({ ParameterName })),
        }),
      );
    }
    await setParameters(id, news.parameters, ctx);
    return current.outs;
  },

  async delete(id, _current, ctx) {
    if (skipNotEmulated(ctx, `delete cache parameter group ${id}`)) return;
    await ignoreMissing(
      client(ctx).send(new DeleteCacheParameterGroupCommand({ CacheParameterGroupName: id })),
      notFound,
    );
  },

  replaceOnChanges: ['name', 'family'],
  deleteBeforeReplace: true,
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['elasticache:DescribeCacheParameters'] },
  { actions: ['elasticache:CreateCacheParameterGroup'], when: 'created' },
  {
    actions: [
      'elasticache:ModifyCacheParameterGroup',
      'elasticache:ResetCacheParameterGroup',
      'elasticache:DeleteCacheParameterGroup',
    ],
    when: 'tagged',
  },
];
