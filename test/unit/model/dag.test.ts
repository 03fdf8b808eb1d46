/** The component graph: shape, dependencies that match the architecture, layers and critical path. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { componentGraph, criticalPath, topologicalLayers, type ComponentNode } from '../../../src/model/dag';
import { validReference } from './helpers';

const spec = validReference();
const graph = componentGraph(spec);
const byId = new Map(graph.map((n) => [n.id, n]));

/** Every component `id` waits for, directly or not. */
function ancestors(id: string, seen = new Set<string>()): Set<string> {
  for (const dep of byId.get(id)?.dependsOn ?? []) {
    if (!seen.has(dep)) {
      seen.add(dep);
      ancestors(dep, seen);
    }
  }
  return seen;
}

describe('componentGraph(reference)', () => {
  test('has every component of the architecture in both regions', () => {
    expect(graph.map((n) => n.id).sort()).toEqual(
      [
        'network',
        'kms',
        'cluster',
        'node-groups',
        'database',
        'cache',
        'storage',
        'dns',
        'certificate',
        'waf',
        'cdn',
        'mesh',
        'monitoring',
        'app',
        'dns-failover',
        'secondary/network',
        'secondary/kms',
        'secondary/cluster',
        'secondary/node-groups',
        'secondary/database-replica',
        'secondary/cache',
        'secondary/mesh',
        'secondary/app',
      ].sort(),
    );
    expect(byId.get('secondary/database-replica')).toMatchObject({
      kind: 'database-replica',
      region: 'secondary',
    });
    expect(graph.filter((n) => n.region === 'secondary').every((n) => n.id.startsWith('secondary/'))).toBe(
      true,
    );
  });

  test('has no cycles and only known dependencies', () => {
    const layers = topologicalLayers(graph);
    const position = new Map(layers.flatMap((layer, i) => layer.map((n) => [n.id, i] as const)));
    for (const node of graph)
      for (const dep of node.dependsOn) expect(position.get(dep)).toBeLessThan(position.get(node.id) ?? -1);
  });

  test.each<[string, string[]]>([
    ['cluster', ['network']],
    ['node-groups', ['cluster']],
    ['database', ['network', 'kms']],
    ['app', ['mesh', 'database', 'cache']],
    ['cdn', ['storage', 'certificate', 'waf']],
    ['certificate', ['dns']],
    ['mesh', ['node-groups']],
    ['monitoring', ['node-groups']],
    ['secondary/cluster', ['secondary/network']],
    ['secondary/database-replica', ['database', 'secondary/network', 'secondary/kms']],
    ['secondary/app', ['secondary/mesh', 'secondary/database-replica', 'secondary/cache']],
    ['dns-failover', ['dns', 'app', 'secondary/app', 'cdn']],
  ])('%s starts after %j', (id, deps) => {
    expect(new Set(byId.get(id)?.dependsOn)).toEqual(new Set(deps));
  });

  test('the replica comes after the primary database, the app after network', () => {
    expect(ancestors('secondary/database-replica')).toContain('database');
    expect([...ancestors('app')]).toEqual(
      expect.arrayContaining(['network', 'cluster', 'node-groups', 'mesh', 'database', 'cache']),
    );
  });

  test('nodes carry emulated and notes from the spec', () => {
    expect(graph.every((n) => n.emulated === undefined)).toBe(true);
    const local = componentGraph({
      ...spec,
      emulated: true,
      database: { ...spec.database, notes: 'restore from snapshot X' },
    });
    expect(local.every((n) => n.emulated === true)).toBe(true);
    expect(local.find((n) => n.id === 'database')?.notes).toBe('restore from snapshot X');
    expect(local.find((n) => n.id === 'cache')?.notes).toBeUndefined();
  });
});

