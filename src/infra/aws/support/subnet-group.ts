import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { sameMembers } from './same-members';

/** The subnets a managed service places its nodes in (an RDS or ElastiCache subnet group). */
export interface SubnetGroupProps {
  name: string;
  description: string;
  subnetIds: string[];
  tags: Record<string, string>;
}

export interface SubnetGroupOuts {
  arn: string;
}

export interface SubnetGroupFound {
  arn: string;
  description: string;
  subnetIds: string[];
}

/** The calls one service has for its subnet groups; everything else is the same. */
export interface SubnetGroupApi {
  describe(name: string, ctx: HandlerContext): Promise<SubnetGroupFound | undefined>;
  /** Creates the group with its tags; returns its ARN. */
  create(props: SubnetGroupProps, ctx: HandlerContext): Promise<string>;
  modify(name: string, props: SubnetGroupProps, ctx: HandlerContext): Promise<void>;
  retag?(
    arn: string,
    before: Record<string, string>,
    after: Record<string, string>,
    ctx: HandlerContext,
  ): Promise<void>;
  /** Deletes the group; succeeds when it is already gone. */
  remove(name: string, ctx: HandlerContext): Promise<void>;
}

/** A subnet group handler: found by name, so a retried create adopts what the first one made. */
export function subnetGroupHandler(api: SubnetGroupApi): ResourceHandler<SubnetGroupProps, SubnetGroupOuts> {
  return {
    async create(props, ctx) {
      const existing = await api.describe(props.name, ctx);
      const arn = existing ? existing.arn : await api.create(props, ctx);
      return { id: props.name, outs: { arn } };
    },

    async read(id, current, ctx) {
      const group = await api.describe(id, ctx);
      if (!group) return undefined;
      return {
        props: {
          ...current.props,
          description: group.description,
          subnetIds: sameMembers(group.subnetIds, current.props.subnetIds),
        },
        outs: current.outs,
      };
    },

    async update(id, current, news, ctx) {
      await api.modify(id, news, ctx);
      await api.retag?.(current.outs.arn, current.props.tags, news.tags, ctx);
      return current.outs;
    },

    async delete(id, _current, ctx) {
      await api.remove(id, ctx);
    },

    replaceOnChanges: ['name'],
    deleteBeforeReplace: true,
  };
}
