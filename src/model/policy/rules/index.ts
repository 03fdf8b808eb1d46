import { consistencyRules } from './consistency';
import { dataProtectionRules } from './data-protection';
import { kubernetesVersionRules } from './kubernetes-versions';
import type { PolicyRule } from './policy-rule';
import { resilienceRules } from './resilience';
import { securityRules } from './security';

export type { PolicyHit, PolicyRule, Severity } from './policy-rule';

/** Every policy rule, in report order within a severity. */
export const policyRules: readonly PolicyRule[] = [
  ...securityRules,
  ...dataProtectionRules,
  ...kubernetesVersionRules,
  ...resilienceRules,
  ...consistencyRules,
];
