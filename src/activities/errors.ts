import { ApplicationFailure } from '@temporalio/activity';
import { EngineRunError } from '../infra/pulumi/failure';

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

/** The codes AWS refuses a call with when the caller's policies do not allow it. */
const permissionCodes = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

const hints: Record<string, string> = {
  AccessDenied: 'the worker’s AWS identity lacks a permission; grant it and run again',
  AccessDeniedException: 'the worker’s AWS identity lacks a permission; grant it and run again',
  UnauthorizedOperation: 'the worker’s AWS identity lacks a permission; grant it and run again',
  InvalidClientTokenId: 'the AWS credentials are not valid for this account',
  BucketAlreadyExists: 'the bucket name is taken by another account; change storage.bucketPrefix',
};

/**
 * The action (and resource) a refusal names: AWS says `User: arn:… is not authorized to
 * perform: ec2:CreateNatGateway on resource: arn:… because …` (EC2 after "You are not
 * authorized to perform this operation."; S3 quotes the resource).
 */
export function deniedAction(message: string): { action: string; resource?: string } | undefined {
  const found =
    /not authorized to perform:\s*([a-z0-9-]+:[A-Za-z0-9*]+)(?:\s+on resource:\s*"?([^\s"]+?)"?(?:\s|$))?/.exec(
      message,
    );
  if (!found) return undefined;
  return found[2] ? { action: found[1], resource: found[2] } : { action: found[1] };
}

/** What an error's AWS code and refused action are read in: a failed engine run's whole output (its message is short), else the message. */
function fullText(err: unknown): string {
  if (err instanceof EngineRunError) return err.output;
  return err instanceof Error ? err.message : String(err);
}

/** The AWS error code a Pulumi engine failure carries in its text (see handler-provider.ts). */
export function awsCodeIn(err: unknown): string | undefined {
  return /\[aws:([\w.]+)\]/.exec(fullText(err))?.[1];
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

/**
 * Rethrows a permanent error as non-retryable (naming what to fix; a refused call names the
 * missing permission first, and carries it as `missingPermission` in the details); others unchanged.
 * A failed engine run is told short (EngineRunError), its output's end in the details for the UI.
 */
export function classify(err: unknown, doing: string): never {
  if (err instanceof ApplicationFailure) throw err;
  const engine = err instanceof EngineRunError ? err : undefined;
  const name = awsCodeIn(err) ?? (err as { name?: string })?.name ?? 'Error';
  const message = err instanceof Error ? err.message : String(err);
  const engineDetails = engine ? [{ engineLog: engine.logFile, engineOutput: engine.outputTail }] : [];
  const denied = permissionCodes.has(name) ? deniedAction(fullText(err)) : undefined;
  if (denied) {
    throw ApplicationFailure.create({
      message:
        `${doing}: missing permission ${denied.action}: ${name}: ${message} (the worker’s AWS identity may not ` +
        `call ${denied.action}; add it to the identity’s policy, see deploy/iam, and run again)`,
      type: name,
      nonRetryable: true,
      details: [
        { missingPermission: denied.action, ...(denied.resource ? { resource: denied.resource } : {}) },
        ...engineDetails,
      ],
    });
  }
  const final = isPermanent(err);
  if (final || engine) {
    const hint = final && hints[name] ? ` (${hints[name]})` : '';
    throw ApplicationFailure.create({
      message: `${doing}: ${final ? `${name}: ` : ''}${message}${hint}`,
      type: name,
      nonRetryable: final,
      details: engineDetails,
    });
  }
  throw err;
}
