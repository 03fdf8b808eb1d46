/** local.yaml is reference.yaml plus a small overlay, and overlays follow JSON Merge Patch. */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import { loadSpecFile, mergePatch } from '../../../src/model';
import { localPath, referencePath } from './helpers';

/** Every leaf of a value as [path, value]; lists count as leaves (an overlay replaces them whole). */
function leaves(value: unknown, path = ''): [string, unknown][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, inner]) => leaves(inner, path ? `${path}.${key}` : key));
  }
  return [[path, value]];
}

describe('environments/local.yaml', () => {
  const reference = loadSpecFile(referencePath);
  const local = loadSpecFile(localPath);
  const overlay = parse(readFileSync(localPath, 'utf8')) as Record<string, unknown>;

  test('extends reference.yaml and marks itself emulated development', () => {
    expect(overlay.extends).toBe('reference.yaml');
    expect(local).toMatchObject({ name: 'local', environment: 'development', emulated: true });
    expect(reference.emulated).toBe(false);
  });

  test('equals reference.yaml everywhere except the keys the overlay sets', () => {
    const { extends: _base, ...patch } = overlay;
    const overlayLeaves = leaves(patch);
    const overlayPaths = overlayLeaves.map(([path]) => path);
    const referenceLeaves = new Map(leaves(reference));
    const localLeaves = new Map(leaves(local));
    expect([...localLeaves.keys()].sort()).toEqual([...referenceLeaves.keys()].sort());
    const differing = [...referenceLeaves]
      .filter(([path, value]) => !isDeepStrictEqual(localLeaves.get(path), value))
      .map(([path]) => path);
    expect(differing.length).toBeGreaterThan(0);
    for (const path of differing) expect(overlayPaths).toContain(path);
    for (const [path, value] of overlayLeaves) expect(localLeaves.get(path)).toEqual(value);
  });

  test('keeps the architecture: same node groups, sizes and instance types', () => {
    expect(local.cluster.nodeGroups).toEqual(reference.cluster.nodeGroups);
    expect(local.applications).toEqual(reference.applications);
    expect(local.mesh).toEqual(reference.mesh);
  });

  test('carries no endpoints: the spec stays location-free', () => {
    expect(JSON.stringify(local)).not.toMatch(/https?:\/\/|localhost|127\.0\.0\.1/);
  });
});

describe('mergePatch (RFC 7396)', () => {
  test('maps merge key by key', () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 4 } })).toEqual({ a: 1, b: { c: 2, d: 4 } });
  });
  test('lists are replaced whole', () => {
    expect(mergePatch({ list: [1, 2, 3] }, { list: [9] })).toEqual({ list: [9] });
  });
  test('null removes a key', () => {
    expect(mergePatch({ a: 1, b: 2 }, { b: null })).toEqual({ a: 1 });
  });
  test('a non-map patch replaces the base', () => {
    expect(mergePatch({ a: 1 }, 'x')).toBe('x');
  });
  test('leaves both inputs untouched and does not follow __proto__', () => {
    const base = { a: { b: 1 } };
    const patch = JSON.parse('{"__proto__": {"polluted": true}, "a": {"c": 2}}');
    const merged = mergePatch(base, patch) as Record<string, unknown>;
    expect(base).toEqual({ a: { b: 1 } });
    expect(merged.a).toEqual({ b: 1, c: 2 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });
});
