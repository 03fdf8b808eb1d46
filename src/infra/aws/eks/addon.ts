import {
  CreateAddonCommand,
  DeleteAddonCommand,
  DescribeAddonCommand,
  DescribeAddonVersionsCommand,
  UpdateAddonCommand,
  waitUntilAddonDeleted,
} from '@aws-sdk/client-eks';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { skipNotEmulated } from '../support/emulator';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { waiterFor } from '../support/poll';
import { newestAddonVersion } from './addon-version';
import { describeCluster } from './cluster';
import { eks, notFound, updateEksTags } from './eks-client';
import type { AwsGrant } from '../permissions/grants';

/**
 * An EKS add-on (vpc-cni, coredns, ...), taking over the self-managed copy EKS installs
 * (conflicts resolved by overwriting). Creating it does not wait for it: coredns, for one,
 * only becomes ACTIVE once nodes run; the node groups' readiness check waits for it.
 */
export interface AddonProps {
  clusterName: string;
  addonName: string;
  /** `latest`: the newest version for the cluster's Kubernetes version, resolved when it is installed. */
  version: string;
  /** The IAM role of the add-on's service account (IRSA), or ''. */
  serviceAccountRoleArn: string;
  tags: Record<string, string>;
}

export interface AddonOuts {
  arn: string;
  addonVersion: string;
}

export const addonId = (clusterName: string, addonName: string) => `${clusterName}/${addonName}`;

export async function describeAddon(clusterName: string, addonName: string, ctx: HandlerContext) {
  return (await unlessMissing(eks(ctx).send(new DescribeAddonCommand({ clusterName, addonName })), notFound))
    ?.addon;
}

async function resolveVersion(props: AddonProps, ctx: HandlerContext): Promise<string> {
  if (props.version !== 'latest') return props.version;
  const cluster = await describeCluster(props.clusterName, ctx);
  const { addons } = await eks(ctx).send(
    new DescribeAddonVersionsCommand({ addonName: props.addonName, kubernetesVersion: cluster?.version }),
  );
  const versions = (addons?.[0]?.addonVersions ?? []).map((v) => v.addonVersion ?? '');
  const newest = newestAddonVersion(versions);
  if (!newest) throw new Error(`no version of add-on ${props.addonName} for Kubernetes ${cluster?.version}`);
  return newest;
}

const skipped = (props: AddonProps, ctx: HandlerContext, doing: string) =>
  skipNotEmulated(ctx, `${doing} EKS add-on ${props.addonName} of ${props.clusterName}`);

export const eksAddon: ResourceHandler<AddonProps, AddonOuts> = {
  async create(props, ctx) {
    const id = addonId(props.clusterName, props.addonName);
    if (skipped(props, ctx, 'install')) return { id, outs: { arn: '', addonVersion: '' } };
    const existing = await describeAddon(props.clusterName, props.addonName, ctx);
    if (existing) {
      ctx.made?.(id);
      const outs = { arn: existing.addonArn ?? '', addonVersion: existing.addonVersion ?? '' };
      return {
        id,
        outs: await eksAddon.update(id, { props: { ...props, tags: existing.tags ?? {} }, outs }, props, ctx),
      };
    }
    const { addon } = await eks(ctx).send(
      new CreateAddonCommand({
        clusterName: props.clusterName,
        addonName: props.addonName,
        addonVersion: await resolveVersion(props, ctx),
        ...(props.serviceAccountRoleArn ? { serviceAccountRoleArn: props.serviceAccountRoleArn } : {}),
        resolveConflicts: 'OVERWRITE',
        tags: props.tags,
      }),
    );
    return { id, outs: { arn: addon?.addonArn ?? '', addonVersion: addon?.addonVersion ?? '' } };
  },

  async read(_id, current, ctx) {
    if (skipped(current.props, ctx, 'read')) return current;
    const addon = await describeAddon(current.props.clusterName, current.props.addonName, ctx);
    if (!addon) return undefined;
    return {
      props: {
        ...current.props,
        version: current.props.version === 'latest' ? 'latest' : (addon.addonVersion ?? ''),
        serviceAccountRoleArn: addon.serviceAccountRoleArn ?? '',
        tags: addon.tags ?? {},
      },
      outs: { arn: addon.addonArn ?? '', addonVersion: addon.addonVersion ?? '' },
    };
  },

  async update(_id, current, news, ctx) {
    if (skipped(news, ctx, 'update')) return current.outs;
    const addonVersion = await resolveVersion(news, ctx);
    const roleChanged = current.props.serviceAccountRoleArn !== news.serviceAccountRoleArn;
    if (addonVersion !== current.outs.addonVersion || roleChanged) {
      await eks(ctx).send(
        new UpdateAddonCommand({
          clusterName: news.clusterName,
          addonName: news.addonName,
          addonVersion,
          serviceAccountRoleArn: news.serviceAccountRoleArn,
          resolveConflicts: 'OVERWRITE',
        }),
      );
    }
    await updateEksTags(current.outs.arn, current.props.tags, news.tags, ctx);
    return { arn: current.outs.arn, addonVersion };
  },

  async delete(_id, current, ctx) {
    const { clusterName, addonName } = current.props;
    if (skipped(current.props, ctx, 'remove')) return;
    await ignoreMissing(eks(ctx).send(new DeleteAddonCommand({ clusterName, addonName })), notFound);
    await waitUntilAddonDeleted(waiterFor(eks(ctx), 15), { clusterName, addonName });
  },

  replaceOnChanges: ['clusterName', 'addonName'],
  deleteBeforeReplace: true,
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['eks:DescribeAddon', 'eks:DescribeAddonVersions'] },
  { actions: ['eks:CreateAddon'], on: ['cluster'], when: 'created-in-tagged' },
  { actions: ['eks:CreateAddon'], on: ['addon'], when: 'created' },
  { actions: ['eks:UpdateAddon', 'eks:DeleteAddon'], when: 'tagged' },
  {
    actions: ['iam:PassRole'],
    when: 'tagged',
    implied: "CreateAddon and UpdateAddon hand EKS the add-on's service account role",
  },
];
