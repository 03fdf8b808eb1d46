/**
 * Real servers for tests, each on a free loopback port, started by the test file
 * that needs them and stopped when it ends, so a developer's running stack never
 * collides with a test run.
 */
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort, startServerProcess, stopProcess, waitForHttp } from '../../src/dev/processes';
import { motoEnvironment } from '../../src/dev/stack';
import { toolPath } from '../../src/infra/toolchain';
import { searchAttributes } from '../../src/workflows/search-attributes';

/**
 * Temporal's Java test server: timers skip ahead whenever the workflows are idle. The SDK
 * gives it 5 s to answer; a JVM on a loaded machine can take longer, so a start that timed
 * out is tried again.
 */
export async function startTimeSkipping(attempts = 4): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startTimeSkippingOnce();
    } catch (err) {
      if (attempt >= attempts || !/did not start/.test(String(err))) throw err;
    }
  }
}

async function startTimeSkippingOnce(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: toolPath('temporalTestServer') } },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      searchAttributes.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]),
    ),
  });
  return env;
}

/** The Temporal CLI dev server (a real server, in memory), with lp-infra's search attributes. */
export function startDevServer(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: toolPath('temporal') },
      ip: '127.0.0.1',
      searchAttributes,
    },
  });
}

export interface Moto {
  endpoint: string;
  /** Forgets every resource, between tests. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** moto's server mode: every AWS API lp-infra calls, emulated on loopback. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const server = startServerProcess(toolPath('motoServer'), ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, ...motoEnvironment },
  });
  await waitForHttp(`${endpoint}/moto-api/`, server, 'moto');
  return {
    endpoint,
    reset: async () => {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    stop: () => stopProcess(server.child),
  };
}
