/**
 * Figure 1: one environment against its own critical path. The real provisionEnvironment
 * workflow (and its provisionComponent children) on the dev server; activities take the
 * time the AWS latency profile says, divided by the scale factor.
 */
import path from 'node:path';
import type { Client } from '@temporalio/client';
import {
  componentGraph,
  criticalPath,
  loadSpecFile,
  type ComponentNode,
  type EnvironmentSpec,
} from '../../src/model';
import { projectRoot } from '../../src/infra/toolchain';
import { profiledActivities, type ReadySeen } from '../activities';
import { barChart, ganttChart, writeChart } from '../charts';
import { table, type BenchContext, type Figure, type FigureReport } from '../context';
import { awsProfile, stepSeconds } from '../profile';
import {
  breakdown,
  historyBytes,
  historyOf,
  load,
  mapLimit,
  round,
  runSpan,
  type RunBreakdown,
} from '../stats';
import { createBenchWorker } from '../worker';
import { workflowIds } from '../../src/workflows/ids';

export const specFile = 'environments/local.yaml';

export function benchSpec(name: string): EnvironmentSpec {
  const spec = loadSpecFile(path.join(projectRoot, specFile));
  return { ...spec, name };
}

export const scaleFor = (ctx: BenchContext) => (ctx.size === 'tiny' ? 2000 : 40);

/** Seconds a component takes under the profile, after scaling. */
export const scaledSeconds = (node: ComponentNode, scale: number) =>
  stepSeconds(awsProfile[node.kind]) / scale;

export interface ComponentTiming {
  id: string;
  /** Seconds since the parent run started. */
  start: number;
  end: number;
  /** Start minus the moment its last dependency finished (or the parent started). */
  startDelay: number;
  expected: number;
  overshoot: number;
  /** Round trips inside the component's child run. */
  inside: RunBreakdown;
}

/** Timings of every component of one provision run, from the child runs' histories. */
export async function componentTimings(
  client: Client,
  environment: string,
  nodes: ComponentNode[],
  scale: number,
  seen: ReadySeen[],
): Promise<{ parent: { start: number; end: number }; components: ComponentTiming[] }> {
  const parent = runSpan(await historyOf(client, workflowIds.provision(environment)));
  const histories = new Map(
    await mapLimit(
      nodes,
      8,
      async (n) => [n.id, await historyOf(client, workflowIds.component(environment, n.id))] as const,
    ),
  );
  const spans = new Map([...histories].map(([id, events]) => [id, runSpan(events)]));
  const seconds = (ms: number) => round((ms - parent.start) / 1000, 3);
  const components = nodes.map((node) => {
    const span = spans.get(node.id)!;
    const depsDone = Math.max(parent.start, ...node.dependsOn.map((d) => spans.get(d)!.end));
    const ready = seen.find((s) => s.environment === environment && s.component === node.id);
    return {
      id: node.id,
      start: seconds(span.start),
      end: seconds(span.end),
      startDelay: round((span.start - depsDone) / 1000, 3),
      expected: round(scaledSeconds(node, scale), 3),
      overshoot: ready ? round((ready.seenAt - ready.readyAt) / 1000, 3) : 0,
      inside: breakdown(histories.get(node.id)!),
    };
  });
  return { parent: { start: 0, end: seconds(parent.end) }, components };
}

/** Back from the component that finished last, through each one's latest-finishing dependency. */
function measuredChain(nodes: ComponentNode[], byId: Map<string, ComponentTiming>): string[] {
  const node = new Map(nodes.map((n) => [n.id, n]));
  let id: string | undefined = [...byId.values()].reduce((a, b) => (b.end > a.end ? b : a)).id;
  const chain: string[] = [];
  while (id) {
    chain.unshift(id);
    const deps: string[] = node.get(id)!.dependsOn;
    id = deps.length ? deps.reduce((a, b) => (byId.get(b)!.end > byId.get(a)!.end ? b : a)) : undefined;
  }
  return chain;
}

/** What a plain script does: the same steps one after the other, no orchestrator. */
async function sequentialRun(spec: EnvironmentSpec, nodes: ComponentNode[], scale: number): Promise<number> {
  const steps = profiledActivities({ scale });
  const started = Date.now();
  for (const node of nodes) {
    const request = { spec, node, inputs: {} };
    await steps.planComponent(request);
    const { outputs, readiness } = await steps.applyComponent(request);
    if (readiness?.ready) continue;
    while (!(await steps.componentReady({ ...request, outputs })).ready)
      await new Promise((r) => setTimeout(r, 20));
  }
  return (Date.now() - started) / 1000;
}

