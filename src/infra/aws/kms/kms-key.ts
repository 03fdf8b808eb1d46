import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateKeyDescriptionCommand,
  paginateListKeys,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { createOnce } from '../support/create-once';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { tagChanges } from '../support/tag-changes';
import { TAG_COMPONENT, TAG_ENVIRONMENT } from '../tags';
import { keepsEnvironmentTag, type AwsGrant } from '../permissions/grants';

/**
 * A customer-managed symmetric key with its alias. The alias names the key everywhere
 * else in the spec; a key whose alias was lost (a create that failed half-way) is found
 * again by its tags. Deleting schedules the key's deletion after `deletionWindowDays`.
 */
export interface KmsKeyProps {
  /** Without the `alias/` prefix. */
  alias: string;
  description: string;
  enableKeyRotation: boolean;
  deletionWindowDays: number;
  tags: Record<string, string>;
}

export interface KmsKeyOuts {
  keyId: string;
  arn: string;
}

const notFound = 'NotFoundException';
const TAG_ALIAS = 'lp-infra:kms-alias';
const kms = (ctx: HandlerContext) => awsClient(KMSClient, ctx.region);
const kmsOnce = (ctx: HandlerContext) => awsClient(KMSClient, ctx.region, true);
const aliasName = (alias: string) => `alias/${alias}`;
const usable = (key: KeyMetadata | undefined) =>
  key && key.KeyState !== 'PendingDeletion' && key.KeyState !== 'PendingReplicaDeletion';

async function describeKey(keyId: string, ctx: HandlerContext): Promise<KeyMetadata | undefined> {
  const found = await unlessMissing(kms(ctx).send(new DescribeKeyCommand({ KeyId: keyId })), notFound);
  return usable(found?.KeyMetadata) ? found?.KeyMetadata : undefined;
}

async function keyTags(keyId: string, ctx: HandlerContext): Promise<Record<string, string>> {
  const { Tags } = await kms(ctx).send(new ListResourceTagsCommand({ KeyId: keyId }));
  return Object.fromEntries((Tags ?? []).map((tag) => [tag.TagKey ?? '', tag.TagValue ?? '']));
}

/** The usable key tagged for this environment, component and alias, if a first attempt made one. */
async function findByTags(
  tags: Record<string, string>,
  ctx: HandlerContext,
): Promise<KeyMetadata | undefined> {
  for await (const page of paginateListKeys({ client: kms(ctx) }, {})) {
    for (const key of page.Keys ?? []) {
      const found = await unlessMissing(keyTags(key.KeyId ?? '', ctx), notFound, 'AccessDeniedException');
      const same =
        found && [TAG_ENVIRONMENT, TAG_COMPONENT, TAG_ALIAS].every((name) => found[name] === tags[name]);
      const metadata = same ? await describeKey(key.KeyId ?? '', ctx) : undefined;
      if (metadata) return metadata;
    }
  }
  return undefined;
}

