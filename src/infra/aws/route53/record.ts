import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  waitUntilResourceRecordSetsChanged,
  type RRType,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { sameMembers } from '../support/same-members';
import { route53 } from './hosted-zone';
import type { AwsGrant } from '../permissions/grants';

/**
 * One record set (CNAME, A, TXT, ...) in a hosted zone; written with UPSERT, so a retry is
 * harmless. With `failover` it is one of a PRIMARY/SECONDARY pair of the same name, told
 * apart by `setIdentifier` and answered as its `healthCheckId` says.
 */
export interface RecordProps {
  zoneId: string;
  name: string;
  type: string;
  ttl: number;
  values: string[];
  setIdentifier?: string;
  failover?: 'PRIMARY' | 'SECONDARY';
  healthCheckId?: string;
}

export type RecordOuts = Record<string, never>;

const absolute = (name: string) => (name.endsWith('.') ? name : `${name}.`).toLowerCase();

async function findRecord(
  props: Pick<RecordProps, 'zoneId' | 'name' | 'type' | 'setIdentifier'>,
  ctx: HandlerContext,
) {
  // A name and type has one simple record or a few of a routing policy (failover: two).
  const { ResourceRecordSets } = await route53(ctx).send(
    new ListResourceRecordSetsCommand({
      HostedZoneId: props.zoneId,
      StartRecordName: props.name,
      StartRecordType: props.type as RRType,
      MaxItems: 10,
    }),
  );
  return ResourceRecordSets?.find(
    (record) =>
      absolute(record.Name ?? '') === absolute(props.name) &&
      record.Type === props.type &&
      (record.SetIdentifier ?? undefined) === props.setIdentifier,
  );
}

function recordSet(props: RecordProps): ResourceRecordSet {
  return {
    Name: props.name,
    Type: props.type as RRType,
    TTL: props.ttl,
    ResourceRecords: props.values.map((Value) => ({ Value })),
    ...(props.setIdentifier ? { SetIdentifier: props.setIdentifier } : {}),
    ...(props.failover ? { Failover: props.failover } : {}),
    ...(props.healthCheckId ? { HealthCheckId: props.healthCheckId } : {}),
  };
}

const recordId = (props: RecordProps) =>
  `${props.zoneId}/${absolute(props.name)}/${props.type}${props.setIdentifier ? `/${props.setIdentifier}` : ''}`;

async function change(
  zoneId: string,
  Action: 'UPSERT' | 'DELETE',
  set: ResourceRecordSet,
  ctx: HandlerContext,
  sent?: () => void,
) {
  const { ChangeInfo } = await route53(ctx).send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: { Changes: [{ Action, ResourceRecordSet: set }] },
    }),
  );
  sent?.();
  await waitUntilResourceRecordSetsChanged(
    { client: route53(ctx), maxWaitTime: 300 },
    { Id: ChangeInfo?.Id ?? '' },
  );
}

export const route53Record: ResourceHandler<RecordProps, RecordOuts> = {
  async create(props, ctx) {
    await change(props.zoneId, 'UPSERT', recordSet(props), ctx, () => ctx.made?.(recordId(props)));
    return { id: recordId(props), outs: {} };
  },

  async read(_id, current, ctx) {
    const record = await findRecord(current.props, ctx);
    if (!record) return undefined;
    const values = (record.ResourceRecords ?? []).map((r) => r.Value ?? '');
    return {
      props: {
        ...current.props,
        ttl: record.TTL ?? 0,
        values: sameMembers(values, current.props.values),
        ...(current.props.failover ? { failover: record.Failover as RecordProps['failover'] } : {}),
        ...(current.props.healthCheckId !== undefined ? { healthCheckId: record.HealthCheckId ?? '' } : {}),
      },
      outs: {},
    };
  },

  async update(_id, _current, news, ctx) {
    await change(news.zoneId, 'UPSERT', recordSet(news), ctx);
    return {};
  },

  async delete(_id, current, ctx) {
    const record = await findRecord(current.props, ctx);
    if (record) await change(current.props.zoneId, 'DELETE', record, ctx); // DELETE needs the record exactly as it is
  },

  replaceOnChanges: ['zoneId', 'name', 'type', 'setIdentifier'],
  deleteBeforeReplace: true,
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['route53:ListResourceRecordSets'] },
  { actions: ['route53:ChangeResourceRecordSets'], on: ['hostedzone'] },
  { actions: ['route53:GetChange'], on: ['change'] },
];
