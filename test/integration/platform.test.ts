/**
 * The local platform, proven with real servers: the Temporal CLI dev server, moto,
 * and lp-infra's own worker with its real activities.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { Client } from '@temporalio/client';
import { MockActivityEnvironment, TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { ensureVpc } from '../../src/activities';
import { dataConverter } from '../../src/codec/data-converter';
import { keyringFrom, newKeyFile } from '../../src/codec/keyring';
import { awsClient } from '../../src/infra/aws/clients';
import type { VpcState } from '../../src/infra/aws/vpc';
import { toolPath } from '../../src/infra/toolchain';
import { createWorker } from '../../src/worker';
import { platformCheck } from '../../src/workflows';
import { startDevServer, startMoto, type Moto } from '../helpers/servers';

const run = promisify(execFile);
const taskQueue = 'lp-infra-platform-test';
const converter = dataConverter(keyringFrom(newKeyFile('test')));

let env: TestWorkflowEnvironment;
let moto: Moto;
let client: Client;
let worker: Worker;
let workerDone: Promise<void>;

beforeAll(async () => {
  [env, moto] = await Promise.all([startDevServer(), startMoto()]);
  process.env.LP_INFRA_AWS_ENDPOINT = moto.endpoint;
  client = new Client({ connection: env.connection, dataConverter: converter });
  worker = await createWorker({ connection: env.nativeConnection, taskQueue, dataConverter: converter });
  workerDone = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await workerDone;
  await Promise.all([env?.teardown(), moto?.stop()]);
  delete process.env.LP_INFRA_AWS_ENDPOINT;
});

test('a workflow runs its activities on the real worker and is found by a custom search attribute', async () => {
  const environment = `proof-${Date.now()}`;
  const result = await client.workflow.execute(platformCheck, {
    taskQueue,
    workflowId: `check/${environment}`,
    args: [{ environment, regions: ['us-east-1', 'us-west-2'] }],
  });
  expect(result.map((r) => r.region)).toEqual(['us-east-1', 'us-west-2']);
  expect(result[0].account).toMatch(/^\d{12}$/);
  expect(result[0].availabilityZones).toEqual(expect.arrayContaining(['us-east-1a', 'us-east-1b']));
  expect(result[1].availabilityZones).toEqual(expect.arrayContaining(['us-west-2a']));
  expect(result[0].endpoint).toBe(moto.endpoint);

  const found = await eventually(async () => {
    const ids: string[] = [];
    for await (const wf of client.workflow.list({
      query: `LpEnvironment = '${environment}' AND LpAction = 'check'`,
    })) {
      ids.push(wf.workflowId);
    }
    return ids.length ? ids : undefined;
  });
  expect(found).toEqual([`check/${environment}`]);
});

test('`temporal workflow start` with the real CLI starts a workflow the worker completes', async () => {
  const workflowId = `check/cli-${Date.now()}`;
  await run(toolPath('temporal'), [
    'workflow',
    'start',
    '--address',
    env.address,
    '--type',
    'platformCheck',
    '--task-queue',
    taskQueue,
    '--workflow-id',
    workflowId,
    '--input',
    JSON.stringify({ environment: 'cli', regions: ['us-east-1'] }),
  ]);
  const result = await client.workflow.getHandle(workflowId).result();
  expect(result).toEqual([expect.objectContaining({ region: 'us-east-1', endpoint: moto.endpoint })]);
});

test('payloads stored by the server are encrypted', async () => {
  const workflowId = `check/encrypted-${Date.now()}`;
  await client.workflow.execute(platformCheck, {
    taskQueue,
    workflowId,
    args: [{ environment: 'secret-name-in-input', regions: ['us-east-1'] }],
  });
  const plainClient = new Client({ connection: env.connection });
  const history = await plainClient.workflow.getHandle(workflowId).fetchHistory();
  const raw = JSON.stringify(history);
  expect(raw).not.toContain('secret-name-in-input');
  expect(raw).toContain(Buffer.from('binary/encrypted').toString('base64'));
});

test('an activity creates a VPC in moto with the AWS SDK, and reads it back', async () => {
  const activity = new MockActivityEnvironment();
  const request = { environment: 'vpc-proof', region: 'us-east-1', name: 'lp-vpc', cidr: '10.0.0.0/16' };
  const created = (await activity.run(ensureVpc, request)) as VpcState;
  const again = (await activity.run(ensureVpc, request)) as VpcState;
  expect(again.vpcId).toBe(created.vpcId);

  const { Vpcs } = await awsClient(EC2Client, 'us-east-1').send(
    new DescribeVpcsCommand({ VpcIds: [created.vpcId] }),
  );
  expect(Vpcs).toHaveLength(1);
  expect(Vpcs?.[0]).toMatchObject({ CidrBlock: '10.0.0.0/16', State: 'available' });
  expect(Vpcs?.[0].Tags).toEqual(expect.arrayContaining([{ Key: 'Name', Value: 'lp-vpc' }]));
});

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
