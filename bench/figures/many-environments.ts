/**
 * Figure 2: N environments at once on one worker (a child process, so its RSS and CPU
 * are the worker's own). The real workflows with the profiled activities, as in figure 1.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { componentGraph, criticalPath } from '../../src/model';
import { projectRoot } from '../../src/infra/toolchain';
import { lineChart, writeChart } from '../charts';
import { table, type BenchContext, type Figure, type FigureReport } from '../context';
import {
  cpuSeconds,
  historyOf,
  load,
  mapLimit,
  peakRssMiB,
  percentile,
  round,
  workflowTaskLatencies,
} from '../stats';
import type { WorkerConfig, WorkerSettings } from '../worker';
import { benchSpec, scaledSeconds } from './critical-path';
import { workflowIds } from '../../src/workflows/ids';

/** Starts bench/worker-main.ts in a child process and waits until it polls. */
export async function startWorkerProcess(config: WorkerConfig): Promise<ChildProcess> {
  const child = fork(path.join(__dirname, '..', 'worker-main.ts'), [JSON.stringify(config)], {
    cwd: projectRoot,
    // BENCH_CPU_PROF=DIR writes a V8 CPU profile of each worker there (bench/cpu-profile.ts reads it)
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`bench worker exited with ${code} before it was ready`)));
  });
  return child;
}

export async function stopWorkerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('shutdown');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return round(kb / 1024, 1);
}

interface Point {
  environments: number;
  /** The worker settings of this point. */
  setting: string;
  wall: number;
  relative: number;
  idleRss: number;
  peakRss: number;
  workerCpu: number;
  serverCpu: number;
  /** CPU seconds per environment: what N environments cost whatever the load. */
  workerCpuPerEnv: number;
  serverCpuPerEnv: number;
  wftP50: number;
  wftP99: number;
  queueP50: number;
  queueP99: number;
  sampled: number;
  load: number;
}

