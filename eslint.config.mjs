import js from '@eslint/js';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const root = path.dirname(fileURLToPath(import.meta.url));

/** Every module of src/ (a folder or a file, without its extension) but the given ones. */
const srcBut = (...kept) =>
  readdirSync(path.join(root, 'src'))
    .map((name) => `src/${name.replace(/\.ts$/, '')}`)
    .filter((module) => !kept.includes(module));

/** The handler registry, the composition root over src/infra/aws and src/infra/pulumi. */
const handlerRegistry = ['src/infra/handlers', 'src/infra/handler-provider', 'src/infra/handler-resource'];
const entryPoints = ['src/cli', 'src/client', 'src/worker', 'src/dev'];

/**
 * Imports go one way (docs/architecture.md#layout): CLI and worker → workflows and activities →
 * infra → SDKs, with the spec and the pure policies below everything. Each layer is a folder of
 * src/ (with its subfolders) and the modules of src/ it may not import; `except` keeps a module
 * of a forbidden folder importable, `typesOnly` forbids all but `import type`.
 */
const layers = [
  { from: 'src/model', forbid: srcBut('src/model'), why: 'the spec is pure and imports only itself' },
  { from: 'src/drift', forbid: srcBut('src/drift', 'src/model'), why: 'the drift report is pure' },
  {
    from: 'src/disaster-recovery',
    forbid: srcBut('src/disaster-recovery', 'src/model'),
    why: 'the disaster-recovery policy is pure',
  },
  {
    from: 'src/approvals',
    forbid: srcBut('src/approvals', 'src/model'),
    why: 'approvals are checked in workflow code, which must stay deterministic',
  },
  {
    from: 'src/infra',
    forbid: ['src/activities', 'src/workflows', ...entryPoints],
    why: 'infra is below the activities, the workflows and the entry points that use it',
  },
  {
    from: 'src/infra/pulumi',
    forbid: [
      'src/infra/aws',
      'src/infra/kubernetes',
      'src/infra/components',
      'src/infra/disaster-recovery',
      ...handlerRegistry,
    ],
    why: 'the Pulumi layer knows no cloud; src/infra/handlers.ts registers the handlers',
  },
  {
    from: 'src/infra/aws',
    forbid: [
      'src/infra/kubernetes',
      'src/infra/components',
      'src/infra/disaster-recovery',
      ...handlerRegistry,
    ],
    why: 'AWS clients and handlers are below the registry and the components that use them',
  },
  {
    from: 'src/infra/kubernetes',
    forbid: [
      { module: 'src/infra/components', except: ['contract'] },
      'src/infra/disaster-recovery',
      'src/infra/pulumi',
      ...handlerRegistry,
    ],
    why: 'Kubernetes apply is below the components that use it (it implements only their contract)',
  },
  {
    from: 'src/infra/components',
    forbid: ['src/infra/disaster-recovery'],
    why: 'the components are below the disaster-recovery steps that use them',
  },
  {
    from: 'src/activities',
    forbid: ['src/workflows', ...entryPoints],
    why: 'activities are below the workflows and the CLI',
  },
  { from: 'src/workflows', forbid: entryPoints, why: 'workflows are below the CLI and the worker' },
  {
    from: 'src/workflows',
    forbid: ['src/activities', 'src/infra'],
    typesOnly: true,
    why: 'workflow code is deterministic and bundled without Node modules',
  },
];

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A no-restricted-imports pattern for imports, from `dir`, of `module` (relative paths are all src/ uses). */
function restriction(dir, layer, forbidden) {
  const { module, except = [] } = typeof forbidden === 'string' ? { module: forbidden } : forbidden;
  let relative = path.posix.relative(dir, module);
  if (!relative.startsWith('.')) relative = `./${relative}`;
  const kept = except.map((name) => `(?!/${escapeRegex(name)}$)`).join('');
  return {
    regex: `^${escapeRegex(relative)}${kept}(/.*)?$`,
    ...(layer.typesOnly ? { allowTypeImports: true } : {}),
    message: `${layer.from} may not import ${module}${layer.typesOnly ? ' (only its types)' : ''}: ${layer.why}. Imports go one way (docs/architecture.md#layout).`,
  };
}

/** Every folder under src/, as a path relative to the repository. */
function folders(dir = 'src') {
  const below = readdirSync(path.join(root, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => folders(`${dir}/${entry.name}`));
  return [dir, ...below];
}

/** One config per folder of src/ (its own files only), so that no two configs of the rule overlap. */
const layering = folders().flatMap((dir) => {
  const applying = layers.filter((layer) => dir === layer.from || dir.startsWith(`${layer.from}/`));
  const patterns = applying.flatMap((layer) => layer.forbid.map((module) => restriction(dir, layer, module)));
  if (patterns.length === 0) return [];
  return [{ files: [`${dir}/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns }] } }];
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.local/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layering,
);
