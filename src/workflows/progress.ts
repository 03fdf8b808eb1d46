import { defineQuery, defineSignal, setCurrentDetails, setHandler } from '@temporalio/workflow';
import { countRunEnd } from './metrics';

export type Phase =
  | 'pending'
  | 'planning'
  | 'awaiting-approval'
  | 'applying'
  | 'waiting-ready'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'removing'
  | 'removed'
  | 'kept';

export interface ComponentProgress {
  id: string;
  phase: Phase;
  startedAt?: number;
  finishedAt?: number;
  detail?: string;
}

export interface RunProgress {
  environment: string;
  action: string;
  status: 'running' | 'compensating' | 'succeeded' | 'failed' | 'cancelled';
  startedAt: number;
  components: ComponentProgress[];
}

/** The live state of a run: `lp-infra status` polls it and draws the tree. */
export const progressQuery = defineQuery<RunProgress>('progress');
/** A component's child workflow answers its own phase with this query (`lp-infra status` asks it). */
export const componentProgressQuery = defineQuery<ComponentProgress>('componentProgress');
/** A component's child workflow tells its parent the phases the parent acts on with this signal. */
export const componentPhase = defineSignal<[{ id: string; phase: Phase; detail?: string }]>('componentPhase');

const terminal: Phase[] = ['succeeded', 'failed', 'skipped', 'removed', 'kept'];

/** Keeps a run's progress, answers the query, and mirrors it as the run's markdown details in the UI. */
export class ProgressBoard {
  readonly state: RunProgress;
  /** Components that reached a terminal phase once; a child's late report does not move them. */
  private readonly ended = new Set<string>();

  /** Answers the progress query from the start; the components are listed once the spec is validated. */
  constructor(environment: string, action: string) {
    this.state = { environment, action, status: 'running', startedAt: Date.now(), components: [] };
    setHandler(progressQuery, () => this.state);
    setHandler(componentPhase, ({ id, phase, detail }) => {
      // A child's report is not awaited, so one may arrive after its end: the end stands.
      if (!this.ended.has(id)) this.set(id, phase, detail);
    });
    this.publish();
  }

  list(ids: string[]): this {
    this.state.components = ids.map((id) => ({ id, phase: 'pending' }));
    this.publish();
    return this;
  }

  phaseOf(id: string): Phase | undefined {
    return this.state.components.find((c) => c.id === id)?.phase;
  }

  set(id: string, phase: Phase, detail?: string): void {
    const component = this.state.components.find((c) => c.id === id);
    if (!component) return;
    if (component.startedAt === undefined && phase !== 'pending' && phase !== 'skipped')
      component.startedAt = Date.now();
    component.phase = phase;
    if (detail !== undefined) component.detail = detail;
    component.finishedAt = terminal.includes(phase) ? Date.now() : undefined;
    if (terminal.includes(phase)) this.ended.add(id);
    this.publish();
  }

  finish(status: RunProgress['status']): void {
    countRunEnd(this.state, status);
    this.state.status = status;
    this.publish();
  }

  private publish(): void {
    setCurrentDetails(renderMarkdown(this.state));
  }
}

export function renderMarkdown(run: RunProgress): string {
  const rows = run.components.map((c) => {
    const seconds =
      c.startedAt === undefined ? '' : `${Math.round(((c.finishedAt ?? Date.now()) - c.startedAt) / 1000)} s`;
    return `| ${c.id} | ${c.phase} | ${seconds} | ${c.detail ?? ''} |`;
  });
  return [
    `**${run.action} ${run.environment}: ${run.status}**`,
    '',
    '| component | phase | time | detail |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
