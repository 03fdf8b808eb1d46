import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RemoveRegionsFromReplicationCommand,
  ReplicateSecretToRegionsCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  type DescribeSecretCommandOutput,
} from '@aws-sdk/client-secrets-manager';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { pollUntil } from '../support/poll';
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
  /** The spec's KMS key (ARN); Secrets Manager's own key (aws/secretsmanager) when absent. */
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

/** The key Secrets Manager encrypts with when it is given none. */
const defaultKey = 'alias/aws/secretsmanager';

/**
 * Whether two ways of naming a KMS key (ARN, key id, alias) name the same key: AWS may
 * answer with another form than the one it was given. Absent means the default key.
 */
async function sameKey(a: string | undefined, b: string | undefined, region: string): Promise<boolean> {
  const [left, right] = [a ?? defaultKey, b ?? defaultKey];
  if (left === right) return true;
  const arnOf = async (keyId: string) =>
    (
      await unlessMissing(
        awsClient(KMSClient, region).send(new DescribeKeyCommand({ KeyId: keyId })),
        'NotFoundException',
      )
    )?.KeyMetadata?.Arn;
  const [leftArn, rightArn] = await Promise.all([arnOf(left), arnOf(right)]);
  return leftArn !== undefined && leftArn === rightArn;
}

/** The key as the props name it when the cloud names the same key otherwise; else as the cloud does. */
async function keyAsRead(read: string | undefined, wanted: string | undefined, region: string) {
  return (await sameKey(read, wanted, region)) ? wanted : (read ?? defaultKey);
}

