/**
 * A signed approval: who decided what, for which run, signed with the approver's Ed25519 key.
 * `lp-infra approve` builds and signs the claim; the workflow's Update validator checks it
 * against the spec's provisioning.approvers. Pure and deterministic (no Node APIs, no clock,
 * no randomness): it runs inside the workflow sandbox.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { fromBase64, parsePublicKey } from '../model/values/public-keys';

/** Tells this claim apart from anything else the same key might sign. */
export const claimType = 'lp-infra/approval/v1';

export interface ApprovalClaim {
  type: typeof claimType;
  workflowId: string;
  /** The run: a claim for an earlier run of the same workflow id does not decide a later one. */
  runId: string;
  /** What the run waits for, as its approvalRequest query states it (a component id, a destroy, ...). */
  what: string;
  decision: 'approved' | 'rejected';
  approver: string;
  reason?: string;
  /** ISO 8601, the signer's clock: recorded, not compared (laptop and workflow clocks differ). */
  issuedAt: string;
  /** Random, once per claim: a run accepts each nonce once. */
  nonce: string;
}

/** A claim as sent: the exact text that was signed, and the signature in base64. */
export interface SignedClaim {
  claim: string;
  signature: string;
}

export interface Approver {
  name: string;
  publicKey: string;
}

/** The text to sign: JSON with the keys in one fixed order. */
export function claimText(claim: ApprovalClaim): string {
  const { type, workflowId, runId, what, decision, approver, reason, issuedAt, nonce } = claim;
  return JSON.stringify({ type, workflowId, runId, what, decision, approver, reason, issuedAt, nonce });
}

/** The claim in a signed text, or why it is not one. */
export function parseClaim(text: string): ApprovalClaim | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'the signed claim is not JSON';
  }
  const claim = value as Partial<ApprovalClaim> | null;
  if (!claim || typeof claim !== 'object' || claim.type !== claimType)
    return `the signed claim is not an lp-infra approval (type ${claimType})`;
  const strings = ['workflowId', 'runId', 'what', 'approver', 'issuedAt', 'nonce'] as const;
  const missing = strings.filter((key) => typeof claim[key] !== 'string' || claim[key] === '');
  if (missing.length) return `the signed claim lacks ${missing.join(', ')}`;
  if (claim.decision !== 'approved' && claim.decision !== 'rejected')
    return 'the signed claim lacks a decision (approved or rejected)';
  if (claim.reason !== undefined && typeof claim.reason !== 'string')
    return 'the signed claim has a reason that is not text';
  return claim as ApprovalClaim;
}

/** What a decision must match: this run, what it waits for, its allow-list and the nonces it has seen. */
export interface ClaimContext {
  workflowId: string;
  runId: string;
  what: string;
  approvers: readonly Approver[];
  usedNonces: ReadonlySet<string>;
}

/** The decision fields an Update carries next to the signed claim. */
export interface DecisionFields {
  approved: boolean;
  by: string;
  reason?: string;
  signed?: SignedClaim;
}

/**
 * The verified claim, or an Error naming the first reason it does not decide this wait:
 * unsigned, not JSON, an approver not on the list, a signature that does not verify, another
 * workflow, run or step, fields that differ from the claim, or a nonce already used.
 */
export function verifyDecision(decision: DecisionFields, context: ClaimContext): ApprovalClaim | Error {
  const names = context.approvers.map((a) => a.name).join(', ');
  if (!decision.signed || typeof decision.signed.claim !== 'string')
    return new Error(
      `unsigned decision refused: this environment accepts only approvals signed by one of its approvers (${names}); ` +
        'pass --key <file> or set LP_INFRA_APPROVER_KEY',
    );
  const claim = parseClaim(decision.signed.claim);
  if (typeof claim === 'string') return new Error(claim);
  const approver = context.approvers.find((a) => a.name === claim.approver);
  if (!approver)
    return new Error(
      `'${claim.approver}' is not an approver of this environment (provisioning.approvers: ${names})`,
    );
  const key = parsePublicKey(approver.publicKey);
  if (typeof key === 'string')
    return new Error(`${approver.name}'s public key in the spec is not valid: ${key}`);
  const { signature: text } = decision.signed;
  const signature = typeof text === 'string' ? fromBase64(text) : undefined;
  const message = new TextEncoder().encode(decision.signed.claim);
  if (!signature || signature.length !== 64 || !verifies(signature, message, key))
    return new Error(
      `the signature does not verify with ${approver.name}'s public key: the claim was signed with another key or altered`,
    );
  if (claim.workflowId !== context.workflowId || claim.runId !== context.runId)
    return new Error(
      `the claim is for ${claim.workflowId} (run ${claim.runId}), not ${context.workflowId} (run ${context.runId})`,
    );
  if (claim.what !== context.what)
    return new Error(`the claim decides '${claim.what}', but this run waits for '${context.what}'`);
  if ((claim.decision === 'approved') !== decision.approved || claim.approver !== decision.by)
    return new Error(
      `the Update says ${decision.approved ? 'approved' : 'rejected'} by ${decision.by}, the signed claim ${claim.decision} by ${claim.approver}`,
    );
  if ((claim.reason ?? '') !== (decision.reason ?? ''))
    return new Error('the reason differs from the one in the signed claim');
  if (context.usedNonces.has(claim.nonce))
    return new Error(`this claim was already used in this run (nonce ${claim.nonce}): a replayed approval`);
  return claim;
}

function verifies(signature: Uint8Array, message: Uint8Array, key: Uint8Array): boolean {
  try {
    // Strict RFC 8032 verification, as OpenSSL and Node's crypto do.
    return ed25519.verify(signature, message, key, { zip215: false });
  } catch {
    return false;
  }
}
