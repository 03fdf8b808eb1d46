import type { PathSegment } from '../paths';
import { defineRule, duplicates, type Violation } from './rule';

interface Sizes {
  minSize: number;
  desiredSize: number;
  maxSize: number;
}

/** min <= desired <= max, reported at the field that breaks it. */
export function sizeViolations(sizes: Sizes, at: PathSegment[]): Violation[] {
  const { minSize, desiredSize, maxSize } = sizes;
  const shown = `(minSize ${minSize}, desiredSize ${desiredSize}, maxSize ${maxSize})`;
  if (minSize > maxSize)
    return [
      { path: [...at, 'minSize'], value: minSize, message: `minSize must not exceed maxSize ${shown}` },
    ];
  if (minSize > desiredSize)
    return [
      { path: [...at, 'minSize'], value: minSize, message: `minSize must not exceed desiredSize ${shown}` },
    ];
  if (desiredSize > maxSize)
    return [
      {
        path: [...at, 'desiredSize'],
        value: desiredSize,
        message: `desiredSize must not exceed maxSize ${shown}`,
      },
    ];
  return [];
}

export const clusterRules = [
  defineRule({
    id: 'node-group-sizes',
    description:
      'Every node group has 0 <= minSize <= desiredSize <= maxSize; node group and add-on names are unique.',
    reads: ['cluster'],
    check: ({ cluster }) => [
      ...cluster.nodeGroups.flatMap((group, i) => sizeViolations(group, ['cluster', 'nodeGroups', i])),
      ...duplicates(
        cluster.nodeGroups,
        (g) => g.name,
        (i) => ['cluster', 'nodeGroups', i, 'name'],
        'node group name',
      ),
      ...duplicates(
        cluster.addons,
        (a) => a.name,
        (i) => ['cluster', 'addons', i, 'name'],
        'add-on',
      ),
    ],
  }),
  defineRule({
    id: 'endpoint-access',
    description:
      'The EKS API is reachable privately, publicly or both; publicAccessCidrs only with public access.',
    reads: ['cluster'],
    check: ({ cluster: { endpointAccess } }) => {
      if (!endpointAccess.private && !endpointAccess.public) {
        return [
          {
            path: ['cluster', 'endpointAccess'],
            value: endpointAccess,
            message: 'enable private or public endpoint access (or both)',
          },
        ];
      }
      if (!endpointAccess.public && endpointAccess.publicAccessCidrs.length > 0) {
        return [
          {
            path: ['cluster', 'endpointAccess', 'publicAccessCidrs'],
            value: endpointAccess.publicAccessCidrs,
            message: 'publicAccessCidrs has no effect while public is false; remove it or set public: true',
          },
        ];
      }
      return [];
    },
  }),
  defineRule({
    id: 'standby-capacity',
    description:
      'Standby node groups name node groups of the cluster and stay within their maxSize; standby applications name applications.',
    reads: ['cluster', 'regions', 'applications'],
    check: ({ cluster, regions, applications }) => {
      const at: PathSegment[] = ['regions', 'secondary', 'standby'];
      const { nodeGroups, applications: standbyApps } = regions.secondary.standby;
      return [
        ...nodeGroups.flatMap((standby, i) => {
          const group = cluster.nodeGroups.find((g) => g.name === standby.name);
          if (!group) {
            return [
              {
                path: [...at, 'nodeGroups', i, 'name'],
                value: standby.name,
                message: `no node group of that name in cluster.nodeGroups (${cluster.nodeGroups.map((g) => g.name).join(', ')})`,
              },
            ];
          }
          return sizeViolations({ ...standby, maxSize: group.maxSize }, [...at, 'nodeGroups', i]);
        }),
        ...duplicates(
          nodeGroups,
          (g) => g.name,
          (i) => [...at, 'nodeGroups', i, 'name'],
          'standby node group',
        ),
        ...standbyApps.flatMap((standby, i) =>
          applications.some((app) => app.name === standby.name)
            ? []
            : [
                {
                  path: [...at, 'applications', i, 'name'],
                  value: standby.name,
                  message: 'no application of that name in applications',
                },
              ],
        ),
      ];
    },
  }),
];
