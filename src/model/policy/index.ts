/** Policy findings for a spec: which rules fire, how severe they are in this environment. */
import type { EnvironmentSpec } from '../schema';
import { policyRules, type Severity } from './rules';

export { policyRules, type PolicyRule, type Severity } from './rules';

export interface PolicyFinding {
  rule: string;
  severity: Severity;
  /** A component id from componentGraph (e.g. `cluster`, `secondary/database-replica`). */
  component: string;
  message: string;
}

export interface PolicyOptions {
  /** The date rules that depend on it (Kubernetes support windows) judge by: YYYY-MM-DD. Default: today. */
  today?: string;
}

const severityOrder: Record<Severity, number> = { deny: 0, approve: 1, warn: 2 };

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function policyFindings(spec: EnvironmentSpec, options: PolicyOptions = {}): PolicyFinding[] {
  const today = options.today ?? isoDate(new Date());
  return policyRules
    .flatMap((rule) => {
      const severity = rule.severity[spec.environment];
      return severity === null
        ? []
        : rule
            .check(spec, today)
            .map((hit) => ({ rule: rule.id, severity, component: hit.component, message: hit.message }));
    })
    .sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity]);
}