export const manyEnvironmentsFigure: Figure = {
  id: 'many-environments',
  title: '2. Many environments at once on one worker',
  async run(ctx: BenchContext): Promise<FigureReport> {
    const loadBefore = load();
    const tiny = ctx.size === 'tiny';
    // BENCH_COUNTS=10,20 measures other counts (e.g. for a CPU profile with BENCH_CPU_PROF)
    const counts = process.env.BENCH_COUNTS
      ? process.env.BENCH_COUNTS.split(',').map(Number)
      : tiny
        ? [1, 2]
        : [1, 10, 50, 100];
    const scale = tiny ? 4000 : 80;
    const nodes = componentGraph(benchSpec('x'));
    const limit = criticalPath(nodes, (n) => scaledSeconds(n, scale));
    const points: Point[] = [];
    // Every component step holds an activity slot for as long as the cloud takes; the SDK
    // default of 100 slots would queue steps of different environments behind each other.
    const tuned: WorkerSettings = { maxConcurrentActivityTaskExecutions: 2000 };
    const plan: { count: number; settings: WorkerSettings; setting: string }[] = [
      ...counts.map((count) => ({
        count,
        settings: tuned,
        setting: 'maxConcurrentActivityTaskExecutions 2000',
      })),
      // BENCH_CONTROL=1 adds the same load (10) with the settings of src/worker.ts, as a control
      ...(tiny || !process.env.BENCH_CONTROL
        ? []
        : [{ count: 10, settings: {}, setting: 'SDK defaults (src/worker.ts: 100 activity slots)' }]),
    ];
    for (const { count, settings, setting } of plan) {
      const taskQueue = `bench-many-${count}-${points.length}`;
      const worker = await startWorkerProcess({
        address: ctx.server.address,
        taskQueue,
        workload: 'lp-infra',
        bundlePath: ctx.bundles.lpInfra,
        keyFile: ctx.keyFile,
        scale,
        settings,
      });
      const pid = worker.pid!;
      const run = Date.now().toString(36);
      const names = Array.from({ length: count }, (_, i) => `bench-many-${run}-${i}`);
      let point: Point;
      try {
        const idleRss = rssMiB(pid);
        const cpu0 = cpuSeconds(pid);
        const server0 = cpuSeconds(ctx.server.pid);
        ctx.log(`figure 2: ${count} environment(s) at once (critical path ${limit.seconds.toFixed(1)} s)`);
        const started = Date.now();
        const handles = await mapLimit(names, 20, (name) =>
          ctx.client.workflow.start('provisionEnvironment', {
            taskQueue,
            workflowId: workflowIds.provision(name),
            args: [{ spec: benchSpec(name) }],
          }),
        );
        await Promise.all(handles.map((h) => h.result()));
        const wall = (Date.now() - started) / 1000;
        const workerCpu = cpuSeconds(pid) - cpu0;
        const serverCpu = cpuSeconds(ctx.server.pid) - server0;
        const peakRss = peakRssMiB(pid);
        // workflow task latency: every parent run, and up to 200 component runs spread over the environments
        const children = names.flatMap((name) => nodes.map((n) => workflowIds.component(name, n.id)));
        const step = Math.max(1, Math.floor(children.length / 200));
        const sample = [
          ...names.map((n) => workflowIds.provision(n)),
          ...children.filter((_, i) => i % step === 0),
        ];
        const latencies = await mapLimit(sample, 8, async (id) =>
          workflowTaskLatencies(await historyOf(ctx.client, id)),
        );
        const total = latencies.flatMap((l) => l.total);
        const queue = latencies.flatMap((l) => l.queue);
        point = {
          environments: count,
          setting,
          wall: round(wall),
          relative: 0,
          idleRss,
          peakRss,
          workerCpu: round(workerCpu / wall, 2),
          serverCpu: round(serverCpu / wall, 2),
          workerCpuPerEnv: round(workerCpu / count, 2),
          serverCpuPerEnv: round(serverCpu / count, 2),
          wftP50: round(percentile(total, 50), 1),
          wftP99: round(percentile(total, 99), 1),
          queueP50: round(percentile(queue, 50), 1),
          queueP99: round(percentile(queue, 99), 1),
          sampled: total.length,
          load: load(),
        };
      } finally {
        await stopWorkerProcess(worker);
      }
      point.relative = round(point.wall / points.concat(point)[0].wall, 2);
      points.push(point);
      ctx.log(`figure 2: ${count}: ${point.wall} s (${point.relative}x), peak RSS ${point.peakRss} MiB`);
    }
    const loadAfter = load();
    const chartWall = await writeChart(
      ctx.chartsDir,
      'many-environments',
      lineChart(
        points
          .filter((p) => p.setting === points[0].setting)
          .flatMap((p) => [
            { x: p.environments, y: p.relative, series: 'wall / wall of one' },
            { x: p.environments, y: 1.5, series: 'target (1.5)' },
          ]),
        `Environments at once on one worker (profile / ${scale})`,
        'environments at once',
        'wall time relative to one environment',
      ),
    );
    const chartLatency = await writeChart(
      ctx.chartsDir,
      'workflow-task-latency',
      lineChart(
        points
          .filter((p) => p.setting === points[0].setting)
          .flatMap((p) => [
            { x: p.environments, y: p.wftP50, series: 'p50' },
            { x: p.environments, y: p.wftP99, series: 'p99' },
          ]),
        'Workflow task latency, scheduled → completed',
        'environments at once',
        'ms',
      ),
    );
    const last = points.filter((p) => p.setting === points[0].setting).pop()!;
    const markdown = [
      `Each environment is \`${path.basename('environments/local.yaml')}\` (${nodes.length} components, so ${nodes.length + 1} workflow runs per environment), activities at the profile / **${scale}** (critical path ${round(limit.seconds)} s). The worker is one child process (bench/worker-main.ts, loaded through tsx; SDK defaults as in src/worker.ts except maxConcurrentActivityTaskExecutions, raised from 100 to 2000 because every component step holds a slot for as long as the cloud takes); RSS is read from /proc (VmHWM = peak). CPU is in cores (CPU seconds / wall seconds) for the worker and for the dev server. Workflow task latency is from history event times (WorkflowTaskScheduled → WorkflowTaskCompleted, and → WorkflowTaskStarted for the time in the queue), over every parent run and up to 200 component runs.`,
      '',
      table(
        [
          'environments',
          'worker settings',
          'wall (s)',
          'vs one',
          'worker RSS idle → peak (MiB)',
          'worker CPU cores (CPU-s per env)',
          'dev server CPU cores (CPU-s per env)',
          'WFT p50 / p99 (ms)',
          'WFT queue p50 / p99 (ms)',
          'load',
        ],
        points.map((p) => [
          p.environments,
          p.setting,
          p.wall,
          `**${p.relative}**`,
          `${p.idleRss} → **${p.peakRss}**`,
          `${p.workerCpu} (${p.workerCpuPerEnv})`,
          `${p.serverCpu} (${p.serverCpuPerEnv})`,
          `${p.wftP50} / ${p.wftP99}`,
          `${p.queueP50} / ${p.queueP99}`,
          p.load,
        ]),
      ),
      '',
      `Targets: wall at ${last.environments} ≤ 1.5 × one (measured ${last.relative}×); worker peak RSS < 1024 MiB (measured ${last.peakRss} MiB).`,
      '',
      `**What limits it.** CPU. One environment costs the worker ${last.workerCpuPerEnv} CPU-s and the dev server ${last.serverCpuPerEnv} CPU-s (at ${last.environments} at once), so ${last.environments} environments need ${round((last.workerCpuPerEnv + last.serverCpuPerEnv) * last.environments)} CPU-s: with all ${cpus().length} cores of this machine to ourselves that alone is at least ${round(((last.workerCpuPerEnv + last.serverCpuPerEnv) * last.environments) / cpus().length)} s against a critical path of ${round(limit.seconds)} s. The machine was shared (load ${last.load} on ${cpus().length} cores), so the bench got a fraction of that. ${last.peakRss < 1024 ? 'Memory is not the limit.' : 'Memory is over the target too.'} Workflow task latency rises with the count for the same reason; the queue column is the part spent waiting to be picked up by the worker, the rest is the worker running the task. The bench compresses time ${scale}×, so it compresses the CPU demand ${scale}× too: at the real profile (critical path ${round((limit.seconds * scale) / 60)} min) the same ${round((last.workerCpuPerEnv + last.serverCpuPerEnv) * last.environments)} CPU-s spread over the run is ${round(((last.workerCpuPerEnv + last.serverCpuPerEnv) * last.environments) / (limit.seconds * scale), 2)} cores on average, so at real speed the target is within reach of this worker; at this compression it cannot be met on 2 cores.`,
      '',
      `![many environments](${ctx.chartsLink}/${path.basename(chartWall)}) ![workflow task latency](${ctx.chartsLink}/${path.basename(chartLatency)})`,
    ].join('\n');
    return {
      id: this.id,
      title: this.title,
      markdown,
      measured: true,
      load: { before: loadBefore, after: loadAfter },
      data: { scale, criticalPath: limit, points, tuned },
    };
  },
};