/** Removes the secret's replicas (DeleteSecret refuses a secret that still has some). */
async function removeReplicas(secret: DescribeSecretCommandOutput, ctx: HandlerContext) {
  const regions = (secret.ReplicationStatus ?? []).flatMap((r) => (r.Region ? [r.Region] : []));
  if (!regions.length) return;
  await client(ctx).send(
    new RemoveRegionsFromReplicationCommand({ SecretId: secret.ARN, RemoveReplicaRegions: regions }),
  );
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
    if (existing?.ARN) {
      if (!(await sameKey(existing.KmsKeyId, props.kmsKeyId, ctx.region))) {
        await client(ctx).send(
          new UpdateSecretCommand({ SecretId: existing.ARN, KmsKeyId: props.kmsKeyId ?? defaultKey }),
        );
      }
      return { id: existing.ARN, outs: { arn: existing.ARN } };
    }

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
      props: {
        ...current.props,
        description: secret.Description ?? '',
        kmsKeyId: await keyAsRead(secret.KmsKeyId, current.props.kmsKeyId, ctx.region),
        tags: fromAwsTags(secret.Tags),
      },
      outs: current.outs,
    };
  },

  async update(id, current, news, ctx) {
    if (news.description !== current.props.description || news.kmsKeyId !== current.props.kmsKeyId) {
      await client(ctx).send(
        new UpdateSecretCommand({
          SecretId: id,
          Description: news.description,
          KmsKeyId: news.kmsKeyId ?? defaultKey,
        }),
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
    const secret = await describe(id, ctx);
    if (!secret) return;
    // Replicas go first (each region's consumer removes its own before; this is for what is left).
    await removeReplicas(secret, ctx);
    // No recovery window: a rebuilt environment reuses the name at once.
    await ignoreMissing(
      client(ctx).send(new DeleteSecretCommand({ SecretId: id, ForceDeleteWithoutRecovery: true })),
      notFound,
    );
  },

  replaceOnChanges: ['name', 'length'],
  deleteBeforeReplace: true,
};

/**
 * A replica of a generated secret in another region (the handler's region), encrypted with
 * that region's key: the secondary region reads its secrets there, so a regional outage of
 * the primary does not take them away. Same name, same value, and an ARN that differs from
 * the primary's only by its region. Made from the primary (ReplicateSecretToRegions).
 */
export interface SecretReplicaProps {
  /** ARN of the primary secret (its region is in it). */
  secretArn: string;
  /** The key of the replica's region (ARN); the region's aws/secretsmanager when absent. */
  kmsKeyId?: string;
}

export interface SecretReplicaOuts {
  arn: string;
}

/** A replication that failed, e.g. over a secret of the same name in the region. */
class ReplicationFailed extends Error {
  override readonly name = 'ReplicationFailed';
  /** Read like an AWS answer's (a client error): no retry makes it work. */
  readonly $metadata = { httpStatusCode: 409 };
}

const primaryOf = (secretArn: string): HandlerContext => {
  const region = secretArn.split(':')[3];
  if (!region) throw new Error(`not a Secrets Manager ARN: ${secretArn}`);
  return { region };
};

/** The primary's replication status of the region, and the primary (undefined when it is gone). */
async function replicaStatus(secretArn: string, region: string) {
  const primary = await describe(secretArn, primaryOf(secretArn));
  if (!primary || primary.DeletedDate) return { primary: undefined, status: undefined };
  return { primary, status: primary.ReplicationStatus?.find((r) => r.Region === region) };
}

export const secretReplica: ResourceHandler<SecretReplicaProps, SecretReplicaOuts> = {
  async create(props, ctx) {
    const primaryCtx = primaryOf(props.secretArn);
    const found = await replicaStatus(props.secretArn, ctx.region);
    const primary = found.primary;
    let status = found.status;
    if (!primary) throw new Error(`cannot replicate ${props.secretArn}: the secret does not exist`);
    if (status?.Status === 'Failed') {
      // An earlier attempt failed (its message is in the status): try again from scratch.
      await client(primaryCtx).send(
        new RemoveRegionsFromReplicationCommand({
          SecretId: primary.ARN,
          RemoveReplicaRegions: [ctx.region],
        }),
      );
      status = undefined;
    }
    if (!status) {
      await client(primaryCtx).send(
        new ReplicateSecretToRegionsCommand({
          SecretId: primary.ARN,
          AddReplicaRegions: [{ Region: ctx.region, KmsKeyId: props.kmsKeyId }],
        }),
      );
    }
    // Replication takes seconds; the replica is readable in its region once it is in sync.
    const done = await pollUntil(
      () => replicaStatus(props.secretArn, ctx.region),
      ({ status: now }) => now?.Status !== 'InProgress',
      {
        waitingFor: `the replica of ${primary.Name} in ${ctx.region}`,
        timeoutSeconds: 600,
        intervalSeconds: 2,
      },
    );
    if (done.status?.Status !== 'InSync') {
      throw new ReplicationFailed(
        `replicating ${primary.Name} to ${ctx.region}: ${done.status?.Status ?? 'no replica'}: ${done.status?.StatusMessage ?? ''}`,
      );
    }
    const replica = await describe(primary.Name!, ctx);
    if (!replica?.ARN) throw new Error(`the replica of ${primary.Name} in ${ctx.region} is not there`);
    ctx.made?.(replica.ARN);
    return { id: replica.ARN, outs: { arn: replica.ARN } };
  },

  /** Gone when the primary no longer replicates to the region, or its replication failed. */
  async read(_id, current, ctx) {
    const { status } = await replicaStatus(current.props.secretArn, ctx.region);
    if (!status || status.Status === 'Failed') return undefined;
    return {
      props: {
        ...current.props,
        kmsKeyId: await keyAsRead(status.KmsKeyId, current.props.kmsKeyId, ctx.region),
      },
      outs: current.outs,
    };
  },

  // Every prop replaces (a replica's key cannot be changed): nothing to update.
  async update(_id, current) {
    return current.outs;
  },

  async delete(_id, current, ctx) {
    const { primary, status } = await replicaStatus(current.props.secretArn, ctx.region);
    if (!primary || !status) return;
    await client(primaryOf(current.props.secretArn)).send(
      new RemoveRegionsFromReplicationCommand({ SecretId: primary.ARN, RemoveReplicaRegions: [ctx.region] }),
    );
  },

  replaceOnChanges: ['secretArn', 'kmsKeyId'],
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
      'secretsmanager:ReplicateSecretToRegions',
      'secretsmanager:RemoveRegionsFromReplication',
    ],
    when: 'tagged',
  },
  { actions: ['secretsmanager:UntagResource'], when: 'tagged', condition: keepsEnvironmentTag },
  // Which key a secret or replica names: the AWS-managed default key has no tags.
  { actions: ['kms:DescribeKey'] },
  {
    actions: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:Encrypt'],
    when: 'tagged',
    implied:
      "Secrets Manager encrypts and decrypts the value with the secret's KMS key, and a replica's with its region's",
  },
];
