/**
 * Policy: what a spec may do without a person's say. Each rule's severity depends on the
 * environment (null: the rule does not apply there). deny stops provisioning; approve puts an
 * approval gate before the component; warn is reported only.
 */
import type { Environment, EnvironmentSpec } from '../../schema';

export type Severity = 'deny' | 'approve' | 'warn';

export interface PolicyHit {
  component: string;
  message: string;
}

export interface PolicyRule {
  readonly id: string;
  readonly description: string;
  readonly severity: Readonly<Record<Environment, Severity | null>>;
  check(spec: EnvironmentSpec, today: string): PolicyHit[];
}

export const everywhere = (severity: Severity) => ({
  production: severity,
  staging: severity,
  development: severity,
});
