import {
  CreateTagsCommand,
  DeleteTagsCommand,
  EC2Client,
  type Filter,
  type ResourceType,
  type Tag,
  type TagSpecification,
} from '@aws-sdk/client-ec2';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { createOnce } from '../support/create-once';
import { tagChanges } from '../support/tag-changes';
import { fromAwsTags, TAG_COMPONENT, TAG_ENVIRONMENT, toAwsTags } from '../tags';
import { keepsEnvironmentTag, type AwsGrant } from '../permissions/grants';

/**
 * The shape shared by EC2 resources that have no name of their own (VPCs, subnets,
 * gateways, route tables, ...): lp-infra finds them by the tags that name them, its
 * environment, its component and `Name`. A create that is retried after a failure finds
 * what the first attempt made instead of making a second one, and the create call itself is
 * never resent blindly (createOnce).
 */
export interface TaggedProps {
  tags: Record<string, string>;
}

export const ec2 = (ctx: HandlerContext) => awsClient(EC2Client, ctx.region);
const ec2Once = (ctx: HandlerContext) => awsClient(EC2Client, ctx.region, true);

const identityKeys = [TAG_ENVIRONMENT, TAG_COMPONENT, 'Name'];

/** Describe filters that match the one resource these tags name. */
export function identityFilters(tags: Record<string, string>): Filter[] {
  const missing = identityKeys.filter((key) => !tags[key]);
  if (missing.length)
    throw new Error(`an EC2 resource needs the tags ${missing.join(', ')} to be found again`);
  return identityKeys.map((key) => ({ Name: `tag:${key}`, Values: [tags[key]] }));
}

/** Whether a resource carries the identity tags; checked again here, as not every emulator filters by tag. */
export function hasIdentity(found: Tag[] | undefined, tags: Record<string, string>): boolean {
  const present = fromAwsTags(found);
  return identityKeys.every((key) => present[key] === tags[key]);
}

export interface TaggedEc2Kind<P extends TaggedProps, O, T> {
  /** The EC2 resource type of TagSpecifications, also used in messages. */
  resourceType: ResourceType;
  /** Resources matching the filters (no error when there are none). */
  describe(filters: Filter[], ctx: HandlerContext): Promise<T[]>;
  describeById(id: string, ctx: HandlerContext): Promise<T | undefined>;
  idOf(found: T): string;
  tagsOf(found: T): Tag[] | undefined;
  /** Resources that linger after deletion (NAT gateways stay `deleted` for an hour) do not count. */
  isGone?(found: T): boolean;
  /**
   * Sends the one call that makes the resource, tagged as given, through `client` (which does
   * not retry: see createOnce); returns its id.
   */
  make(
    props: P,
    tagSpecifications: TagSpecification[],
    ctx: HandlerContext,
    client: EC2Client,
  ): Promise<string>;
  /** Waits until the resource (just made, or found from an earlier attempt) can be used. */
  ready?(id: string, ctx: HandlerContext): Promise<void>;
  /** Brings what tags cannot say (attributes, routes, attachments) to the props; runs on create and update. */
  converge?(id: string, props: P, ctx: HandlerContext): Promise<void>;
  /** The props as the resource is now, tags aside. */
  propsOf(found: T, current: P, ctx: HandlerContext): P | Promise<P>;
  outsOf(found: T): O;
  /** Removes it; the resource exists when this is called. */
  remove(id: string, found: T, ctx: HandlerContext): Promise<void>;
  replaceOnChanges?: readonly (keyof P & string)[];
}

async function syncTags(
  id: string,
  before: Record<string, string>,
  after: Record<string, string>,
  ctx: HandlerContext,
) {
  const changes = tagChanges(before, after);
  if (changes.removed.length) {
    await ec2(ctx).send(
      new DeleteTagsCommand({ Resources: [id], Tags: changes.removed.map((Key) => ({ Key })) }),
    );
  }
  if (Object.keys(changes.set).length) {
    await ec2(ctx).send(new CreateTagsCommand({ Resources: [id], Tags: toAwsTags(changes.set) }));
  }
}

/** A resource handler for one kind of tagged EC2 resource. */
export function taggedEc2Handler<P extends TaggedProps, O extends object, T>(
  kind: TaggedEc2Kind<P, O, T>,
): ResourceHandler<P, O> {
  const live = (found: T[]) => found.filter((item) => !kind.isGone?.(item));
  const describeLive = async (id: string, ctx: HandlerContext) => {
    const found = await kind.describeById(id, ctx);
    return found && !kind.isGone?.(found) ? found : undefined;
  };
  const mustDescribe = async (id: string, ctx: HandlerContext) => {
    const found = await describeLive(id, ctx);
    if (!found) throw new Error(`${kind.resourceType} ${id} not found right after it was made or changed`);
    return found;
  };

  return {
    async create(props, ctx) {
      const find = async () => {
        const candidates = await kind.describe(identityFilters(props.tags), ctx);
        const existing = live(candidates).filter((item) => hasIdentity(kind.tagsOf(item), props.tags));
        if (existing.length > 1) {
          const ids = existing.map((item) => kind.idOf(item)).join(', ');
          throw new Error(
            `${existing.length} ${kind.resourceType}s are tagged Name=${props.tags.Name}: ${ids}`,
          );
        }
        return existing[0];
      };
      const existing = await find();
      const tagSpecifications = [{ ResourceType: kind.resourceType, Tags: toAwsTags(props.tags) }];
      const id = existing
        ? kind.idOf(existing)
        : await createOnce(
            () => kind.make(props, tagSpecifications, ctx, ec2Once(ctx)),
            async () => {
              const made = await find();
              return made && kind.idOf(made);
            },
            { settleMs: ctx.endpoint ? 0 : 20_000 },
          );
      ctx.made?.(id);
      if (existing) await syncTags(id, fromAwsTags(kind.tagsOf(existing)), props.tags, ctx);
      await kind.ready?.(id, ctx);
      await kind.converge?.(id, props, ctx);
      return { id, outs: kind.outsOf(await mustDescribe(id, ctx)) };
    },

    async read(id, current, ctx) {
      const found = await describeLive(id, ctx);
      if (!found) return undefined;
      const props = await kind.propsOf(found, current.props, ctx);
      return { props: { ...props, tags: fromAwsTags(kind.tagsOf(found)) }, outs: kind.outsOf(found) };
    },

    async update(id, current, news, ctx) {
      await syncTags(id, current.props.tags, news.tags, ctx);
      await kind.converge?.(id, news, ctx);
      return kind.outsOf(await mustDescribe(id, ctx));
    },

    async delete(id, _current, ctx) {
      const found = await describeLive(id, ctx);
      if (found) await kind.remove(id, found, ctx);
    },

    replaceOnChanges: kind.replaceOnChanges,
    deleteBeforeReplace: true, // the replacement carries the same Name tag, so the old one must go first
  };
}

/** AWS actions of this module, for the worker's IAM policy: tags changed on a resource found again. */
export const awsActions: AwsGrant[] = [
  { actions: ['ec2:CreateTags'], when: 'tagged' },
  { actions: ['ec2:DeleteTags'], when: 'tagged', condition: keepsEnvironmentTag },
];
