import { ApplicationFailure } from '@temporalio/activity';

/**
 * Error classes that no retry can fix: bad requests, missing permissions, resources
 * that conflict. They fail at once with a message that says what to fix; everything
 * else (throttling, 5xx, resets, timeouts) is left to the activity's retry policy.
 */
const permanent = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthFailure',
  'InvalidClientTokenId',
  'ValidationError',
  'ValidationException',
  'InvalidParameterValue',
  'InvalidParameterCombination',
  'InvalidParameterException',
  'MalformedPolicyDocument',
  'InvalidRequest',
  'InvalidArgument',
  'InvalidVpcRange',
  'InvalidSubnet.Conflict',
  'BucketAlreadyExists',
  'DBClusterAlreadyExistsFault',
  'OptInRequired',
  'EmulatorLimitation',
]);

const hints: Record<string, string> = {
  AccessDenied: 'the worker’s AWS identity lacks a permission; grant it and run again',
  AccessDeniedException: 'the worker’s AWS identity lacks a permission; grant it and run again',
  UnauthorizedOperation: 'the worker’s AWS identity lacks a permission; grant it and run again',
  InvalidClientTokenId: 'the AWS credentials are not valid for this account',
  BucketAlreadyExists: 'the bucket name is taken by another account; change storage.bucketPrefix',
};

/** The AWS error code a Pulumi engine failure carries in its text (see handler-provider.ts). */
export function awsCodeIn(err: unknown): string | undefined {
  const message = err instanceof Error ? err.message : String(err);
  return /\[aws:([\w.]+)\]/.exec(message)?.[1];
}

export function isPermanent(err: unknown): boolean {
  const code = awsCodeIn(err);
  if (code && permanent.has(code)) return true;
  const name = (err as { name?: string })?.name;
  const status = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  if (name && permanent.has(name)) return true;
  return (
    status !== undefined &&
    status >= 400 &&
    status < 500 &&
    status !== 429 &&
    !/Throttl|TooManyRequests|RequestLimitExceeded/.test(name ?? '')
  );
}

/** Rethrows a permanent error as non-retryable (naming what to fix); others unchanged. */
export function classify(err: unknown, doing: string): never {
  if (err instanceof ApplicationFailure) throw err;
  const name = awsCodeIn(err) ?? (err as { name?: string })?.name ?? 'Error';
  const message = err instanceof Error ? err.message : String(err);
  if (isPermanent(err)) {
    const hint = hints[name] ? ` (${hints[name]})` : '';
    throw ApplicationFailure.nonRetryable(`${doing}: ${name}: ${message}${hint}`, name);
  }
  throw err;
}
