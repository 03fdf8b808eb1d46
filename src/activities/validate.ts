import { ApplicationFailure } from '@temporalio/activity';
import { componentGraph, policyFindings, SpecError, validateSpec, type EnvironmentSpec } from '../model';

export interface EnvironmentApprovals {
  /** Components a person must approve before apply, with the policy's reasons. */
  approvals: Record<string, { reasons: string[]; timeout: string }>;
  warnings: string[];
}

/**
 * The workflow's first step: the spec is validated again on the worker (a run may be
 * started by `temporal workflow start` with any JSON), and a spec that policy denies
 * fails before anything is touched.
 */
export async function validateEnvironment(input: unknown): Promise<EnvironmentApprovals> {
  let spec: EnvironmentSpec;
  try {
    spec = validateSpec(input, 'workflow input');
  } catch (err) {
    if (err instanceof SpecError)
      throw ApplicationFailure.nonRetryable(err.message, 'InvalidSpec', err.issues);
    throw err;
  }
  const findings = policyFindings(spec);
  const denied = findings.filter((f) => f.severity === 'deny');
  if (denied.length > 0) {
    throw ApplicationFailure.nonRetryable(
      `policy denies this spec: ${denied.map((f) => `${f.component}: ${f.message} [${f.rule}]`).join('; ')}`,
      'PolicyDenied',
      denied,
    );
  }
  const approvals: EnvironmentApprovals['approvals'] = {};
  const known = new Set(componentGraph(spec).map((n) => n.id));
  for (const finding of findings.filter((f) => f.severity === 'approve' && known.has(f.component))) {
    approvals[finding.component] ??= { reasons: [], timeout: spec.provisioning.approvalTimeout };
    approvals[finding.component].reasons.push(`${finding.message} [${finding.rule}]`);
  }
  return {
    approvals,
    warnings: findings.filter((f) => f.severity === 'warn').map((f) => `${f.component}: ${f.message}`),
  };
}
