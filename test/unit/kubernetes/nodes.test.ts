/** Simulated Nodes from the node groups, for the local clusters. */
import { simulatedClusterOf, simulatedNodes } from '../../../src/infra/kubernetes/manifests/nodes';
import { referenceSpec } from './helpers';

const spec = referenceSpec();
type Node = {
  metadata: { name: string; labels: Record<string, string> };
  spec: { taints?: unknown[] };
  status: { capacity: Record<string, string> };
};

test('one Node per desired instance of every group in the primary region', () => {
  const nodes = simulatedNodes(simulatedClusterOf(spec, 'primary')) as unknown as Node[];
  expect(nodes).toHaveLength(3 + 10 + 3);
  const system = nodes.filter((n) => n.metadata.labels.role === 'system');
  expect(system.map((n) => n.metadata.name)).toEqual(['system-nodes-0', 'system-nodes-1', 'system-nodes-2']);
  expect(system[0].spec.taints).toEqual([{ key: 'system', value: 'true', effect: 'NoSchedule' }]);
  expect(system[0].status.capacity).toEqual({ cpu: '2', memory: '8Gi', pods: '110' });
  const redis = nodes.find((n) => n.metadata.labels.workload === 'redis')!;
  expect(redis.metadata.labels).toMatchObject({
    role: 'cache',
    'eks.amazonaws.com/nodegroup': 'memory-optimized',
    'node.kubernetes.io/instance-type': 'r5.xlarge',
    'topology.kubernetes.io/region': 'us-east-1',
  });
  expect(nodes.filter((n) => n.metadata.labels.role === 'application').every((n) => !n.spec.taints)).toBe(
    true,
  );
  expect(new Set(nodes.map((n) => n.metadata.labels['topology.kubernetes.io/zone']))).toEqual(
    new Set(['us-east-1a', 'us-east-1b', 'us-east-1c']),
  );
});

test('the standby region has the standby node counts in its own zones', () => {
  const nodes = simulatedNodes(simulatedClusterOf(spec, 'secondary')) as unknown as Node[];
  const count = (role: string) => nodes.filter((n) => n.metadata.labels.role === role).length;
  expect([count('system'), count('application'), count('cache')]).toEqual([2, 2, 1]);
  expect(nodes[0].metadata.labels['topology.kubernetes.io/zone']).toBe('us-west-2a');
});
