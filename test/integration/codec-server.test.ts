/**
 * Encrypted payloads on a real Temporal server: a client without the key sees only
 * ciphertext in a run's history; `lp-infra codec-server` (the real CLI) turns those
 * payloads back into the input, for the UI's origin only and only with the token.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { dataConverter } from '../../src/codec/data-converter';
import { keyringFrom, newKeyFile } from '../../src/codec/keyring';
import { fromJsonPayload, toJsonPayload, type JsonPayload } from '../../src/codec/server';
import { freePort } from '../../src/dev/processes';
import { projectRoot, toolPath } from '../../src/infra/toolchain';
import { loadSpecFile } from '../../src/spec';
import { startDevServer } from '../helpers/servers';
import { startCli, stopCli, type CliRun } from '../helpers/cli';

const keyFile = newKeyFile('codec-test');
const codecKey = `codec-test:${keyFile.keys['codec-test']}`;
const uiOrigin = 'http://127.0.0.1:18233';
const token = 'test-token';
const spec = loadSpecFile(path.join(projectRoot, 'environments', 'local.yaml'));

let env: TestWorkflowEnvironment;
let server: CliRun;
let codecUrl: string;

beforeAll(async () => {
  const port = await freePort();
  codecUrl = `http://127.0.0.1:${port}`;
  server = startCli(['codec-server', '--port', String(port), '--cors-origin', uiOrigin], {
    LP_INFRA_CODEC_KEY: codecKey,
    LP_INFRA_CODEC_SERVER_TOKEN: token,
  });
  [env] = await Promise.all([startDevServer(), server.waitFor(`codec server on ${codecUrl}`)]);
}, 180_000);

afterAll(async () => {
  await stopCli(server);
  await env?.teardown();
});

function post(route: string, payloads: JsonPayload[], headers: Record<string, string> = {}) {
  return fetch(`${codecUrl}${route}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Namespace': 'default',
      Origin: uiOrigin,
      Authorization: `Bearer ${token}`,
      ...headers,
    },
    body: JSON.stringify({ payloads }),
  });
}

test('a run started with the key shows ciphertext without it, and the codec server decodes it', async () => {
  const encrypted = new Client({
    connection: env.connection,
    dataConverter: dataConverter(keyringFrom(keyFile)),
  });
  const workflowId = `provision/codec-${Date.now()}`;
  await encrypted.workflow.start('provisionEnvironment', {
    taskQueue: 'no-worker-polls-this',
    workflowId,
    args: [{ spec }],
  });

  // Without the key: the history holds an encrypted payload, and the plain client cannot read it.
  const plain = new Client({ connection: env.connection });
  const history = await plain.workflow.getHandle(workflowId).fetchHistory();
  const input = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
  expect(Buffer.from(input.metadata!.encoding!).toString()).toBe('binary/encrypted');
  expect(Buffer.from(input.metadata!['encryption-key-id']!).toString()).toBe('codec-test');
  expect(Buffer.from(input.data!).toString('latin1')).not.toContain(spec.name);
  expect(Buffer.from(input.data!).toString('latin1')).not.toContain('"spec"');

  // Through the codec server (what the UI does), the input reads as the spec.
  const response = await post('/decode', [toJsonPayload(input)]);
  expect(response.status).toBe(200);
  expect(response.headers.get('access-control-allow-origin')).toBe(uiOrigin);
  const { payloads } = (await response.json()) as { payloads: JsonPayload[] };
  const decoded = fromJsonPayload(payloads[0]);
  expect(Buffer.from(decoded.metadata!.encoding!).toString()).toBe('json/plain');
  const value = JSON.parse(Buffer.from(decoded.data!).toString());
  expect(value.spec.name).toBe(spec.name);
  expect(value.spec.regions).toEqual(spec.regions);

  // The temporal CLI reads the same history in the clear through the codec server, and not without it.
  const show = (...extra: string[]) =>
    spawnSync(
      toolPath('temporal'),
      ['workflow', 'show', '-w', workflowId, '--address', env.address, '--output', 'json', ...extra],
      { encoding: 'utf8' },
    );
  const inputOf = (run: ReturnType<typeof show>) => {
    expect(run.status).toBe(0);
    const payload = JSON.parse(run.stdout).events[0].workflowExecutionStartedEventAttributes.input
      .payloads[0];
    return {
      encoding: Buffer.from(payload.metadata.encoding, 'base64').toString(),
      data: Buffer.from(payload.data, 'base64').toString('latin1'),
    };
  };
  const clear = inputOf(show('--codec-endpoint', codecUrl, '--codec-auth', `Bearer ${token}`));
  expect(clear.encoding).toBe('json/plain');
  expect(JSON.parse(clear.data).spec.name).toBe(spec.name);
  const opaque = inputOf(show());
  expect(opaque.encoding).toBe('binary/encrypted');
  expect(opaque.data).not.toContain(spec.name);

  await encrypted.workflow.getHandle(workflowId).terminate('test done');
});

test('encode then decode gives the payload back; a payload under an unknown key is a clear 400', async () => {
  const original: JsonPayload = {
    metadata: { encoding: Buffer.from('json/plain').toString('base64') },
    data: Buffer.from('{"hello":"world"}').toString('base64'),
  };
  const encoded = (await (await post('/encode', [original])).json()) as { payloads: JsonPayload[] };
  expect(encoded.payloads[0].data).not.toBe(original.data);
  const decoded = (await (await post('/decode', encoded.payloads)).json()) as { payloads: JsonPayload[] };
  expect(decoded.payloads[0]).toEqual(original);

  const otherKey = dataConverter(keyringFrom(newKeyFile('other-key'))).payloadCodecs![0];
  const [foreign] = await otherKey.encode([fromJsonPayload(original)]);
  const refused = await post('/decode', [toJsonPayload(foreign)]);
  expect(refused.status).toBe(400);
  expect(((await refused.json()) as { error: string }).error).toContain("'other-key'");
});

test('the browser may call it from the UI origin only, and only with the token', async () => {
  const preflight = await fetch(`${codecUrl}/decode`, {
    method: 'OPTIONS',
    headers: {
      Origin: uiOrigin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type,x-namespace,authorization',
    },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(uiOrigin);
  expect(preflight.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/i);

  const stranger = await fetch(`${codecUrl}/decode`, {
    method: 'OPTIONS',
    headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' },
  });
  expect(stranger.status).toBe(403);
  expect(stranger.headers.get('access-control-allow-origin')).toBeNull();

  expect((await post('/decode', [], { Authorization: '' })).status).toBe(401);
  expect((await post('/decode', [], { Authorization: 'Bearer wrong' })).status).toBe(401);
  expect((await post('/decode', [])).status).toBe(200);
});
