/**
 * The component graph of an environment, its topological layers and its critical path.
 * Pure TypeScript with type-only imports: workflows import this file.
 */
import {
  componentTemplates,
  type ComponentKind,
  type ComponentTemplate,
  type RegionRole,
} from './components';
import type { EnvironmentSpec } from './schema';

export type { ComponentId, ComponentKind, ComponentKindOf, RegionRole } from './components';

export interface ComponentNode {
  /** `network`, `cluster`, ..., `secondary/network`, `secondary/database-replica`, `dns-failover`. */
  id: string;
  kind: ComponentKind;
  region: RegionRole;
  /** Ids of the components that must be ready before this one starts. */
  dependsOn: string[];
  title: string;
  /** Set when the spec targets the local emulated cloud. */
  emulated?: boolean;
  /** The `notes` of the spec section the component is built from. */
  notes?: string;
}

function notesOf(spec: EnvironmentSpec, template: ComponentTemplate): string | undefined {
  const section = spec[template.section] as { notes?: unknown };
  return section && typeof section === 'object' && typeof section.notes === 'string'
    ? section.notes
    : undefined;
}

/**
 * The components the spec asks for, with their dependencies. A component the spec leaves out
 * is spliced away: what depended on it depends on its own dependencies instead.
 */
export function componentGraph(spec: EnvironmentSpec): ComponentNode[] {
  const byId = new Map(componentTemplates.map((t) => [t.id, t]));
  const present = new Set(componentTemplates.filter((t) => t.presentWhen?.(spec) ?? true).map((t) => t.id));
  const order = new Map(componentTemplates.map((t, index) => [t.id, index]));

  const resolve = (id: string): string[] =>
    present.has(id) ? [id] : (byId.get(id)?.dependsOn ?? []).flatMap(resolve);

  return componentTemplates
    .filter((t) => present.has(t.id))
    .map((template) => {
      const dependsOn = [...new Set(template.dependsOn.flatMap(resolve))].sort(
        (a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0),
      );
      const notes = notesOf(spec, template);
      return {
        id: template.id,
        kind: template.kind,
        region: template.region,
        dependsOn,
        title: template.title,
        ...(spec.emulated ? { emulated: true } : {}),
        ...(notes !== undefined ? { notes } : {}),
      };
    });
}

type GraphNode = Pick<ComponentNode, 'id' | 'dependsOn'>;

/**
 * Nodes grouped so that every node's dependencies are in earlier layers; each layer can run at
 * once. Throws on an unknown dependency or a cycle (naming the nodes involved).
 */
export function topologicalLayers<N extends GraphNode>(nodes: readonly N[]): N[][] {
  const ids = new Set(nodes.map((n) => n.id));
  if (ids.size !== nodes.length) throw new Error('component ids must be unique');
  for (const node of nodes) {
    const unknown = node.dependsOn.filter((dep) => !ids.has(dep));
    if (unknown.length) throw new Error(`${node.id} depends on unknown component(s): ${unknown.join(', ')}`);
  }
  const layers: N[][] = [];
  const done = new Set<string>();
  let remaining = [...nodes];
  while (remaining.length > 0) {
    const ready = remaining.filter((n) => n.dependsOn.every((dep) => done.has(dep)));
    if (ready.length === 0) {
      throw new Error(`dependency cycle among: ${remaining.map((n) => n.id).join(', ')}`);
    }
    layers.push(ready);
    ready.forEach((n) => done.add(n.id));
    remaining = remaining.filter((n) => !done.has(n.id));
  }
  return layers;
}

/**
 * The chain of dependencies that takes longest, given each node's duration: the least time the
 * whole graph can take with unlimited parallelism.
 */
export function criticalPath<N extends GraphNode>(
  nodes: readonly N[],
  durationSeconds: (node: N) => number,
): { path: string[]; seconds: number } {
  const finish = new Map<string, number>();
  const via = new Map<string, string | undefined>();
  for (const layer of topologicalLayers(nodes)) {
    for (const node of layer) {
      let start = 0;
      let before: string | undefined;
      for (const dep of node.dependsOn) {
        const depFinish = finish.get(dep) ?? 0;
        if (before === undefined || depFinish > start) {
          start = depFinish;
          before = dep;
        }
      }
      finish.set(node.id, start + durationSeconds(node));
      via.set(node.id, before);
    }
  }
  let last: string | undefined;
  for (const node of nodes) {
    if (last === undefined || (finish.get(node.id) ?? 0) > (finish.get(last) ?? 0)) last = node.id;
  }
  const path: string[] = [];
  for (let id = last; id !== undefined; id = via.get(id)) path.unshift(id);
  return { path, seconds: last === undefined ? 0 : (finish.get(last) ?? 0) };
}
