/** A private Temporal dev server for one benchmark run, on free loopback ports. */
import { Connection } from '@temporalio/client';
import { freePort, startServerProcess, stopProcess } from '../src/dev/processes';
import { toolPath } from '../src/infra/toolchain';
import { searchAttributes } from '../src/workflows/search-attributes';

export interface DevServer {
  address: string;
  pid: number;
  stop(): Promise<void>;
}

const cliType: Record<string, string> = { KEYWORD: 'Keyword', BOOL: 'Bool', TEXT: 'Text', INT: 'Int' };

export async function startBenchServer(): Promise<DevServer> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const server = startServerProcess(toolPath('temporal'), [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--headless',
    '--log-level',
    'error',
    ...searchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=${cliType[key.type]}`]),
  ]);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`temporal dev server exited: ${server.stderrTail()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        // search attributes are registered right after the frontend starts answering
        const { customAttributes } = await connection.operatorService.listSearchAttributes({
          namespace: 'default',
        });
        if (searchAttributes.every((key) => customAttributes && key.name in customAttributes)) break;
      } finally {
        await connection.close();
      }
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      server.child.kill('SIGKILL');
      throw new Error(`temporal dev server did not start on ${address}: ${server.stderrTail()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { address, pid: server.child.pid!, stop: () => stopProcess(server.child) };
}
