import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DeleteLaunchTemplateCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  ModifyLaunchTemplateCommand,
  type Filter,
  type LaunchTemplate as Ec2LaunchTemplate,
  type RequestLaunchTemplateData,
  type VolumeType,
} from '@aws-sdk/client-ec2';
import { isDeepStrictEqual } from 'node:util';
import type { HandlerContext } from '../../pulumi/resource-handler';
import { toAwsTags } from '../tags';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { ec2, taggedEc2Handler, type TaggedProps } from './tagged-resource';
import { ec2TagOnCreate, type AwsGrant } from '../permissions/grants';

/**
 * The launch template of an EKS managed node group: the root volume (size, type,
 * encryption) and instance metadata limited to IMDSv2. A change makes a new version and
 * makes it the default; the node group then rolls to it.
 */
export interface LaunchTemplateProps extends TaggedProps {
  launchTemplateName: string;
  rootVolume: RootVolume;
  /** IMDSv2 hop limit: 2 lets pods on the node reach instance metadata, 1 does not. */
  metadataHopLimit: number;
}

export interface RootVolume {
  deviceName: string;
  sizeGiB: number;
  volumeType: string;
  encrypted: boolean;
}

export interface LaunchTemplateOuts {
  launchTemplateId: string;
  defaultVersion: number;
}

const notFound = ['InvalidLaunchTemplateId.NotFound', 'InvalidLaunchTemplateId.Malformed'];

function templateData(props: LaunchTemplateProps): RequestLaunchTemplateData {
  const { deviceName, sizeGiB, volumeType, encrypted } = props.rootVolume;
  return {
    BlockDeviceMappings: [
      {
        DeviceName: deviceName,
        Ebs: {
          VolumeSize: sizeGiB,
          VolumeType: volumeType as VolumeType,
          Encrypted: encrypted,
          DeleteOnTermination: true,
        },
      },
    ],
    MetadataOptions: {
      HttpTokens: 'required',
      HttpEndpoint: 'enabled',
      HttpPutResponseHopLimit: props.metadataHopLimit,
    },
    // EKS does not pass node-group tags on: the nodes, their volumes and network interfaces
    // carry the ownership tags from here, so an inventory by tag finds them.
    TagSpecifications: (['instance', 'volume', 'network-interface'] as const).map((ResourceType) => ({
      ResourceType,
      Tags: toAwsTags(props.tags),
    })),
  };
}

async function defaultVersionSettings(id: string, ctx: HandlerContext) {
  const found = await unlessMissing(
    ec2(ctx).send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ['$Default'] }),
    ),
    ...notFound,
  );
  const data = found?.LaunchTemplateVersions?.[0]?.LaunchTemplateData;
  const mapping = data?.BlockDeviceMappings?.[0];
  return {
    rootVolume: {
      deviceName: mapping?.DeviceName ?? '',
      sizeGiB: mapping?.Ebs?.VolumeSize ?? 0,
      volumeType: mapping?.Ebs?.VolumeType ?? '',
      encrypted: mapping?.Ebs?.Encrypted ?? false,
    },
    metadataHopLimit: data?.MetadataOptions?.HttpPutResponseHopLimit ?? 0,
  };
}

const describeTemplates = async (filters: Filter[], ctx: HandlerContext) =>
  (await ec2(ctx).send(new DescribeLaunchTemplatesCommand({ Filters: filters }))).LaunchTemplates ?? [];

export const launchTemplate = taggedEc2Handler<LaunchTemplateProps, LaunchTemplateOuts, Ec2LaunchTemplate>({
  resourceType: 'launch-template',
  describe: describeTemplates,
  async describeById(id, ctx) {
    const found = await unlessMissing(
      ec2(ctx).send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [id] })),
      ...notFound,
    );
    return found?.LaunchTemplates?.[0];
  },
  idOf: (found) => found.LaunchTemplateId ?? '',
  tagsOf: (found) => found.Tags,

  async make(props, tagSpecifications, _ctx, client) {
    const { LaunchTemplate: made } = await client.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: props.launchTemplateName,
        LaunchTemplateData: templateData(props),
        TagSpecifications: tagSpecifications,
      }),
    );
    return made?.LaunchTemplateId ?? '';
  },

  async converge(id, props, ctx) {
    const now = await defaultVersionSettings(id, ctx);
    const wanted = { rootVolume: props.rootVolume, metadataHopLimit: props.metadataHopLimit };
    if (isDeepStrictEqual(now, wanted)) return;
    const { LaunchTemplateVersion } = await ec2(ctx).send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: id,
        LaunchTemplateData: templateData(props),
      }),
    );
    await ec2(ctx).send(
      new ModifyLaunchTemplateCommand({
        LaunchTemplateId: id,
        DefaultVersion: String(LaunchTemplateVersion?.VersionNumber ?? ''),
      }),
    );
  },

  async propsOf(found, current, ctx) {
    const settings = await defaultVersionSettings(found.LaunchTemplateId ?? '', ctx);
    return { ...current, launchTemplateName: found.LaunchTemplateName ?? '', ...settings };
  },
  outsOf: (found) => ({
    launchTemplateId: found.LaunchTemplateId ?? '',
    defaultVersion: found.DefaultVersionNumber ?? 1,
  }),

  async remove(id, _found, ctx) {
    await ignoreMissing(
      ec2(ctx).send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: id })),
      ...notFound,
    );
  },
  replaceOnChanges: ['launchTemplateName'],
});

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['ec2:DescribeLaunchTemplates', 'ec2:DescribeLaunchTemplateVersions'] },
  { actions: ['ec2:CreateLaunchTemplate'], on: ['launch-template'], when: 'created' },
  { ...ec2TagOnCreate('CreateLaunchTemplate'), on: ['launch-template'] },
  {
    actions: ['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate', 'ec2:DeleteLaunchTemplate'],
    when: 'tagged',
  },
];
