/**
 * Figure 5: what the orchestrator adds to one activity. No-op activities on the dev
 * server, schedule → completion from history event times, for a few worker settings.
 */
import path from 'node:path';
import { barChart, writeChart } from '../charts';
import { table, type BenchContext, type Figure, type FigureReport } from '../context';
import { activityLatencies, historyOf, load, percentile, round } from '../stats';
import { createBenchWorker, type WorkerSettings } from '../worker';

interface Variant {
  name: string;
  settings: WorkerSettings;
}

export const variants: Variant[] = [
  { name: 'SDK defaults (= src/worker.ts)', settings: {} },
  {
    name: 'pollers autoscaling',
    settings: {
      workflowTaskPollerBehavior: { type: 'autoscaling' },
      activityTaskPollerBehavior: { type: 'autoscaling' },
    },
  },
  {
    name: '2 workflow + 2 activity pollers',
    settings: { maxConcurrentWorkflowTaskPolls: 2, maxConcurrentActivityTaskPolls: 2 },
  },
  {
    name: 'slots: 10 workflow tasks, 20 activities',
    settings: { maxConcurrentWorkflowTaskExecutions: 10, maxConcurrentActivityTaskExecutions: 20 },
  },
  {
    name: 'slots: 200 workflow tasks, 1000 activities',
    settings: { maxConcurrentWorkflowTaskExecutions: 200, maxConcurrentActivityTaskExecutions: 1000 },
  },
  { name: 'sticky schedule-to-start 1 s', settings: { stickyQueueScheduleToStartTimeout: '1s' } },
  { name: 'no sticky cache (maxCachedWorkflows 0)', settings: { maxCachedWorkflows: 0 } },
];

interface Result {
  name: string;
  samples: number;
  p50: number;
  p99: number;
  startP50: number;
  startP99: number;
  perActivity: number;
}

