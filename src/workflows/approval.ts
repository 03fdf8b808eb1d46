import { condition, defineUpdate, setHandler, ApplicationFailure } from '@temporalio/workflow';
import { pendingApproval } from './metrics';

export interface ApprovalDecision {
  approved: boolean;
  by: string;
  reason?: string;
}

/** `lp-infra approve|reject` sends this Update to the run that waits. */
export const decideApproval = defineUpdate<string, [ApprovalDecision]>('decideApproval');

export interface ApprovalOutcome extends ApprovalDecision {
  /** True when nobody decided before the timeout; `approved` is then false. */
  timedOut: boolean;
}

/**
 * Waits for someone to approve or reject, at most `timeout`. The Update's validator
 * refuses decisions while nothing waits, and a second decision, so a late or repeated
 * `approve` gets a clear error instead of silently doing nothing.
 */
export async function awaitApproval(
  what: string,
  timeout: string,
  onWaiting?: () => void,
): Promise<ApprovalOutcome> {
  let decision: ApprovalDecision | undefined;
  setHandler(
    decideApproval,
    (d) => {
      decision = d;
      return `${d.approved ? 'approved' : 'rejected'}: ${what}`;
    },
    {
      validator: (d) => {
        if (decision)
          throw new Error(`already ${decision.approved ? 'approved' : 'rejected'} by ${decision.by}`);
        if (!d || typeof d.approved !== 'boolean' || !d.by)
          throw new Error('a decision needs approved (boolean) and by');
      },
    },
  );
  onWaiting?.();
  const decided = await pendingApproval(condition(() => decision !== undefined, timeout));
  if (!decided) {
    decision = { approved: false, by: 'timeout', reason: `no decision within ${timeout}` };
  }
  return { ...decision!, timedOut: !decided };
}

export function refusedFailure(what: string, outcome: ApprovalOutcome): ApplicationFailure {
  const why = outcome.timedOut
    ? `approval timed out (${outcome.reason})`
    : `rejected by ${outcome.by}${outcome.reason ? `: ${outcome.reason}` : ''}`;
  return ApplicationFailure.nonRetryable(
    `${what}: ${why}`,
    outcome.timedOut ? 'ApprovalTimedOut' : 'ApprovalRejected',
  );
}
