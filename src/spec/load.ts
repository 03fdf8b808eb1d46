/** Reading a spec: YAML text (with line and column on syntax errors), `extends` overlays, validation. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, visit, type Document } from 'yaml';
import { SpecError, type SpecIssue } from './errors';
import { mergePatch } from './overlay';
import type { EnvironmentSpec } from './schema';
import { validateSpec } from './validate';

function yamlIssue(source: string, lineCounter: LineCounter, offset: number, message: string): SpecIssue {
  const { line, col } = lineCounter.linePos(offset);
  return { path: '', message: message.split('\n')[0], rule: 'yaml-syntax', file: source, line, column: col };
}

/** Where the first alias without an anchor is (toJS reports it without a position). */
function unresolvedAliasOffset(document: Document): number {
  let offset = 0;
  visit(document, {
    Alias(_key, node) {
      if (node.resolve(document) === undefined) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return offset;
}

/** Parses YAML; a syntax error becomes a SpecError naming file, line and column. */
export function parseYaml(text: string, source: string): unknown {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new SpecError(
      source,
      document.errors.map((error) => yamlIssue(source, lineCounter, error.pos[0], error.message)),
    );
  }
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new SpecError(source, [yamlIssue(source, lineCounter, unresolvedAliasOffset(document), message)]);
  }
}

function readText(path: string, source: string, field: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const reason =
      err instanceof Error && 'code' in err ? String((err as NodeJS.ErrnoException).code) : String(err);
    throw new SpecError(source, [
      { path: field, value: path, message: `cannot read the file (${reason})`, rule: 'readable-file' },
    ]);
  }
}

/** Applies `extends: <file>` (relative to the extending file), recursively, as a merge patch. */
function resolveExtends(document: unknown, source: string, baseDir: string, chain: string[]): unknown {
  if (
    document === null ||
    typeof document !== 'object' ||
    Array.isArray(document) ||
    !('extends' in document)
  ) {
    return document;
  }
  const { extends: base, ...overlay } = document as Record<string, unknown>;
  if (typeof base !== 'string' || base.length === 0) {
    throw new SpecError(source, [
      {
        path: 'extends',
        value: base,
        message: 'must be the path of the spec this one overlays',
        rule: 'extends',
      },
    ]);
  }
  const basePath = resolve(baseDir, base);
  if (chain.includes(basePath)) {
    throw new SpecError(source, [
      {
        path: 'extends',
        value: base,
        message: `extends loops: ${[...chain, basePath].join(' -> ')}`,
        rule: 'extends',
      },
    ]);
  }
  const baseDocument = resolveExtends(
    parseYaml(readText(basePath, source, 'extends'), basePath),
    basePath,
    dirname(basePath),
    [...chain, basePath],
  );
  return mergePatch(baseDocument, overlay);
}

/**
 * The document a spec text stands for once `extends` is applied, before validation.
 * `baseDir` resolves `extends` (default: the directory of `source`).
 */
export function resolveSpecDocument(text: string, source: string, baseDir = dirname(source)): unknown {
  return resolveExtends(parseYaml(text, source), source, baseDir, [resolve(source)]);
}

export function parseSpec(text: string, source: string, baseDir?: string): EnvironmentSpec {
  return validateSpec(resolveSpecDocument(text, source, baseDir), source);
}

export function loadSpecFile(path: string): EnvironmentSpec {
  return parseSpec(readText(path, path, ''), path, dirname(path));
}