/** The key's alias: `expected` when the key still has it, else any other it has ('' for none). */
async function currentAlias(keyId: string, expected: string, ctx: HandlerContext): Promise<string> {
  const { Aliases } = await kms(ctx).send(new ListAliasesCommand({ KeyId: keyId }));
  const names = (Aliases ?? []).map((alias) => alias.AliasName?.replace(/^alias\//, '') ?? '');
  return names.includes(expected) ? expected : (names[0] ?? '');
}

async function converge(keyId: string, props: KmsKeyProps, ctx: HandlerContext) {
  const aliased = await describeKey(aliasName(props.alias), ctx);
  if (!aliased)
    await kms(ctx).send(new CreateAliasCommand({ AliasName: aliasName(props.alias), TargetKeyId: keyId }));
  else if (aliased.KeyId !== keyId) {
    await kms(ctx).send(new UpdateAliasCommand({ AliasName: aliasName(props.alias), TargetKeyId: keyId }));
  }
  const rotation = await kms(ctx).send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
  if ((rotation.KeyRotationEnabled ?? false) !== props.enableKeyRotation) {
    if (props.enableKeyRotation) await kms(ctx).send(new EnableKeyRotationCommand({ KeyId: keyId }));
    else await kms(ctx).send(new DisableKeyRotationCommand({ KeyId: keyId }));
  }
  const changes = tagChanges(await keyTags(keyId, ctx), keyTagsOf(props));
  if (changes.removed.length)
    await kms(ctx).send(new UntagResourceCommand({ KeyId: keyId, TagKeys: changes.removed }));
  if (Object.keys(changes.set).length) {
    const Tags = Object.entries(changes.set).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
    await kms(ctx).send(new TagResourceCommand({ KeyId: keyId, Tags }));
  }
}

const keyTagsOf = (props: KmsKeyProps) => ({ ...props.tags, [TAG_ALIAS]: props.alias });

export const kmsKey: ResourceHandler<KmsKeyProps, KmsKeyOuts> = {
  async create(props, ctx) {
    const byAlias = await describeKey(aliasName(props.alias), ctx);
    const environment = props.tags[TAG_ENVIRONMENT];
    if (byAlias && (await keyTags(byAlias.KeyId ?? '', ctx))[TAG_ENVIRONMENT] !== environment) {
      throw new Error(
        `KMS alias ${props.alias} names a key that does not belong to environment ${environment}`,
      );
    }
    const existing = byAlias ?? (await findByTags(keyTagsOf(props), ctx));
    const key =
      existing ??
      (await createOnce(
        async () =>
          (
            await kmsOnce(ctx).send(
              new CreateKeyCommand({
                Description: props.description,
                KeySpec: 'SYMMETRIC_DEFAULT',
                KeyUsage: 'ENCRYPT_DECRYPT',
                Tags: Object.entries(keyTagsOf(props)).map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
              }),
            )
          ).KeyMetadata,
        () => findByTags(keyTagsOf(props), ctx),
        { settleMs: ctx.endpoint ? 0 : 20_000 },
      ));
    if (!key?.KeyId || !key.Arn) throw new Error(`no KMS key for alias ${props.alias}`);
    ctx.made?.(key.KeyId);
    if (existing && existing.Description !== props.description) {
      await kms(ctx).send(
        new UpdateKeyDescriptionCommand({ KeyId: key.KeyId, Description: props.description }),
      );
    }
    await converge(key.KeyId, props, ctx);
    return { id: key.KeyId, outs: { keyId: key.KeyId, arn: key.Arn } };
  },

  async read(id, current, ctx) {
    const key = await describeKey(id, ctx);
    if (!key) return undefined;
    const { [TAG_ALIAS]: _alias, ...tags } = await keyTags(id, ctx);
    const rotation = await kms(ctx).send(new GetKeyRotationStatusCommand({ KeyId: id }));
    return {
      props: {
        ...current.props,
        alias: await currentAlias(id, current.props.alias, ctx),
        description: key.Description ?? '',
        enableKeyRotation: rotation.KeyRotationEnabled ?? false,
        tags,
      },
      outs: { keyId: id, arn: key.Arn ?? current.outs.arn },
    };
  },

  async update(id, current, news, ctx) {
    if (news.description !== current.props.description) {
      await kms(ctx).send(new UpdateKeyDescriptionCommand({ KeyId: id, Description: news.description }));
    }
    await converge(id, news, ctx);
    if (current.props.alias && current.props.alias !== news.alias) {
      await ignoreMissing(
        kms(ctx).send(new DeleteAliasCommand({ AliasName: aliasName(current.props.alias) })),
        notFound,
      );
    }
    return current.outs;
  },

  async delete(id, current, ctx) {
    if (!(await describeKey(id, ctx))) return;
    const alias = await currentAlias(id, current.props.alias, ctx);
    if (alias)
      await ignoreMissing(kms(ctx).send(new DeleteAliasCommand({ AliasName: aliasName(alias) })), notFound);
    await kms(ctx).send(
      new ScheduleKeyDeletionCommand({ KeyId: id, PendingWindowInDays: current.props.deletionWindowDays }),
    );
  },
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  {
    actions: [
      'kms:ListKeys',
      'kms:ListAliases',
      'kms:ListResourceTags',
      'kms:DescribeKey',
      'kms:GetKeyRotationStatus',
    ],
  },
  { actions: ['kms:CreateKey'], when: 'created' },
  { actions: ['kms:TagResource'], when: 'created', implied: 'the tags given to CreateKey' },
  { actions: ['kms:TagResource'], when: 'tagged' },
  { actions: ['kms:UntagResource'], when: 'tagged', condition: keepsEnvironmentTag },
  {
    actions: [
      'kms:EnableKeyRotation',
      'kms:DisableKeyRotation',
      'kms:UpdateKeyDescription',
      'kms:ScheduleKeyDeletion',
    ],
    when: 'tagged',
  },
  // An alias names a key: the key is checked for the tag; aliases cannot carry tags.
  { actions: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'], when: 'tagged' },
  { actions: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'], on: ['alias'] },
];
