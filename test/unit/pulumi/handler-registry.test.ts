/**
 * The handler registry is composed above src/infra/pulumi (which knows no cloud): the module the
 * dynamic provider process loads must still serve every handler group of src/infra/aws/handlers/
 * and the local file, or a resource of a missing kind fails in that process only.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { handlerProvider } from '../../../src/infra/handler-provider';
import { handlers } from '../../../src/infra/handlers';
import { handlerProviderPath } from '../../../src/infra/pulumi/compiled';
import { projectRoot } from '../../../src/infra/toolchain';

const groupsDir = path.join(projectRoot, 'src', 'infra', 'aws', 'handlers');

/** Every export of every module in src/infra/aws/handlers/: the groups of kinds. */
function awsGroups(): [string, Record<string, unknown>][] {
  return readdirSync(groupsDir)
    .filter((name) => name.endsWith('.ts'))
    .flatMap((name) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- each module of the folder, found at run time
      const module = require(path.join(groupsDir, name)) as Record<string, Record<string, unknown>>;
      return Object.entries(module).map(([group, kinds]): [string, Record<string, unknown>] => [
        `${name} ${group}`,
        kinds,
      ]);
    });
}

test('the provider process loads the entry built from src/infra/handler-provider.ts', () => {
  const source = path
    .join(projectRoot, 'src', path.relative(path.join(projectRoot, 'dist'), handlerProviderPath))
    .replace(/\.js$/, '.ts');
  expect(path.relative(projectRoot, source)).toBe(path.join('src', 'infra', 'handler-provider.ts'));
});

test('every AWS handler group and the local file are registered, each kind with its handler', () => {
  const groups = awsGroups();
  expect(groups.length).toBeGreaterThanOrEqual(3);
  const registry: Record<string, unknown> = handlers;
  for (const [group, kinds] of groups) {
    expect([group, Object.keys(kinds).length > 0]).toEqual([group, true]);
    for (const [kind, handler] of Object.entries(kinds))
      expect([kind, registry[kind]]).toEqual([kind, handler]);
  }
  const awsKinds = groups.flatMap(([, kinds]) => Object.keys(kinds));
  expect(Object.keys(handlers).sort()).toEqual(['local:file', ...awsKinds].sort());
});

test('the provider serves every registered kind and refuses an unknown one', async () => {
  const check = (kind: string) => handlerProvider.check!({ kind, props: {} }, { kind, props: {} });
  for (const kind of Object.keys(handlers)) {
    await expect(check(kind)).resolves.toEqual({ inputs: { kind, props: {} } });
  }
  await expect(check('aws:nothing')).resolves.toEqual({
    failures: [{ property: 'kind', reason: "no resource handler for kind 'aws:nothing'" }],
  });
});
