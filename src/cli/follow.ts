import type { WorkflowHandle } from '@temporalio/client';
import { temporalTarget } from '../config/temporal';
import { readStackInfo } from '../dev/stack';
import { workflowIds } from '../workflows/ids';
import {
  componentProgressQuery,
  progressQuery,
  type ComponentProgress,
  type RunProgress,
} from '../workflows/progress';

const icons: Record<string, string> = {
  pending: '·',
  planning: '…',
  'awaiting-approval': '?',
  applying: '▶',
  'waiting-ready': '◷',
  succeeded: '✓',
  failed: '✗',
  skipped: '-',
  removing: '↺',
  removed: '⌫',
  kept: '■',
};

/**
 * Where the Temporal UI shows a run: LP_INFRA_UI_URL, else the local stack's UI; in the
 * namespace the CLI uses (TEMPORAL_NAMESPACE or the profile's).
 */
export function runUrl(
  workflowId: string,
  runId: string,
  namespace = temporalTarget().namespace,
): string | undefined {
  const ui = (process.env.LP_INFRA_UI_URL || readStackInfo()?.uiUrl)?.replace(/\/+$/, '');
  return (
    ui &&
    `${ui}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}/${runId}/history`
  );
}

function line(c: ComponentProgress, now: number): string {
  const seconds =
    c.startedAt === undefined ? '' : `${Math.round(((c.finishedAt ?? now) - c.startedAt) / 1000)}s`;
  return `  ${icons[c.phase] ?? ' '} ${c.id.padEnd(28)} ${c.phase.padEnd(18)} ${seconds.padStart(5)}  ${c.detail ?? ''}`.trimEnd();
}

/** The progress tree: one line per component, with its phase and time. */
export function renderProgress(run: RunProgress, now = Date.now()): string {
  return [`${run.action} ${run.environment}: ${run.status}`, ...run.components.map((c) => line(c, now))].join(
    '\n',
  );
}

/**
 * Follows a run until it ends, drawing its progress from the progress query: redrawn
 * in place on a terminal, one line per change otherwise. Ctrl-C detaches; the run
 * keeps going on the server.
 */
/**
 * A run's progress, each running component with its own phase: a provision run knows when each
 * component started and ended, and the component's run knows where it is in between
 * (src/workflows/component.ts). Undefined while the run cannot be asked.
 */
export async function runProgress(handle: WorkflowHandle): Promise<RunProgress | undefined> {
  const run = await handle.query(progressQuery).catch(() => undefined);
  if (!run || run.action !== 'provision') return run;
  await Promise.all(
    run.components
      .filter((c) => c.phase === 'planning')
      .map(async (c) => {
        const own = await handle.client
          .getHandle(workflowIds.component(run.environment, c.id))
          .query(componentProgressQuery)
          .catch(() => undefined); // not started yet, or a run from before it answered
        if (own) Object.assign(c, { phase: own.phase, detail: own.detail ?? c.detail });
      }),
  );
  return run;
}

export async function follow<T>(handle: WorkflowHandle, reattach: string): Promise<T> {
  const tty = process.stderr.isTTY;
  const seen = new Map<string, string>();
  const said = new Map<string, string>();
  let drawn = 0;
  const onInterrupt = () => {
    process.stderr.write(`\ndetached; the run goes on. Follow it again with: ${reattach}\n`);
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  const timer = setInterval(async () => {
    const run = await runProgress(handle);
    if (!run) return;
    if (tty) {
      const text = renderProgress(run);
      process.stderr.write(`${drawn ? `\x1b[${drawn}F\x1b[J` : ''}${text}\n`);
      drawn = text.split('\n').length;
    } else {
      // A log, not a screen: a line per phase change, each detail said once per component.
      for (const c of run.components) {
        const detail = c.detail ?? '';
        if (seen.get(c.id) === c.phase && said.get(c.id) === detail) continue;
        const shown = said.get(c.id) === detail ? { ...c, detail: undefined } : c;
        seen.set(c.id, c.phase);
        said.set(c.id, detail);
        if (c.phase === 'pending') continue;
        process.stderr.write(`${line(shown, Date.now()).trim()}\n`);
      }
    }
  }, 1000);
  try {
    return (await handle.result()) as T;
  } finally {
    clearInterval(timer);
    process.removeListener('SIGINT', onInterrupt);
    const last = await runProgress(handle);
    if (last && tty) process.stderr.write(`${drawn ? `\x1b[${drawn}F\x1b[J` : ''}${renderProgress(last)}\n`);
  }
}
