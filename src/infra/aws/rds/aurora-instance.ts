import {
  CreateDBInstanceCommand,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  RDSClient,
  waitUntilDBInstanceAvailable,
  waitUntilDBInstanceDeleted,
  type DBInstance,
} from '@aws-sdk/client-rds';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { waiterFor } from '../support/poll';
import { fromAwsTags, toAwsTags } from '../tags';
import { updateRdsTags } from './rds-tags';
import type { AwsGrant } from '../permissions/grants';

/** One instance (writer or reader) of an Aurora cluster. */
export interface AuroraInstanceProps {
  instanceIdentifier: string;
  clusterIdentifier: string;
  engine: string;
  instanceClass: string;
  maintenanceWindow: string;
  performanceInsights: { enabled: boolean; retentionDays: number };
  monitoring: { intervalSeconds: number; roleArn?: string };
  tags: Record<string, string>;
}

export interface AuroraInstanceOuts {
  arn: string;
  endpoint: string;
}

const notFound = 'DBInstanceNotFoundFault';
const client = (ctx: HandlerContext) => awsClient(RDSClient, ctx.region);

export async function describeInstance(identifier: string, region: string): Promise<DBInstance | undefined> {
  const rds = awsClient(RDSClient, region);
  const found = await unlessMissing(
    rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier })),
    notFound,
  );
  return found?.DBInstances?.[0];
}

function outsOf(instance: DBInstance): AuroraInstanceOuts {
  return { arn: instance.DBInstanceArn ?? '', endpoint: instance.Endpoint?.Address ?? '' };
}

function mutableSettings(props: AuroraInstanceProps) {
  return {
    DBInstanceClass: props.instanceClass,
    PreferredMaintenanceWindow: props.maintenanceWindow,
    EnablePerformanceInsights: props.performanceInsights.enabled,
    PerformanceInsightsRetentionPeriod: props.performanceInsights.enabled
      ? props.performanceInsights.retentionDays
      : undefined,
    MonitoringInterval: props.monitoring.intervalSeconds,
    MonitoringRoleArn: props.monitoring.intervalSeconds > 0 ? props.monitoring.roleArn : undefined,
  };
}

async function waitAvailable(identifier: string, ctx: HandlerContext): Promise<DBInstance> {
  await waitUntilDBInstanceAvailable(waiterFor(client(ctx), 90), { DBInstanceIdentifier: identifier });
  const instance = await describeInstance(identifier, ctx.region);
  if (!instance) throw new Error(`instance ${identifier} vanished while it was being made`);
  return instance;
}

export const auroraInstance: ResourceHandler<AuroraInstanceProps, AuroraInstanceOuts> = {
  async create(props, ctx) {
    if (!(await describeInstance(props.instanceIdentifier, ctx.region))) {
      await client(ctx).send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: props.instanceIdentifier,
          DBClusterIdentifier: props.clusterIdentifier,
          Engine: props.engine,
          Tags: toAwsTags(props.tags),
          ...mutableSettings(props),
        }),
      );
    }
    ctx.made?.(props.instanceIdentifier);
    return { id: props.instanceIdentifier, outs: outsOf(await waitAvailable(props.instanceIdentifier, ctx)) };
  },

  async read(id, current, ctx) {
    const instance = await describeInstance(id, ctx.region);
    if (!instance || instance.DBInstanceStatus === 'deleting') return undefined;
    return {
      props: {
        ...current.props,
        clusterIdentifier: instance.DBClusterIdentifier ?? current.props.clusterIdentifier,
        instanceClass: instance.DBInstanceClass ?? current.props.instanceClass,
        maintenanceWindow: instance.PreferredMaintenanceWindow ?? current.props.maintenanceWindow,
        tags: fromAwsTags(instance.TagList),
      },
      outs: outsOf(instance),
    };
  },

  async update(id, current, news, ctx) {
    await client(ctx).send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: id,
        ApplyImmediately: true,
        ...mutableSettings(news),
      }),
    );
    await updateRdsTags(current.outs.arn, current.props.tags, news.tags, ctx.region);
    return outsOf(await waitAvailable(id, ctx));
  },

  async delete(id, _current, ctx) {
    await ignoreMissing(
      client(ctx).send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id })),
      notFound,
    );
    await waitUntilDBInstanceDeleted(waiterFor(client(ctx), 60), { DBInstanceIdentifier: id });
  },

  replaceOnChanges: ['instanceIdentifier', 'clusterIdentifier', 'engine'],
  deleteBeforeReplace: true,
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['rds:DescribeDBInstances'] },
  { actions: ['rds:CreateDBInstance'], when: 'created' },
  { actions: ['rds:ModifyDBInstance', 'rds:DeleteDBInstance'], when: 'tagged' },
  {
    actions: ['iam:PassRole'],
    when: 'tagged',
    implied: 'CreateDBInstance and ModifyDBInstance hand RDS the enhanced monitoring role',
  },
];
