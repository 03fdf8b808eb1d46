import {
  CloudFrontClient,
  CreateDistributionWithTagsCommand,
  DeleteDistributionCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  ListDistributionsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateDistributionCommand,
  waitUntilDistributionDeployed,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { waiterFor } from '../support/poll';
import { tagChanges } from '../support/tag-changes';
import { fromAwsTags, TAG_COMPONENT, TAG_ENVIRONMENT, toAwsTags } from '../tags';
import {
  fromDistributionConfig,
  toDistributionConfig,
  type DistributionSettings,
} from './distribution-config';
import type { AwsGrant } from '../permissions/grants';

/** A CloudFront distribution (a global resource: its API lives in us-east-1). */
export interface DistributionProps extends DistributionSettings {
  tags: Record<string, string>;
}

export interface DistributionOuts {
  arn: string;
  domainName: string;
}

const notFound = 'NoSuchDistribution';
const client = (ctx: HandlerContext) => awsClient(CloudFrontClient, ctx.region);

/** The distribution an earlier attempt made for the same environment and component, found by its tags. */
async function findOwned(tags: Record<string, string>, ctx: HandlerContext): Promise<string | undefined> {
  let marker: string | undefined;
  do {
    const { DistributionList } = await client(ctx).send(new ListDistributionsCommand({ Marker: marker }));
    for (const summary of DistributionList?.Items ?? []) {
      const { Tags } = await client(ctx).send(new ListTagsForResourceCommand({ Resource: summary.ARN }));
      const found = fromAwsTags(Tags?.Items);
      if (found[TAG_ENVIRONMENT] === tags[TAG_ENVIRONMENT] && found[TAG_COMPONENT] === tags[TAG_COMPONENT])
        return summary.Id;
    }
    marker = DistributionList?.IsTruncated ? DistributionList.NextMarker : undefined;
  } while (marker);
  return undefined;
}

async function getConfig(id: string, ctx: HandlerContext) {
  return unlessMissing(client(ctx).send(new GetDistributionConfigCommand({ Id: id })), notFound);
}

async function deployed(id: string, ctx: HandlerContext): Promise<DistributionOuts> {
  await waitUntilDistributionDeployed(waiterFor(client(ctx), 60), { Id: id });
  const { Distribution } = await client(ctx).send(new GetDistributionCommand({ Id: id }));
  return { arn: Distribution?.ARN ?? '', domainName: Distribution?.DomainName ?? '' };
}

async function updateConfig(
  id: string,
  change: (config: DistributionConfig) => DistributionConfig,
  ctx: HandlerContext,
) {
  const current = await getConfig(id, ctx);
  if (!current?.DistributionConfig) throw new Error(`distribution ${id} not found`);
  await client(ctx).send(
    new UpdateDistributionCommand({
      Id: id,
      IfMatch: current.ETag,
      DistributionConfig: change(current.DistributionConfig),
    }),
  );
}

export const distribution: ResourceHandler<DistributionProps, DistributionOuts> = {
  async create(props, ctx) {
    const { tags, ...settings } = props;
    let id = await findOwned(tags, ctx);
    if (!id) {
      const created = await client(ctx).send(
        new CreateDistributionWithTagsCommand({
          DistributionConfigWithTags: {
            DistributionConfig: toDistributionConfig(settings),
            Tags: { Items: toAwsTags(tags) },
          },
        }),
      );
      id = created.Distribution?.Id;
      if (!id) throw new Error('CreateDistributionWithTags returned no id');
    }
    ctx.made?.(id);
    return { id, outs: await deployed(id, ctx) };
  },

  async read(id, current, ctx) {
    const found = await getConfig(id, ctx);
    if (!found?.DistributionConfig) return undefined;
    const { Tags } = await client(ctx).send(new ListTagsForResourceCommand({ Resource: current.outs.arn }));
    const settings = fromDistributionConfig(found.DistributionConfig, current.props);
    // moto keeps no origin access identity on the origin (docs/emulation.md): on an emulator
    // the placeholder is not read back as a change.
    if (ctx.endpoint && !settings.origin.originAccessIdentity)
      settings.origin.originAccessIdentity = current.props.origin.originAccessIdentity;
    return { props: { ...settings, tags: fromAwsTags(Tags?.Items) }, outs: current.outs };
  },

  async update(id, current, news, ctx) {
    const { tags, ...settings } = news;
    await updateConfig(id, () => toDistributionConfig(settings), ctx);
    const changes = tagChanges(current.props.tags, tags);
    if (changes.removed.length)
      await client(ctx).send(
        new UntagResourceCommand({ Resource: current.outs.arn, TagKeys: { Items: changes.removed } }),
      );
    if (Object.keys(changes.set).length)
      await client(ctx).send(
        new TagResourceCommand({ Resource: current.outs.arn, Tags: { Items: toAwsTags(changes.set) } }),
      );
    return deployed(id, ctx);
  },

  /** CloudFront deletes only a disabled, deployed distribution: disable, wait, delete. */
  async delete(id, _current, ctx) {
    const found = await getConfig(id, ctx);
    if (!found?.DistributionConfig) return;
    if (found.DistributionConfig.Enabled) {
      await updateConfig(id, (config) => ({ ...config, Enabled: false }), ctx);
      await waitUntilDistributionDeployed(waiterFor(client(ctx), 60), { Id: id });
    }
    const latest = await getConfig(id, ctx);
    if (!latest) return;
    await ignoreMissing(
      client(ctx).send(new DeleteDistributionCommand({ Id: id, IfMatch: latest.ETag })),
      notFound,
    );
  },

  replaceOnChanges: ['callerReference'],
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  {
    actions: [
      'cloudfront:ListDistributions',
      'cloudfront:ListTagsForResource',
      'cloudfront:GetDistribution',
      'cloudfront:GetDistributionConfig',
    ],
  },
  // CreateDistributionWithTags: both actions, the tags checked on the request.
  {
    actions: ['cloudfront:CreateDistribution', 'cloudfront:TagResource'],
    on: ['distribution'],
    when: 'created',
  },
  // Distributions are scoped by type only: CloudFront has no resource tag condition.
  {
    actions: [
      'cloudfront:UpdateDistribution',
      'cloudfront:DeleteDistribution',
      'cloudfront:TagResource',
      'cloudfront:UntagResource',
    ],
    on: ['distribution'],
  },
  {
    actions: ['wafv2:GetWebACL'],
    implied: 'CloudFront checks the web ACL a distribution names (WebACLId)',
  },
];
