/** The environment spec: model, loading, validation, component graph, policy, cost and plan. */
export {
  EnvironmentSpecSchema,
  type EnvironmentSpec,
  type EnvironmentSpecInput,
  type Environment,
} from './schema';
export { SpecError, type SpecIssue } from './errors';
export { loadSpecFile, parseSpec, parseYaml, resolveSpecDocument } from './load';
export { validateSpec } from './validate';
export { mergePatch } from './overlay';
export { specRules } from './rules';
export {
  componentGraph,
  criticalPath,
  topologicalLayers,
  type ComponentId,
  type ComponentKind,
  type ComponentKindOf,
  type ComponentNode,
  type RegionRole,
} from './dag';
export { componentSpec, specSectionsByKind, type ComponentSpec, type SpecWith } from './components';
export { policyFindings, policyRules, type PolicyFinding, type PolicyRule, type Severity } from './policy';
export { estimateMonthlyCost, type CostEstimate, type CostLine } from './cost';
export {
  buildPlan,
  formatPlan,
  mermaidGraph,
  type Plan,
  type PlanOptions,
  type PlannedComponent,
} from './plan';
export { typicalProvisioningSeconds } from './data/provisioning-durations';
