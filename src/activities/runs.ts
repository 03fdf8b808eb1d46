import { Context } from '@temporalio/activity';

/**
 * When the running workflow of this id started (ISO time), or undefined when none runs; asked
 * through the worker's own client, as workflows cannot ask the server themselves. Provisioning
 * and destroying an environment use it to exclude each other (workflows/guards.ts).
 */
export async function runningSince(workflowId: string): Promise<string | undefined> {
  const description = await Context.current()
    .client.workflow.getHandle(workflowId)
    .describe()
    .catch((err: unknown) => {
      if ((err as Error).name === 'WorkflowNotFoundError') return undefined;
      throw err;
    });
  return description?.status.name === 'RUNNING' ? description.startTime.toISOString() : undefined;
}

/** Whether a workflow of this id runs now: what destroy runs recorded before runningSince asked. */
export async function workflowRunning(workflowId: string): Promise<boolean> {
  return (await runningSince(workflowId)) !== undefined;
}
