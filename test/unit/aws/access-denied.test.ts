/**
 * A call AWS refuses for want of a permission fails the step at once, and the failure names
 * the permission, whichever way the service words its refusal.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { classify, deniedAction } from '../../../src/activities/errors';

const user = 'arn:aws:iam::123456789012:user/lp-infra-worker';

/** An SDK error as the client throws it. */
function awsError(name: string, message: string, status = 403): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

function classified(err: unknown): ApplicationFailure {
  try {
    classify(err, 'apply prod/network');
  } catch (thrown) {
    if (thrown instanceof ApplicationFailure) return thrown;
    throw thrown;
  }
  throw new Error('classify returned');
}

describe('a refused call', () => {
  const refusals = [
    {
      service: 'KMS (JSON protocol)',
      err: awsError(
        'AccessDeniedException',
        `User: ${user} is not authorized to perform: kms:CreateAlias on resource: arn:aws:kms:us-east-1:123456789012:alias/prod because no identity-based policy allows the kms:CreateAlias action`,
        400,
      ),
      action: 'kms:CreateAlias',
      resource: 'arn:aws:kms:us-east-1:123456789012:alias/prod',
    },
    {
      service: 'EC2, with the encoded authorization message',
      err: awsError(
        'UnauthorizedOperation',
        `You are not authorized to perform this operation. User: ${user} is not authorized to perform: ec2:CreateNatGateway on resource: arn:aws:ec2:us-east-1:123456789012:natgateway/* because no identity-based policy allows the ec2:CreateNatGateway action. Encoded authorization failure message: 4x9Rb`,
      ),
      action: 'ec2:CreateNatGateway',
      resource: 'arn:aws:ec2:us-east-1:123456789012:natgateway/*',
    },
    {
      service: 'S3, resource in quotes, explicit deny',
      err: awsError(
        'AccessDenied',
        `User: ${user} is not authorized to perform: s3:PutBucketVersioning on resource: "arn:aws:s3:::lp-system-assets-0a1b2c3d" with an explicit deny in an identity-based policy`,
      ),
      action: 's3:PutBucketVersioning',
      resource: 'arn:aws:s3:::lp-system-assets-0a1b2c3d',
    },
    {
      service: 'inside a Pulumi engine failure (the provider puts the code first)',
      err: new Error(
        `update failed: [aws:AccessDenied] User: ${user} is not authorized to perform: eks:CreateCluster\n    at handler`,
      ),
      action: 'eks:CreateCluster',
      resource: undefined,
    },
  ];

  test.each(refusals)('$service: fails at once, naming $action', ({ err, action, resource }) => {
    const failure = classified(err);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(new RegExp(`^apply prod/network: missing permission ${action}: `));
    expect(failure.message).toContain(`may not call ${action}`);
    expect(failure.details).toEqual([
      resource ? { missingPermission: action, resource } : { missingPermission: action },
    ]);
  });

  test('a refusal that names no action (moto for S3) still fails at once, with the general hint', () => {
    const failure = classified(awsError('AccessDenied', 'Access Denied'));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe(
      'apply prod/network: AccessDenied: Access Denied (the worker’s AWS identity lacks a permission; grant it and run again)',
    );
  });

  test('other errors are not read as refusals', () => {
    expect(deniedAction('Rate exceeded')).toBeUndefined();
    const throttled = awsError('ThrottlingException', 'Rate exceeded', 400);
    expect(() => classify(throttled, 'apply prod/network')).toThrow(throttled);
    const invalid = awsError(
      'InvalidParameterValue',
      'User: x is not authorized to perform: ec2:CreateVpc',
      400,
    );
    expect(classified(invalid).message).not.toContain('missing permission');
    const reset = Object.assign(new Error('socket hang up'), { name: 'Error' });
    expect(() => classify(reset, 'apply prod/network')).toThrow(reset);
  });
});
