/**
 * End to end on a private local stack (test/helpers/stack.ts: dev server with a SQLite file,
 * moto, kube-apiservers, a real worker process): the CLI refuses concurrent runs; the worker
 * is SIGKILLed at a seeded random moment of `up`, `destroy`, `failover` and `failback` and
 * started again; every run completes with no duplicate (count by tag in moto, by label in the
 * API servers) and destroy leaves nothing; no generated secret appears in any workflow
 * history, and every payload carries the codec's encoding. The crash trials run with
 * LP_INFRA_LONG=1 (20 each) or LP_INFRA_CRASH=1 (LP_INFRA_TRIALS sets the count).
 */
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { alive, runningPidFrom } from '../../src/dev/processes';
import type { SagaResult } from '../../src/disaster-recovery/saga';
import { projectRoot } from '../../src/infra/toolchain';
import { loadSpecFile } from '../../src/model';
import { workflowIds } from '../../src/workflows/ids';
import { startLocalStack, type LocalStack } from '../helpers/stack';
import {
  census,
  duplicates,
  labelledObjects,
  notEmulatedLeftovers,
  ownedResources,
  resetMoto,
  secretValues,
  type Owned,
} from './cloud-inventory';
import { secretsIn } from './secrets';
import { long, seeded, trials } from './trials';

const specPath = path.join(projectRoot, 'environments', 'local.yaml');
const spec = loadSpecFile(specPath);
const regions = [spec.regions.primary.region, spec.regions.secondary?.region].filter(Boolean) as string[];
const { runs, seed } = trials('worker crashes (up, destroy, failover, failback)', { fast: 1, long: 20 });
const random = seeded(seed);

let stack: LocalStack;
const log: string[] = [];
const note = (line: string) => {
  log.push(line);
  process.stderr.write(`[reliability] ${line}\n`);
};

beforeAll(async () => {
  stack = await startLocalStack();
}, 600_000);
afterAll(async () => {
  await stack?.stop();
});

const owned = (): Promise<Owned[]> => ownedResources(stack.info.awsEndpoint, regions, spec.name);

const ownedInClusters = () => labelledObjects(stack.kube, spec, regions);

async function running(workflowId: string): Promise<boolean> {
  const d = await stack.client.workflow.getHandle(workflowId).describe();
  return d.status.name === 'RUNNING';
}

/** Waits a seeded random time, SIGKILLs the worker, restarts it; says whether the run was still going. */
async function crashDuring(workflowId: string, maxDelayMs: number, minDelayMs = 1000): Promise<boolean> {
  const delay = Math.floor(minDelayMs + random() * maxDelayMs);
  await new Promise((r) => setTimeout(r, delay));
  const mid = await running(workflowId);
  await stack.killWorker();
  note(`${workflowId}: worker SIGKILLed after ${delay} ms (${mid ? 'mid-run' : 'after the run ended'})`);
  await new Promise((r) => setTimeout(r, 2000));
  await stack.restartWorker();
  return mid;
}

/**
 * Stops the Temporal dev server (SIGTERM) a seeded 5-35 s into the run and starts it again on
 * the same SQLite file (`dev up` starts what is missing).
 */
async function restartServerDuring(workflowId: string) {
  const delay = Math.floor(5000 + random() * 30_000);
  await new Promise((r) => setTimeout(r, delay));
  const mid = await running(workflowId);
  const pid = runningPidFrom(path.join(stack.stateDir, 'dev', 'temporal.pid'));
  expect(pid).toBeDefined();
  process.kill(pid!, 'SIGTERM');
  while (alive(pid!)) await new Promise((r) => setTimeout(r, 100));
  note(
    `Temporal dev server stopped ${delay} ms into ${workflowId} (${mid ? 'mid-run' : 'after the run ended'})`,
  );
  await new Promise((r) => setTimeout(r, 3000));
  await stack.restartWorker();
}

/** Every history of the stack's namespace, as raw protobuf bytes. */
async function allHistories(): Promise<
  { id: string; bytes: Buffer; history: temporal.api.history.v1.IHistory }[]
> {
  const out = [];
  for await (const w of stack.client.workflow.list()) {
    const history = await stack.client.workflow.getHandle(w.workflowId, w.runId).fetchHistory();
    out.push({
      id: w.workflowId,
      history,
      bytes: Buffer.from(temporal.api.history.v1.History.encode(history).finish()),
    });
  }
  return out;
}

/** The server restart adds minutes of activity timeouts to the run: with the long suites only. */
const restartServer = long || process.env.LP_INFRA_RESTART === '1';

test('two `up` of one environment: the second is refused naming the first; `destroy` during `up` is refused; the run completes (the dev server restarted mid-run, in the long setting)', async () => {
  const first = await stack.cli(['up', specPath, '--detach']);
  expect(first.code).toBe(0);
  const second = await stack.cli(['up', specPath, '--detach']);
  expect(second.code).toBe(3);
  expect(second.stderr).toContain(`already running (workflow provision/${spec.name})`);
  const destroy = await stack.cli(['destroy', specPath, '--detach']);
  expect(destroy.code).toBe(3);
  expect(destroy.stderr).toContain(`provision/${spec.name} is running`);
  if (restartServer) await restartServerDuring(workflowIds.provision(spec.name));
  await stack.client.workflow.getHandle(workflowIds.provision(spec.name)).result();
}, 1_800_000);

let baseline: Record<string, number> | undefined;
let clusterBaseline: string[] = [];