export const criticalPathFigure: Figure = {
  id: 'critical-path',
  title: '1. Critical-path efficiency: one environment',
  async run(ctx: BenchContext): Promise<FigureReport> {
    const loadBefore = load();
    const scale = scaleFor(ctx);
    const environment = `bench-cp-${Date.now().toString(36)}`;
    const spec = benchSpec(environment);
    const nodes = componentGraph(spec);
    const limit = criticalPath(nodes, (n) => scaledSeconds(n, scale));
    const seen: ReadySeen[] = [];
    const taskQueue = 'bench-critical-path';
    const { worker, connection } = await createBenchWorker(
      {
        address: ctx.server.address,
        taskQueue,
        workload: 'lp-infra',
        bundlePath: ctx.bundles.lpInfra,
        keyFile: ctx.keyFile,
        scale,
      },
      (s) => seen.push(s),
    );
    ctx.log(`figure 1: provisioning ${nodes.length} components, critical path ${limit.seconds.toFixed(1)} s`);
    // The sequential script only sleeps, so it runs at the same time as the workflow (it takes
    // no CPU from it) and the figure costs the sequential script's time, not both.
    const sequentialDone = sequentialRun(spec, nodes, scale);
    const provision = async (name: string) => {
      const started = Date.now();
      await ctx.client.workflow.execute('provisionEnvironment', {
        taskQueue,
        workflowId: workflowIds.provision(name),
        args: [{ spec: name === environment ? spec : benchSpec(name) }],
      });
      return (Date.now() - started) / 1000;
    };
    // A worker runs for many environments: the figure is the second one this worker provisions.
    // The first, on a worker that has just started (its workflow sandbox, pollers and activity
    // code not yet warm), is shown beside it.
    const firstEnvironment = `${environment}-first`;
    let firstWall = 0;
    let wall = 0;
    try {
      await worker.runUntil(async () => {
        firstWall = await provision(firstEnvironment);
        wall = await provision(environment);
      });
    } finally {
      await connection.close();
    }
    const timings = await componentTimings(ctx.client, environment, nodes, scale, seen);
    const parent = await historyBytes(ctx.client, workflowIds.provision(environment));
    const history = {
      parentKb: parent.bytes / 1024,
      parentByEventType: parent.byEventType,
      childrenKb: await Promise.all(
        nodes.map(
          async (n) =>
            (await historyBytes(ctx.client, workflowIds.component(environment, n.id))).bytes / 1024,
        ),
      ),
    };
    const largest = Object.entries(parent.byEventType)
      .sort(([, a], [, b]) => b - a)
      .slice(0, 4)
      .map(([type, bytes]) => `${type.toLowerCase().replace(/_/g, ' ')} ${round(bytes / 1024, 1)} KB`);
    ctx.log(`figure 1: workflow ${wall.toFixed(1)} s; waiting for the sequential script`);
    const sequential = await sequentialDone;
    const sum = nodes.reduce((total, n) => total + scaledSeconds(n, scale), 0);
    const loadAfter = load();

    const byId = new Map(timings.components.map((c) => [c.id, c]));
    const chain = measuredChain(nodes, byId);
    const onPath = chain.map((id) => byId.get(id)!);
    const pathOvershoot = onPath.reduce((t, c) => t + c.overshoot, 0);
    const pathDelay = onPath.reduce((t, c) => t + c.startDelay, 0);
    const pathInner = onPath.reduce((t, c) => t + (c.end - c.start - c.expected - c.overshoot), 0);
    const ratio = wall / limit.seconds;

    const gantt = await writeChart(
      ctx.chartsDir,
      'critical-path-timeline',
      ganttChart(
        timings.components.map((c) => ({
          label: c.id,
          start: c.start,
          end: c.end,
          group: limit.path.includes(c.id) ? 'on the critical path' : 'off the critical path',
        })),
        `provisionEnvironment (${spec.name}): each component's child run`,
      ),
    );
    const bars = await writeChart(
      ctx.chartsDir,
      'critical-path',
      barChart(
        [
          { label: 'critical path (limit)', value: round(limit.seconds), group: 'limit' },
          { label: 'lp-infra workflow', value: round(wall), group: 'measured' },
          { label: 'lp-infra, worker just started', value: round(firstWall), group: 'measured' },
          { label: 'sequential script', value: round(sequential), group: 'baseline' },
        ],
        `One environment, profile / ${scale}`,
        'seconds (wall)',
      ),
    );
    const link = (file: string) => `${ctx.chartsLink}/${path.basename(file)}`;
    const markdown = [
      `Spec \`${specFile}\` (${nodes.length} components; environment \`development\`, so policy asks for no approval and nothing waits for a person; \`reference.yaml\` is \`production\`, where policy denies and asks approval for the cluster, so it is not used here). Activities sleep for the profile's time divided by **${scale}** (bench/profile.ts, sources cited there); the workflow code is the real one, unchanged, and its durable timers are not scaled.`,
      '',
      table(
        ['run', 'wall (s)', 'vs critical path'],
        [
          ['critical path (limit, src/model criticalPath)', round(limit.seconds), '1.00'],
          [
            'lp-infra provisionEnvironment, the worker warm (its second environment)',
            round(wall),
            `**${round(ratio, 3)}** (target <= 1.05)`,
          ],
          [
            'lp-infra provisionEnvironment, the worker just started (its first environment)',
            round(firstWall),
            round(firstWall / limit.seconds, 3),
          ],
          [
            'sequential script, same steps (measured, run alongside)',
            round(sequential),
            round(sequential / limit.seconds, 2),
          ],
          ['sum of all steps (computed)', round(sum), round(sum / limit.seconds, 2)],
        ],
      ),
      '',
      `History of the run as the server stores it (payloads compressed and encrypted by the worker's codecs): \`${workflowIds.provision(environment)}\` **${round(history.parentKb, 1)} KB** (target < 100 KB; largest: ${largest.join(', ')}); its ${nodes.length} component runs ${round(Math.min(...history.childrenKb), 1)}–${round(Math.max(...history.childrenKb), 1)} KB each, ${round(
        history.childrenKb.reduce((a, b) => a + b, 0),
        1,
      )} KB in all.`,
      '',
      `![critical path](${link(bars)})`,
      '',
      `Critical path under the profile: ${limit.path.join(' → ')}. The chain that really finished last in this run (each component's latest-finishing dependency, back from the last one): ${chain.join(' → ')}. Where the ${round(wall - limit.seconds)} s over the limit go, along that chain:`,
      '',
      table(
        [
          'component',
          'expected (s)',
          'child run (s)',
          'start delay after deps (s)',
          'readiness seen late by (s)',
          'inside the child: workflow tasks n / ms',
          'activities n / queue ms',
          'timers n / ms',
          'progress signals n / ms',
        ],
        onPath.map((c) => [
          c.id,
          c.expected,
          round(c.end - c.start, 3),
          c.startDelay,
          c.overshoot,
          `${c.inside.workflowTasks} / ${c.inside.workflowTaskMs}`,
          `${c.inside.activities} / ${c.inside.activityQueueMs}`,
          `${c.inside.timers} / ${c.inside.timerMs}`,
          `${c.inside.signals} / ${c.inside.signalMs}`,
        ]),
      ),
      '',
      `Sum along the path: start delays ${round(pathDelay, 3)} s (child start, validation activity, signals), readiness timer overshoot ${round(pathOvershoot, 3)} s, other time inside the child runs (activity dispatch, workflow tasks, progress signals) ${round(pathInner, 3)} s. Workflow tasks and timers are sequential inside a child. A component tells its parent only what the parent acts on (an approval, a removal); its phases on the way are read from its own run when someone asks (src/workflows/component.ts), so they cost neither the chain nor the parent's history.`,
      '',
      `**What limits it.** The ${round(wall - limit.seconds, 1)} s over the limit are round trips that do not shrink with the profile: workflow tasks (${onPath.reduce((t, c) => t + c.inside.workflowTasks, 0)} along the chain, ${round(onPath.reduce((t, c) => t + c.inside.workflowTaskMs, 0) / 1000, 1)} s), activity queueing (${round(onPath.reduce((t, c) => t + c.inside.activityQueueMs, 0) / 1000, 1)} s), progress signals, delivered beside the steps (${round(onPath.reduce((t, c) => t + c.inside.signalMs, 0) / 1000, 1)} s) and readiness timers (${round(pathOvershoot, 1)} s seen late). They are the same at any scale, so at the real profile (critical path ${round((limit.seconds * scale) / 60, 1)} min) the same ${round(wall - limit.seconds, 1)} s would make the ratio ${((limit.seconds * scale + wall - limit.seconds) / (limit.seconds * scale)).toFixed(3)} (an estimate: at full scale the readiness backoff reaches its 30 s cap on long waits, adding up to that per waiting component on the chain). On a machine as loaded as this one (see the load), each workflow task waits for CPU; the figure is better on an idle machine.`,
      '',
      `![timeline](${link(gantt)})`,
    ].join('\n');
    return {
      id: this.id,
      title: this.title,
      markdown,
      measured: true,
      load: { before: loadBefore, after: loadAfter },
      data: {
        scale,
        limit,
        wall,
        firstWall,
        ratio,
        sequential,
        sum,
        history,
        components: timings.components,
        seen,
      },
    };
  },
};
