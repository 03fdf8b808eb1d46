/**
 * Nodes for a cluster whose nodes are simulated (kwok): one Node per desired instance of every node
 * group, with the group's labels and taints, the labels EKS puts on its managed nodes, and the
 * capacity of the group's first instance type, so the scheduler places pods as it would on EKS.
 */
import type { EnvironmentSpec } from '../../../model';
import { instanceTypeTable } from '../../../model/data/instance-types';
import type { KubeObject } from '../objects';
import { kubeObject, type V1Node } from './typed';

type NodeGroup = EnvironmentSpec['cluster']['nodeGroups'][number];

/** kwok manages Nodes with this annotation (its --manage-nodes-with-annotation-selector). */
export const simulatedNodeAnnotation = 'kwok.x-k8s.io/node';
export const nodeGroupLabel = 'eks.amazonaws.com/nodegroup';
const podsPerNode = '110';

export interface SimulatedCluster {
  region: string;
  availabilityZones: string[];
  nodeGroups: NodeGroup[];
}

function capacity(instanceType: string): Record<string, string> {
  const row = (instanceTypeTable.ec2 as Record<string, { vcpu: number; memoryGiB: number }>)[instanceType];
  if (!row) throw new Error(`no capacity known for instance type ${instanceType}`);
  return { cpu: String(row.vcpu), memory: `${row.memoryGiB}Gi`, pods: podsPerNode };
}

export function simulatedNode(cluster: SimulatedCluster, group: NodeGroup, index: number): KubeObject {
  const name = `${group.name}-${index}`;
  const instanceType = group.instanceTypes[0];
  const zone = cluster.availabilityZones[index % cluster.availabilityZones.length];
  const resources = capacity(instanceType);
  return kubeObject<V1Node>({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        ...group.labels,
        [nodeGroupLabel]: group.name,
        'node.kubernetes.io/instance-type': instanceType,
        'topology.kubernetes.io/region': cluster.region,
        'topology.kubernetes.io/zone': zone,
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        ...(group.spot
          ? { 'eks.amazonaws.com/capacityType': 'SPOT' }
          : { 'eks.amazonaws.com/capacityType': 'ON_DEMAND' }),
      },
      annotations: { [simulatedNodeAnnotation]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: { taints: group.taints.length ? group.taints : undefined },
    status: { allocatable: resources, capacity: resources },
  });
}

export function simulatedNodes(cluster: SimulatedCluster): KubeObject[] {
  return cluster.nodeGroups.flatMap((group) =>
    Array.from({ length: group.desiredSize }, (_, index) => simulatedNode(cluster, group, index)),
  );
}

/** The primary region's cluster, or the standby region's with its reduced node counts. */
export function simulatedClusterOf(spec: EnvironmentSpec, region: 'primary' | 'secondary'): SimulatedCluster {
  if (region === 'primary') {
    return {
      region: spec.regions.primary.region,
      availabilityZones: spec.network.availabilityZones,
      nodeGroups: spec.cluster.nodeGroups,
    };
  }
  const secondary = spec.regions.secondary;
  const standby = new Map(secondary.standby.nodeGroups.map((g) => [g.name, g]));
  return {
    region: secondary.region,
    availabilityZones: secondary.network.availabilityZones,
    nodeGroups: spec.cluster.nodeGroups.map((group) => {
      const size = standby.get(group.name);
      return size ? { ...group, minSize: size.minSize, desiredSize: size.desiredSize } : group;
    }),
  };
}
