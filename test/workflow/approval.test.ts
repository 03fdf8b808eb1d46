/**
 * Who approved, on the time-skipping server: with provisioning.approvers in the spec, a run
 * accepts only a decision signed by a listed approver for this run and the step it waits for,
 * once; the accepted Update and the run's record name the approver. Without approvers, an
 * unsigned decision is accepted as before and recorded unverified.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { claimType, parseClaim, type ApprovalClaim } from '../../src/approvals/claim';
import type { ComponentRequest } from '../../src/infra/components/contract';
import {
  decisionFor,
  generateApproverKey,
  loadApproverKey,
  sendDecision,
  signClaim,
  type GeneratedKey,
} from '../../src/cli/approver';
import type { ProbeResult } from '../../src/disaster-recovery/health';
import { componentCheck } from '../../src/drift/report';
import { projectRoot } from '../../src/infra/toolchain';
import { loadSpecFile, validateSpec, type EnvironmentSpec } from '../../src/model';
import { driftCheck, healthMonitor } from '../../src/workflows';
import {
  approvalRequestQuery,
  decideApproval,
  type ApprovalDecision,
  type ApprovalOutcome,
} from '../../src/workflows/approval';
import { healthStateQuery } from '../../src/workflows/health-monitor';
import { workflowIds } from '../../src/workflows/ids';
import { startTimeSkipping } from '../helpers/servers';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let counter = 0;
const local = loadSpecFile(path.join(projectRoot, 'environments', 'local.yaml'));

/** Key pairs made for this run: alice and bob are listed in the spec, mallory is not. */
const keyDir = mkdtempSync(path.join(tmpdir(), 'lp-infra-approvers-'));
const key = (name: string): GeneratedKey => generateApproverKey(name, path.join(keyDir, `${name}.key`));
const alice = key('alice');
const bob = key('bob');
const mallory = key('mallory');

beforeAll(async () => {
  [env, bundle] = await Promise.all([
    startTimeSkipping(),
    bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows') }),
  ]);
}, 180_000);
afterAll(() => env?.teardown());

/** local.yaml with alice and bob as its approvers, validated as a spec file would be. */
function guarded(overrides: Partial<EnvironmentSpec> = {}): EnvironmentSpec {
  const approvers = [alice, bob].map(({ name, publicKey }) => ({ name, publicKey }));
  return validateSpec({
    ...local,
    ...overrides,
    name: `${local.name}-${++counter}`,
    provisioning: { ...local.provisioning, approvers },
  });
}

