import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { randomAlphanumeric } from '../support/random-value';
import { tagChanges } from '../support/tag-changes';
import { fromAwsTags, toAwsTags } from '../tags';
import { keepsEnvironmentTag, type AwsGrant } from '../permissions/grants';

/**
 * A secret whose value lp-infra generates (a database master password, a Redis AUTH
 * token). The value is made here and goes straight to Secrets Manager: props, outs and
 * so the Pulumi state hold the secret's ARN only.
 */
export interface GeneratedSecretProps {
  name: string;
  description: string;
  /** Characters of the generated value (letters and digits). */
  length: number;
  kmsKeyId?: string;
  tags: Record<string, string>;
}

export interface GeneratedSecretOuts {
  arn: string;
}

const notFound = 'ResourceNotFoundException';
const client = (ctx: HandlerContext) => awsClient(SecretsManagerClient, ctx.region);

async function describe(secretId: string, ctx: HandlerContext) {
  return unlessMissing(client(ctx).send(new DescribeSecretCommand({ SecretId: secretId })), notFound);
}

/** The value of a secret, for a handler that must hand it to an API (never to its caller's state). */
export async function readSecretValue(secretArn: string, region: string): Promise<string> {
  const { SecretString } = await awsClient(SecretsManagerClient, region).send(
    new GetSecretValueCommand({ SecretId: secretArn }),
  );
  if (!SecretString) throw new Error(`secret ${secretArn} has no value`);
  return SecretString;
}

export const generatedSecret: ResourceHandler<GeneratedSecretProps, GeneratedSecretOuts> = {
  async create(props, ctx) {
    const existing = await describe(props.name, ctx);
    if (existing?.ARN) ctx.made?.(existing.ARN);
    if (existing?.ARN && existing.DeletedDate) {
      // Scheduled for deletion by an earlier destroy: bring it back with a new value.
      await client(ctx).send(new RestoreSecretCommand({ SecretId: existing.ARN }));
      await client(ctx).send(
        new PutSecretValueCommand({ SecretId: existing.ARN, SecretString: randomAlphanumeric(props.length) }),
      );
    }
    if (existing?.ARN) return { id: existing.ARN, outs: { arn: existing.ARN } };

    const created = await client(ctx).send(
      new CreateSecretCommand({
        Name: props.name,
        Description: props.description,
        KmsKeyId: props.kmsKeyId,
        SecretString: randomAlphanumeric(props.length),
        Tags: toAwsTags(props.tags),
      }),
    );
    if (!created.ARN) throw new Error(`CreateSecret ${props.name} returned no ARN`);
    return { id: created.ARN, outs: { arn: created.ARN } };
  },

  async read(id, current, ctx) {
    const secret = await describe(id, ctx);
    if (!secret || secret.DeletedDate) return undefined;
    return {
      props: { ...current.props, description: secret.Description ?? '', tags: fromAwsTags(secret.Tags) },
      outs: current.outs,
    };
  },

  async update(id, current, news, ctx) {
    if (news.description !== current.props.description || news.kmsKeyId !== current.props.kmsKeyId) {
      await client(ctx).send(
        new UpdateSecretCommand({ SecretId: id, Description: news.description, KmsKeyId: news.kmsKeyId }),
      );
    }
    const tags = tagChanges(current.props.tags, news.tags);
    if (tags.removed.length)
      await client(ctx).send(new UntagResourceCommand({ SecretId: id, TagKeys: tags.removed }));
    if (Object.keys(tags.set).length)
      await client(ctx).send(new TagResourceCommand({ SecretId: id, Tags: toAwsTags(tags.set) }));
    return current.outs;
  },

  async delete(id, _current, ctx) {
    // No recovery window: a rebuilt environment reuses the name at once.
    await ignoreMissing(
      client(ctx).send(new DeleteSecretCommand({ SecretId: id, ForceDeleteWithoutRecovery: true })),
      notFound,
    );
  },

  replaceOnChanges: ['name', 'length'],
  deleteBeforeReplace: true,
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['secretsmanager:DescribeSecret'] },
  { actions: ['secretsmanager:CreateSecret'], when: 'created' },
  {
    actions: ['secretsmanager:TagResource'],
    when: 'created',
    implied: 'the tags given to CreateSecret',
  },
  {
    actions: [
      'secretsmanager:GetSecretValue',
      'secretsmanager:PutSecretValue',
      'secretsmanager:RestoreSecret',
      'secretsmanager:UpdateSecret',
      'secretsmanager:TagResource',
      'secretsmanager:DeleteSecret',
    ],
    when: 'tagged',
  },
  { actions: ['secretsmanager:UntagResource'], when: 'tagged', condition: keepsEnvironmentTag },
  {
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    when: 'tagged',
    implied: "Secrets Manager encrypts and decrypts the value with the secret's KMS key",
  },
];
