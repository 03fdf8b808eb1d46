import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  DeleteOpenIDConnectProviderCommand,
  GetOpenIDConnectProviderCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  RemoveClientIDFromOpenIDConnectProviderCommand,
  TagOpenIDConnectProviderCommand,
  UntagOpenIDConnectProviderCommand,
} from '@aws-sdk/client-iam';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { sameMembers } from '../support/same-members';
import { tagChanges } from '../support/tag-changes';
import { fromAwsTags, toAwsTags } from '../tags';
import { keepsEnvironmentTag, type AwsGrant } from '../permissions/grants';

/**
 * The IAM OpenID Connect provider of an EKS cluster's issuer, which lets Kubernetes
 * service accounts assume IAM roles. No thumbprint is given: IAM trusts the issuer's
 * certificate through its own CA library for EKS issuers.
 */
export interface OidcProviderProps {
  /** The issuer, https://oidc.eks.<region>.amazonaws.com/id/<id>. */
  url: string;
  clientIds: string[];
  tags: Record<string, string>;
}

export interface OidcProviderOuts {
  arn: string;
}

const notFound = 'NoSuchEntity';
const iam = (ctx: HandlerContext) => awsClient(IAMClient, ctx.region);
const hostAndPath = (url: string) => url.replace(/^https:\/\//, '');

async function describe(arn: string, ctx: HandlerContext) {
  return unlessMissing(
    iam(ctx).send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })),
    notFound,
  );
}

/** The provider of this issuer, if one exists (its ARN ends with the issuer's host and path). */
async function findByUrl(url: string, ctx: HandlerContext): Promise<string | undefined> {
  const { OpenIDConnectProviderList } = await iam(ctx).send(new ListOpenIDConnectProvidersCommand({}));
  const suffix = `:oidc-provider/${hostAndPath(url)}`;
  return OpenIDConnectProviderList?.map((provider) => provider.Arn ?? '').find((arn) => arn.endsWith(suffix));
}

export const oidcProvider: ResourceHandler<OidcProviderProps, OidcProviderOuts> = {
  async create(props, ctx) {
    const existing = await findByUrl(props.url, ctx);
    if (existing) {
      ctx.made?.(existing);
      await oidcProvider.update(
        existing,
        { props: { ...props, clientIds: [], tags: {} }, outs: { arn: existing } },
        props,
        ctx,
      );
      return { id: existing, outs: { arn: existing } };
    }
    const { OpenIDConnectProviderArn } = await iam(ctx).send(
      new CreateOpenIDConnectProviderCommand({
        Url: props.url,
        ClientIDList: props.clientIds,
        Tags: toAwsTags(props.tags),
      }),
    );
    if (!OpenIDConnectProviderArn) throw new Error(`no ARN for the OIDC provider of ${props.url}`);
    return { id: OpenIDConnectProviderArn, outs: { arn: OpenIDConnectProviderArn } };
  },

  async read(id, current, ctx) {
    const found = await describe(id, ctx);
    if (!found) return undefined;
    return {
      props: {
        url: `https://${found.Url ?? ''}`,
        clientIds: sameMembers(found.ClientIDList ?? [], current.props.clientIds),
        tags: fromAwsTags(found.Tags),
      },
      outs: current.outs,
    };
  },

  async update(id, _current, news, ctx) {
    const found = await describe(id, ctx);
    const clientIds = found?.ClientIDList ?? [];
    const OpenIDConnectProviderArn = id;
    for (const ClientID of news.clientIds.filter((client) => !clientIds.includes(client))) {
      await iam(ctx).send(
        new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn, ClientID }),
      );
    }
    for (const ClientID of clientIds.filter((client) => !news.clientIds.includes(client))) {
      await iam(ctx).send(
        new RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn, ClientID }),
      );
    }
    const tags = tagChanges(fromAwsTags(found?.Tags), news.tags);
    if (tags.removed.length) {
      await iam(ctx).send(
        new UntagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn, TagKeys: tags.removed }),
      );
    }
    if (Object.keys(tags.set).length) {
      await iam(ctx).send(
        new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn, Tags: toAwsTags(tags.set) }),
      );
    }
    return { arn: id };
  },

  async delete(id, _current, ctx) {
    await ignoreMissing(
      iam(ctx).send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: id })),
      notFound,
    );
  },

  replaceOnChanges: ['url'],
  deleteBeforeReplace: true,
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['iam:GetOpenIDConnectProvider', 'iam:ListOpenIDConnectProviders'] },
  { actions: ['iam:CreateOpenIDConnectProvider'], on: ['oidc-provider'], when: 'created' },
  // Created with its tags, or found (made by an earlier attempt) and given them.
  { actions: ['iam:TagOpenIDConnectProvider'], on: ['oidc-provider'], when: 'created' },
  { actions: ['iam:TagOpenIDConnectProvider'], when: 'tagged' },
  {
    actions: ['iam:UntagOpenIDConnectProvider'],
    when: 'tagged',
    condition: keepsEnvironmentTag,
  },
  {
    actions: [
      'iam:AddClientIDToOpenIDConnectProvider',
      'iam:RemoveClientIDFromOpenIDConnectProvider',
      'iam:DeleteOpenIDConnectProvider',
    ],
    when: 'tagged',
  },
];
