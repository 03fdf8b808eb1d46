import { z } from 'zod';
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

export const ProvisioningSchema = section({
  /** true keeps what a failed run created instead of compensating it. */
  keepOnFailure: z.boolean().default(false),
  approvalTimeout: goDuration.default('24h'),
});
