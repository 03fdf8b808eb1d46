/**
 * The Temporal UI as an operator sees it: headless Chromium (Debian's) opens the UI of this
 * test's own dev server, finds the provisioning run through the LpAction search attribute,
 * and reads its summary. The summary is an encrypted payload like every other, so the UI
 * shows it only through `lp-infra`'s codec server (--ui-codec-endpoint). A screenshot is
 * saved under test-output/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { chromium, type Browser } from 'playwright-core';
import { dataConverter } from '../../src/codec/data-converter';
import { EncryptionCodec } from '../../src/codec/encryption-codec';
import { keyringFrom, newKeyFile } from '../../src/codec/keyring';
import { createCodecServer, listen } from '../../src/codec/server';
import { TASK_QUEUE } from '../../src/config/temporal';
import { freePort } from '../../src/dev/processes';
import { projectRoot, toolPath } from '../../src/infra/toolchain';
import { buildPlan, loadSpecFile } from '../../src/spec';
import { LpAction, LpEnvironment, searchAttributes } from '../../src/workflows/search-attributes';

const chromiumPath = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p));
const outputDir = path.join(projectRoot, 'test-output');
const keyFile = newKeyFile('ui-test');
const spec = { ...loadSpecFile(path.join(projectRoot, 'environments', 'local.yaml')), name: 'ui-demo' };
const plan = buildPlan(spec);
const summary = `Provision ${spec.name}: ${plan.components.length} components, critical path ${plan.criticalPath.path.join(' → ')}`;

if (!chromiumPath) {
  console.warn(
    'ui.test.ts skipped: no Chromium at /usr/lib/chromium/chromium or /usr/bin/chromium (install it with `apt-get install -y chromium`; .ci/run does)',
  );
}
const maybe = chromiumPath ? describe : describe.skip;

maybe('Temporal UI', () => {
  let env: TestWorkflowEnvironment;
  let codec: ReturnType<typeof createCodecServer>;
  let browser: Browser;
  let ui: string;

  beforeAll(async () => {
    const [uiPort, codecPort] = [await freePort(), await freePort()];
    ui = `http://127.0.0.1:${uiPort}`;
    codec = createCodecServer({
      codec: new EncryptionCodec(keyringFrom(keyFile)),
      corsOrigins: [ui, `http://localhost:${uiPort}`],
    });
    await listen(codec, codecPort);
    [env, browser] = await Promise.all([
      TestWorkflowEnvironment.createLocal({
        server: {
          executable: { type: 'existing-path', path: toolPath('temporal') },
          ip: '127.0.0.1',
          searchAttributes,
          uiPort,
          extraArgs: ['--ui-codec-endpoint', `http://127.0.0.1:${codecPort}`],
        },
      }),
      chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] }),
    ]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => codec?.close(resolve));
    await env?.teardown();
  });

  test('finds the provisioning run by its search attribute and shows its summary through the codec server', async () => {
    const client = new Client({
      connection: env.connection,
      dataConverter: dataConverter(keyringFrom(keyFile)),
    });
    const workflowId = `provision/${spec.name}`;
    const handle = await client.workflow.start('provisionEnvironment', {
      taskQueue: TASK_QUEUE,
      workflowId,
      args: [{ spec }],
      typedSearchAttributes: [
        { key: LpEnvironment, value: spec.name },
        { key: LpAction, value: 'provision' },
      ],
      staticSummary: summary,
    });
    // Stored encrypted: without the codec the summary is ciphertext.
    const raw = await env.client.workflow.getHandle(workflowId).describe();
    expect(Buffer.from(raw.raw.executionConfig!.userMetadata!.summary!.metadata!.encoding!).toString()).toBe(
      'binary/encrypted',
    );

    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    try {
      const query = encodeURIComponent(`LpAction="provision" AND LpEnvironment="${spec.name}"`);
      await page.goto(`${ui}/namespaces/default/workflows?query=${query}`);
      const link = page.getByRole('link', { name: workflowId }).first();
      await link.waitFor({ timeout: 60_000 });
      await link.click();
      await page.waitForURL(new RegExp(`/workflows/${encodeURIComponent(workflowId)}/`), { timeout: 60_000 });
      // The started event's row in the history carries the summary, decoded by the codec server.
      const shown = page.getByText(summary, { exact: true }).first();
      await shown.waitFor({ state: 'visible', timeout: 60_000 });
      await shown.scrollIntoViewIfNeeded();
      mkdirSync(outputDir, { recursive: true });
      await page.screenshot({ path: path.join(outputDir, 'ui-provision-run.png') });
    } catch (err) {
      mkdirSync(outputDir, { recursive: true });
      await page.screenshot({ path: path.join(outputDir, 'ui-provision-run-failed.png'), fullPage: true });
      throw err;
    } finally {
      await page.close();
      await handle.terminate('test done');
    }
  });
});
