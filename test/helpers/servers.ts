/**
 * Real servers for tests, each on a free loopback port, started by the test file
 * that needs them and stopped when it ends, so a developer's running stack never
 * collides with a test run.
 */
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DetachUserPolicyCommand,
  IAMClient,
  ListAttachedUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort, startServerProcess, stopProcess, waitForHttp } from '../../src/dev/processes';
import { motoCommand, motoEnvironment } from '../../src/dev/stack';
import { toolPath } from '../../src/infra/toolchain';
import { searchAttributes } from '../../src/workflows/search-attributes';

/**
 * Temporal's Java test server: timers skip ahead whenever the workflows are idle. The SDK
 * gives it 5 s to answer; a JVM on a loaded machine can take longer, so a start that timed
 * out is tried again.
 */
export async function startTimeSkipping(attempts = 4): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startTimeSkippingOnce();
    } catch (err) {
      if (attempt >= attempts || !/did not start/.test(String(err))) throw err;
    }
  }
}

async function startTimeSkippingOnce(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: toolPath('temporalTestServer') } },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      searchAttributes.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]),
    ),
  });
  return env;
}

/** The Temporal CLI dev server (a real server, in memory), with lp-infra's search attributes. */
export function startDevServer(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: toolPath('temporal') },
      ip: '127.0.0.1',
      searchAttributes,
    },
  });
}

export interface Moto {
  endpoint: string;
  /** Forgets every resource, between tests. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** moto's server mode: every AWS API lp-infra calls, emulated on loopback. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const server = startServerProcess(...motoCommand(['-H', '127.0.0.1', '-p', String(port)]), {
    env: { ...process.env, ...motoEnvironment },
  });
  await waitForHttp(`${endpoint}/moto-api/`, server, 'moto');
  return {
    endpoint,
    reset: async () => {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    stop: () => stopProcess(server.child),
  };
}

/**
 * Turns moto's IAM checks on or off for every later request (moto-api/reset-auth). Off is
 * moto's default; on, a request must be signed with an IAM user's access key and that
 * user's policies must allow its action.
 */
export async function motoIamChecks(endpoint: string, on: boolean): Promise<void> {
  const answer = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', body: on ? '0' : 'inf' });
  if (!answer.ok) throw new Error(`moto reset-auth: ${answer.status} ${await answer.text()}`);
}

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * An IAM user in moto holding exactly these policy documents (as customer-managed policies,
 * named `<user>-<n>`), with an access key. Call it with the IAM checks off; moto validates
 * each document as AWS does when it is created.
 */
export async function motoIamUser(endpoint: string, user: string, documents: object[]): Promise<AccessKey> {
  const iam = new IAMClient({ region: 'us-east-1', endpoint, credentials: motoCredentials });
  await iam.send(new CreateUserCommand({ UserName: user }));
  await motoUserPolicies(endpoint, user, documents);
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: user }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

/** Replaces the customer-managed policies of a moto IAM user with these documents (IAM checks off). */
export async function motoUserPolicies(endpoint: string, user: string, documents: object[]): Promise<void> {
  const iam = new IAMClient({ region: 'us-east-1', endpoint, credentials: motoCredentials });
  const { AttachedPolicies = [] } = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: user }));
  for (const { PolicyArn } of AttachedPolicies) {
    await iam.send(new DetachUserPolicyCommand({ UserName: user, PolicyArn }));
    await iam.send(new DeletePolicyCommand({ PolicyArn }));
  }
  for (const [i, document] of documents.entries()) {
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: `${user}-${i + 1}`, PolicyDocument: JSON.stringify(document) }),
    );
    await iam.send(new AttachUserPolicyCommand({ UserName: user, PolicyArn: Policy!.Arn! }));
  }
}

/** Any key does while moto's IAM checks are off. */
const motoCredentials = { accessKeyId: 'lp-infra-local', secretAccessKey: 'lp-infra-local' };
