import { Client, Connection } from '@temporalio/client';
import { dataConverter } from '../codec/data-converter';
import { temporalTarget } from '../config/temporal';
import { readStackInfo } from '../dev/stack';
import { loadSpecFile, SpecError, type EnvironmentSpec } from '../model';
import { ExitCode } from './exit-codes';

/** An error that carries the exit code the CLI should end with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

/**
 * A Temporal client with lp-infra's codec. The standard Temporal environment
 * (TEMPORAL_ADDRESS, or a profile of the config file with an address) wins; without it,
 * the local stack of `lp-infra dev up` is used when it runs.
 */
export async function connectClient(): Promise<{ client: Client; address: string; close(): Promise<void> }> {
  const target = temporalTarget();
  const local = readStackInfo();
  const address =
    !target.configured && local
      ? local.temporalAddress
      : (target.connectionOptions.address ?? 'localhost:7233');
  let connection: Connection;
  try {
    connection = await Connection.connect({
      ...target.connectionOptions,
      address,
      connectTimeout: 5000,
    } as never);
  } catch (err) {
    throw new CliError(
      `cannot reach Temporal at ${address} (${err instanceof Error ? err.message : err}); start the local stack with 'lp-infra dev up' or set TEMPORAL_ADDRESS`,
      ExitCode.unavailable,
    );
  }
  const client = new Client({ connection, namespace: target.namespace, dataConverter: dataConverter() });
  return { client, address, close: () => connection.close() };
}

/** Runs work with a connected client and closes the connection after. */
export async function withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const { client, close } = await connectClient();
  try {
    return await work(client);
  } finally {
    await close();
  }
}

/** Whether a workflow of this id runs now (runs exclude each other: up/destroy, failover/failback). */
export async function running(client: Client, workflowId: string): Promise<boolean> {
  const description = await client.workflow
    .getHandle(workflowId)
    .describe()
    .catch(() => undefined);
  return description?.status.name === 'RUNNING';
}

/** Loads and validates a spec file; an invalid one ends the command with exit code 2 and every error. */
export function loadSpecOrExit(file: string): EnvironmentSpec {
  try {
    return loadSpecFile(file);
  } catch (err) {
    if (err instanceof SpecError) throw new CliError(err.message, ExitCode.invalidInput);
    throw err;
  }
}
