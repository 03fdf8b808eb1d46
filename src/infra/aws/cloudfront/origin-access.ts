import {
  CloudFrontClient,
  CreateCloudFrontOriginAccessIdentityCommand,
  CreateOriginAccessControlCommand,
  DeleteCloudFrontOriginAccessIdentityCommand,
  DeleteOriginAccessControlCommand,
  GetCloudFrontOriginAccessIdentityCommand,
  GetOriginAccessControlCommand,
  ListOriginAccessControlsCommand,
} from '@aws-sdk/client-cloudfront';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { skipNotEmulated } from '../support/emulator';
import { ignoreMissing, unlessMissing } from '../support/errors';
import type { AwsGrant } from '../permissions/grants';

/**
 * How CloudFront reads the private assets bucket: an origin access identity (the
 * reference's choice, a principal named in the bucket policy) or an origin access
 * control (CloudFront signs its requests; the policy names the distribution).
 */
export interface OriginAccessProps {
  type: 'origin-access-identity' | 'origin-access-control';
  /** The control's name, or the identity's CallerReference (stable: a retry gets the same identity). */
  name: string;
  comment: string;
}

export interface OriginAccessOuts {
  /** Origin access identity: `origin-access-identity/cloudfront/<id>`; control: empty. */
  originAccessIdentity: string;
  /** Origin access identity: the principal the bucket policy grants; control: empty. */
  identityArn: string;
  originAccessControlId: string;
}

/** What the emulator's distribution gets instead of an identity it cannot make. */
export const NOT_EMULATED_IDENTITY = 'not-emulated';

const client = (ctx: HandlerContext) => awsClient(CloudFrontClient, ctx.region);

function identityOuts(id: string): OriginAccessOuts {
  return {
    originAccessIdentity: `origin-access-identity/cloudfront/${id}`,
    identityArn: `arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ${id}`,
    originAccessControlId: '',
  };
}

async function createIdentity(props: OriginAccessProps, ctx: HandlerContext) {
  if (skipNotEmulated(ctx, `create CloudFront origin access identity ${props.name}`)) {
    return { id: NOT_EMULATED_IDENTITY, outs: identityOuts(NOT_EMULATED_IDENTITY) };
  }
  // The same CallerReference and comment return the identity made the first time.
  const { CloudFrontOriginAccessIdentity } = await client(ctx).send(
    new CreateCloudFrontOriginAccessIdentityCommand({
      CloudFrontOriginAccessIdentityConfig: { CallerReference: props.name, Comment: props.comment },
    }),
  );
  const id = CloudFrontOriginAccessIdentity?.Id;
  if (!id) throw new Error('CreateCloudFrontOriginAccessIdentity returned no id');
  return { id, outs: identityOuts(id) };
}

async function findControl(name: string, ctx: HandlerContext): Promise<string | undefined> {
  let marker: string | undefined;
  do {
    const { OriginAccessControlList } = await client(ctx).send(
      new ListOriginAccessControlsCommand({ Marker: marker }),
    );
    const found = (OriginAccessControlList?.Items ?? []).find((control) => control.Name === name);
    if (found?.Id) return found.Id;
    marker = OriginAccessControlList?.IsTruncated ? OriginAccessControlList.NextMarker : undefined;
  } while (marker);
  return undefined;
}

async function createControl(props: OriginAccessProps, ctx: HandlerContext) {
  const existing = await findControl(props.name, ctx);
  const created = existing
    ? undefined
    : await client(ctx).send(
        new CreateOriginAccessControlCommand({
          OriginAccessControlConfig: {
            Name: props.name,
            Description: props.comment,
            SigningProtocol: 'sigv4',
            SigningBehavior: 'always',
            OriginAccessControlOriginType: 's3',
          },
        }),
      );
  const id = existing ?? created?.OriginAccessControl?.Id;
  if (!id) throw new Error('CreateOriginAccessControl returned no id');
  return { id, outs: { originAccessIdentity: '', identityArn: '', originAccessControlId: id } };
}

export const originAccess: ResourceHandler<OriginAccessProps, OriginAccessOuts> = {
  async create(props, ctx) {
    return props.type === 'origin-access-identity' ? createIdentity(props, ctx) : createControl(props, ctx);
  },

  async read(id, current, ctx) {
    if (id === NOT_EMULATED_IDENTITY) return current;
    const found =
      current.props.type === 'origin-access-identity'
        ? await unlessMissing(
            client(ctx).send(new GetCloudFrontOriginAccessIdentityCommand({ Id: id })),
            'NoSuchCloudFrontOriginAccessIdentity',
          )
        : await unlessMissing(
            client(ctx).send(new GetOriginAccessControlCommand({ Id: id })),
            'NoSuchOriginAccessControl',
          );
    return found ? current : undefined;
  },

  async update(_id, current) {
    return current.outs; // the comment is all that could change, and it is informational
  },

  async delete(id, current, ctx) {
    if (id === NOT_EMULATED_IDENTITY) return;
    if (current.props.type === 'origin-access-identity') {
      const found = await unlessMissing(
        client(ctx).send(new GetCloudFrontOriginAccessIdentityCommand({ Id: id })),
        'NoSuchCloudFrontOriginAccessIdentity',
      );
      if (!found) return;
      await ignoreMissing(
        client(ctx).send(new DeleteCloudFrontOriginAccessIdentityCommand({ Id: id, IfMatch: found.ETag })),
        'NoSuchCloudFrontOriginAccessIdentity',
      );
      return;
    }
    const found = await unlessMissing(
      client(ctx).send(new GetOriginAccessControlCommand({ Id: id })),
      'NoSuchOriginAccessControl',
    );
    if (!found) return;
    await ignoreMissing(
      client(ctx).send(new DeleteOriginAccessControlCommand({ Id: id, IfMatch: found.ETag })),
      'NoSuchOriginAccessControl',
    );
  },

  replaceOnChanges: ['type', 'name'],
  deleteBeforeReplace: true,
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  {
    actions: [
      'cloudfront:ListOriginAccessControls',
      'cloudfront:GetOriginAccessControl',
      'cloudfront:GetCloudFrontOriginAccessIdentity',
      'cloudfront:CreateOriginAccessControl',
      'cloudfront:CreateCloudFrontOriginAccessIdentity',
    ],
  },
  { actions: ['cloudfront:DeleteOriginAccessControl'], on: ['origin-access-control'] },
  { actions: ['cloudfront:DeleteCloudFrontOriginAccessIdentity'], on: ['origin-access-identity'] },
];