describe('components the spec leaves out are spliced away', () => {
  test('without secondary KMS keys the replica depends on what secondary/kms would have', () => {
    const nodes = componentGraph({
      ...spec,
      kms: { keys: spec.kms.keys.filter((k) => k.region === 'primary') },
    });
    expect(nodes.map((n) => n.id)).not.toContain('secondary/kms');
    expect(nodes.find((n) => n.id === 'secondary/database-replica')?.dependsOn).toEqual([
      'database',
      'secondary/network',
    ]);
  });

  test('without a replica the standby app waits for the primary database instead', () => {
    const nodes = componentGraph({ ...spec, database: { ...spec.database, crossRegionReplica: undefined } });
    expect(nodes.map((n) => n.id)).not.toContain('secondary/database-replica');
    expect(nodes.find((n) => n.id === 'secondary/app')?.dependsOn).toEqual(
      expect.arrayContaining([
        'database',
        'secondary/network',
        'secondary/kms',
        'secondary/cache',
        'secondary/mesh',
      ]),
    );
    expect(() => topologicalLayers(nodes)).not.toThrow();
  });
});

describe('topologicalLayers', () => {
  const node = (id: string, ...dependsOn: string[]) => ({ id, dependsOn });

  test('groups independent nodes into one layer', () => {
    expect(
      topologicalLayers([node('a'), node('b'), node('c', 'a', 'b'), node('d', 'c')]).map((l) =>
        l.map((n) => n.id),
      ),
    ).toEqual([['a', 'b'], ['c'], ['d']]);
  });

  test('names the nodes of a cycle', () => {
    expect(() => topologicalLayers([node('a'), node('b', 'a', 'd'), node('c', 'b'), node('d', 'c')])).toThrow(
      'dependency cycle among: b, c, d',
    );
  });

  test('rejects an unknown dependency and duplicate ids', () => {
    expect(() => topologicalLayers([node('a', 'ghost')])).toThrow(/unknown component\(s\): ghost/);
    expect(() => topologicalLayers([node('a'), node('a')])).toThrow(/unique/);
  });
});

describe('criticalPath', () => {
  const durations: Record<string, number> = { a: 1, b: 5, c: 2, d: 1, e: 3 };
  const nodes = [
    { id: 'a', dependsOn: [] },
    { id: 'b', dependsOn: ['a'] },
    { id: 'c', dependsOn: ['a'] },
    { id: 'd', dependsOn: ['b', 'c'] },
    { id: 'e', dependsOn: [] },
  ];

  test('is the longest chain on a small hand-made graph', () => {
    expect(criticalPath(nodes, (n) => durations[n.id])).toEqual({ path: ['a', 'b', 'd'], seconds: 7 });
  });

  test('follows the durations', () => {
    expect(criticalPath(nodes, (n) => (n.id === 'e' ? 100 : durations[n.id]))).toEqual({
      path: ['e'],
      seconds: 100,
    });
    expect(criticalPath(nodes, (n) => (n.id === 'c' ? 10 : durations[n.id]))).toEqual({
      path: ['a', 'c', 'd'],
      seconds: 12,
    });
  });

  test('of nothing is empty', () => {
    expect(criticalPath([], () => 1)).toEqual({ path: [], seconds: 0 });
  });

  test('of the reference runs through the database replica', () => {
    const path = criticalPath(
      graph,
      (n: ComponentNode) => ({ database: 1200, 'database-replica': 1500 })[n.kind as string] ?? 60,
    );
    expect(path.path).toEqual([
      'network',
      'database',
      'secondary/database-replica',
      'secondary/app',
      'dns-failover',
    ]);
  });
});

test('dag.ts and components.ts import nothing at run time but each other (workflow-safe)', () => {
  for (const file of ['dag.ts', 'components.ts']) {
    const source = readFileSync(join(__dirname, '../../../src/model', file), 'utf8');
    const runtimeImports = [...source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gm)].map(
      (m) => m[1],
    );
    expect(runtimeImports.filter((m) => m !== './components')).toEqual([]);
    expect(source).not.toMatch(/from 'zod'|from 'node:|require\(/);
  }
});
