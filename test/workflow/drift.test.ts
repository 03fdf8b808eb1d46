/**
 * The driftCheck workflow on the time-skipping server with mocked activities: every component
 * checked at once, the report as query result and search attribute, and the remediation modes,
 * including an approval that expires.
 */
import path from 'node:path';
import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { ComponentRequest } from '../../src/infra/components/contract';
import { componentCheck, type DriftFinding, type Remediation } from '../../src/drift/report';
import { projectRoot } from '../../src/infra/toolchain';
import { loadSpecFile, type EnvironmentSpec } from '../../src/model';
import { decideApproval } from '../../src/workflows/approval';
import { driftCheck, driftReportQuery } from '../../src/workflows';
import { workflowIds } from '../../src/workflows/ids';
import { LpDrifted } from '../../src/workflows/search-attributes';
import { recordHistories } from '../helpers/histories';
import { startTimeSkipping } from '../helpers/servers';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let counter = 0;
const local = loadSpecFile(path.join(projectRoot, 'environments', 'local.yaml'));
const checked = ['network', 'node-groups', 'storage', 'mesh', 'app'];

beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows') });
  env = await startTimeSkipping();
}, 180_000);
afterAll(() => env?.teardown());

const versioning: DriftFinding = {
  component: 'storage',
  resource: 'aws:s3-bucket assets',
  property: 'versioning',
  desired: true,
  actual: false,
};

/** A cloud where `drifted` components have drift until they are re-applied. */
function cloud(drifted: Record<string, DriftFinding[]>) {
  const calls: { activity: string; id: string; at: number; inputs?: object }[] = [];
  // A remediation apply must read the resources back first ('apply' below), else it undoes nothing.
  const repaired = new Set<string>();
  const activities = {
    async readComponentOutputs() {
      calls.push({ activity: 'outputs', id: '', at: Date.now() });
      return { network: { vpcId: 'vpc-1' }, cluster: { clusterName: 'lp' } };
    },
    async checkComponentDrift(request: ComponentRequest) {
      calls.push({ activity: 'check', id: request.node.id, at: Date.now(), inputs: request.inputs });
      await new Promise((r) => setTimeout(r, 200));
      calls.push({ activity: 'checked', id: request.node.id, at: Date.now() });
      const findings = repaired.has(request.node.id) ? [] : (drifted[request.node.id] ?? []);
      return componentCheck(request.node.id, findings, { seconds: 0.2 });
    },
    async applyComponent(request: ComponentRequest) {
      calls.push({
        activity: request.refresh ? 'apply' : 'apply without refresh',
        id: request.node.id,
        at: Date.now(),
      });
      repaired.add(request.node.id);
      return { outputs: {}, changes: { create: 0, update: 1, replace: 0, delete: 0, same: 3 } };
    },
  };
  const ids = (activity: string) => calls.filter((c) => c.activity === activity).map((c) => c.id);
  return { activities, calls, ids };
}

