/** Small statistics and history helpers for the figures. */
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** The 1-minute load average, as a figure runs (the machine is shared). */
export function load(): number {
  return round(loadavg()[0], 2);
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

/** Peak resident set size of a process so far (VmHWM), in MiB. */
export function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return round(kb / 1024, 1);
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const EventType = temporal.api.enums.v1.EventType;

export function eventMs(event: HistoryEvent): number {
  const t = event.eventTime!;
  return Number(t.seconds) * 1000 + Math.round((t.nanos ?? 0) / 1e6);
}

export async function historyOf(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return history.events ?? [];
}

/** The size of a run's history as the server stores it: its events, protobuf-encoded, payloads as the codecs left them. */
export async function historyBytes(client: Client, workflowId: string): Promise<HistorySize> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const byEventType: Record<string, number> = {};
  for (const event of history.events ?? []) {
    const type = temporal.api.enums.v1.EventType[event.eventType ?? 0].replace('EVENT_TYPE_', '');
    byEventType[type] =
      (byEventType[type] ?? 0) + temporal.api.history.v1.HistoryEvent.encode(event).finish().length;
  }
  return { bytes: temporal.api.history.v1.History.encode(history).finish().length, byEventType };
}

export interface HistorySize {
  bytes: number;
  /** Bytes per event type, e.g. START_CHILD_WORKFLOW_EXECUTION_INITIATED. */
  byEventType: Record<string, number>;
}

/** Workflow task latencies of one history: scheduled -> started (queue), scheduled -> completed (total). */
export function workflowTaskLatencies(events: HistoryEvent[]): { queue: number[]; total: number[] } {
  const scheduled = new Map<number, number>();
  const started = new Map<number, number>();
  const queue: number[] = [];
  const total: number[] = [];
  for (const event of events) {
    const id = Number(event.eventId);
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) scheduled.set(id, eventMs(event));
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
      const s = scheduled.get(Number(event.workflowTaskStartedEventAttributes!.scheduledEventId));
      if (s !== undefined) {
        started.set(id, s);
        queue.push(eventMs(event) - s);
      }
    }
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
      const s = scheduled.get(Number(event.workflowTaskCompletedEventAttributes!.scheduledEventId));
      if (s !== undefined) total.push(eventMs(event) - s);
    }
  }
  return { queue, total };
}

/** Activity latencies of one history: scheduled -> started, scheduled -> completed. */
export function activityLatencies(events: HistoryEvent[]): { toStart: number[]; toClose: number[] } {
  const scheduled = new Map<number, number>();
  const toStart: number[] = [];
  const toClose: number[] = [];
  for (const event of events) {
    const id = Number(event.eventId);
    if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) scheduled.set(id, eventMs(event));
    if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
      const s = scheduled.get(Number(event.activityTaskStartedEventAttributes!.scheduledEventId));
      if (s !== undefined) toStart.push(eventMs(event) - s);
    }
    if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
      const s = scheduled.get(Number(event.activityTaskCompletedEventAttributes!.scheduledEventId));
      if (s !== undefined) toClose.push(eventMs(event) - s);
    }
  }
  return { toStart, toClose };
}

/** Start and close time of a run, from its history. */
export function runSpan(events: HistoryEvent[]): { start: number; end: number } {
  return { start: eventMs(events[0]), end: eventMs(events[events.length - 1]) };
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]);
      }
    }),
  );
  return results;
}

export interface RunBreakdown {
  workflowTasks: number;
  /** Sum of WorkflowTaskScheduled → WorkflowTaskCompleted, ms. */
  workflowTaskMs: number;
  activities: number;
  /** Sum of ActivityTaskScheduled → ActivityTaskStarted, ms. */
  activityQueueMs: number;
  timers: number;
  /** Sum of TimerStarted → TimerFired, ms. */
  timerMs: number;
  signals: number;
  /** Sum of SignalExternalWorkflowExecutionInitiated → ExternalWorkflowExecutionSignaled, ms. */
  signalMs: number;
}

/** Where the time of one run goes, by kind of round trip. */
export function breakdown(events: HistoryEvent[]): RunBreakdown {
  const at = new Map(events.map((e) => [Number(e.eventId), eventMs(e)]));
  const since = (id: unknown, e: HistoryEvent) => eventMs(e) - (at.get(Number(id)) ?? eventMs(e));
  const result: RunBreakdown = {
    workflowTasks: 0,
    workflowTaskMs: 0,
    activities: 0,
    activityQueueMs: 0,
    timers: 0,
    timerMs: 0,
    signals: 0,
    signalMs: 0,
  };
  for (const e of events) {
    switch (e.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        result.workflowTasks++;
        result.workflowTaskMs += since(e.workflowTaskCompletedEventAttributes!.scheduledEventId, e);
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        result.activities++;
        result.activityQueueMs += since(e.activityTaskStartedEventAttributes!.scheduledEventId, e);
        break;
      case EventType.EVENT_TYPE_TIMER_FIRED:
        result.timers++;
        result.timerMs += since(e.timerFiredEventAttributes!.startedEventId, e);
        break;
      case EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED:
        result.signals++;
        result.signalMs += since(e.externalWorkflowExecutionSignaledEventAttributes!.initiatedEventId, e);
        break;
    }
  }
  return result;
}
