/**
 * `lp-infra approve` as an approver uses it, in child processes against a real Temporal dev
 * server: a key pair from `lp-infra approver keygen`, a destroy that waits for approval (deletion
 * protection) in an environment that lists the approver, and the decision refused unsigned or
 * with an unlisted key, then accepted with the approver's key.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import { runningSince, workflowRunning } from '../../src/activities/runs';
import { ExitCode } from '../../src/cli/exit-codes';
import { dataConverter } from '../../src/codec/data-converter';
import { keyringFrom, newKeyFile } from '../../src/codec/keyring';
import { projectRoot } from '../../src/infra/toolchain';
import { loadSpecFile, validateSpec } from '../../src/model';
import { destroyEnvironment } from '../../src/workflows';
import { approvalRequestQuery } from '../../src/workflows/approval';
import { workflowIds } from '../../src/workflows/ids';
import { runCli } from '../helpers/cli';
import { startDevServer } from '../helpers/servers';

const codecKeys = newKeyFile('approve-cli-test');
const taskQueue = 'approve-cli-test';
const keyDir = mkdtempSync(path.join(tmpdir(), 'lp-infra-approver-keys-'));

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let temporal: NodeJS.ProcessEnv;

beforeAll(async () => {
  env = await startDevServer();
  temporal = {
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_NAMESPACE: 'default',
    LP_INFRA_CODEC_KEY: `approve-cli-test:${codecKeys.keys['approve-cli-test']}`,
    LP_INFRA_APPROVER_KEY: undefined,
  };
  worker = await Worker.create({
    connection: await NativeConnection.connect({ address: env.address }),
    taskQueue,
    workflowsPath: require.resolve('../../src/workflows'),
    activities: { runningSince, workflowRunning, async destroyComponent() {} },
    dataConverter: dataConverter(keyringFrom(codecKeys)),
  });
  running = worker.run();
}, 180_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

test('approve signs with the approver key: unsigned and unlisted keys are refused, alice’s key decides', async () => {
  const keygen = (name: string) =>
    runCli(['approver', 'keygen', '--name', name, '--out', path.join(keyDir, `${name}.key`), '--json']);
  const [alice, mallory] = await Promise.all([keygen('alice'), keygen('mallory')]);
  expect(alice.code).toBe(ExitCode.ok);
  const aliceKey = JSON.parse(alice.stdout);
  const malloryKey = JSON.parse(mallory.stdout);

  const local = loadSpecFile(path.join(projectRoot, 'environments', 'local.yaml'));
  const spec = validateSpec({
    ...local,
    name: 'approve-cli',
    database: { ...local.database, deletionProtection: true },
    provisioning: { ...local.provisioning, ...aliceKey.spec.provisioning },
  });
  const client = new Client({
    connection: env.connection,
    dataConverter: dataConverter(keyringFrom(codecKeys)),
  });
  const destroy = await client.workflow.start(destroyEnvironment, {
    taskQueue,
    workflowId: workflowIds.destroy(spec.name),
    args: [{ spec }],
  });

  while (!(await destroy.query(approvalRequestQuery).catch(() => undefined)))
    await new Promise((r) => setTimeout(r, 100));

  const unsigned = await runCli(['approve', spec.name], temporal);
  expect(unsigned.code).toBe(ExitCode.refused);
  expect(unsigned.stderr).toContain(
    `destroy/${spec.name} accepts only decisions signed by one of its approvers (alice): pass --key <file> or set LP_INFRA_APPROVER_KEY`,
  );

  const outsider = await runCli(['approve', spec.name, '--key', malloryKey.privateKeyFile], temporal);
  expect(outsider.code).toBe(ExitCode.refused);
  expect(outsider.stderr).toContain(`is not one of destroy/${spec.name}'s approvers (alice)`);

  const approved = await runCli(['approve', spec.name, '--reason', 'ticket 7', '--json'], {
    ...temporal,
    LP_INFRA_APPROVER_KEY: aliceKey.privateKeyFile,
  });
  expect(approved.stderr).toBe('');
  expect(approved.code).toBe(ExitCode.ok);
  expect(JSON.parse(approved.stdout)).toEqual({
    approved: true,
    decisions: [
      {
        workflowId: `destroy/${spec.name}`,
        by: 'alice',
        signed: true,
        message: `approved by alice (signature verified): destroy ${spec.name} (deletion protection is on)`,
      },
    ],
  });
  const report = await destroy.result();
  expect(report.removed.length).toBeGreaterThan(0);
});
