/** The component graph as a Mermaid flowchart, for the plan and the README. Pure. */
import type { ComponentNode } from '../dag';

const mermaidId = (id: string) => id.replace(/[^A-Za-z0-9]/g, '_');

export interface MermaidOptions {
  /** Region names for the subgraph titles, e.g. { primary: 'us-east-1', secondary: 'us-west-2' }. */
  regionNames?: { primary: string; secondary: string };
  /** Ids to highlight (the critical path). */
  highlight?: readonly string[];
}

export function mermaidGraph(
  nodes: readonly Pick<ComponentNode, 'id' | 'region' | 'title' | 'dependsOn'>[],
  options: MermaidOptions = {},
): string {
  const lines = ['flowchart LR'];
  for (const region of ['primary', 'secondary'] as const) {
    const members = nodes.filter((n) => n.region === region);
    if (members.length === 0) continue;
    const name = options.regionNames ? `${region}: ${options.regionNames[region]}` : region;
    lines.push(`  subgraph ${region}["${name}"]`);
    for (const n of members) lines.push(`    ${mermaidId(n.id)}["${n.id}<br/><small>${n.title}</small>"]`);
    lines.push('  end');
  }
  for (const n of nodes)
    for (const dep of n.dependsOn) lines.push(`  ${mermaidId(dep)} --> ${mermaidId(n.id)}`);
  if (options.highlight && options.highlight.length > 0) {
    lines.push('  classDef critical stroke:#d33,stroke-width:3px');
    lines.push(`  class ${options.highlight.map(mermaidId).join(',')} critical`);
  }
  return lines.join('\n');
}
