import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { ignoreMissing, isAwsError } from '../support/errors';
import { tagChanges } from '../support/tag-changes';
import { keepsEnvironmentTag, type AwsGrant } from '../permissions/grants';

/** A CloudWatch Logs group (the Redis slow log's destination). */
export interface LogGroupProps {
  name: string;
  tags: Record<string, string>;
}

export interface LogGroupOuts {
  arn: string;
}

const notFound = 'ResourceNotFoundException';
const client = (ctx: HandlerContext) => awsClient(CloudWatchLogsClient, ctx.region);

async function describe(name: string, ctx: HandlerContext) {
  const { logGroups } = await client(ctx).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  return (logGroups ?? []).find((group) => group.logGroupName === name);
}

/** The ARN that tag calls take: the group's ARN without the trailing `:*`. */
const taggable = (arn: string) => arn.replace(/:\*$/, '');

export const logGroup: ResourceHandler<LogGroupProps, LogGroupOuts> = {
  async create(props, ctx) {
    try {
      await client(ctx).send(new CreateLogGroupCommand({ logGroupName: props.name, tags: props.tags }));
    } catch (err) {
      if (!isAwsError(err, 'ResourceAlreadyExistsException')) throw err;
    }
    ctx.made?.(props.name);
    const group = await describe(props.name, ctx);
    return { id: props.name, outs: { arn: taggable(group?.arn ?? '') } };
  },

  async read(id, current, ctx) {
    const group = await describe(id, ctx);
    if (!group) return undefined;
    const { tags } = await client(ctx).send(
      new ListTagsForResourceCommand({ resourceArn: current.outs.arn }),
    );
    return { props: { ...current.props, tags: tags ?? {} }, outs: current.outs };
  },

  async update(_id, current, news, ctx) {
    const tags = tagChanges(current.props.tags, news.tags);
    if (tags.removed.length)
      await client(ctx).send(
        new UntagResourceCommand({ resourceArn: current.outs.arn, tagKeys: tags.removed }),
      );
    if (Object.keys(tags.set).length)
      await client(ctx).send(new TagResourceCommand({ resourceArn: current.outs.arn, tags: tags.set }));
    return current.outs;
  },

  async delete(id, _current, ctx) {
    await ignoreMissing(client(ctx).send(new DeleteLogGroupCommand({ logGroupName: id })), notFound);
  },

  replaceOnChanges: ['name'],
  deleteBeforeReplace: true,
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['logs:DescribeLogGroups', 'logs:ListTagsForResource'] },
  { actions: ['logs:CreateLogGroup'], when: 'created' },
  { actions: ['logs:TagResource'], when: 'created', implied: 'the tags given to CreateLogGroup' },
  { actions: ['logs:TagResource', 'logs:DeleteLogGroup'], when: 'tagged' },
  { actions: ['logs:UntagResource'], when: 'tagged', condition: keepsEnvironmentTag },
];
