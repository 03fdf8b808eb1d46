import { isKnownType, knownTypes, type InstanceTypeCatalog } from '../data/instance-types';
import type { PathSegment } from '../paths';
import { defineRule, type Violation } from './rule';

const catalogNames: Record<InstanceTypeCatalog, string> = {
  ec2: 'EC2 instance type',
  rds: 'Aurora DB instance class',
  elasticache: 'ElastiCache node type',
};

function unknownType(catalog: InstanceTypeCatalog, type: string, path: PathSegment[]): Violation[] {
  if (isKnownType(catalog, type)) return [];
  const family = type.split('.').slice(0, -1).join('.');
  const sameFamily = knownTypes(catalog).filter((known) => known.startsWith(`${family}.`));
  const choices = sameFamily.length > 0 ? sameFamily : knownTypes(catalog);
  return [
    {
      path,
      value: type,
      message: `unknown ${catalogNames[catalog]}; known: ${choices.join(', ')} (the table is src/model/data/instance-types.ts)`,
    },
  ];
}

export const instanceTypeRules = [
  defineRule({
    id: 'known-instance-types',
    description: 'Instance types, DB instance classes and cache node types are in the shipped table.',
    reads: ['cluster', 'database', 'cache', 'regions'],
    check: ({ cluster, database, cache, regions }) => [
      ...cluster.nodeGroups.flatMap((group, g) =>
        group.instanceTypes.flatMap((type, t) =>
          unknownType('ec2', type, ['cluster', 'nodeGroups', g, 'instanceTypes', t]),
        ),
      ),
      ...unknownType('rds', database.instanceClass, ['database', 'instanceClass']),
      ...(database.crossRegionReplica
        ? unknownType('rds', database.crossRegionReplica.instanceClass, [
            'database',
            'crossRegionReplica',
            'instanceClass',
          ])
        : []),
      ...unknownType('elasticache', cache.nodeType, ['cache', 'nodeType']),
      ...unknownType('elasticache', regions.secondary.cache.nodeType, [
        'regions',
        'secondary',
        'cache',
        'nodeType',
      ]),
    ],
  }),
];
