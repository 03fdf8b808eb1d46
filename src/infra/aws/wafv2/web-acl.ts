import {
  CreateWebACLCommand,
  DeleteWebACLCommand,
  GetWebACLCommand,
  ListTagsForResourceCommand,
  ListWebACLsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateWebACLCommand,
  WAFV2Client,
  type Rule,
  type Scope,
} from '@aws-sdk/client-wafv2';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { tagChanges } from '../support/tag-changes';
import { fromAwsTags, toAwsTags } from '../tags';
import { keepsEnvironmentTag, type AwsGrant } from '../permissions/grants';

/**
 * A WAFv2 web ACL that allows by default and runs managed rule groups in order. Scope
 * CLOUDFRONT is managed through us-east-1 (the component's region says so).
 */
export interface WebAclProps {
  name: string;
  scope: 'CLOUDFRONT' | 'REGIONAL';
  managedRuleGroups: { vendor: string; name: string }[];
  tags: Record<string, string>;
}

export interface WebAclOuts {
  arn: string;
}

const notFound = 'WAFNonexistentItemException';
const client = (ctx: HandlerContext) => awsClient(WAFV2Client, ctx.region);

const visibility = (metricName: string) => ({
  SampledRequestsEnabled: true,
  CloudWatchMetricsEnabled: true,
  MetricName: metricName.replace(/[^\w-]/g, '-').slice(0, 128),
});

function rules(props: WebAclProps): Rule[] {
  return props.managedRuleGroups.map((group, priority) => ({
    Name: `${group.vendor}-${group.name}`,
    Priority: priority,
    Statement: { ManagedRuleGroupStatement: { VendorName: group.vendor, Name: group.name } },
    OverrideAction: { None: {} },
    VisibilityConfig: visibility(`${props.name}-${group.name}`),
  }));
}

async function find(name: string, scope: Scope, ctx: HandlerContext) {
  let marker: string | undefined;
  do {
    const page = await client(ctx).send(new ListWebACLsCommand({ Scope: scope, NextMarker: marker }));
    const found = (page.WebACLs ?? []).find((acl) => acl.Name === name);
    if (found) return found;
    marker = page.WebACLs?.length ? page.NextMarker : undefined;
  } while (marker);
  return undefined;
}

async function get(id: string, props: WebAclProps, ctx: HandlerContext) {
  return unlessMissing(
    client(ctx).send(new GetWebACLCommand({ Id: id, Name: props.name, Scope: props.scope })),
    notFound,
  );
}

export const webAcl: ResourceHandler<WebAclProps, WebAclOuts> = {
  async create(props, ctx) {
    const existing = await find(props.name, props.scope, ctx);
    const summary =
      existing ??
      (
        await client(ctx).send(
          new CreateWebACLCommand({
            Name: props.name,
            Scope: props.scope,
            DefaultAction: { Allow: {} },
            Rules: rules(props),
            VisibilityConfig: visibility(props.name),
            Tags: toAwsTags(props.tags),
          }),
        )
      ).Summary;
    if (!summary?.Id || !summary.ARN) throw new Error(`web ACL ${props.name} has no id`);
    return { id: summary.Id, outs: { arn: summary.ARN } };
  },

  async read(id, current, ctx) {
    const found = await get(id, current.props, ctx);
    if (!found?.WebACL) return undefined;
    const groups = (found.WebACL.Rules ?? [])
      .sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0))
      .map((rule) => rule.Statement?.ManagedRuleGroupStatement)
      .filter((group) => group !== undefined)
      .map((group) => ({ vendor: group.VendorName ?? '', name: group.Name ?? '' }));
    const { TagInfoForResource } = await client(ctx).send(
      new ListTagsForResourceCommand({ ResourceARN: current.outs.arn }),
    );
    return {
      props: { ...current.props, managedRuleGroups: groups, tags: fromAwsTags(TagInfoForResource?.TagList) },
      outs: current.outs,
    };
  },

  async update(id, current, news, ctx) {
    const found = await get(id, current.props, ctx);
    if (!found?.LockToken) throw new Error(`web ACL ${news.name} not found`);
    await client(ctx).send(
      new UpdateWebACLCommand({
        Id: id,
        Name: news.name,
        Scope: news.scope,
        LockToken: found.LockToken,
        DefaultAction: { Allow: {} },
        Rules: rules(news),
        VisibilityConfig: visibility(news.name),
      }),
    );
    const tags = tagChanges(current.props.tags, news.tags);
    if (tags.removed.length)
      await client(ctx).send(
        new UntagResourceCommand({ ResourceARN: current.outs.arn, TagKeys: tags.removed }),
      );
    if (Object.keys(tags.set).length)
      await client(ctx).send(
        new TagResourceCommand({ ResourceARN: current.outs.arn, Tags: toAwsTags(tags.set) }),
      );
    return current.outs;
  },

  async delete(id, current, ctx) {
    const found = await get(id, current.props, ctx);
    if (!found?.LockToken) return;
    await ignoreMissing(
      client(ctx).send(
        new DeleteWebACLCommand({
          Id: id,
          Name: current.props.name,
          Scope: current.props.scope,
          LockToken: found.LockToken,
        }),
      ),
      notFound,
    );
  },

  replaceOnChanges: ['name', 'scope'],
  deleteBeforeReplace: true,
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['wafv2:ListWebACLs', 'wafv2:GetWebACL', 'wafv2:ListTagsForResource'] },
  { actions: ['wafv2:CreateWebACL'], on: ['webacl'], when: 'created' },
  {
    actions: ['wafv2:TagResource'],
    on: ['webacl'],
    when: 'created',
    implied: 'the tags given to CreateWebACL',
  },
  {
    actions: ['wafv2:UpdateWebACL', 'wafv2:DeleteWebACL', 'wafv2:TagResource'],
    when: 'tagged',
  },
  { actions: ['wafv2:UntagResource'], when: 'tagged', condition: keepsEnvironmentTag },
  // The AWS-managed rule groups a web ACL runs.
  { actions: ['wafv2:CreateWebACL', 'wafv2:UpdateWebACL'], on: ['managedruleset'] },
];
