/** Exit codes scripts can rely on (documented in docs/cli.md). */
export const ExitCode = {
  ok: 0,
  /** The command ran and the work failed (a failed workflow, a failed check). */
  failed: 1,
  /** Bad input: an invalid spec, unknown option or missing argument. Nothing was contacted. */
  invalidInput: 2,
  /** Refused: the same action already runs for this environment, or approval was denied. */
  refused: 3,
  /** A server lp-infra needs (Temporal, the AWS endpoint) did not answer. */
  unavailable: 4,
  /** Findings to act on: drift found, policy asks for approval. */
  attention: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
