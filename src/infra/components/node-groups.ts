import type { ComponentRequest, OutputsByKind } from './contract';
import { describeAddon } from '../aws/eks/addon';
import { describeNodeGroup } from '../aws/eks/node-group';
import { handlerContext } from '../aws/handler-context';
import { HandlerResource } from '../handler-resource';
import { eksTaints, nodeGroupsFor } from './node-group-settings';
import { pulumiDriver, type ProgramOutputs } from './pulumi-driver';
import { clusterNameOf } from './regional-values';
import { dependencyOutput, regionOf, resourceTags, sameRegion } from './request-values';

/** The root device of the EKS-optimized Amazon Linux AMIs. */
const rootDeviceName = '/dev/xvda';
/** IMDSv2 only; two hops so that pods, not only the node, reach instance metadata. */
const metadataHopLimit = 2;

/** The managed node groups of one region's cluster, each on its own launch template (root volume, IMDSv2). */
function program(request: ComponentRequest<'node-groups'>) {
  const region = regionOf(request);
  const cluster = sameRegion(request, 'cluster');
  const clusterName = dependencyOutput(request, cluster, 'clusterName');
  const groups = nodeGroupsFor(request.spec, request.node.region);

  for (const group of groups) {
    const name = `${clusterName}-${group.name}`;
    const template = new HandlerResource('aws:launch-template', `${group.name}-launch-template`, {
      region,
      props: {
        launchTemplateName: name,
        rootVolume: {
          deviceName: rootDeviceName,
          sizeGiB: group.volume.sizeGiB,
          volumeType: group.volume.type,
          encrypted: group.volume.encrypted,
        },
        metadataHopLimit,
        tags: { ...resourceTags(request), Name: name },
      },
    });
    new HandlerResource('aws:eks-node-group', group.name, {
      region,
      props: {
        clusterName,
        nodegroupName: group.name,
        nodeRoleArn: dependencyOutput(request, cluster, 'nodeRoleArn'),
        subnetIds: dependencyOutput(request, cluster, 'privateSubnetIds'),
        version: dependencyOutput(request, cluster, 'kubernetesVersion'),
        instanceTypes: group.instanceTypes,
        capacityType: group.spot ? 'SPOT' : 'ON_DEMAND',
        scaling: { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize },
        launchTemplateId: template.id,
        launchTemplateVersion: template.outs.apply((outs) => String(outs.defaultVersion)),
        labels: group.labels,
        taints: eksTaints(group),
        tags: resourceTags(request),
      },
    });
  }
  return { nodeGroupNames: groups.map((group) => group.name) } satisfies ProgramOutputs<'node-groups'>;
}

function notEmulated(request: ComponentRequest<'node-groups'>): string[] {
  const name = clusterNameOf(request);
  const addons = request.spec.cluster.addons.map((addon) => addon.name);
  return addons.length
    ? [`wait for the add-ons of ${name} to become ACTIVE (the emulator installs none)`]
    : [];
}

/** One look: every node group ACTIVE, then every add-on ACTIVE (coredns needs running nodes to get there). */
async function ready(request: ComponentRequest<'node-groups'>, outputs: OutputsByKind['node-groups']) {
  const ctx = handlerContext(regionOf(request));
  const clusterName = dependencyOutput(request, sameRegion(request, 'cluster'), 'clusterName');
  for (const name of outputs.nodeGroupNames ?? []) {
    const group = await describeNodeGroup(clusterName, name, ctx);
    const status = group?.status ?? 'missing';
    const issues = (group?.health?.issues ?? []).map((issue) => `${issue.code}: ${issue.message}`).join('; ');
    if (status === 'CREATE_FAILED') throw new Error(`node group ${name} of ${clusterName} failed: ${issues}`);
    if (status !== 'ACTIVE')
      return { ready: false, detail: `node group ${name} is ${status}${issues ? ` (${issues})` : ''}` };
  }
  if (ctx.endpoint) return { ready: true, detail: 'node groups ACTIVE; add-ons not emulated' };
  for (const addon of request.spec.cluster.addons) {
    const status = (await describeAddon(clusterName, addon.name, ctx))?.status ?? 'missing';
    if (status === 'CREATE_FAILED')
      throw new Error(`add-on ${addon.name} of ${clusterName} failed to install`);
    if (status !== 'ACTIVE') return { ready: false, detail: `add-on ${addon.name} is ${status}` };
  }
  return { ready: true, detail: 'node groups and add-ons ACTIVE' };
}

export const nodeGroupsDriver = pulumiDriver<'node-groups'>({ program, notEmulated, ready });
