export { buildPlan, type Plan, type PlanOptions, type PlannedComponent } from './build';
export { formatPlan } from './format';
export { mermaidGraph, type MermaidOptions } from './mermaid';
