/**
 * Random mutations of a valid spec: every outcome is either a valid spec or a SpecError whose
 * issues all name a path, a rule and a message; an accepted one plans. Nothing else escapes.
 */
import fc from 'fast-check';
import {
  buildPlan,
  formatPlan,
  parseSpec,
  SpecError,
  validateSpec,
  type EnvironmentSpec,
} from '../../../src/model';
import { referenceDocument, referencePath, referenceText, type Document } from './helpers';

type Path = (string | number)[];

/** Every path in a document, containers included. */
function allPaths(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return [path, ...value.flatMap((item, i) => allPaths(item, [...path, i]))];
  if (value !== null && typeof value === 'object')
    return [path, ...Object.entries(value).flatMap(([k, v]) => allPaths(v, [...path, k]))];
  return [path];
}

const referencePaths = allPaths(referenceDocument()).filter((p) => p.length > 0);
const referenceLeaves = referencePaths.map((p) => p.reduce<Document>((v, k) => v[k], referenceDocument()));
const plausibleStrings = [...new Set(referenceLeaves.filter((v): v is string => typeof v === 'string'))];

type Mutation =
  | { kind: 'replace'; path: Path; value: unknown }
  | { kind: 'delete'; path: Path }
  | { kind: 'add'; path: Path; key: string; value: unknown };

const anyPath = fc.constantFrom(...referencePaths);
const nearbyValue = fc.oneof(
  fc.anything(),
  fc.integer({ min: -10, max: 100_000 }),
  fc.double({ noNaN: false }),
  fc.constantFrom(...plausibleStrings),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.constantFrom(...plausibleStrings), { maxLength: 3 }),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), path: anyPath, value: nearbyValue }),
  fc.record({ kind: fc.constant('delete' as const), path: anyPath }),
  fc.record({
    kind: fc.constant('add' as const),
    path: anyPath,
    key: fc.oneof(fc.string(), fc.constantFrom('password', 'circuitBreaker', '__proto__', 'notes')),
    value: nearbyValue,
  }),
);

function apply(doc: Document, m: Mutation): void {
  const parent = m.path.slice(0, -1).reduce<Document>((v, k) => v?.[k], doc);
  const last = m.path[m.path.length - 1];
  if (parent === null || typeof parent !== 'object') return;
  if (m.kind === 'replace') parent[last] = m.value;
  else if (m.kind === 'delete') {
    if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
    else delete parent[last];
  } else {
    const target = parent[last];
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
      Object.defineProperty(target, m.key, {
        value: m.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
}

/** Accepted specs must also plan; rejected ones must explain themselves. */
function expectAcceptedOrExplained(run: () => EnvironmentSpec, rootTouched: boolean): void {
  try {
    const spec = run();
    expect(formatPlan(buildPlan(spec, { today: '2026-11-27' }))).toContain(spec.name);
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    expect(err.issues.length).toBeGreaterThan(0);
    for (const issue of err.issues) {
      expect(typeof issue.path).toBe('string');
      if (!rootTouched && issue.rule !== 'yaml-syntax') expect(issue.path).not.toBe('');
      expect(issue.message.length).toBeGreaterThan(0);
      expect(issue.rule.length).toBeGreaterThan(0);
      if (issue.path) expect(err.message).toContain(issue.path);
    }
  }
}

test('one to three random mutations: accepted, or rejected with path-named issues', () => {
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
      const doc = referenceDocument();
      mutations.forEach((m) => apply(doc, m));
      expectAcceptedOrExplained(() => validateSpec(doc, 'mutated.yaml'), false);
    }),
    { numRuns: 400 },
  );
});

test('numbers changed to other numbers: rules see well-typed data and never crash', () => {
  const numberPaths = referencePaths.filter((_, i) => typeof referenceLeaves[i] === 'number');
  fc.assert(
    fc.property(fc.constantFrom(...numberPaths), fc.integer({ min: -1, max: 40_000_000 }), (path, value) => {
      const doc = referenceDocument();
      apply(doc, { kind: 'replace', path, value });
      expectAcceptedOrExplained(() => validateSpec(doc, 'mutated.yaml'), false);
    }),
    { numRuns: 300 },
  );
});

test('strings swapped for other strings of the spec: rejected cleanly or accepted', () => {
  const stringPaths = referencePaths.filter((_, i) => typeof referenceLeaves[i] === 'string');
  fc.assert(
    fc.property(fc.constantFrom(...stringPaths), fc.constantFrom(...plausibleStrings), (path, value) => {
      const doc = referenceDocument();
      apply(doc, { kind: 'replace', path, value });
      expectAcceptedOrExplained(() => validateSpec(doc, 'mutated.yaml'), false);
    }),
    { numRuns: 300 },
  );
});

test('whole documents of any shape', () => {
  fc.assert(
    fc.property(fc.anything(), (doc) => expectAcceptedOrExplained(() => validateSpec(doc, 'any.yaml'), true)),
    { numRuns: 200 },
  );
});

test('YAML text with a character inserted or removed: a SpecError (with line and column) or a spec', () => {
  fc.assert(
    fc.property(
      fc.nat(referenceText.length - 1),
      fc.oneof(
        fc.constantFrom(':', '-', ' ', '\n', '[', '{', '"', "'", '*', '&', '\t', '#'),
        fc.constant(''),
      ),
      (at, insert) => {
        const text = insert
          ? referenceText.slice(0, at) + insert + referenceText.slice(at)
          : referenceText.slice(0, at) + referenceText.slice(at + 1);
        expectAcceptedOrExplained(() => parseSpec(text, referencePath), false);
      },
    ),
    { numRuns: 300 },
  );
});

test('the mutation harness can find a rejection (the property is not vacuous)', () => {
  const doc = referenceDocument();
  apply(doc, { kind: 'replace', path: ['cluster', 'nodeGroups', 0, 'minSize'], value: 99 });
  expect(() => validateSpec(doc, 'x')).toThrow(SpecError);
});
