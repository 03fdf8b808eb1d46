import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../toolchain';

/**
 * The dynamic provider runs in its own Node process, which loads plain JavaScript only.
 * It therefore always loads lp-infra's compiled tree, dist/ (`npm run build`), whether
 * the engine was started from dist/ (the worker) or from the TypeScript sources (ts-jest).
 */
const sourceRoot = path.join(projectRoot, 'src');
const compiledRoot = path.join(projectRoot, 'dist');
const runningFromSource = __filename.endsWith('.ts');

/**
 * The compiled entry the provider process loads: it exports `handlerProvider`, this layer's
 * provider (handler-provider.ts) over lp-infra's handler registry. It is composed above this
 * layer, which knows no cloud (src/infra/handler-provider.ts), so it is named here by path only.
 */
export const handlerProviderPath = path.join(compiledRoot, 'infra', 'handler-provider.js');

/**
 * Run from the sources, the compiled module and every project module it loads must exist
 * and be at least as new as their sources, or the provider would run old code. Run from
 * dist/, there is nothing to compare.
 */
export function assertCompiledCurrent(compiledEntry: string): void {
  if (!runningFromSource) return;
  const stale = projectModulesLoadedBy(compiledEntry).filter((compiled) => {
    const source = path.join(sourceRoot, path.relative(compiledRoot, compiled)).replace(/\.js$/, '.ts');
    return (
      !existsSync(compiled) || (existsSync(source) && statSync(compiled).mtimeMs < statSync(source).mtimeMs)
    );
  });
  if (stale.length > 0) {
    const names = stale.map((file) => path.relative(projectRoot, file)).join(', ');
    throw new Error(
      `${names}: missing or older than the sources; run 'npm run build' (Pulumi's provider process loads dist/)`,
    );
  }
}

/** The module and, transitively, the relative modules it requires (tsc keeps `require("./x")`). */
function projectModulesLoadedBy(entry: string): string[] {
  const found = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (found.has(file)) continue;
    found.add(file);
    if (!existsSync(file)) continue;
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/require\("(\.{1,2}\/[^"]*)"\)/g)) {
      pending.push(compiledFile(path.resolve(path.dirname(file), specifier)));
    }
  }
  return [...found];
}

function compiledFile(resolved: string): string {
  if (resolved.endsWith('.js')) return resolved;
  return existsSync(`${resolved}.js`) || !existsSync(resolved)
    ? `${resolved}.js`
    : path.join(resolved, 'index.js');
}
