import {
  CreateGlobalClusterCommand,
  DeleteGlobalClusterCommand,
  DescribeGlobalClustersCommand,
  ModifyGlobalClusterCommand,
  RDSClient,
  RemoveFromGlobalClusterCommand,
  type GlobalCluster,
  type GlobalClusterMember,
} from '@aws-sdk/client-rds';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { skipNotEmulated } from '../support/emulator';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { pollUntil } from '../support/poll';
import { toAwsTags } from '../tags';
import type { AwsGrant } from '../permissions/grants';

/**
 * An Aurora global database made from an existing primary cluster. Its secondary
 * clusters (other regions) join it by `globalClusterIdentifier`; failover promotes one
 * (switchover or detach-and-promote) without touching this resource's props.
 */
export interface GlobalClusterProps {
  globalClusterIdentifier: string;
  sourceClusterArn: string;
  deletionProtection: boolean;
  tags: Record<string, string>;
}

export interface GlobalClusterOuts {
  arn: string;
}

const client = (ctx: HandlerContext) => awsClient(RDSClient, ctx.region);

async function describe(identifier: string, ctx: HandlerContext): Promise<GlobalCluster | undefined> {
  // Filtered here as well: some emulators return every global cluster.
  const found = await unlessMissing(
    client(ctx).send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: identifier })),
    'GlobalClusterNotFoundFault',
  );
  return (found?.GlobalClusters ?? []).find((cluster) => cluster.GlobalClusterIdentifier === identifier);
}

async function waitAvailable(identifier: string, ctx: HandlerContext): Promise<GlobalCluster> {
  const cluster = await pollUntil(
    () => describe(identifier, ctx),
    (found) => found?.Status === 'available',
    {
      waitingFor: `global database ${identifier}`,
      timeoutSeconds: 3600,
      intervalSeconds: 15,
    },
  );
  return cluster as GlobalCluster;
}

export const globalCluster: ResourceHandler<GlobalClusterProps, GlobalClusterOuts> = {
  async create(props, ctx) {
    if (!(await describe(props.globalClusterIdentifier, ctx))) {
      await client(ctx).send(
        new CreateGlobalClusterCommand({
          GlobalClusterIdentifier: props.globalClusterIdentifier,
          SourceDBClusterIdentifier: props.sourceClusterArn,
          DeletionProtection: props.deletionProtection,
          Tags: toAwsTags(props.tags),
        }),
      );
    }
    ctx.made?.(props.globalClusterIdentifier);
    const cluster = await waitAvailable(props.globalClusterIdentifier, ctx);
    return { id: props.globalClusterIdentifier, outs: { arn: cluster.GlobalClusterArn ?? '' } };
  },

  async read(id, current, ctx) {
    const cluster = await describe(id, ctx);
    if (!cluster) return undefined;
    return {
      props: { ...current.props, deletionProtection: cluster.DeletionProtection ?? false },
      outs: current.outs,
    };
  },

  async update(id, current, news, ctx) {
    await client(ctx).send(
      new ModifyGlobalClusterCommand({
        GlobalClusterIdentifier: id,
        DeletionProtection: news.deletionProtection,
      }),
    );
    return current.outs;
  },

  /** Runs after the secondary clusters left (the replica component is destroyed first). */
  async delete(id, current, ctx) {
    const cluster = await describe(id, ctx);
    if (!cluster) return;
    // The writer; an emulator that does not flag it leaves the cluster the database was made from.
    const isPrimary = (member: GlobalClusterMember) =>
      member.IsWriter || member.DBClusterArn === current.props.sourceClusterArn;
    if (cluster.DeletionProtection) {
      await client(ctx).send(
        new ModifyGlobalClusterCommand({ GlobalClusterIdentifier: id, DeletionProtection: false }),
      );
    }
    const members = cluster.GlobalClusterMembers ?? [];
    const secondaries = members.filter((member) => !isPrimary(member)).map((member) => member.DBClusterArn);
    if (secondaries.length > 0) {
      // moto cannot detach a secondary that lives in another region, so it still lists it.
      if (
        skipNotEmulated(
          ctx,
          `delete global database ${id} (the emulator still lists ${secondaries.join(', ')})`,
        )
      )
        return;
      throw new Error(
        `global database ${id} still has secondary clusters ${secondaries.join(', ')}: destroy the replica first`,
      );
    }
    for (const writer of members.filter(isPrimary)) {
      await ignoreMissing(
        client(ctx).send(
          new RemoveFromGlobalClusterCommand({
            GlobalClusterIdentifier: id,
            DbClusterIdentifier: writer.DBClusterArn,
          }),
        ),
        'DBClusterNotFoundFault',
      );
    }
    await pollUntil(
      () => describe(id, ctx),
      (found) => (found?.GlobalClusterMembers ?? []).length === 0,
      {
        waitingFor: `the primary cluster to leave global database ${id}`,
        timeoutSeconds: 1800,
        intervalSeconds: 10,
      },
    );
    await ignoreMissing(
      client(ctx).send(new DeleteGlobalClusterCommand({ GlobalClusterIdentifier: id })),
      'GlobalClusterNotFoundFault',
    );
  },

  replaceOnChanges: ['globalClusterIdentifier', 'sourceClusterArn'],
  deleteBeforeReplace: true,
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['rds:DescribeGlobalClusters'] },
  { actions: ['rds:CreateGlobalCluster'], when: 'created' },
  // Scoped by type only: the reference lists no tag condition for global clusters.
  { actions: ['rds:ModifyGlobalCluster', 'rds:DeleteGlobalCluster'], on: ['global-cluster'] },
  { actions: ['rds:RemoveFromGlobalCluster'], on: ['global-cluster'] },
  { actions: ['rds:RemoveFromGlobalCluster'], when: 'tagged' },
];
