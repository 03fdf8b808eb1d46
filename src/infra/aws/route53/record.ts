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

/** One simple record set (CNAME, A, TXT, ...) in a hosted zone; written with UPSERT, so a retry is harmless. */
export interface RecordProps {
  zoneId: string;
  name: string;
  type: string;
  ttl: number;
  values: string[];
}

export type RecordOuts = Record<string, never>;

const absolute = (name: string) => (name.endsWith('.') ? name : `${name}.`).toLowerCase();

async function findRecord(props: Pick<RecordProps, 'zoneId' | 'name' | 'type'>, ctx: HandlerContext) {
  const { ResourceRecordSets } = await route53(ctx).send(
    new ListResourceRecordSetsCommand({
      HostedZoneId: props.zoneId,
      StartRecordName: props.name,
      StartRecordType: props.type as RRType,
      MaxItems: 1,
    }),
  );
  const record = ResourceRecordSets?.[0];
  return record && absolute(record.Name ?? '') === absolute(props.name) && record.Type === props.type
    ? record
    : undefined;
}

function recordSet(props: RecordProps): ResourceRecordSet {
  return {
    Name: props.name,
    Type: props.type as RRType,
    TTL: props.ttl,
    ResourceRecords: props.values.map((Value) => ({ Value })),
  };
}

async function change(
  zoneId: string,
  Action: 'UPSERT' | 'DELETE',
  set: ResourceRecordSet,
  ctx: HandlerContext,
) {
  const { ChangeInfo } = await route53(ctx).send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: { Changes: [{ Action, ResourceRecordSet: set }] },
    }),
  );
  await waitUntilResourceRecordSetsChanged(
    { client: route53(ctx), maxWaitTime: 300 },
    { Id: ChangeInfo?.Id ?? '' },
  );
}

export const route53Record: ResourceHandler<RecordProps, RecordOuts> = {
  async create(props, ctx) {
    await change(props.zoneId, 'UPSERT', recordSet(props), ctx);
    return { id: `${props.zoneId}/${absolute(props.name)}/${props.type}`, outs: {} };
  },

  async read(_id, current, ctx) {
    const record = await findRecord(current.props, ctx);
    if (!record) return undefined;
    const values = (record.ResourceRecords ?? []).map((r) => r.Value ?? '');
    return {
      props: { ...current.props, ttl: record.TTL ?? 0, values: sameMembers(values, current.props.values) },
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

  replaceOnChanges: ['zoneId', 'name', 'type'],
  deleteBeforeReplace: true,
};
