import {
  AuthorizeSecurityGroupEgressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  waitUntilSecurityGroupExists,
  type Filter,
  type SecurityGroup as Ec2SecurityGroup,
} from '@aws-sdk/client-ec2';
import type { HandlerContext } from '../../pulumi/resource-handler';
import { ignoreMissing } from '../support/errors';
import { TAG_COMPONENT } from '../tags';
import { ec2, taggedEc2Handler, type TaggedProps } from './tagged-resource';
import { ec2TagOnCreate, type AwsGrant } from '../permissions/grants';

/**
 * A security group with no ingress of its own (each ingress rule is its own resource, see
 * security-group-ingress.ts) and either AWS's default allow-all egress or none at all.
 */
export interface SecurityGroupProps extends TaggedProps {
  vpcId: string;
  groupName: string;
  description: string;
  allowAllEgress: boolean;
  /**
   * Ingress open to the world (0.0.0.0/0, ::/0) that lp-infra did not make, as `tcp 22-22 from
   * 0.0.0.0/0`. Declared as [] it is watched: read reports such rules (drift) and apply revokes them.
   */
  openIngress?: string[];
}

export interface SecurityGroupOuts {
  groupId: string;
}

const describeGroups = async (filters: Filter[], ctx: HandlerContext) =>
  (await ec2(ctx).send(new DescribeSecurityGroupsCommand({ Filters: filters }))).SecurityGroups ?? [];

/** The id of the allow-all egress rule, if the group has it. */
async function allowAllEgressRule(groupId: string, ctx: HandlerContext): Promise<string | undefined> {
  const { SecurityGroupRules } = await ec2(ctx).send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
  );
  const rule = (SecurityGroupRules ?? []).find(
    (r) => r.IsEgress && r.IpProtocol === '-1' && r.CidrIpv4 === '0.0.0.0/0',
  );
  return rule?.SecurityGroupRuleId;
}

const worldCidrs = ['0.0.0.0/0', '::/0'];

/** Ingress rules open to the world without lp-infra's tags (someone added them by hand). */
async function foreignOpenIngress(groupId: string, ctx: HandlerContext) {
  const { SecurityGroupRules } = await ec2(ctx).send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
  );
  return (SecurityGroupRules ?? [])
    .filter((r) => !r.IsEgress && worldCidrs.includes(r.CidrIpv4 ?? r.CidrIpv6 ?? ''))
    .filter((r) => !(r.Tags ?? []).some((tag) => tag.Key === TAG_COMPONENT))
    .map((r) => ({
      id: r.SecurityGroupRuleId ?? '',
      text: `${r.IpProtocol === '-1' ? 'all' : r.IpProtocol} ${r.FromPort}-${r.ToPort} from ${r.CidrIpv4 ?? r.CidrIpv6}`,
    }))
    .sort((a, b) => a.text.localeCompare(b.text));
}

export const securityGroup = taggedEc2Handler<SecurityGroupProps, SecurityGroupOuts, Ec2SecurityGroup>({
  resourceType: 'security-group',
  describe: describeGroups,
  describeById: async (id, ctx) => (await describeGroups([{ Name: 'group-id', Values: [id] }], ctx))[0],
  idOf: (found) => found.GroupId ?? '',
  tagsOf: (found) => found.Tags,

  async make(props, tagSpecifications, _ctx, client) {
    const { GroupId } = await client.send(
      new CreateSecurityGroupCommand({
        VpcId: props.vpcId,
        GroupName: props.groupName,
        Description: props.description,
        TagSpecifications: tagSpecifications,
      }),
    );
    return GroupId ?? '';
  },
  async ready(groupId, ctx) {
    await waitUntilSecurityGroupExists({ client: ec2(ctx), maxWaitTime: 120 }, { GroupIds: [groupId] });
  },

  async converge(id, props, ctx) {
    const egressRule = await allowAllEgressRule(id, ctx);
    if (props.allowAllEgress && !egressRule) {
      await ec2(ctx).send(
        new AuthorizeSecurityGroupEgressCommand({
          GroupId: id,
          IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        }),
      );
    } else if (!props.allowAllEgress && egressRule) {
      await ec2(ctx).send(
        new RevokeSecurityGroupEgressCommand({ GroupId: id, SecurityGroupRuleIds: [egressRule] }),
      );
    }
    if (props.openIngress) {
      const unwanted = (await foreignOpenIngress(id, ctx)).filter(
        (r) => !props.openIngress?.includes(r.text),
      );
      if (unwanted.length) {
        await ec2(ctx).send(
          new RevokeSecurityGroupIngressCommand({
            GroupId: id,
            SecurityGroupRuleIds: unwanted.map((r) => r.id),
          }),
        );
      }
    }
  },

  async propsOf(found, current, ctx) {
    return {
      ...current,
      vpcId: found.VpcId ?? '',
      groupName: found.GroupName ?? '',
      description: found.Description ?? '',
      allowAllEgress: (await allowAllEgressRule(found.GroupId ?? '', ctx)) !== undefined,
      ...(current.openIngress
        ? { openIngress: (await foreignOpenIngress(found.GroupId ?? '', ctx)).map((r) => r.text) }
        : {}),
    };
  },
  outsOf: (found) => ({ groupId: found.GroupId ?? '' }),

  async remove(id, _found, ctx) {
    await ignoreMissing(
      ec2(ctx).send(new DeleteSecurityGroupCommand({ GroupId: id })),
      'InvalidGroup.NotFound',
    );
  },
  replaceOnChanges: ['vpcId', 'groupName', 'description'],
});

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules'] },
  { actions: ['ec2:CreateSecurityGroup'], on: ['security-group'], when: 'created' },
  { actions: ['ec2:CreateSecurityGroup'], when: 'tagged' },
  { ...ec2TagOnCreate('CreateSecurityGroup'), on: ['security-group'] },
  {
    actions: [
      'ec2:AuthorizeSecurityGroupEgress',
      'ec2:RevokeSecurityGroupEgress',
      'ec2:RevokeSecurityGroupIngress',
      'ec2:DeleteSecurityGroup',
    ],
    when: 'tagged',
  },
  // A rule is reached only through its group, which the grant above checks.
  {
    actions: [
      'ec2:AuthorizeSecurityGroupEgress',
      'ec2:RevokeSecurityGroupEgress',
      'ec2:RevokeSecurityGroupIngress',
    ],
    on: ['security-group-rule'],
  },
];
