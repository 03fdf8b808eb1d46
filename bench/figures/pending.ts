/**
 * Figures 3 (drift check) and 4 (failover RTO) plug in here: each is a Figure (see
 * ../context.ts) listed in bench/run.ts. Until its measurement is written, the report
 * keeps a clearly marked section that says so and what it will measure.
 */
import type { BenchContext, Figure, FigureReport } from '../context';

function pending(id: string, title: string, plan: string[]): Figure {
  return {
    id,
    title,
    async run(_ctx: BenchContext): Promise<FigureReport> {
      return {
        id,
        title,
        measured: false,
        data: null,
        markdown: ['> **Not measured yet.**', '', ...plan.map((line) => `- ${line}`)].join('\n'),
      };
    },
  };
}

export const driftFigure = pending('drift', '3. Drift check', [
  'What: one full `driftCheck` (src/workflows/drift.ts, report-only) of a provisioned local environment, real activities against moto and the Kubernetes API server: seconds per check and per component (target < 3 s for the whole reference environment).',
  'Baseline in the same run: the same checkComponentDrift calls one after the other in a plain script.',
  'Needs: a provisioned local environment on private ports (test/helpers/stack.ts `startLocalStack()` plus one `provisionEnvironment` run), then `driftCheck` timed from its history (per component: the checkComponentDrift activity spans).',
  'Plug-in: replace this entry in bench/run.ts with a Figure whose run(ctx) does the above.',
]);

export const failoverFigure = pending('failover', '4. Failover RTO', [
  "What: measured RTO of `drill` (src/workflows/failover.ts) on the local emulated cloud, against the failover saga's own critical path under the same latency profile as figure 1; the orchestration overhead = RTO - critical path (target < 2 s).",
  'Needs: the failover saga on main and a provisioned local environment (as for figure 3).',
  'Plug-in: replace this entry in bench/run.ts with a Figure whose run(ctx) does the above.',
]);
