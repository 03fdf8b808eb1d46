/**
 * The Pulumi engine, for real: the CLI built by `npm run setup`, a file backend in a
 * temporary directory, and one dynamic resource whose handler manages a file on disk.
 * The provider process loads the compiled handlers, so run `npm run build` first.
 */
import * as pulumi from '@pulumi/pulumi';
import type { EngineEvent } from '@pulumi/pulumi/automation';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HandlerResource } from '../../src/infra/pulumi/dynamic-resource';
import { EngineRunError } from '../../src/infra/pulumi/failure';
import {
  destroyStack,
  previewStack,
  refreshStack,
  upStack,
  type StackTarget,
} from '../../src/infra/pulumi/stack';

jest.setTimeout(180_000);

const workRoot = mkdtempSync(path.join(tmpdir(), 'lp-infra-pulumi-proof-'));
const managedFile = path.join(workRoot, 'managed', 'greeting.txt');
process.env.LP_INFRA_PULUMI_BACKEND = path.join(workRoot, 'backend');

const stack: StackTarget = {
  project: 'lp-infra-proof',
  stack: 'local-file',
  program: async () => {
    const greeting = new HandlerResource('local:file', 'greeting', {
      props: { path: managedFile, content: 'hello\n' },
    });
    return {
      path: greeting.props.path,
      sha256: greeting.outs.sha256,
      token: pulumi.secret('not-for-workflows'),
    };
  },
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

afterAll(() => rmSync(workRoot, { recursive: true, force: true }));

describe('a Pulumi stack with a handler-backed dynamic resource', () => {
  test('up creates the file and reports it, with secret outputs left out', async () => {
    const events: EngineEvent[] = [];
    const result = await upStack(stack, { onEvent: (event) => events.push(event) });

    expect(result.changes).toEqual({ create: 2 }); // the stack and the file
    expect(readFileSync(managedFile, 'utf8')).toBe('hello\n');
    expect(result.outputs).toEqual({ path: managedFile, sha256: sha256('hello\n') });
    expect(result.secretOutputs).toEqual(['token']);
    expect(events.some((event) => event.resOutputsEvent?.metadata.urn.endsWith('::greeting'))).toBe(true);
  });

  test('preview of the unchanged program finds nothing to do', async () => {
    const result = await previewStack(stack);

    expect(result.changed).toBe(false);
    expect(result.changes).toEqual({ same: 2 });
  });

  test('refresh records a change made outside Pulumi, and preview then plans to undo it', async () => {
    writeFileSync(managedFile, 'edited by hand\n');

    const refreshed = await refreshStack(stack);
    expect(refreshed.changes).toEqual({ same: 1, update: 1 });
    // Stack outputs come from the program and change only on up: drift shows in the changes.
    expect(refreshed.outputs.sha256).toBe(sha256('hello\n'));

    const preview = await previewStack(stack);
    expect(preview.changes).toEqual({ same: 1, update: 1 });
    expect(readFileSync(managedFile, 'utf8')).toBe('edited by hand\n');
  });

  test('up puts the content back', async () => {
    const result = await upStack(stack);

    expect(result.changes).toEqual({ same: 1, update: 1 });
    expect(readFileSync(managedFile, 'utf8')).toBe('hello\n');
  });

  test('refresh forgets a resource deleted outside Pulumi, and up makes it again', async () => {
    rmSync(managedFile);

    expect((await refreshStack(stack)).changes).toEqual({ same: 1, delete: 1 });
    expect((await upStack(stack)).changes).toEqual({ same: 1, create: 1 });
    expect(readFileSync(managedFile, 'utf8')).toBe('hello\n');
  });

  test('destroy removes the file', async () => {
    const result = await destroyStack(stack);

    expect(result.changes).toEqual({ delete: 2 });
    expect(existsSync(managedFile)).toBe(false);
  });
});

describe('a failed engine run', () => {
  test('is told short: the resource and its first error line, the engine output in the log it names', async () => {
    const blocker = path.join(workRoot, 'not-a-directory');
    writeFileSync(blocker, 'a file, so nothing can be made under it');
    const failing: StackTarget = {
      project: 'lp-infra-proof',
      stack: 'failing',
      program: async () => {
        new HandlerResource('local:file', 'unwritable', {
          props: { path: path.join(blocker, 'greeting.txt'), content: 'hello\n' },
        });
        return {};
      },
    };
    const failure = await upStack(failing).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(failure).toBeInstanceOf(EngineRunError);
    const [line, ...more] = failure!.message.split('\n');
    expect(more).toEqual([]);
    expect(line).toMatch(/^local:file unwritable: .*(EEXIST|ENOTDIR).* \(engine log: (.+)\)$/);
    const log = /\(engine log: (.+)\)$/.exec(line)![1];
    const output = readFileSync(log, 'utf8');
    expect(output).toMatch(/Updating \(failing\)/);
    expect(output).toMatch(/EEXIST|ENOTDIR/);
    expect(output.split('\n').length).toBeGreaterThan(10);
    await destroyStack(failing);
  });
});
