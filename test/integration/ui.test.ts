/**
 * The Temporal UI as an operator sees it, with the codec server's auth on: headless Chromium
 * (Debian's) opens the link `lp-infra up` printed for a run in a namespace other than
 * `default`, is sent to the sign-in page, signs in with the token, and reads the run's summary.
 * The summary is an encrypted payload like every other, so the UI shows it only through
 * `lp-infra codec-server`, here wired as the local stack wires it: the dev server's UI behind
 * the codec server's UI front, its codec endpoint on the front's own origin. Screenshots are
 * saved under test-output/.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { dataConverter } from '../../src/codec/data-converter';
import { keyringFrom, newKeyFile } from '../../src/codec/keyring';
import { toJsonPayload, uiCodecPath } from '../../src/codec/server';
import { freePort } from '../../src/dev/processes';
import { projectRoot, toolPath } from '../../src/infra/toolchain';
import { buildPlan, loadSpecFile } from '../../src/model';
import { searchAttributes } from '../../src/workflows/search-attributes';
import { workflowIds } from '../../src/workflows/ids';
import { runCli, startCli, stopCli, type CliRun } from '../helpers/cli';

const chromiumPath = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p));
const outputDir = path.join(projectRoot, 'test-output');
const keyFile = newKeyFile('ui-test');
const codecKey = `ui-test:${keyFile.keys['ui-test']}`;
const token = randomBytes(32).toString('hex');
const namespace = 'lp-ui';
const specFile = path.join(projectRoot, 'environments', 'local.yaml');
const spec = loadSpecFile(specFile);
const plan = buildPlan(spec);
const summary = `Provision ${spec.name}: ${plan.components.length} components, critical path ${plan.criticalPath.path.join(' → ')}`;

if (!chromiumPath) {
  console.warn(
    'ui.test.ts skipped: no Chromium at /usr/lib/chromium/chromium or /usr/bin/chromium (install it with `apt-get install -y chromium`; .ci/run does)',
  );
}
const maybe = chromiumPath ? describe : describe.skip;

async function screenshot(page: Page, name: string, fullPage = false) {
  mkdirSync(outputDir, { recursive: true });
  await page.screenshot({ path: path.join(outputDir, name), fullPage });
}

/** A page of its own origin, for the browser's cross-origin checks. */
async function blankPage(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end('<!doctype html><title>another UI</title>');
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${port}` };
}

maybe('Temporal UI with the codec server’s auth on', () => {
  let env: TestWorkflowEnvironment;
  let front: CliRun;
  let browser: Browser;
  let ui: string;
  let codecUrl: string;
  let otherUi: Awaited<ReturnType<typeof blankPage>>;
  let stranger: Awaited<ReturnType<typeof blankPage>>;

  beforeAll(async () => {
    const [uiPort, upstreamPort, codecPort] = [await freePort(), await freePort(), await freePort()];
    ui = `http://127.0.0.1:${uiPort}`;
    codecUrl = `http://127.0.0.1:${codecPort}`;
    [otherUi, stranger] = [await blankPage(), await blankPage()];
    front = startCli(
      [
        'codec-server',
        '--port',
        String(codecPort),
        '--cors-origin',
        ui,
        '--cors-origin',
        otherUi.origin,
        '--ui-port',
        String(uiPort),
        '--ui-upstream',
        `http://127.0.0.1:${upstreamPort}`,
      ],
      { LP_INFRA_CODEC_KEY: codecKey, LP_INFRA_CODEC_SERVER_TOKEN: token },
    );
    [env, browser] = await Promise.all([
      TestWorkflowEnvironment.createLocal({
        server: {
          executable: { type: 'existing-path', path: toolPath('temporal') },
          ip: '127.0.0.1',
          namespace,
          searchAttributes,
          uiPort: upstreamPort,
          extraArgs: ['--ui-codec-endpoint', uiCodecPath],
        },
      }),
      chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] }),
      front.waitFor(`Temporal UI (http://127.0.0.1:${upstreamPort}) on ${ui}`),
    ]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stopCli(front);
    for (const page of [otherUi, stranger]) await new Promise((resolve) => page?.server.close(resolve));
    await env?.teardown();
  });

  test('the link `lp-infra up` prints names the namespace; after sign-in the run’s summary reads decoded', async () => {
    const started = await runCli(['up', specFile, '--detach'], {
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: namespace,
      LP_INFRA_CODEC_KEY: codecKey,
      LP_INFRA_UI_URL: ui,
    });
    expect(started.code).toBe(0);
    const link = /started provision\/\S+: (\S+)/.exec(started.stderr)?.[1];
    expect(link).toBeDefined();
    expect(link!.startsWith(`${ui}/namespaces/${namespace}/workflows/`)).toBe(true);

    // Stored encrypted: without the codec the summary is ciphertext.
    const raw = await env.client.workflow.getHandle(workflowIds.provision(spec.name)).describe();
    expect(Buffer.from(raw.raw.executionConfig!.userMetadata!.summary!.metadata!.encoding!).toString()).toBe(
      'binary/encrypted',
    );

    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    try {
      // Not signed in: the UI sends the browser to the sign-in page, which refuses a wrong token.
      await page.goto(link!);
      await page.waitForURL(/\/lp-infra\/sign-in\?next=/, { timeout: 30_000 });
      const field = page.getByLabel('Codec server token');
      await field.fill('not-the-token-of-this-server');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').waitFor({ timeout: 30_000 });
      await screenshot(page, 'ui-sign-in-refused.png');

      await page.getByLabel('Codec server token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const runPath = new URL(link!).pathname;
      await page.waitForURL((url) => url.pathname.startsWith(runPath), { timeout: 60_000 });
      // The started event's row in the history carries the summary, decoded by the codec server.
      const shown = page.getByText(summary, { exact: true }).first();
      await shown.waitFor({ state: 'visible', timeout: 60_000 });
      await shown.scrollIntoViewIfNeeded();
      await screenshot(page, 'ui-provision-run.png');
    } catch (err) {
      await screenshot(page, 'ui-provision-run-failed.png', true);
      throw err;
    } finally {
      await context.close();
      await env.client.workflow.getHandle(workflowIds.provision(spec.name)).terminate('test done');
    }
  });

  test('a UI on another origin reads payloads with "include credentials" after sign-in; an origin not configured cannot', async () => {
    const [payload] = await dataConverter(keyringFrom(keyFile)).payloadCodecs![0].encode([
      { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"decoded"') },
    ]);
    const body = JSON.stringify({ payloads: [toJsonPayload(payload)] });
    // What the UI's code does (fetch `${endpoint}/decode`), with or without credentials: 'include'.
    const decodeFrom = (page: Page, credentials: 'include' | 'same-origin') =>
      page.evaluate(
        async ([url, body, credentials]) => {
          try {
            const response = await fetch(`${url}/decode`, {
              method: 'POST',
              credentials: credentials as 'include' | 'same-origin',
              headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default' },
              body,
            });
            return `${response.status}`;
          } catch {
            return 'blocked';
          }
        },
        [codecUrl, body, credentials],
      );

    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(otherUi.origin);
      expect(await decodeFrom(page, 'include')).toBe('401');

      // Signed in at the codec server itself (the UI's origin is another one here).
      const signIn = await context.newPage();
      await signIn.goto(`${codecUrl}/lp-infra/sign-in`);
      await signIn.getByLabel('Codec server token').fill(token);
      await signIn.getByRole('button', { name: 'Sign in' }).click();
      await signIn.getByText(/^Signed in/).waitFor({ timeout: 30_000 });

      expect(await decodeFrom(page, 'include')).toBe('200');
      // Without "include credentials" the browser sends no cookie to another origin (why the local
      // stack's UI, which has no such setting, calls the codec on its own origin).
      expect(await decodeFrom(page, 'same-origin')).toBe('401');

      const foreign = await context.newPage();
      await foreign.goto(stranger.origin);
      expect(await decodeFrom(foreign, 'include')).toBe('blocked');
    } finally {
      await context.close();
    }
  });
});