async function run<T>(activities: object, work: (client: Client, taskQueue: string) => Promise<T>) {
  const taskQueue = `drift-test-${++counter}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities,
  });
  return worker.runUntil(work(new Client({ connection: env.connection }), taskQueue));
}

function start(client: Client, taskQueue: string, remediation?: Remediation, spec: EnvironmentSpec = local) {
  return client.workflow.start(driftCheck, {
    taskQueue,
    workflowId: workflowIds.driftCheck(spec.name, ++counter),
    args: [{ spec, remediation, components: checked }],
  });
}

test('report-only: every component is checked at once, the report is the result and the query answer', async () => {
  const fake = cloud({ storage: [versioning] });
  const { report, queried, drifted } = await run(fake.activities, async (client, taskQueue) => {
    const handle = await start(client, taskQueue, 'report-only');
    const report = await handle.result();
    const description = await handle.describe();
    return {
      report,
      queried: await handle.query(driftReportQuery),
      drifted: description.typedSearchAttributes.get(LpDrifted),
    };
  });
  expect(report.components.map((c) => c.component)).toEqual(checked);
  expect(report.drifted).toEqual(['storage']);
  expect(report.components.find((c) => c.component === 'storage')?.findings).toEqual([versioning]);
  expect(report.remediation.status).toBe('not-requested');
  expect(queried).toEqual(report);
  expect(drifted).toBe(true);
  expect(fake.ids('apply')).toEqual([]);
  // All checks started before the first one finished.
  const firstDone = Math.min(...fake.calls.filter((c) => c.activity === 'checked').map((c) => c.at));
  for (const call of fake.calls.filter((c) => c.activity === 'check'))
    expect(call.at).toBeLessThan(firstDone);
  // Each check gets its dependencies' recorded outputs.
  expect(fake.calls.find((c) => c.activity === 'check' && c.id === 'node-groups')?.inputs).toEqual({
    cluster: { clusterName: 'lp' },
  });
});

test('a clean environment: no drift, nothing re-applied, LpDrifted false', async () => {
  const fake = cloud({});
  const { report, drifted } = await run(fake.activities, async (client, taskQueue) => {
    const handle = await start(client, taskQueue, 'auto');
    const report = await handle.result();
    return { report, drifted: (await handle.describe()).typedSearchAttributes.get(LpDrifted) };
  });
  expect(report.drifted).toEqual([]);
  expect(report.remediation.status).toBe('not-needed');
  expect(drifted).toBe(false);
  expect(fake.ids('apply')).toEqual([]);
});

test('auto: only the drifted components are re-applied, then checked again', async () => {
  const timeout = { ...versioning, component: 'mesh', property: 'spec.http[0].timeout' };
  const fake = cloud({ storage: [versioning], mesh: [timeout] });
  const report = await run(fake.activities, async (client, taskQueue) => {
    const handle = await start(client, taskQueue, 'auto');
    const result = await handle.result();
    await recordHistories(client, 'driftCheck', 'auto: two drifted, re-applied', [handle.workflowId]);
    return result;
  });
  expect(fake.ids('apply').sort()).toEqual(['mesh', 'storage']);
  expect(report.remediation).toMatchObject({ mode: 'auto', status: 'reapplied' });
  expect(report.remediation.reapplied.sort()).toEqual(['mesh', 'storage']);
  expect(report.remediation.after.map((c) => [c.component, c.status])).toEqual([
    ['storage', 'clean'],
    ['mesh', 'clean'],
  ]);
  expect(report.drifted).toEqual(['storage', 'mesh']); // what was found stays in the report
});

test('the spec decides the mode when the input does not', async () => {
  expect(local.drift.remediation).toBe('auto');
  const fake = cloud({ storage: [versioning] });
  const report = await run(fake.activities, async (client, taskQueue) =>
    (await start(client, taskQueue)).result(),
  );
  expect(report.remediation.mode).toBe('auto');
  expect(fake.ids('apply')).toEqual(['storage']);
});

describe('approve-first', () => {
  async function awaitingApproval(handle: Awaited<ReturnType<typeof start>>) {
    for (;;) {
      const report = await handle.query(driftReportQuery).catch(() => undefined);
      if (report?.remediation.status === 'awaiting-approval') return report;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  test('approved: the drifted component is re-applied after the decision', async () => {
    const fake = cloud({ storage: [versioning] });
    const report = await run(fake.activities, async (client, taskQueue) => {
      const handle = await start(client, taskQueue, 'approve-first');
      const waiting = await awaitingApproval(handle);
      expect(waiting.drifted).toEqual(['storage']);
      expect(fake.ids('apply')).toEqual([]);
      const message = await handle.executeUpdate(decideApproval, { args: [{ approved: true, by: 'ana' }] });
      expect(message).toBe('approved: re-apply storage of local');
      await expect(
        handle.executeUpdate(decideApproval, { args: [{ approved: false, by: 'bo' }] }),
      ).rejects.toThrow(WorkflowUpdateFailedError);
      const result = await handle.result();
      await recordHistories(client, 'driftCheck', 'approve-first: approved', [handle.workflowId]);
      return result;
    });
    expect(fake.ids('apply')).toEqual(['storage']);
    expect(report.remediation).toMatchObject({
      status: 'reapplied',
      approval: { approved: true, by: 'ana', timedOut: false },
    });
  });

  test('rejected: nothing is re-applied and the report says who rejected it', async () => {
    const fake = cloud({ storage: [versioning] });
    const report = await run(fake.activities, async (client, taskQueue) => {
      const handle = await start(client, taskQueue, 'approve-first');
      await awaitingApproval(handle);
      await handle.executeUpdate(decideApproval, {
        args: [{ approved: false, by: 'ana', reason: 'change freeze' }],
      });
      return handle.result();
    });
    expect(fake.ids('apply')).toEqual([]);
    expect(report.remediation).toMatchObject({
      status: 'not-approved',
      approval: { approved: false, by: 'ana', reason: 'change freeze', timedOut: false },
    });
  });

  test('expired: no decision within drift.approvalTimeout is recorded as not approved', async () => {
    const spec = { ...local, drift: { ...local.drift, approvalTimeout: '2h' } };
    const fake = cloud({ storage: [versioning] });
    const report = await run(fake.activities, async (client, taskQueue) => {
      const handle = await start(client, taskQueue, 'approve-first', spec);
      await awaitingApproval(handle);
      await env.sleep('3 hours');
      return handle.result();
    });
    expect(fake.ids('apply')).toEqual([]);
    expect(report.remediation).toMatchObject({
      status: 'not-approved',
      approval: { approved: false, by: 'timeout', timedOut: true },
    });
  });
});
