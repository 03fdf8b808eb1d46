import {
  CreateHostedZoneCommand,
  DeleteHostedZoneCommand,
  GetHostedZoneCommand,
  ListHostedZonesByNameCommand,
  Route53Client,
  UpdateHostedZoneCommentCommand,
  waitUntilResourceRecordSetsChanged,
  type HostedZone,
} from '@aws-sdk/client-route-53';
import { route53Tags, updateRoute53Tags } from './tags';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { TAG_ENVIRONMENT } from '../tags';
import type { AwsGrant } from '../permissions/grants';

/**
 * A public Route 53 hosted zone. `manage: true` makes it (and removes it with the
 * stack); `manage: false` only looks up the zone that exists already (it usually comes
 * with the domain) and never changes or removes it.
 */
export interface HostedZoneProps {
  name: string;
  manage: boolean;
  /** Written on a zone lp-infra makes: it marks the zone as the environment's from the moment it exists. */
  comment: string;
  tags: Record<string, string>;
}

export interface HostedZoneOuts {
  zoneId: string;
  nameServers: string[];
}

const notFound = 'NoSuchHostedZone';
export const route53 = (ctx: HandlerContext) => awsClient(Route53Client, ctx.region);
const shortId = (id: string | undefined) => (id ?? '').replace(/^\/hostedzone\//, '');
const absolute = (name: string) => (name.endsWith('.') ? name : `${name}.`);
const relative = (name: string) => name.replace(/\.$/, '');

/** The public zone of exactly this name, if there is one. */
export async function findPublicZone(name: string, ctx: HandlerContext): Promise<HostedZone | undefined> {
  const { HostedZones } = await route53(ctx).send(
    new ListHostedZonesByNameCommand({ DNSName: name, MaxItems: 10 }),
  );
  return HostedZones?.find((zone) => zone.Name === absolute(name) && !zone.Config?.PrivateZone);
}

async function outsOf(zoneId: string, ctx: HandlerContext): Promise<HostedZoneOuts> {
  const { DelegationSet } = await route53(ctx).send(new GetHostedZoneCommand({ Id: zoneId }));
  return { zoneId, nameServers: DelegationSet?.NameServers ?? [] };
}

async function makeZone(props: HostedZoneProps, ctx: HandlerContext): Promise<string> {
  const { HostedZone: made, ChangeInfo } = await route53(ctx).send(
    new CreateHostedZoneCommand({
      Name: props.name,
      // Unique per request; a retry finds the zone by name and comment instead.
      CallerReference: `lp-infra-${props.name}-${Date.now()}`,
      HostedZoneConfig: { Comment: props.comment, PrivateZone: false },
    }),
  );
  await waitUntilResourceRecordSetsChanged(
    { client: route53(ctx), maxWaitTime: 300 },
    { Id: ChangeInfo?.Id ?? '' },
  );
  return shortId(made?.Id);
}

export const hostedZone: ResourceHandler<HostedZoneProps, HostedZoneOuts> = {
  async create(props, ctx) {
    const existing = await findPublicZone(props.name, ctx);
    if (!props.manage) {
      if (!existing)
        throw new Error(`hosted zone ${props.name} not found: create it, or set dns.manageZone: true`);
      return { id: shortId(existing.Id), outs: await outsOf(shortId(existing.Id), ctx) };
    }
    const environment = props.tags[TAG_ENVIRONMENT];
    const ours =
      existing &&
      (existing.Config?.Comment === props.comment ||
        (await route53Tags('hostedzone', shortId(existing.Id), ctx))[TAG_ENVIRONMENT] === environment);
    if (existing && !ours) {
      throw new Error(
        `hosted zone ${props.name} exists outside environment ${environment}: set dns.manageZone: false to use it`,
      );
    }
    const zoneId = existing ? shortId(existing.Id) : await makeZone(props, ctx);
    ctx.made?.(zoneId);
    await updateRoute53Tags(
      'hostedzone',
      zoneId,
      await route53Tags('hostedzone', zoneId, ctx),
      props.tags,
      ctx,
    );
    return { id: zoneId, outs: await outsOf(zoneId, ctx) };
  },

  async read(id, current, ctx) {
    const found = await unlessMissing(route53(ctx).send(new GetHostedZoneCommand({ Id: id })), notFound);
    if (!found?.HostedZone) return undefined;
    const zone = found.HostedZone;
    const props = current.props.manage
      ? {
          ...current.props,
          comment: zone.Config?.Comment ?? '',
          tags: await route53Tags('hostedzone', id, ctx),
        }
      : current.props;
    return {
      props: { ...props, name: relative(zone.Name ?? '') },
      outs: { zoneId: id, nameServers: found.DelegationSet?.NameServers ?? [] },
    };
  },

  async update(id, current, news, ctx) {
    if (news.manage) {
      if (news.comment !== current.props.comment) {
        await route53(ctx).send(new UpdateHostedZoneCommentCommand({ Id: id, Comment: news.comment }));
      }
      await updateRoute53Tags('hostedzone', id, current.props.tags, news.tags, ctx);
    }
    return outsOf(id, ctx);
  },

  async delete(id, current, ctx) {
    if (!current.props.manage) return; // looked up, never ours to remove
    await ignoreMissing(route53(ctx).send(new DeleteHostedZoneCommand({ Id: id })), notFound);
  },

  replaceOnChanges: ['name', 'manage'],
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['route53:ListHostedZonesByName', 'route53:GetHostedZone', 'route53:CreateHostedZone'] },
  { actions: ['route53:UpdateHostedZoneComment', 'route53:DeleteHostedZone'], on: ['hostedzone'] },
  { actions: ['route53:GetChange'], on: ['change'] },
];
