import type { TaintEffect } from '@aws-sdk/client-eks';
import type { EnvironmentSpec, RegionRole, SpecWith } from '../../model';

export type NodeGroupSpec = EnvironmentSpec['cluster']['nodeGroups'][number];

/**
 * The node groups of a region. The secondary region runs the primary's groups at the
 * standby sizes its section gives (min and desired; failover scales them up), and the
 * primary's sizes for a group it does not list.
 */
export function nodeGroupsFor(spec: SpecWith<'cluster'>, region: RegionRole): NodeGroupSpec[] {
  if (region === 'primary') return spec.cluster.nodeGroups;
  const standby = spec.regions.secondary.standby.nodeGroups;
  return spec.cluster.nodeGroups.map((group) => {
    const sizes = standby.find((s) => s.name === group.name);
    return sizes ? { ...group, minSize: sizes.minSize, desiredSize: sizes.desiredSize } : group;
  });
}

const effects: Record<NodeGroupSpec['taints'][number]['effect'], TaintEffect> = {
  NoSchedule: 'NO_SCHEDULE',
  PreferNoSchedule: 'PREFER_NO_SCHEDULE',
  NoExecute: 'NO_EXECUTE',
};

/** Taints as EKS writes them (NoSchedule -> NO_SCHEDULE). */
export function eksTaints(group: NodeGroupSpec) {
  return group.taints.map((taint) => ({ key: taint.key, value: taint.value, effect: effects[taint.effect] }));
}