async function withWorker<T>(activities: object, work: (client: Client, taskQueue: string) => Promise<T>) {
  const taskQueue = `approval-test-${++counter}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities,
  });
  return worker.runUntil(work(env.client, taskQueue));
}

/** A cloud where storage has drifted until it is re-applied. */
function driftedStorage() {
  const applied: string[] = [];
  const activities = {
    async readComponentOutputs() {
      return {};
    },
    async checkComponentDrift(request: ComponentRequest) {
      const drifted = request.node.id === 'storage' && !applied.includes('storage');
      const findings = drifted
        ? [
            {
              component: 'storage',
              resource: 'aws:s3-bucket assets',
              property: 'versioning',
              desired: true,
              actual: false,
            },
          ]
        : [];
      return componentCheck(request.node.id, findings, { seconds: 0 });
    },
    async applyComponent(request: ComponentRequest) {
      applied.push(request.node.id);
      return { outputs: {}, changes: { create: 0, update: 1, replace: 0, delete: 0, same: 0 } };
    },
  };
  return { activities, applied };
}

function startDrift(client: Client, taskQueue: string, spec: EnvironmentSpec) {
  return client.workflow.start(driftCheck, {
    taskQueue,
    workflowId: workflowIds.driftCheck(spec.name, ++counter),
    args: [{ spec, remediation: 'approve-first', components: ['storage'] }],
  });
}

async function waitingFor(handle: WorkflowHandle) {
  for (;;) {
    const request = await handle.query(approvalRequestQuery).catch(() => undefined);
    if (request) return request;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The validator's message for a decision it refuses; 'accepted' if it does not. */
const refusal = (handle: WorkflowHandle, decision: ApprovalDecision) =>
  handle.executeUpdate(decideApproval, { args: [decision] }).then(
    () => 'accepted',
    (err: { cause?: Error }) => err.cause?.message ?? String(err),
  );

/** A decision as the CLI would send it, but for any claim and signed with any key. */
function forged(claim: ApprovalClaim, signer: GeneratedKey): ApprovalDecision {
  return {
    approved: claim.decision === 'approved',
    by: claim.approver,
    reason: claim.reason,
    signed: signClaim(claim, loadApproverKey(signer.privateKeyFile).privateKey),
  };
}

test('drift re-apply: only alice or bob, signing for this run and this step, decides; the run records who', async () => {
  const spec = guarded();
  const cloud = driftedStorage();
  const { sent, report, history, request, refusals } = await withWorker(
    cloud.activities,
    async (client, taskQueue) => {
      const handle = await startDrift(client, taskQueue, spec);
      const request = await waitingFor(handle);
      const claim = (overrides: Partial<ApprovalClaim> = {}): ApprovalClaim => ({
        type: claimType,
        workflowId: request.workflowId,
        runId: request.runId,
        what: request.what,
        decision: 'approved',
        approver: 'alice',
        issuedAt: new Date().toISOString(),
        nonce: `nonce-${++counter}`,
        ...overrides,
      });
      const refusals = {
        unsigned: await refusal(handle, { approved: true, by: 'alice' }),
        outsider: await refusal(handle, forged(claim({ approver: 'mallory' }), mallory)),
        wrongKey: await refusal(handle, forged(claim(), mallory)),
        otherWorkflow: await refusal(
          handle,
          forged(claim({ workflowId: workflowIds.driftCheck(spec.name, 0) }), alice),
        ),
        otherStep: await refusal(handle, forged(claim({ what: `re-apply network of ${spec.name}` }), alice)),
      };
      const sent = await sendDecision(handle, true, { key: alice.privateKeyFile, reason: 'reviewed' });
      const report = await handle.result();
      return { sent, report, history: await handle.fetchHistory(), request, refusals };
    },
  );

  expect(request.what).toBe(`re-apply storage of ${spec.name}`);
  expect(request.approvers?.map((a) => a.name)).toEqual(['alice', 'bob']);
  expect(refusals.unsigned).toMatch(/^unsigned decision refused: .*\(alice, bob\)/);
  expect(refusals.outsider).toBe(
    "'mallory' is not an approver of this environment (provisioning.approvers: alice, bob)",
  );
  expect(refusals.wrongKey).toMatch(/^the signature does not verify with alice's public key/);
  expect(refusals.otherWorkflow).toMatch(new RegExp(`^the claim is for drift/${spec.name}/now-0 `));
  expect(refusals.otherStep).toBe(
    `the claim decides 're-apply network of ${spec.name}', but this run waits for 're-apply storage of ${spec.name}'`,
  );

  expect(sent).toMatchObject({ by: 'alice', signed: true });
  expect(sent.message).toBe(`approved by alice (signature verified): re-apply storage of ${spec.name}`);
  expect(cloud.applied).toEqual(['storage']);
  expect(report.remediation).toMatchObject({
    status: 'reapplied',
    approval: { approved: true, by: 'alice', reason: 'reviewed', verified: true, timedOut: false },
  });
  const approval = report.remediation.approval as ApprovalOutcome;
  expect(Number.isNaN(Date.parse(approval.at ?? ''))).toBe(false);

  // History keeps the one accepted Update, whose input is alice's signed claim; refusals leave nothing.
  const accepted = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
  expect(accepted).toHaveLength(1);
  const input =
    accepted[0].workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.args!.payloads![0];
  const decision = defaultPayloadConverter.fromPayload<ApprovalDecision>(input);
  expect(parseClaim(decision.signed!.claim)).toMatchObject({
    workflowId: request.workflowId,
    runId: request.runId,
    what: request.what,
    decision: 'approved',
    approver: 'alice',
    reason: 'reviewed',
  });
});

test('failover approval: a signed rejection sent again at the next wait of the same run is a replay', async () => {
  const spec = guarded({ disasterRecovery: { ...local.disasterRecovery, failoverApproval: 'required' } });
  const { intervalSeconds, failureThreshold } = spec.disasterRecovery.healthCheck;
  const activities = {
    async probePrimary(): Promise<ProbeResult> {
      return { at: Date.now(), healthy: false, checks: [{ name: 'database', ok: false, detail: 'stopped' }] };
    },
  };
  const outcome = await withWorker(activities, async (client, taskQueue) => {
    const monitor = await client.workflow.start(healthMonitor, {
      taskQueue,
      workflowId: workflowIds.health(spec.name),
      args: [{ spec }],
    });
    const untilWaiting = async () => {
      await env.sleep(intervalSeconds * 1000 * (failureThreshold + 1));
      return waitingFor(monitor);
    };
    const first = await untilWaiting();
    const rejection = await decisionFor(monitor, false, { key: bob.privateKeyFile, reason: 'false alarm' });
    const rejected = await monitor.executeUpdate(decideApproval, { args: [rejection] });
    const note = (await monitor.query(healthStateQuery)).note;
    const second = await untilWaiting();
    const replayed = await refusal(monitor, rejection);
    await monitor.terminate('the test is done with it');
    return { first, second, rejected, note, replayed };
  });
  expect(outcome.rejected).toBe(`rejected by bob (signature verified): ${outcome.first.what}`);
  expect(outcome.note).toBe('failover not approved (bob: false alarm)');
  expect(outcome.second).toEqual(outcome.first);
  expect(outcome.replayed).toMatch(
    /^this claim was already used in this run \(nonce .*\): a replayed approval$/,
  );
});

test('without provisioning.approvers an unsigned decision is accepted as before, and recorded unverified', async () => {
  const spec = { ...local, name: `${local.name}-${++counter}` };
  const cloud = driftedStorage();
  const warnings = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const { sent, report, request } = await withWorker(cloud.activities, async (client, taskQueue) => {
    const handle = await startDrift(client, taskQueue, spec);
    const request = await waitingFor(handle);
    const sent = await sendDecision(handle, true, { by: 'ana' });
    return { sent, report: await handle.result(), request };
  });
  expect(request.approvers).toBeUndefined();
  expect(warnings).toHaveBeenCalledWith(
    expect.stringMatching(/lists no provisioning\.approvers: .* unverified/),
  );
  warnings.mockRestore();
  expect(sent).toMatchObject({
    by: 'ana',
    signed: false,
    message: `approved: re-apply storage of ${spec.name}`,
  });
  expect(report.remediation.approval).toMatchObject({ approved: true, by: 'ana', verified: false });
});
