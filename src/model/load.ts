/** Reading a spec: YAML text (with line and column on syntax errors), `extends` overlays, validation. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { SpecError, type SpecIssue } from './errors';
import { mergePatch } from './overlay';
import type { EnvironmentSpec } from './schema';
import { validateSpec } from './validate';

function yamlIssue(source: string, lineCounter: LineCounter, offset: number, message: string): SpecIssue {
  const { line, col } = lineCounter.linePos(offset);
  return { path: '', message: message.split('\n')[0], rule: 'yaml-syntax', file: source, line, column: col };
}

/**
 * Where each repeated key of a map is: scalar keys compared by value, as the parser's own
 * check does (`1` and `"1"` differ); collection keys and YAML 1.1 merge keys are left alone.
 */
function duplicateKeys(document: Document): number[] {
  const offsets: number[] = [];
  visit(document, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || typeof pair.key.value === 'symbol') continue;
        if (seen.has(pair.key.value)) offsets.push(pair.key.range?.[0] ?? 0);
        seen.add(pair.key.value);
      }
    },
  });
  return offsets;
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

/**
 * The largest spec text read: the reference architecture is 13 KB. The YAML parser's
 * duplicate-key check grows with the square of the key count (100 000 keys did not finish in
 * 10 minutes), so a bound keeps a wrong file from hanging the CLI or the worker.
 */
export const maxSpecBytes = 1024 * 1024;

/** Parses YAML; a syntax error becomes a SpecError naming file, line and column. */
export function parseYaml(text: string, source: string): unknown {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxSpecBytes) {
    throw new SpecError(source, [
      {
        path: '',
        message: `the spec is ${bytes} bytes; at most ${maxSpecBytes} (1 MiB) are read, far above any real spec`,
        rule: 'spec-size',
      },
    ]);
  }
  const lineCounter = new LineCounter();
  // The parser's own duplicate-key check compares every key with every other one of its map;
  // duplicateKeys() does the same in one pass.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const issues = [
    ...document.errors.map((error) => yamlIssue(source, lineCounter, error.pos[0], error.message)),
    ...duplicateKeys(document).map((offset) =>
      yamlIssue(source, lineCounter, offset, 'Map keys must be unique'),
    ),
  ];
  if (issues.length > 0) throw new SpecError(source, issues);
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
