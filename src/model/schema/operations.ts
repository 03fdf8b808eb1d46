import { z } from 'zod';
import { looksPrivate, normalizedPublicKey, parsePublicKey } from '../values/public-keys';
import { goDuration, section } from './primitives';

export const DisasterRecoverySchema = section({
  mode: z.literal('active-passive'),
  /** Recovery time objective: failover finished within this many minutes. */
  rtoMinutes: z.int().min(1),
  /** Recovery point objective: data loss at most this many seconds (replica lag alarm threshold). */
  rpoSeconds: z.int().min(0),
  failoverApproval: z.enum(['required', 'automatic']).default('required'),
  /** How the health workflow decides the primary region is down. */
  healthCheck: section({
    intervalSeconds: z.int().min(10).max(3600).default(30),
    failureThreshold: z.int().min(1).max(20).default(3),
  }).prefault({}),
  uptimeTargetPercent: z.number().min(90).max(100).optional(),
});

export const DriftSchema = section({
  /** How often the drift schedule runs. */
  schedule: goDuration.default('15m'),
  remediation: z.enum(['report-only', 'auto', 'approve-first']).default('report-only'),
  approvalTimeout: goDuration.default('24h'),
});

/** An approver's name, as claims and runs record it. */
export const approverNamePattern = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;

const approverName = z
  .string()
  .regex(
    approverNamePattern,
    'must be a name of 1-64 letters, digits and . _ @ + -, such as alice or alice@example.com',
  );

/** PEM or base64 raw; a private key pasted here is refused without being repeated in the report. */
const ed25519PublicKey = z.string().superRefine((text, ctx) => {
  const key = parsePublicKey(text);
  if (typeof key === 'string')
    ctx.addIssue({
      code: 'custom',
      message: key,
      input: looksPrivate(text) ? '(a private key, not shown)' : text,
    });
});

export const ApproverSchema = section({
  name: approverName,
  /** Ed25519; `lp-infra approver keygen --name <name>` writes a key pair and prints this entry. */
  publicKey: ed25519PublicKey,
});

/** Names and keys each appear once: two entries for one key would make a signer's name ambiguous. */
const approverList = z
  .array(ApproverSchema)
  .min(1, 'list at least one approver, or leave approvers out')
  .superRefine((approvers, ctx) => {
    approvers.forEach((approver, index) => {
      const earlier = approvers.slice(0, index);
      if (earlier.some((a) => a.name === approver.name))
        ctx.addIssue({
          code: 'custom',
          path: [index, 'name'],
          message: `${approver.name} is listed twice`,
          input: approver.name,
        });
      const key = normalizedPublicKey(approver.publicKey);
      const same = earlier.find((a) => key !== undefined && normalizedPublicKey(a.publicKey) === key);
      if (same)
        ctx.addIssue({
          code: 'custom',
          path: [index, 'publicKey'],
          message: `the same key as ${same.name}: each approver needs a key of their own`,
          input: approver.publicKey,
        });
    });
  });

export const ProvisioningSchema = section({
  /** true keeps what a failed run created instead of compensating it. */
  keepOnFailure: z.boolean().default(false),
  approvalTimeout: goDuration.default('24h'),
  /**
   * Who may approve or reject (provisioning gates, destroy, failover, drift re-apply). When set,
   * only decisions signed with one of these keys are accepted; when absent, any decision is
   * accepted and recorded as unverified.
   */
  approvers: approverList.optional(),
});
