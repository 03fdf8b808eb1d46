import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  PutRolePermissionsBoundaryCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  type Role,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { isDeepStrictEqual } from 'node:util';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { sameMembers } from '../support/same-members';
import { tagChanges } from '../support/tag-changes';
import { fromAwsTags, TAG_ENVIRONMENT, toAwsTags } from '../tags';
import { keepsEnvironmentTag, type AwsGrant } from '../permissions/grants';

/**
 * An IAM role with a trust policy, managed policies and, optionally, a permissions
 * boundary named by policy (its ARN takes the account lp-infra runs in).
 */
export interface IamRoleProps {
  roleName: string;
  /** The trust policy, as JSON. */
  assumeRolePolicy: string;
  managedPolicyArns: string[];
  /** A customer-managed policy name, or '' for none. */
  permissionsBoundaryPolicy: string;
  tags: Record<string, string>;
}

export interface IamRoleOuts {
  arn: string;
}

const notFound = 'NoSuchEntity';
const iam = (ctx: HandlerContext) => awsClient(IAMClient, ctx.region);

async function policyArn(policyName: string, ctx: HandlerContext): Promise<string> {
  const { Arn } = await awsClient(STSClient, ctx.region).send(new GetCallerIdentityCommand({}));
  const [, partition, , , account] = (Arn ?? '').split(':');
  return `arn:${partition}:iam::${account}:policy/${policyName}`;
}

async function getRole(roleName: string, ctx: HandlerContext): Promise<Role | undefined> {
  return (await unlessMissing(iam(ctx).send(new GetRoleCommand({ RoleName: roleName })), notFound))?.Role;
}

async function attachedPolicies(roleName: string, ctx: HandlerContext): Promise<string[]> {
  const { AttachedPolicies } = await iam(ctx).send(
    new ListAttachedRolePoliciesCommand({ RoleName: roleName }),
  );
  return (AttachedPolicies ?? []).map((policy) => policy.PolicyArn ?? '').filter(Boolean);
}

/** The trust policy as written in the props when it means the same (IAM returns it URL-encoded). */
function samePolicy(actual: string | undefined, wanted: string): string {
  const decoded = decodeURIComponent(actual ?? '{}');
  return isDeepStrictEqual(JSON.parse(decoded), JSON.parse(wanted)) ? wanted : decoded;
}

async function converge(props: IamRoleProps, role: Role, ctx: HandlerContext) {
  const RoleName = props.roleName;
  if (samePolicy(role.AssumeRolePolicyDocument, props.assumeRolePolicy) !== props.assumeRolePolicy) {
    await iam(ctx).send(
      new UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: props.assumeRolePolicy }),
    );
  }
  const attached = await attachedPolicies(RoleName, ctx);
  for (const PolicyArn of props.managedPolicyArns.filter((arn) => !attached.includes(arn))) {
    await iam(ctx).send(new AttachRolePolicyCommand({ RoleName, PolicyArn }));
  }
  for (const PolicyArn of attached.filter((arn) => !props.managedPolicyArns.includes(arn))) {
    await iam(ctx).send(new DetachRolePolicyCommand({ RoleName, PolicyArn }));
  }
  const boundary = role.PermissionsBoundary?.PermissionsBoundaryArn ?? '';
  const wantedBoundary = props.permissionsBoundaryPolicy
    ? await policyArn(props.permissionsBoundaryPolicy, ctx)
    : '';
  if (boundary !== wantedBoundary) {
    if (wantedBoundary) {
      await iam(ctx).send(
        new PutRolePermissionsBoundaryCommand({ RoleName, PermissionsBoundary: wantedBoundary }),
      );
    } else {
      await iam(ctx).send(new DeleteRolePermissionsBoundaryCommand({ RoleName }));
    }
  }
  const tags = tagChanges(fromAwsTags(role.Tags), props.tags);
  if (tags.removed.length) await iam(ctx).send(new UntagRoleCommand({ RoleName, TagKeys: tags.removed }));
  if (Object.keys(tags.set).length)
    await iam(ctx).send(new TagRoleCommand({ RoleName, Tags: toAwsTags(tags.set) }));
}

export const iamRole: ResourceHandler<IamRoleProps, IamRoleOuts> = {
  async create(props, ctx) {
    const existing = await getRole(props.roleName, ctx);
    const environment = props.tags[TAG_ENVIRONMENT];
    if (existing && fromAwsTags(existing.Tags)[TAG_ENVIRONMENT] !== environment) {
      throw new Error(`IAM role ${props.roleName} exists and does not belong to environment ${environment}`);
    }
    const role =
      existing ??
      (
        await iam(ctx).send(
          new CreateRoleCommand({
            RoleName: props.roleName,
            AssumeRolePolicyDocument: props.assumeRolePolicy,
            Tags: toAwsTags(props.tags),
          }),
        )
      ).Role;
    if (!role?.Arn) throw new Error(`IAM role ${props.roleName} has no ARN`);
    ctx.made?.(props.roleName);
    await converge(props, role, ctx);
    return { id: props.roleName, outs: { arn: role.Arn } };
  },

  async read(id, current, ctx) {
    const role = await getRole(id, ctx);
    if (!role) return undefined;
    const boundaryArn = role.PermissionsBoundary?.PermissionsBoundaryArn ?? '';
    return {
      props: {
        roleName: role.RoleName ?? id,
        assumeRolePolicy: samePolicy(role.AssumeRolePolicyDocument, current.props.assumeRolePolicy),
        managedPolicyArns: sameMembers(await attachedPolicies(id, ctx), current.props.managedPolicyArns),
        permissionsBoundaryPolicy: boundaryArn.split('/').pop() ?? '',
        tags: fromAwsTags(role.Tags),
      },
      outs: { arn: role.Arn ?? current.outs.arn },
    };
  },

  async update(id, current, news, ctx) {
    const role = await getRole(id, ctx);
    if (!role) throw new Error(`IAM role ${id} not found`);
    await converge(news, role, ctx);
    return current.outs;
  },

  async delete(id, _current, ctx) {
    if (!(await getRole(id, ctx))) return;
    for (const PolicyArn of await attachedPolicies(id, ctx)) {
      await ignoreMissing(iam(ctx).send(new DetachRolePolicyCommand({ RoleName: id, PolicyArn })), notFound);
    }
    await ignoreMissing(iam(ctx).send(new DeleteRoleCommand({ RoleName: id })), notFound);
  },

  replaceOnChanges: ['roleName'],
  deleteBeforeReplace: true,
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'sts:GetCallerIdentity'] },
  { actions: ['iam:CreateRole'], on: ['role'], when: 'created' },
  { actions: ['iam:TagRole'], on: ['role'], when: 'created', implied: 'the tags given to CreateRole' },
  { actions: ['iam:TagRole'], when: 'tagged' },
  { actions: ['iam:UntagRole'], when: 'tagged', condition: keepsEnvironmentTag },
  {
    actions: [
      'iam:UpdateAssumeRolePolicy',
      'iam:PutRolePermissionsBoundary',
      'iam:DeleteRolePermissionsBoundary',
      'iam:DeleteRole',
    ],
    when: 'tagged',
  },
  // Only the AWS-managed policies lp-infra's components attach, never one of the account's.
  {
    actions: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
    when: 'tagged',
    condition: (o) => ({
      ArnEquals: {
        'iam:PolicyARN': o.managedPolicies.map((name) => `arn:${o.partition}:iam::aws:policy/${name}`),
      },
    }),
  },
];
