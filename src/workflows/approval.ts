import {
  condition,
  defineQuery,
  defineUpdate,
  setHandler,
  workflowInfo,
  ApplicationFailure,
} from '@temporalio/workflow';
import { parseClaim, verifyDecision, type Approver, type SignedClaim } from '../approvals/claim';
import { pendingApproval } from './metrics';

export interface ApprovalDecision {
  approved: boolean;
  by: string;
  reason?: string;
  /** The signed claim; required when the spec lists provisioning.approvers (src/approvals/claim.ts). */
  signed?: SignedClaim;
}

/** `lp-infra approve|reject` sends this Update to the run that waits. */
export const decideApproval = defineUpdate<string, [ApprovalDecision]>('decideApproval');

/** What a run waits for, so that `lp-infra approve` can sign a claim naming it. */
export interface ApprovalRequest {
  workflowId: string;
  runId: string;
  what: string;
  /** The allow-list when decisions must be signed; absent when any decision is accepted unverified. */
  approvers?: Approver[];
}

/** Answers while a decision is awaited; undefined otherwise. */
export const approvalRequestQuery = defineQuery<ApprovalRequest | undefined>('approvalRequest');

export interface ApprovalOutcome {
  approved: boolean;
  /** The approver's name: verified against the spec's approvers, or as the client gave it. */
  by: string;
  reason?: string;
  /** True when nobody decided before the timeout; `approved` is then false. */
  timedOut: boolean;
  /** True when `by` signed the decision with a key the spec lists; false for an unsigned decision. */
  verified?: boolean;
  /** When the run took the decision (workflow time, ISO 8601). */
  at?: string;
}

export interface ApprovalOptions {
  /** The spec's provisioning.approvers: when set, only decisions they signed are accepted. */
  approvers?: readonly Approver[];
  onWaiting?: () => void;
}

/** Nonces of the signed decisions this run accepted (module state is per run in the sandbox). */
const usedNonces = new Set<string>();

/**
 * Waits for someone to approve or reject, at most `timeout`. The Update's validator
 * refuses decisions while nothing waits, and a second decision, so a late or repeated
 * `approve` gets a clear error instead of silently doing nothing. With an allow-list it
 * also refuses any decision that is not a claim for this run and this step, signed by a
 * listed approver, and not seen before in this run.
 */
export async function awaitApproval(
  what: string,
  timeout: string,
  options: ApprovalOptions = {},
): Promise<ApprovalOutcome> {
  const approvers = options.approvers?.length ? [...options.approvers] : undefined;
  const { workflowId, runId } = workflowInfo();
  let decision: ApprovalOutcome | undefined;
  setHandler(approvalRequestQuery, () =>
    decision ? undefined : { workflowId, runId, what, ...(approvers ? { approvers } : {}) },
  );
  setHandler(
    decideApproval,
    (d) => {
      // The validator ran before (and is skipped on replay): only record what it accepted.
      const claim = approvers && d.signed ? parseClaim(d.signed.claim) : undefined;
      if (claim && typeof claim !== 'string') usedNonces.add(claim.nonce);
      const verified = Boolean(approvers);
      decision = {
        approved: d.approved,
        by: d.by,
        ...(d.reason !== undefined ? { reason: d.reason } : {}),
        timedOut: false,
        verified,
        at: new Date().toISOString(),
      };
      const verdict = d.approved ? 'approved' : 'rejected';
      return verified ? `${verdict} by ${d.by} (signature verified): ${what}` : `${verdict}: ${what}`;
    },
    {
      validator: (d) => {
        if (decision)
          throw new Error(`already ${decision.approved ? 'approved' : 'rejected'} by ${decision.by}`);
        if (!d || typeof d.approved !== 'boolean' || !d.by)
          throw new Error('a decision needs approved (boolean) and by');
        if (!approvers) return;
        const checked = verifyDecision(d, { workflowId, runId, what, approvers, usedNonces });
        if (checked instanceof Error) throw checked;
      },
    },
  );
  options.onWaiting?.();
  const decided = await pendingApproval(condition(() => decision !== undefined, timeout));
  if (!decided) {
    decision = {
      approved: false,
      by: 'timeout',
      reason: `no decision within ${timeout}`,
      timedOut: true,
      at: new Date().toISOString(),
    };
  }
  return decision!;
}

export function refusedFailure(what: string, outcome: ApprovalOutcome): ApplicationFailure {
  const who = `${outcome.by}${outcome.verified ? ' (signature verified)' : ''}`;
  const why = outcome.timedOut
    ? `approval timed out (${outcome.reason})`
    : `rejected by ${who}${outcome.reason ? `: ${outcome.reason}` : ''}`;
  return ApplicationFailure.nonRetryable(
    `${what}: ${why}`,
    outcome.timedOut ? 'ApprovalTimedOut' : 'ApprovalRejected',
  );
}