test('the census after the first up: no duplicate, the baseline for later runs', async () => {
  const now = await owned();
  expect(duplicates(now)).toEqual([]);
  baseline = census(now);
  expect(Object.keys(baseline).length).toBeGreaterThan(5);
  clusterBaseline = await ownedInClusters();
  expect(clusterBaseline.length).toBeGreaterThan(5);
  note(
    `baseline after a clean up: ${now.length} tagged resources, ${clusterBaseline.length} labelled objects in the clusters`,
  );
});

test('no generated secret is in any workflow history (plain or base64); every payload is encrypted', async () => {
  const secrets = await secretValues(stack.info.awsEndpoint, regions);
  note(`${secrets.length} secret value(s) in Secrets Manager`);
  expect(secrets.length).toBeGreaterThan(0);
  const histories = await allHistories();
  note(`${histories.length} workflow histories scanned`);
  expect(histories.length).toBeGreaterThan(20);
  expect(
    secretsIn(
      histories.map((h) => h.bytes.toString('latin1')),
      secrets,
    ),
  ).toEqual([]);

  const unencrypted: string[] = [];
  let payloads = 0;
  const visit = (value: unknown, where: string) => {
    if (value === null || typeof value !== 'object') return;
    if ('metadata' in value && 'data' in value && (value as { metadata?: unknown }).metadata) {
      payloads++;
      const encoding = (value as { metadata: Record<string, Uint8Array> }).metadata.encoding;
      const name = encoding ? Buffer.from(encoding).toString() : '(none)';
      if (name !== 'binary/encrypted') unencrypted.push(`${where}: ${name}`);
      return;
    }
    for (const [k, v] of Object.entries(value)) {
      // Search attributes are plain by design: the server indexes them (environment, action).
      if (k !== 'searchAttributes') visit(v, `${where}.${k}`);
    }
  };
  for (const h of histories)
    for (const event of h.history.events ?? []) {
      // The SDK writes a patched() marker itself, in plain JSON: the patch id, a constant of the
      // workflow code. Checked to hold only that, then left out.
      const marker = event.markerRecordedEventAttributes;
      if (marker?.markerName === 'core_patch') {
        for (const payload of marker.details?.['patch-data']?.payloads ?? [])
          expect(Object.keys(JSON.parse(Buffer.from(payload.data ?? []).toString())).sort()).toEqual([
            'deprecated',
            'id',
          ]);
        continue;
      }
      visit(event, `${h.id}#${event.eventId}`);
    }
  note(`${payloads} payloads checked`);
  expect(payloads).toBeGreaterThan(50);
  expect(unencrypted).toEqual([]);
});

/** Minutes per trial on a whole environment: with the long setting or LP_INFRA_CRASH=1 only. */
const crashTrials = long || process.env.LP_INFRA_CRASH === '1' ? test : test.skip;

crashTrials(
  `worker SIGKILLed at random moments of up and destroy (${runs} trial(s), seed ${seed}): no duplicates, no leaks`,
  async () => {
    let midRun = 0;
    for (let trial = 1; trial <= runs; trial++) {
      // destroy, crashed
      const destroy = await stack.cli(['destroy', specPath, '--detach']);
      expect(destroy.code).toBe(0);
      if (await crashDuring(workflowIds.destroy(spec.name), 30_000)) midRun++;
      const report = await stack.client.workflow.getHandle(workflowIds.destroy(spec.name)).result();
      expect(report.failed).toEqual([]);
      expect(notEmulatedLeftovers(await owned())).toEqual([]);
      expect(await ownedInClusters()).toEqual([]);
      await resetMoto(stack.info.awsEndpoint);

      // up, crashed
      const up = await stack.cli(['up', specPath, '--detach']);
      expect(up.code).toBe(0);
      if (await crashDuring(workflowIds.provision(spec.name), 60_000)) midRun++;
      await stack.client.workflow.getHandle(workflowIds.provision(spec.name)).result();
      const now = await owned();
      expect(duplicates(now)).toEqual([]);
      expect(census(now)).toEqual(baseline);
      expect(await ownedInClusters()).toEqual(clusterBaseline);
      note(
        `trial ${trial}/${runs}: up and destroy completed, ${now.length} tagged resources, no duplicate, nothing left after destroy`,
      );
    }
    note(`${midRun} of ${runs * 2} kills landed mid-run`);
    if (runs >= 5) expect(midRun).toBeGreaterThan(0); // with fewer kills, all may land late by chance
  },
  14_400_000,
);

crashTrials(
  `worker SIGKILLed at random moments of failover and failback (${runs} trial(s), seed ${seed}): every step done, nothing duplicated`,
  async () => {
    let midRun = 0;
    for (let trial = 1; trial <= runs; trial++) {
      for (const move of ['failover', 'failback'] as const) {
        const started = await stack.cli([move, specPath, '--detach']);
        expect(started.code).toBe(0);
        // A local failover takes about 4 s: kill within 0.3-3.3 s of its start.
        if (await crashDuring(`${move}/${spec.name}`, 3_000, 300)) midRun++;
        const result: SagaResult = await stack.client.workflow.getHandle(`${move}/${spec.name}`).result();
        expect([result.status, result.steps.filter((step) => step.status !== 'done')]).toEqual([
          'succeeded',
          [],
        ]);
      }
      const now = await owned();
      expect(duplicates(now)).toEqual([]);
      expect(census(now)).toEqual(baseline);
      expect(await ownedInClusters()).toEqual(clusterBaseline);
      note(`trial ${trial}/${runs}: failover and failback completed, every step done, no duplicate`);
    }
    note(`${midRun} of ${runs * 2} failover/failback kills landed mid-run`);
    if (runs >= 5) expect(midRun).toBeGreaterThan(0);
  },
  7_200_000,
);
