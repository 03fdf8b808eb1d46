/**
 * The Temporal CLI dev server as a child process this test owns, on a free port, optionally
 * with a SQLite file so it can be stopped and started again with its state. Waits for the
 * server itself (no fixed start-up deadline: a busy machine may take a while).
 */
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { freePort, startServerProcess, stopProcess, type ServerProcess } from '../../src/dev/processes';
import { toolPath } from '../../src/infra/toolchain';
import { searchAttributes } from '../../src/workflows/search-attributes';

const cliType: Record<string, string> = { KEYWORD: 'Keyword', BOOL: 'Bool', TEXT: 'Text', INT: 'Int' };

export interface TemporalServer {
  address: string;
  /** Starts the server process (again, with the same port and SQLite file). */
  start(): Promise<void>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
}

export async function temporalServer(options: { dbFile?: string } = {}): Promise<TemporalServer> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  let server: ServerProcess | undefined;
  const start = async () => {
    server = startServerProcess(toolPath('temporal'), [
      'server',
      'start-dev',
      '--headless',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--log-level',
      'error',
      ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
      ...searchAttributes.flatMap((key) => [
        '--search-attribute',
        `${key.name}=${cliType[key.type] ?? key.type}`,
      ]),
    ]);
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (server.child.exitCode !== null)
        throw new Error(`temporal dev server exited (${server.child.exitCode}): ${server.stderrTail()}`);
      try {
        const connection = await Connection.connect({ address, connectTimeout: 1000 });
        try {
          await connection.workflowService.getSystemInfo({});
          return;
        } finally {
          await connection.close();
        }
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  };
  await start();
  return {
    address,
    start,
    stop: async () => {
      if (server) await stopProcess(server.child);
    },
  };
}

/** Client and worker connections to a server, closed together. */
export async function connections(address: string) {
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  return {
    connection,
    nativeConnection,
    close: async () => {
      await connection.close();
      await nativeConnection.close();
    },
  };
}
