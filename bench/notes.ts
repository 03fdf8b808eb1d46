/**
 * What was changed because of these measurements, and what is proposed: kept by hand (the
 * "before" of a change cannot be measured again once the change is in), printed at the end
 * of docs/benchmarks.md.
 */
export const changesAndProposals = `## Changes made from these measurements, and proposals

**Changed: readiness polling in \`src/workflows/component.ts\`** (figure 1). The readiness check already runs right after apply; when the component is not ready yet, \`waitUntil\` paused 5 s, then 10, 20, 40, 60 s. Profiled along the critical chain, the pause after \`secondary/app\`'s rollout (ready 3 s after apply at the bench's scale) was the largest single overhead: the check that saw "ready" came 2-5 s late. Now the pauses start at 1 s and are capped at 30 s (1, 2, 4, 8, 16, 30, 30 ... s): a component that became ready is seen at most 30 s late instead of 60 s, and short waits (rollouts, certificates) within about a second, for a handful more check activities per long wait. Before/after, same profile and scale, load average 17-26 on 2 cores:

| | before (5 s → 1 min) | after (1 s → 30 s) |
| --- | --- | --- |
| figure 1, one environment, profile / 40 (critical path 63.0 s) | 68.6 s = 1.089 | 66.5 s = 1.056; 67.2 s = 1.066 |
| figure 2, one environment, profile / 80 (critical path 31.5 s) | 48.6 s = 1.54 | 36.8 s = 1.17; 37.3 s = 1.18 |

**Proposed (not changed): progress reports without a round trip each.** \`provisionComponent\` awaits each progress signal to its parent (\`planning\`, \`applying\`, \`waiting-ready\`) before it schedules the next activity, so every component pays three extra round trips (signal, then a workflow task): 7 workflow tasks per component instead of 4 (figure 1's table). Sending the signal in the same workflow task as the next activity (not awaiting it, with \`.catch\` for a parent that is gone) removes them; the parent must then ignore a late non-terminal phase for a component it already marked \`succeeded\`, and the compensation reports (\`removing\`, \`removed\`) should stay awaited because the parent reads them when the child fails. Expected: about 0.2-0.5 s per component on the chain on this machine.

**Proposed for \`src/worker.ts\`: \`maxConcurrentActivityTaskExecutions\`.** Every component step holds an activity slot for as long as the cloud takes (an Aurora apply holds one for 15-20 min). The SDK default of 100 slots caps one worker at 100 concurrent steps, about 10 environments' worth at their widest layer; figure 2 runs with 2000. With the real drivers each apply also runs a Pulumi engine (a process of its own), so the right number for production is bounded by the worker's memory rather than by Temporal: raise the slots (e.g. \`maxConcurrentActivityTaskExecutions: 500\`) and size the worker's memory for the Pulumi processes, or move to a resource-based tuner.

**Profiled: what figure 2 waits for.** A V8 CPU profile of the worker with 10 environments at once (\`BENCH_CPU_PROF=DIR BENCH_COUNTS=10 npm run bench -- --only many-environments --out /tmp/x.md\`, read with \`npx tsx bench/cpu-profile.ts FILE\`) shows its threads idle 73-81 % of the run; the busiest code is the workflow thread running workflow activations in their V8 contexts (12 %) and the core bridge on the main thread (3.5 %); payload encryption is under 1 %. The dev server spends about twice the worker's CPU per environment (the table's CPU-s per env). So on this machine the worker is not what holds figure 2 back: the dev server and the CPU share the bench gets are. A worker on its own cores next to a real Temporal cluster is the configuration to measure the 100-environment target in.

**Worker settings (figure 5).** Figure 5's verdict line compares the best setting with the default against the run-to-run noise. In the runs made while writing this harness (load average 8-26 on 2 cores) no setting was clearly better than the SDK defaults that src/worker.ts uses, so no change is proposed from figure 5. Turning the sticky cache off (\`maxCachedWorkflows: 0\`) makes the activity's own schedule → completion look fastest only because every workflow task then replays the whole history and takes longer, which the per-step column shows.
`;
