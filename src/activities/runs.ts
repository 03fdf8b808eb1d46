import { Context } from '@temporalio/activity';

/**
 * Whether a workflow of this id runs now, asked through the worker's own client. Workflows
 * cannot ask the server themselves; `destroyEnvironment` uses this to refuse while a
 * provisioning run of the same environment is going.
 */
export async function workflowRunning(workflowId: string): Promise<boolean> {
  const description = await Context.current()
    .client.workflow.getHandle(workflowId)
    .describe()
    .catch((err: unknown) => {
      if ((err as Error).name === 'WorkflowNotFoundError') return undefined;
      throw err;
    });
  return description?.status.name === 'RUNNING';
}
