/**
 * The failover and failback sagas as data and a small runner: steps in order, each with the
 * compensation that undoes it; a failed step undoes the finished ones in reverse. Pure: no
 * Temporal API, no I/O (the steps are passed in), so it runs in workflow code and in unit tests.
 */
import type { RegionRole } from '../model';

export type Direction = 'failover' | 'failback';

export type StepStatus =
  | 'pending'
  | 'running'
  | 'done'
  | 'failed'
  | 'compensating'
  | 'compensated'
  | 'compensation-failed'
  | 'skipped';

export interface StepRecord {
  id: string;
  title: string;
  status: StepStatus;
  startedAt?: number;
  finishedAt?: number;
  detail?: string;
  /** Seconds the step (not its compensation) took. */
  seconds?: number;
}

/** What a step reports when it is done. */
export interface StepOutcome {
  detail: string;
  /** Steps the local emulated cloud cannot do (docs/emulation.md). */
  notEmulated?: string[];
  /** Replication lag seen by the step, seconds (the RPO estimate). */
  lagSeconds?: number;
}

export interface SagaStep {
  id: string;
  title: string;
  run(): Promise<StepOutcome>;
  /** Undoes the step; omitted for steps that change nothing (checks). */
  compensate?(): Promise<unknown>;
  /** The service is back when this step is done: the RTO is measured to its end. */
  endsOutage?: boolean;
}

export interface SagaResult {
  environment: string;
  direction: Direction;
  from: RegionRole;
  to: RegionRole;
  status: 'running' | 'succeeded' | 'compensating' | 'failed';
  startedAt: number;
  finishedAt?: number;
  steps: StepRecord[];
  /** Start of the run to DNS switched and verified, seconds. */
  rtoSeconds?: number;
  /** Estimated data loss, seconds: the replica lag when the writer moved (0 for a planned switchover). */
  rpoSeconds?: number;
  rtoObjectiveSeconds: number;
  rpoObjectiveSeconds: number;
  notEmulated: string[];
  error?: string;
  /** Compensations that failed: what a person must finish by hand. */
  leftOver: string[];
}

export function newResult(
  base: Pick<
    SagaResult,
    'environment' | 'direction' | 'from' | 'to' | 'rtoObjectiveSeconds' | 'rpoObjectiveSeconds'
  >,
  steps: Pick<SagaStep, 'id' | 'title'>[],
  now: number,
): SagaResult {
  return {
    ...base,
    status: 'running',
    startedAt: now,
    steps: steps.map(({ id, title }) => ({ id, title, status: 'pending' })),
    notEmulated: [],
    leftOver: [],
  };
}

/** The innermost cause's message: an activity's failure wraps the error that says what went wrong. */
export function messageOf(err: unknown): string {
  let inner = err;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  return inner instanceof Error ? inner.message : String(inner);
}

/**
 * Runs the steps in order. On a failure the finished steps are compensated in reverse (each
 * compensation tried even when an earlier one failed), and the error is thrown again.
 * `onChange` is called after every change of the result (progress, UI details).
 */
export async function runSaga(
  steps: SagaStep[],
  result: SagaResult,
  now: () => number,
  onChange: (result: SagaResult) => void,
): Promise<SagaResult> {
  const record = (id: string) => result.steps.find((s) => s.id === id)!;
  const finished: SagaStep[] = [];
  for (const step of steps) {
    const entry = record(step.id);
    Object.assign(entry, { status: 'running', startedAt: now() });
    onChange(result);
    try {
      const outcome = await step.run();
      const finishedAt = now();
      Object.assign(entry, {
        status: 'done',
        finishedAt,
        detail: outcome.detail,
        seconds: (finishedAt - entry.startedAt!) / 1000,
      });
      result.notEmulated.push(...(outcome.notEmulated ?? []).filter((n) => !result.notEmulated.includes(n)));
      if (outcome.lagSeconds !== undefined) result.rpoSeconds = outcome.lagSeconds;
      if (step.endsOutage) result.rtoSeconds = (finishedAt - result.startedAt) / 1000;
      finished.push(step);
      onChange(result);
    } catch (err) {
      const finishedAt = now();
      Object.assign(entry, {
        status: 'failed',
        finishedAt,
        detail: messageOf(err),
        seconds: (finishedAt - entry.startedAt!) / 1000,
      });
      result.error = `${step.title}: ${messageOf(err)}`;
      delete result.rtoSeconds;
      await compensate(finished, result, now, onChange);
      for (const rest of result.steps.filter((s) => s.status === 'pending')) rest.status = 'skipped';
      Object.assign(result, { status: 'failed', finishedAt: now() });
      onChange(result);
      throw err;
    }
  }
  const end = now();
  Object.assign(result, { status: 'succeeded', finishedAt: end });
  result.rtoSeconds ??= (end - result.startedAt) / 1000;
  onChange(result);
  return result;
}

async function compensate(
  finished: SagaStep[],
  result: SagaResult,
  now: () => number,
  onChange: (result: SagaResult) => void,
) {
  result.status = 'compensating';
  for (const step of [...finished].reverse()) {
    if (!step.compensate) continue;
    const entry = result.steps.find((s) => s.id === step.id)!;
    entry.status = 'compensating';
    onChange(result);
    try {
      await step.compensate();
      entry.status = 'compensated';
    } catch (err) {
      entry.status = 'compensation-failed';
      entry.detail = `undo failed: ${messageOf(err)}`;
      result.leftOver.push(`${step.title}: ${messageOf(err)}`);
    }
    entry.finishedAt = now();
    onChange(result);
  }
}

/** The run's summary as markdown: the Temporal UI shows it as the run's details. */
export function sagaMarkdown(result: SagaResult): string {
  const fmt = (s: number | undefined) => (s === undefined ? '' : `${s.toFixed(1)} s`);
  const lines = [
    `**${result.direction} ${result.environment}: ${result.from} → ${result.to}, ${result.status}**`,
    '',
    '| step | status | time | detail |',
    '| --- | --- | --- | --- |',
    ...result.steps.map((s) => `| ${s.title} | ${s.status} | ${fmt(s.seconds)} | ${s.detail ?? ''} |`),
    '',
    `RTO: ${result.rtoSeconds === undefined ? 'not reached' : fmt(result.rtoSeconds)} (objective ${result.rtoObjectiveSeconds / 60} min)` +
      ` · RPO estimate: ${result.rpoSeconds === undefined ? 'unknown' : fmt(result.rpoSeconds)} (objective ${result.rpoObjectiveSeconds} s)`,
  ];
  if (result.error) lines.push('', `Failed: ${result.error}`);
  if (result.leftOver.length)
    lines.push('', '**Left to finish by hand:**', ...result.leftOver.map((l) => `- ${l}`));
  if (result.notEmulated.length)
    lines.push('', 'Not emulated on the local cloud:', ...result.notEmulated.map((n) => `- ${n}`));
  return lines.join('\n');
}
