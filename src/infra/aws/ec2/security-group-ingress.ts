import {
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  DescribeSecurityGroupRulesCommand,
  RevokeSecurityGroupIngressCommand,
  type Filter,
  type IpPermission,
  type SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { skipNotEmulated } from '../support/emulator';
import { ignoreMissing, isAwsError } from '../support/errors';
import { toAwsTags } from '../tags';
import { ec2, taggedEc2Handler, type TaggedProps } from './tagged-resource';
import { ec2TagOnCreate, type AwsGrant } from '../permissions/grants';

/** One ingress rule of a security group, from another security group (sg-…) or a CIDR block. */
export interface IngressProps extends TaggedProps {
  securityGroupId: string;
  protocol: string;
  fromPort: number;
  toPort: number;
  source: string;
  description: string;
}

export interface IngressOuts {
  securityGroupRuleId: string;
}

const describeRules = async (filters: Filter[], ctx: HandlerContext) =>
  (
    (await ec2(ctx).send(new DescribeSecurityGroupRulesCommand({ Filters: filters }))).SecurityGroupRules ??
    []
  ).filter((rule) => !rule.IsEgress);

function permission(props: IngressProps): IpPermission {
  const ports = { IpProtocol: props.protocol, FromPort: props.fromPort, ToPort: props.toPort };
  return props.source.startsWith('sg-')
    ? { ...ports, UserIdGroupPairs: [{ GroupId: props.source, Description: props.description }] }
    : { ...ports, IpRanges: [{ CidrIp: props.source, Description: props.description }] };
}

const sourceOf = (rule: SecurityGroupRule) => rule.ReferencedGroupInfo?.GroupId ?? rule.CidrIpv4 ?? '';

/** The same rule made earlier without lp-infra's tags (AWS refuses a duplicate). */
async function sameRule(props: IngressProps, ctx: HandlerContext) {
  const rules = await describeRules([{ Name: 'group-id', Values: [props.securityGroupId] }], ctx);
  return rules.find(
    (rule) =>
      rule.IpProtocol === props.protocol &&
      rule.FromPort === props.fromPort &&
      rule.ToPort === props.toPort &&
      sourceOf(rule) === props.source,
  );
}

const rules = taggedEc2Handler<IngressProps, IngressOuts, SecurityGroupRule>({
  resourceType: 'security-group-rule',
  describe: describeRules,
  describeById: async (id, ctx) =>
    (await describeRules([{ Name: 'security-group-rule-id', Values: [id] }], ctx))[0],
  idOf: (found) => found.SecurityGroupRuleId ?? '',
  tagsOf: (found) => found.Tags,

  async make(props, tagSpecifications, ctx, client) {
    try {
      const { SecurityGroupRules } = await client.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: props.securityGroupId,
          IpPermissions: [permission(props)],
          TagSpecifications: tagSpecifications,
        }),
      );
      return SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? '';
    } catch (err) {
      const existing = isAwsError(err, 'InvalidPermission.Duplicate')
        ? await sameRule(props, ctx)
        : undefined;
      if (!existing?.SecurityGroupRuleId) throw err;
      await ec2(ctx).send(
        new CreateTagsCommand({ Resources: [existing.SecurityGroupRuleId], Tags: toAwsTags(props.tags) }),
      );
      return existing.SecurityGroupRuleId;
    }
  },

  propsOf: (found, current) => ({
    ...current,
    securityGroupId: found.GroupId ?? '',
    protocol: found.IpProtocol ?? '',
    fromPort: found.FromPort ?? -1,
    toPort: found.ToPort ?? -1,
    source: sourceOf(found),
    // Not every emulator reports rule descriptions; AWS does.
    description: found.Description ?? current.description,
  }),
  outsOf: (found) => ({ securityGroupRuleId: found.SecurityGroupRuleId ?? '' }),

  async remove(id, found, ctx) {
    await ignoreMissing(
      ec2(ctx).send(
        new RevokeSecurityGroupIngressCommand({ GroupId: found.GroupId, SecurityGroupRuleIds: [id] }),
      ),
      'InvalidGroup.NotFound',
      'InvalidSecurityGroupRuleId.NotFound',
    );
  },
  replaceOnChanges: ['securityGroupId', 'protocol', 'fromPort', 'toPort', 'source', 'description'],
});

const withoutSource = 'not-emulated';

/**
 * Ingress rules, except that against the emulator a rule whose source it cannot provide
 * (an empty `source`, such as the security group EKS makes for a cluster) is skipped and
 * logged; the component lists the same step as not emulated. Against AWS it is an error.
 */
export const securityGroupIngress: ResourceHandler<IngressProps, IngressOuts> = {
  ...rules,
  async create(props, ctx) {
    if (props.source) return rules.create(props, ctx);
    if (skipNotEmulated(ctx, `ingress rule ${props.tags.Name} (the emulator provided no source)`)) {
      return { id: withoutSource, outs: { securityGroupRuleId: '' } };
    }
    throw new Error(`ingress rule ${props.tags.Name} has no source security group or CIDR block`);
  },
  read: async (id, current, ctx) => (id === withoutSource ? current : rules.read(id, current, ctx)),
  update: async (id, current, news, ctx) =>
    id === withoutSource ? current.outs : rules.update(id, current, news, ctx),
  delete: async (id, current, ctx) => (id === withoutSource ? undefined : rules.delete(id, current, ctx)),
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['ec2:DescribeSecurityGroupRules'] },
  {
    actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
    when: 'tagged',
  },
  // A rule is reached only through its group, which the grant above checks.
  {
    actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
    on: ['security-group-rule'],
  },
  { ...ec2TagOnCreate('AuthorizeSecurityGroupIngress'), on: ['security-group-rule'] },
  // The same rule made earlier without lp-infra's tags gets them.
  { actions: ['ec2:CreateTags'], on: ['security-group-rule'], when: 'created' },
];
