/**
 * Encrypted payloads on a real Temporal server, and who may read them. A client without the
 * key sees only ciphertext in a run's history, failure messages and stack traces included;
 * `lp-infra codec-server` (the real CLI) decodes only for callers with credentials (the static
 * token, a JWT of the configured identity provider, or the sign-in cookie) and answers
 * browsers of the UI's origin only. The last block checks the same on a whole local stack
 * (`lp-infra dev up`), whose token it made itself.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, type Payload } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { dataConverter, payloadCodec } from '../../src/codec/data-converter';
import { keyringFrom, newKeyFile } from '../../src/codec/keyring';
import { fromJsonPayload, toJsonPayload, type JsonPayload } from '../../src/codec/server';
import { freePort } from '../../src/dev/processes';
import { projectRoot, toolPath } from '../../src/infra/toolchain';
import { loadSpecFile } from '../../src/model';
import { startDevServer } from '../helpers/servers';
import { startCli, stopCli, type CliRun } from '../helpers/cli';
import { startLocalStack, type LocalStack } from '../helpers/stack';
import { secretsIn } from '../reliability/secrets';

const keyFile = newKeyFile('codec-test');
const codecKey = `codec-test:${keyFile.keys['codec-test']}`;
const uiOrigin = 'http://127.0.0.1:18233';
const token = randomBytes(32).toString('hex');
const spec = loadSpecFile(path.join(projectRoot, 'environments', 'local.yaml'));

let env: TestWorkflowEnvironment;
let server: CliRun;
let codecUrl: string;

async function startCodecServer(variables: NodeJS.ProcessEnv, ...args: string[]) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const run = startCli(['codec-server', '--port', String(port), '--cors-origin', uiOrigin, ...args], {
    LP_INFRA_CODEC_KEY: codecKey,
    ...variables,
  });
  await run.waitFor(`codec server on ${url}`);
  return { run, url };
}

beforeAll(async () => {
  let started: Awaited<ReturnType<typeof startCodecServer>>;
  [env, started] = await Promise.all([
    startDevServer(),
    startCodecServer({ LP_INFRA_CODEC_SERVER_TOKEN: token }),
  ]);
  ({ run: server, url: codecUrl } = started);
}, 180_000);

afterAll(async () => {
  await stopCli(server);
  await env?.teardown();
});

function post(
  route: string,
  payloads: JsonPayload[],
  headers: Record<string, string> = {},
  base = codecUrl,
): Promise<Response> {
  return fetch(`${base}${route}`, {
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

async function decoded(response: Response): Promise<unknown[]> {
  expect(response.status).toBe(200);
  const { payloads } = (await response.json()) as { payloads: JsonPayload[] };
  return payloads.map((p) => JSON.parse(Buffer.from(fromJsonPayload(p).data!).toString()));
}

const encodingOf = (payload: Payload) => Buffer.from(payload.metadata!.encoding!).toString();

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
  expect(encodingOf(input)).toBe('binary/encrypted');
  expect(Buffer.from(input.metadata!['encryption-key-id']!).toString()).toBe('codec-test');
  expect(Buffer.from(input.data!).toString('latin1')).not.toContain(spec.name);
  expect(Buffer.from(input.data!).toString('latin1')).not.toContain('"spec"');

  // Through the codec server (what the UI does), the input reads as the spec.
  const response = await post('/decode', [toJsonPayload(input)]);
  expect(response.headers.get('access-control-allow-origin')).toBe(uiOrigin);
  const [value] = (await decoded(response)) as [{ spec: typeof spec }];
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

test('a failure’s message and stack trace are stored encrypted; the client and the codec server read them', async () => {
  const secret = { name: 'failure message', value: `the account refused: ${randomBytes(8).toString('hex')}` };
  const converter = dataConverter(keyringFrom(keyFile));
  const taskQueue = `codec-failures-${Date.now()}`;
  // The production data converter on a worker of the real workflows; the cloud refuses for good.
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('../../src/workflows'),
    dataConverter: converter,
    activities: {
      async describeCloud() {
        throw ApplicationFailure.nonRetryable(secret.value, 'AccessDenied');
      },
    },
  });
  const client = new Client({ connection: env.connection, dataConverter: converter });
  const workflowId = `check/codec-failure-${Date.now()}`;
  const failure = await worker.runUntil(async () => {
    const handle = await client.workflow.start('platformCheck', {
      taskQueue,
      workflowId,
      args: [{ environment: 'codec', regions: ['us-east-1'] }],
    });
    return handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
  });
  // The client, with the key, sees the message as thrown.
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  const cause = (failure as WorkflowFailedError).cause?.cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect((cause as ApplicationFailure).message).toBe(secret.value);

  // Stored: a placeholder message and an encrypted payload, nowhere the text (plain or base64).
  const history = await new Client({ connection: env.connection }).workflow
    .getHandle(workflowId)
    .fetchHistory();
  const failed = history.events!.find((e) => e.activityTaskFailedEventAttributes)!
    .activityTaskFailedEventAttributes!.failure!;
  expect(failed.message).toBe('Encoded failure');
  expect(failed.stackTrace ?? '').toBe('');
  expect(encodingOf(failed.encodedAttributes!)).toBe('binary/encrypted');
  const workflowFailure = history.events!.at(-1)!.workflowExecutionFailedEventAttributes!.failure!;
  expect(workflowFailure.message).toBe('Encoded failure');
  const raw = Buffer.from(JSON.stringify(history)).toString('latin1');
  expect(secretsIn([raw, Buffer.from(JSON.stringify(history.events)).toString('base64')], [secret])).toEqual(
    [],
  );

  // What the UI does with them: the codec server gives back the message and the stack trace.
  const [attributes] = (await decoded(await post('/decode', [toJsonPayload(failed.encodedAttributes!)]))) as [
    { message: string; stack_trace: string },
  ];
  expect(attributes.message).toBe(secret.value);
  expect(attributes.stack_trace).toContain('describeCloud');
});

test('encode then decode gives the payload back; a payload under an unknown key is a clear 400', async () => {
  const original: JsonPayload = {
    metadata: { encoding: Buffer.from('json/plain').toString('base64') },
    data: Buffer.from('{"hello":"world"}').toString('base64'),
  };
  const encoded = (await (await post('/encode', [original])).json()) as { payloads: JsonPayload[] };
  expect(encoded.payloads[0].data).not.toBe(original.data);
  const back = (await (await post('/decode', encoded.payloads)).json()) as { payloads: JsonPayload[] };
  expect(back.payloads[0]).toEqual(original);

  const otherKey = payloadCodec(keyringFrom(newKeyFile('other-key')));
  const [foreign] = await otherKey.encode([fromJsonPayload(original)]);
  const refused = await post('/decode', [toJsonPayload(foreign)]);
  expect(refused.status).toBe(400);
  expect(((await refused.json()) as { error: string }).error).toContain("'other-key'");
});

test('a decode needs credentials: no token, a wrong one or another scheme is a 401', async () => {
  for (const authorization of ['', 'Bearer wrong-token-of-some-length', `Basic ${token}`, token]) {
    const response = await post('/decode', [], { Authorization: authorization });
    expect([authorization, response.status]).toEqual([authorization, 401]);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  }
  for (const route of ['/encode', '/decode'])
    expect((await post(route, [], { Authorization: '' })).status).toBe(401);
  expect((await post('/decode', [])).status).toBe(200);
});

test('CORS: only the UI origin is answered, with credentials; another origin gets nothing', async () => {
  const preflight = (origin: string) =>
    fetch(`${codecUrl}/decode`, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-namespace,authorization',
      },
    });
  const ours = await preflight(uiOrigin);
  expect(ours.status).toBe(204);
  expect(ours.headers.get('access-control-allow-origin')).toBe(uiOrigin);
  expect(ours.headers.get('access-control-allow-credentials')).toBe('true');
  expect(ours.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/i);
  expect(ours.headers.get('vary')).toMatch(/Origin/);

  for (const origin of ['http://evil.example', 'http://127.0.0.1:18234', 'null']) {
    const stranger = await preflight(origin);
    expect([origin, stranger.status, stranger.headers.get('access-control-allow-origin')]).toEqual([
      origin,
      403,
      null,
    ]);
    // Even with the token, a page of another origin is refused, and no CORS header lets it read.
    const posted = await post('/decode', [], { Origin: origin });
    expect([origin, posted.status, posted.headers.get('access-control-allow-origin')]).toEqual([
      origin,
      403,
      null,
    ]);
  }
});

test('a browser signs in once with the token and then decodes with the cookie alone', async () => {
  const signIn = (typed: string) =>
    fetch(`${codecUrl}/lp-infra/sign-in`, {
      method: 'POST',
      body: new URLSearchParams({ token: typed, next: '/decode' }),
      redirect: 'manual',
    });
  const wrong = await signIn('not-the-token-at-all');
  expect(wrong.status).toBe(401);
  expect(wrong.headers.getSetCookie()).toEqual([]);

  const right = await signIn(token);
  expect(right.status).toBe(303);
  expect(right.headers.get('location')).toBe('/decode');
  const [cookie] = right.headers.getSetCookie();
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
  // The cookie is derived from the token, not the token itself.
  expect(cookie).not.toContain(token);
  const session = cookie.split(';')[0];
  expect((await post('/decode', [], { Authorization: '', Cookie: session })).status).toBe(200);
  expect((await post('/decode', [], { Authorization: '', Cookie: `${session}x` })).status).toBe(401);

  // Only a path of this origin is a place to go back to.
  const away = await fetch(`${codecUrl}/lp-infra/sign-in`, {
    method: 'POST',
    body: new URLSearchParams({ token, next: '//evil.example/' }),
    redirect: 'manual',
  });
  expect(away.status).toBe(200);
  expect(away.headers.get('location')).toBeNull();
});

test('without a configured token it makes one (mode 0600, in its state folder) and requires it', async () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'lp-infra-codec-'));
  const { run, url } = await startCodecServer({ LP_INFRA_STATE_DIR: stateDir });
  try {
    const file = path.join(stateDir, 'codec-token');
    expect(run.stderr()).toContain(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const made = readFileSync(file, 'utf8').trim();
    expect(made.length).toBeGreaterThanOrEqual(32);
    expect((await post('/decode', [], { Authorization: '' }, url)).status).toBe(401);
    expect((await post('/decode', [], { Authorization: `Bearer ${made}` }, url)).status).toBe(200);
  } finally {
    await stopCli(run);
    rmSync(stateDir, { recursive: true, force: true });
  }
});

describe('JWT access tokens (the UI’s "pass access token")', () => {
  const issuer = 'https://login.example.test/';
  const audience = 'https://codec.example.test';
  let jwks: Server;
  let signer: CryptoKey;
  let stranger: CryptoKey;
  let jwt: { run: CliRun; url: string };

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    signer = pair.privateKey;
    stranger = (await generateKeyPair('ES256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwks = createServer((_, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    const port = await freePort();
    await new Promise<void>((resolve) => jwks.listen(port, '127.0.0.1', resolve));
    jwt = await startCodecServer({
      LP_INFRA_CODEC_JWT_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      LP_INFRA_CODEC_JWT_ISSUER: issuer,
      LP_INFRA_CODEC_JWT_AUDIENCE: audience,
      LP_INFRA_CODEC_JWT_ALLOW: 'ops@example.com,@platform.example.com',
    });
  });

  afterAll(async () => {
    if (jwt) await stopCli(jwt.run);
    await new Promise((resolve) => jwks?.close(resolve));
  });

  const sign = (
    claims: Record<string, unknown>,
    options: { key?: CryptoKey; audience?: string; issuer?: string; expires?: string } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(options.issuer ?? issuer)
      .setAudience(options.audience ?? audience)
      .setIssuedAt()
      .setExpirationTime(options.expires ?? '5m')
      .sign(options.key ?? signer);

  const decodeWith = async (bearer: string) => {
    const response = await post('/decode', [], { Authorization: `Bearer ${bearer}` }, jwt.url);
    return { status: response.status, error: ((await response.json()) as { error?: string }).error };
  };

  test('a token of the issuer, for the audience, of an allowed user is let in; any other is a 401', async () => {
    expect((await decodeWith(await sign({ email: 'ops@example.com' }))).status).toBe(200);
    expect((await decodeWith(await sign({ email: 'dev@platform.example.com' }))).status).toBe(200);

    const refused = {
      'another audience': await sign({ email: 'ops@example.com' }, { audience: 'https://other.test' }),
      'another issuer': await sign({ email: 'ops@example.com' }, { issuer: 'https://other.test/' }),
      expired: await sign({ email: 'ops@example.com' }, { expires: '-5m' }),
      'signed by another key': await sign({ email: 'ops@example.com' }, { key: stranger }),
      'a user not allowed': await sign({ email: 'someone@notplatform.example.com' }),
      'no identity': await sign({}),
      'the static token of another server': token,
    };
    for (const [why, bearer] of Object.entries(refused)) {
      const answer = await decodeWith(bearer);
      expect([why, answer.status]).toEqual([why, 401]);
    }
    expect((await decodeWith(refused.expired)).error).toMatch(/exp/);
    // JWT-only: no static token, so no sign-in page either.
    expect((await fetch(`${jwt.url}/lp-infra/sign-in`)).status).toBe(404);
  });
});

describe('on the local stack (`lp-infra dev up`)', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack();
  }, 600_000);
  afterAll(() => stack?.stop());

  test('the stack made its token (0600); its codec server and UI refuse without it and decode with it', async () => {
    const { codecUrl: stackCodec, uiUrl, codecTokenFile, signInUrl } = stack.info;
    expect(path.dirname(codecTokenFile!)).toBe(stack.stateDir);
    expect(statSync(codecTokenFile!).mode & 0o777).toBe(0o600);
    const stackToken = readFileSync(codecTokenFile!, 'utf8').trim();

    // A real payload of this stack: a run's input, encrypted with the stack's key.
    const workflowId = `provision/codec-stack-${Date.now()}`;
    await stack.client.workflow.start('provisionEnvironment', {
      taskQueue: 'no-worker-polls-this',
      workflowId,
      args: [{ spec }],
    });
    const history = await new Client({ connection: stack.client.connection }).workflow
      .getHandle(workflowId)
      .fetchHistory();
    const input = toJsonPayload(
      history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0],
    );
    const call = (base: string, headers: Record<string, string>) =>
      post('', [input], { Origin: uiUrl, ...headers }, base);

    // The codec server: 401 without credentials, the input with the stack's token.
    expect((await call(`${stackCodec}/decode`, { Authorization: '' })).status).toBe(401);
    expect((await call(`${stackCodec}/decode`, { Authorization: `Bearer ${token}` })).status).toBe(401);
    const [value] = (await decoded(
      await call(`${stackCodec}/decode`, { Authorization: `Bearer ${stackToken}` }),
    )) as [{ spec: typeof spec }];
    expect(value.spec.name).toBe(spec.name);

    // CORS answers the stack's UI origin, and no other.
    const preflight = (origin: string) =>
      fetch(`${stackCodec}/decode`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
      });
    expect((await preflight(uiUrl)).headers.get('access-control-allow-origin')).toBe(uiUrl);
    const other = await preflight('http://evil.example');
    expect([other.status, other.headers.get('access-control-allow-origin')]).toEqual([403, null]);

    // The UI: a browser that is not signed in is sent to the sign-in page, and its codec calls get 401.
    const page = await fetch(`${uiUrl}/namespaces/default/workflows`, {
      headers: { Accept: 'text/html' },
      redirect: 'manual',
    });
    expect(page.status).toBe(303);
    expect(`${uiUrl}${page.headers.get('location')}`).toBe(
      `${signInUrl}?next=${encodeURIComponent('/namespaces/default/workflows')}`,
    );
    expect((await call(`${uiUrl}/lp-infra/codec/decode`, { Authorization: '' })).status).toBe(401);

    // Signed in, the same browser gets the dev server's UI, configured to decode on its own origin.
    const signIn = await fetch(signInUrl!, {
      method: 'POST',
      body: new URLSearchParams({ token: stackToken, next: '/namespaces/default/workflows' }),
      redirect: 'manual',
    });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.getSetCookie()[0].split(';')[0];
    const ui = await fetch(`${uiUrl}/namespaces/default/workflows`, {
      headers: { Accept: 'text/html', Cookie: cookie },
    });
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/<html/i);
    const settings = (await (
      await fetch(`${uiUrl}/api/v1/settings`, { headers: { Cookie: cookie } })
    ).json()) as {
      Codec: { Endpoint: string };
    };
    expect(settings.Codec.Endpoint).toBe('/lp-infra/codec');
    const [throughUi] = (await decoded(
      await call(`${uiUrl}/lp-infra/codec/decode`, { Authorization: '', Cookie: cookie }),
    )) as [{ spec: typeof spec }];
    expect(throughUi.spec.name).toBe(spec.name);

    await stack.client.workflow.getHandle(workflowId).terminate('test done');
  });
});
