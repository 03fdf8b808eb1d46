/** Everything `lp-infra plan` shows, computed from a validated spec. Pure. */
import { typicalProvisioningSeconds } from '../data/provisioning-durations';
import { componentGraph, criticalPath, topologicalLayers, type ComponentNode } from '../dag';
import { estimateMonthlyCost, type CostEstimate } from '../cost';
import { isoDate, policyFindings, type PolicyFinding } from '../policy';
import type { EnvironmentSpec } from '../schema';
import { mermaidGraph } from './mermaid';
import { summarize } from './summaries';

export interface PlannedComponent extends ComponentNode {
  /** 1-based: the component can start once every earlier layer it needs is ready. */
  layer: number;
  /** What the spec asks of this component, in one line. */
  summary: string;
  /** Typical seconds to create it on AWS (an estimate, for the critical path). */
  typicalSeconds: number;
}

export interface Plan {
  name: string;
  environment: EnvironmentSpec['environment'];
  emulated: boolean;
  regions: { primary: string; secondary: string };
  components: PlannedComponent[];
  layers: string[][];
  criticalPath: { path: string[]; seconds: number };
  policy: PolicyFinding[];
  /** Who may decide what a run waits for: signed by a listed approver, or anyone, unverified. */
  approvals: { verified: boolean; approvers: string[] };
  cost: CostEstimate;
  mermaid: string;
}

export interface PlanOptions {
  /** YYYY-MM-DD for date-dependent policy and prices. Default: today. */
  today?: string;
}

export function buildPlan(spec: EnvironmentSpec, options: PlanOptions = {}): Plan {
  const today = options.today ?? isoDate(new Date());
  const nodes = componentGraph(spec);
  const layers = topologicalLayers(nodes);
  const layerOf = new Map(layers.flatMap((layer, i) => layer.map((n) => [n.id, i + 1] as const)));
  const components = nodes.map((node) => ({
    ...node,
    layer: layerOf.get(node.id) ?? 0,
    summary: summarize(spec, node.kind, node.region),
    typicalSeconds: typicalProvisioningSeconds[node.kind],
  }));
  const path = criticalPath(components, (c) => c.typicalSeconds);
  const regions = { primary: spec.regions.primary.region, secondary: spec.regions.secondary.region };
  return {
    name: spec.name,
    environment: spec.environment,
    emulated: spec.emulated,
    regions,
    components,
    layers: layers.map((layer) => layer.map((n) => n.id)),
    criticalPath: path,
    policy: policyFindings(spec, { today }),
    approvals: {
      verified: Boolean(spec.provisioning.approvers?.length),
      approvers: spec.provisioning.approvers?.map((a) => a.name) ?? [],
    },
    cost: estimateMonthlyCost(spec, { today }),
    mermaid: mermaidGraph(nodes, { regionNames: regions, highlight: path.path }),
  };
}