export const overheadFigure: Figure = {
  id: 'overhead',
  title: '5. Orchestration overhead per activity',
  async run(ctx: BenchContext): Promise<FigureReport> {
    const loadBefore = load();
    const tiny = ctx.size === 'tiny';
    const workflows = tiny ? 2 : 10;
    const activities = tiny ? 3 : 20;
    const rounds = tiny ? 1 : 2;
    const samples = new Map<
      string,
      { toClose: number[]; toStart: number[]; cycle: number[]; rounds: number[] }
    >(variants.map((v) => [v.name, { toClose: [], toStart: [], cycle: [], rounds: [] }]));
    // rounds interleave the variants so a change of load on the shared machine hits them all alike
    for (let r = 0; r < rounds; r++) {
      for (const [index, variant] of variants.entries()) {
        const taskQueue = `bench-overhead-${index}-${r}`;
        const { worker, connection } = await createBenchWorker({
          address: ctx.server.address,
          taskQueue,
          workload: 'noop',
          bundlePath: ctx.bundles.noop,
          keyFile: ctx.keyFile,
          scale: 1,
          settings: variant.settings,
        });
        const ids = Array.from(
          { length: workflows },
          (_, i) => `bench-noop-${index}-${r}-${i}-${Date.now().toString(36)}`,
        );
        try {
          await worker.runUntil(async () => {
            // one warm-up run so bundle load and connection set-up are not counted
            await ctx.client.workflow.execute('noopChain', {
              taskQueue,
              workflowId: `${ids[0]}-warm`,
              args: [2],
            });
            await Promise.all(
              ids.map((id) =>
                ctx.client.workflow.execute('noopChain', { taskQueue, workflowId: id, args: [activities] }),
              ),
            );
          });
        } finally {
          await connection.close();
        }
        const bucket = samples.get(variant.name)!;
        for (const id of ids) {
          const events = await historyOf(ctx.client, id);
          const { toClose, toStart } = activityLatencies(events);
          bucket.toClose.push(...toClose);
          bucket.toStart.push(...toStart);
          const span =
            Number(events[events.length - 1].eventTime!.seconds) * 1000 -
            Number(events[0].eventTime!.seconds) * 1000;
          const nanos =
            (events[events.length - 1].eventTime!.nanos ?? 0) / 1e6 - (events[0].eventTime!.nanos ?? 0) / 1e6;
          bucket.cycle.push((span + nanos) / activities);
        }
        bucket.rounds.push(percentile(bucket.cycle.slice(-ids.length), 50));
        ctx.log(`figure 5: ${variant.name}, round ${r + 1}: p50 ${percentile(bucket.toClose, 50)} ms`);
      }
    }
    const results: Result[] = variants.map((v) => {
      const s = samples.get(v.name)!;
      return {
        name: v.name,
        samples: s.toClose.length,
        p50: round(percentile(s.toClose, 50), 1),
        p99: round(percentile(s.toClose, 99), 1),
        startP50: round(percentile(s.toStart, 50), 1),
        startP99: round(percentile(s.toStart, 99), 1),
        perActivity: round(percentile(s.cycle, 50), 1),
      };
    });
    // best = least time per step of a workflow (activity plus the workflow task around it); a
    // setting that only makes activities look fast by slowing workflow tasks does not count
    const best = [...results].sort((a, b) => a.perActivity - b.perActivity || a.p99 - b.p99)[0];
    // run-to-run noise: the largest spread of one setting's per-step median between rounds
    const noise = Math.max(
      0,
      ...[...samples.values()].map((b) =>
        b.rounds.length > 1 ? (Math.max(...b.rounds) / Math.min(...b.rounds) - 1) * 100 : 0,
      ),
    );
    const gain = round((1 - best.perActivity / results[0].perActivity) * 100, 0);
    const verdict =
      best.name === results[0].name
        ? 'The default is the best here.'
        : gain > 15 && gain > noise
          ? `That is ${gain} % less per step than the default, more than the run-to-run noise (${round(noise, 0)} %): worth trying in src/worker.ts.`
          : `That is ${gain} % less per step than the default, within the run-to-run noise of this shared machine (one setting's per-step median differed by up to ${round(noise, 0)} % between rounds): no change proposed.`;
    const loadAfter = load();
    const chart = await writeChart(
      ctx.chartsDir,
      'activity-overhead',
      barChart(
        results.flatMap((r) => [
          { label: `${r.name} p50`, value: r.p50, group: 'p50' },
          { label: `${r.name} p99`, value: r.p99, group: 'p99' },
        ]),
        'No-op activity, schedule → completion',
        'ms',
      ),
    );
    const markdown = [
      `${workflows} workflows at once, each running ${activities} no-op activities one after the other (bench/workflows.ts), ${rounds} round(s) per setting, the settings interleaved; one worker in this process, payloads through the encryption codec as in production. Latency is ActivityTaskScheduled → ActivityTaskCompleted (and → ActivityTaskStarted) from history event times; "per activity" is the workflow's whole run divided by its activities, i.e. including the workflow task that schedules the next one.`,
      '',
      table(
        [
          'worker setting',
          'samples',
          'schedule → completion p50 / p99 (ms)',
          'schedule → start p50 / p99 (ms)',
          'per activity incl. workflow task, median (ms)',
        ],
        results.map((r) => [
          r.name === best.name ? `**${r.name}**` : r.name,
          r.samples,
          `${r.p50} / ${r.p99}`,
          `${r.startP50} / ${r.startP99}`,
          r.perActivity,
        ]),
      ),
      '',
      `Best (least time per workflow step, then p99): **${best.name}**: ${best.perActivity} ms per step, activity ${best.p50} / ${best.p99} ms p50 / p99. The default (src/worker.ts): ${results[0].perActivity} ms per step, ${results[0].p50} / ${results[0].p99} ms. ${verdict}`,
      '',
      `![activity overhead](${ctx.chartsLink}/${path.basename(chart)})`,
    ].join('\n');
    return {
      id: this.id,
      title: this.title,
      markdown,
      measured: true,
      load: { before: loadBefore, after: loadAfter },
      data: { workflows, activities, rounds, results, best: best.name, noisePercent: round(noise, 1) },
    };
  },
};
