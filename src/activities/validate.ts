import { ApplicationFailure } from '@temporalio/activity';
import { componentGraph, policyFindings, SpecError, validateSpec, type EnvironmentSpec } from '../model';

export interface EnvironmentApprovals {
  /** Components a person must approve before apply, with the policy's reasons. */
  approvals: Record<string, { reasons: string[]; timeout: string }>;
  warnings: string[];
}

/**
 * The policy of a spec: what it denies fails the run before anything is touched, and what
 * needs a person's approval is returned. The spec is validated again here, as the workflow
 * does (runSpec): runs recorded before provision validated its input pass it as it came.
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
